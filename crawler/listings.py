"""When to stop paging a listing. A pager can lie: claim 100000 pages, or answer every page number with
the same list. Pages follow on from one another; each knows the listing it belongs to (the URL of its
first page) and how many pages in a row, itself included, brought no report link not seen before.
Paging stops after LISTING_PATIENCE such barren pages in a row, or once LISTING_MAX_PAGES pages of the
listing have been asked for; either is named once per listing in the run summary.
"""
from __future__ import annotations

import logging
from collections import Counter

logger = logging.getLogger(__name__)


class ListingWalks:
    """Every listing of one run: pages asked for, and which listings were cut short."""

    def __init__(self, stats, patience: int, max_pages: int):
        self.stats = stats
        self.patience = patience
        self.max_pages = max_pages
        self.asked: Counter[str] = Counter()   # listing -> pages asked for, its first page included
        self.seen_pages: set[str] = set()      # pages asked for (a numbered pager offers the same ones again)
        self.cut: set[str] = set()

    def walk(self, meta: dict, url: str, new_links: int) -> dict:
        """The walk this page continues (a column page starts one), with this page counted: the meta the
        pages it leads to carry."""
        start = meta.get("listing_start")
        if start is None:
            start = url
            self.asked[start] += 1
        self.seen_pages.add(url)
        barren = 0 if new_links else meta.get("listing_barren", 0) + 1
        return {"listing_start": start, "listing_barren": barren}

    def may_ask(self, walk: dict, page: str, host: str) -> bool:
        """Whether `page` (a URL, or a pager button's key) of this walk's listing may be asked for."""
        start = walk["listing_start"]
        if page in self.seen_pages:
            return False
        if walk["listing_barren"] >= self.patience:
            why = "listing_endless"          # pages keep coming, new reports do not
        elif self.asked[start] >= self.max_pages:
            why = "listing_too_long"
        else:
            self.seen_pages.add(page)
            self.asked[start] += 1
            return True
        if start not in self.cut:
            self.cut.add(start)
            self.stats.inc_value(f"portal/{host}/errors/{why}")
            logger.warning("paging of %s stopped (%s) after %d pages", start, why, self.asked[start])
        return False
