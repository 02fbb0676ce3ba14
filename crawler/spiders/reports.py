"""The reports spider: from portal home or column pages to every annual report, and nothing else.

It only navigates. What a link is comes from crawler.discover (pure functions); what a page says is
read by the item pipelines. Items carry the raw bytes of a candidate report page or attachment.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timezone
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import FormRequest, Request

from crawler import discover
from crawler.listings import ListingWalks
from crawler.portals import registry
from crawler.years import YearRange
from pipelines.extract import charset_of
from pipelines.places import region_from_site_id
from pipelines.repair import decode
from pipelines.readers import read_html, sniff_type

# A page whose own text is this long, or that holds a table, carries the report itself.
MIN_BODY_CHARS = 400
HOST = re.compile(r"[\w.-]+|\[[0-9a-f:]+\]")   # a host name (IDN too) or IP address: no spaces
PORTAL_SETS = ("simulated", "real")                 # -a portals=…: which bundled registry
IDENTITY_PAGES = 3                                  # pages of an unregistered portal searched for its SiteIDCode
ATTACHMENT_PREFERENCE = ("pdf", "docx", "doc", "wps", "ofd")


def split_start_urls(text: str) -> list[str]:
    """`-a start_urls=URL1,URL2`: each an http(s) address with a host, or ValueError naming it."""
    urls = [u.strip() for u in text.split(",") if u.strip()]
    if not urls:     # an empty variable in a crontab: never a silent crawl of something else
        raise ValueError(f"start_urls: {text!r} names no address")
    for url in urls:
        parts = urlsplit(url)
        try:
            parts.port                                   # raises for a port out of range
        except ValueError:
            raise ValueError(f"start_urls: {url!r} has no valid port") from None
        if parts.scheme not in ("http", "https") or not parts.hostname or not HOST.fullmatch(parts.hostname):
            raise ValueError(f"start_urls: {url!r} is not an http(s) address")
    return urls


class ReportsSpider(scrapy.Spider):
    name = "reports"

    @staticmethod
    def check_arguments(start_urls: str | None = None, years: str | None = None, portals: str | None = None,
                        **_) -> None:
        """Raise ValueError for arguments the run cannot start with (the crawl command exits 2)."""
        if start_urls is not None:
            split_start_urls(start_urls)
        if portals is not None and portals not in PORTAL_SETS:
            raise ValueError(f"portals: {portals!r} is none of {', '.join(PORTAL_SETS)}")
        YearRange.parse(years)

    def __init__(self, start_urls: str | None = None, years: str | None = None, portals: str | None = None, **kwargs):
        super().__init__(**kwargs)
        known = registry.by_host()
        if start_urls:
            self.start_urls = split_start_urls(start_urls)
        else:
            path = registry.SIMULATED if portals == "simulated" else registry.REAL
            self.start_urls = [p.home_url for p in registry.load(path)]
        self.portals = {urlsplit(u).hostname: known.get(urlsplit(u).hostname) for u in self.start_urls}
        # Nothing outside the start hosts is fetched (OffsiteMiddleware reads this).
        self.allowed_domains = sorted(h for h in self.portals if h)
        self.years = YearRange.parse(years)
        self.browser_hosts: set[str] = set()   # portals whose listings need JavaScript, learnt in this run
        self.routes_seen: set[str] = set()     # hash routes of JavaScript apps (the dupefilter cannot tell them apart)
        self.report_links_seen: set[str] = set()   # a listing page that brings none new is barren
        self.identity_tries: Counter[str] = Counter()   # pages of an unregistered portal read for its owner
        self._listings: ListingWalks | None = None

    @property
    def hub_depth(self) -> int:
        """How many hub pages deep a report column is looked for (DISCOVERY_HUB_DEPTH)."""
        return self.crawler.settings.getint("DISCOVERY_HUB_DEPTH", 3)

    @property
    def listings(self) -> ListingWalks:
        """Where paging stops (crawler.listings); made on first use, once the crawler's settings are known."""
        if self._listings is None:
            settings = self.crawler.settings
            self._listings = ListingWalks(self.crawler.stats, settings.getint("LISTING_PATIENCE", 10),
                                          settings.getint("LISTING_MAX_PAGES", 1000))
        return self._listings

    async def start(self):
        for url in self.start_urls:
            role = "column" if discover.COLUMN_SLUG.search(urlsplit(url).path) else "home"
            yield Request(url, callback=self.parse_page, cb_kwargs={"role": role}, meta=self._meta(url, role))

    # -- navigation ---------------------------------------------------------------------------------

    def parse_page(self, response, role: str):
        """Home, hub, column or listing page: follow what leads to reports."""
        html = self._text(response)
        next_json_pages, page_size = [], None
        if "json" in (_header(response, "Content-Type") or "").lower() or html.lstrip()[:1] in ("{", "["):
            next_json_pages, page_size = discover.json_pages(html, response.url, response.meta.get("json_page_size"))
            html = discover.html_from_json(html)      # a listing API (jpaas pages, gkmlpt, Fujian search)
        found = discover.classify_links(html, response.url, role, rendered=bool(response.meta.get("playwright")))
        found.links.extend(next_json_pages)
        self._learn_portal(response, html)
        if found.needs_browser:
            yield from self._render(response, role)
            return
        report_links = [l for l in found.links if l.role in ("report", "attachment")]
        if role in ("home", "hub") and report_links:
            role = "listing"          # a home or hub page that lists reports is a listing too
        self.crawler.stats.inc_value(f"pages/{role}")
        if role in ("column", "listing"):
            self._count(response, "listing_pages")
        yield from self._follow_reports(report_links, response)
        depth = response.meta.get("hub_depth", 0)
        for link in found.links:
            if link.role == "hub" and role in ("home", "hub") and depth < self.hub_depth and self._new_route(link.url):
                # 政务公开 → 政府信息公开 → 部门信息公开 → 某局: hubs under hubs, a few levels deep
                request = self._request(link.url, self.parse_page, "hub", response)
                request.meta["hub_depth"] = depth + 1
                yield request
            elif link.role == "column" and self.years.wants_column(link.year) and self._new_route(link.url):
                yield self._request(link.url, self.parse_page, "column", response)
        if self._past_range(found, report_links):
            self.crawler.stats.inc_value("pages/pagination_stopped_by_years")
            return
        if role not in ("column", "listing"):
            return
        walk = self.listings.walk(response.meta, response.url, self._new_links(report_links))
        for link in found.links:
            if link.role in ("page", "api") and self._may_page(walk, link.url, response):
                request = self._request(link.url, self.parse_page, "listing", response, walk, plain=link.role == "api")
                if page_size:
                    request.meta["json_page_size"] = page_size
                yield request
            elif link.role == "click" and self._new_route(key := f"{link.url} page {link.text}") \
                    and self._may_page(walk, key, response):
                yield self._click(link, response, walk)
        yield from self._hanweb_pages(found.posts, response, walk)
        for post in found.postbacks:
            key = f"{post.url} postback {post.formdata['__EVENTTARGET']} {post.formdata['__EVENTARGUMENT']}"
            if self._new_route(key) and self._may_page(walk, key, response):
                yield FormRequest(post.url, formdata=post.formdata, callback=self.parse_page,
                                  cb_kwargs={"role": "listing"}, meta=self._meta(post.url, "listing", response) | walk,
                                  dont_filter=True, errback=self.fetch_failed)

    def _may_page(self, walk, page: str, response) -> bool:
        return self.listings.may_ask(walk, page, response.meta.get("start_host"))

    def _new_links(self, links) -> int:
        """How many of these report links no page of this run has offered before."""
        new = {l.url for l in links} - self.report_links_seen
        self.report_links_seen |= new
        return len(new)

    def _hanweb_pages(self, posts, response, walk):
        """Hanweb dataproxy.jsp pages, one after another, so a backfill can stop early."""
        if posts and self._may_page(walk, posts[0].url, response):
            first, rest = posts[0], posts[1:]
            yield FormRequest(first.url, method="POST", formdata=first.formdata, callback=self.parse_dataproxy,
                              cb_kwargs={"rest": rest}, meta=self._meta(first.url, "listing", response) | walk)

    def parse_dataproxy(self, response, rest):
        """The XML of one dataproxy.jsp answer: report links, then the next POST."""
        found = discover.hanweb_records(self._text(response), response.url)
        self.crawler.stats.inc_value("pages/listing")
        report_links = found.links
        walk = self.listings.walk(response.meta, response.url, self._new_links(report_links))
        yield from self._follow_reports(report_links, response)
        if not self._past_range(found, report_links):
            yield from self._hanweb_pages(rest, response, walk)

    def _render(self, response, role: str):
        """Ask for the same page again through the browser, and remember the portal needs it."""
        host = urlsplit(response.url).hostname
        self.browser_hosts.add(host)
        self.crawler.stats.inc_value("browser/pages_requested")
        meta = self._meta(response.url, role, response) | {
            "playwright": True,
            "playwright_page_goto_kwargs": {"wait_until": "networkidle"},
        }
        yield Request(response.url, callback=self.parse_page, cb_kwargs={"role": role}, meta=meta, dont_filter=True)

    def _click(self, link, response, walk) -> Request:
        """Page N of a listing that only a script draws: render the page again and press its button N."""
        from scrapy_playwright.page import PageMethod

        meta = self._meta(link.url, "listing", response) | walk | {
            "playwright": True,
            "playwright_page_goto_kwargs": {"wait_until": "networkidle"},
            "playwright_page_methods": [PageMethod("click", f'a:text-is("{link.text}")'),
                                        PageMethod("wait_for_load_state", "networkidle"),
                                        PageMethod("wait_for_timeout", 300)],
        }
        return Request(link.url, callback=self.parse_page, cb_kwargs={"role": "listing"}, meta=meta,
                       dont_filter=True, errback=self.fetch_failed)

    def _new_route(self, url: str) -> bool:
        """False for a hash route or pager click already followed; plain URLs are left to the dupefilter."""
        if not urlsplit(url).fragment and " page " not in url and " postback " not in url:
            return True
        if url in self.routes_seen:
            return False
        self.routes_seen.add(url)
        return True

    def _past_range(self, found, report_links) -> bool:
        """A newest-first listing whose every date is before the wanted years: no more pages."""
        years = [l.year for l in report_links if l.year] or found.listing_years
        return self.years.is_past(years)

    # -- reports ------------------------------------------------------------------------------------

    def _count(self, source, counter: str, n: int = 1):
        """A per-portal counter for the run summary (source: the response or request it is about)."""
        self.crawler.stats.inc_value(f"portal/{source.meta.get('start_host')}/{counter}", n)

    def _follow_reports(self, links, response):
        wanted = [link for link in links if self.years.wants_title_year(link.year)]
        self._count(response, "report_links", len(wanted))
        self._count(response, "report_links_other_years", len(links) - len(wanted))
        for link in wanted:
            callback = self.parse_attachment if link.role == "attachment" else self.parse_report
            request = self._request(link.url, callback, link.role, response)
            request.meta.update(link_title=link.text, listing_date=link.date)
            yield request

    def parse_report(self, response):
        """A candidate report page: the page is the report if it has a body, else its attachment is."""
        if sniff_type(response.body, _header(response, "Content-Type"), response.url,
                      _header(response, "Content-Disposition")) not in ("html", "txt"):
            yield self._item(response)      # the link led straight to a file (getfile.aspx?id=…)
            return
        html = self._text(response)
        doc = read_html(html, response.url)
        host = urlsplit(response.url).hostname
        attachments = [u for u in doc.attachments if urlsplit(u).hostname == host]
        has_body = len(doc.text) >= MIN_BODY_CHARS or bool(doc.tables)
        if has_body or not attachments:
            yield self._item(response)
            for url in attachments:   # kept in the WARC beside the report, not a second report
                yield self._request(url, self.keep_attachment, "attachment", response)
            return
        best, *others = sorted(attachments, key=_attachment_rank)
        yield self._attachment_report(best, others, response.url, html, response.meta.get("link_title"), response)
        for url in others:
            yield self._request(url, self.keep_attachment, "attachment", response)

    def _attachment_report(self, url, fallbacks, page_url, page_html, link_title, source) -> Request:
        """The attachment that stands for the report; if it fails, the next one does."""
        request = self._request(url, self.parse_attachment, "attachment", source)
        request.meta.update(page_url=page_url, page_html=page_html, link_title=link_title, fallbacks=fallbacks)
        return request.replace(errback=self.attachment_failed)

    def attachment_failed(self, failure):
        """A dead attachment link: try the report's next attachment, if any."""
        self.fetch_failed(failure)
        request = failure.request
        if failure.check(IgnoreRequest):   # not modified, robots.txt or a challenge: not a dead link
            return
        fallbacks = request.meta.get("fallbacks") or []
        self.crawler.stats.inc_value("attachments/failed")
        if fallbacks:
            meta = request.meta
            yield self._attachment_report(fallbacks[0], fallbacks[1:], meta["page_url"], meta["page_html"],
                                          meta.get("link_title"), request)

    def parse_attachment(self, response):
        """A PDF/DOCX/DOC that is the report (the page around it had no body)."""
        yield self._item(response)

    def keep_attachment(self, response):
        """An attachment kept only as a capture: the WARC middleware has already stored it."""
        self.crawler.stats.inc_value("attachments/kept")
        return None

    # -- plumbing -----------------------------------------------------------------------------------

    def _item(self, response) -> dict:
        host = urlsplit(response.url).hostname
        portal = self.portals.get(host) or self._portal_of(response)
        warc = response.meta.get("warc") or {}
        return {
            "url": response.url,
            "body": response.body,
            "status": response.status,
            "content_type": _header(response, "Content-Type"),
            "content_disposition": _header(response, "Content-Disposition"),
            "etag": _header(response, "ETag"),
            "last_modified": _header(response, "Last-Modified"),
            "fetched_at": datetime.now(timezone.utc),
            "portal": portal.host if portal else host,
            "registry_region": portal.region_code if portal else None,
            "registry_name": (portal.name or None) if portal else None,
            "link_title": response.meta.get("link_title"),
            "listing_date": response.meta.get("listing_date"),
            "page_url": response.meta.get("page_url"),
            "page_html": response.meta.get("page_html"),
            "warc_file": warc.get("file"),
            "warc_offset": warc.get("offset"),
            "years": self.years,
        }

    def _learn_portal(self, response, html: str) -> None:
        """A start host missing from the registry: who runs it, as its first page states (SiteIDCode/网站标识码,
        SiteName), so that reports reposted from higher governments are recognised there too."""
        host = response.meta.get("start_host")
        if not host or self.portals.get(host) is not None or self.identity_tries[host] >= IDENTITY_PAGES:
            return
        self.identity_tries[host] += 1        # a portal that states nothing on its first pages is left alone
        code, name = discover.site_identity(html)
        region = region_from_site_id(code)
        if region:
            # The owner's rank counts only when the site names a department (福建省人力资源和社会保障厅): a
            # government's portal ("XX县政府门户网站") carries its departments' columns too.
            owner = name if name and discover.DEPARTMENT_NAME.match(name) else ""
            self.portals[host] = registry.Portal(owner, f"http://{host}/", region, "learnt")

    def _portal_of(self, response):
        start = response.meta.get("start_host")
        return self.portals.get(start)

    def _request(self, url, callback, role, source, walk: dict | None = None, plain: bool = False) -> Request:
        """A request found on `source` (the response, or the failed request an errback retries from);
        `walk`: the listing a next page belongs to (crawler.listings); `plain`: never through the browser
        (a JSON list API answers data, not a page to draw)."""
        meta = self._meta(url, role, source) | (walk or {})
        hash_route = bool(urlsplit(url).fragment)    # a route inside a JavaScript app: only a browser follows it
        if not plain and (hash_route or (role in ("column", "listing", "hub")
                                         and urlsplit(url).hostname in self.browser_hosts)):
            meta |= {"playwright": True, "playwright_page_goto_kwargs": {"wait_until": "networkidle"}}
        kwargs = {"role": role} if callback == self.parse_page else {}
        # The dupefilter ignores fragments; a hash route is a different page of the app.
        return Request(url, callback=callback, cb_kwargs=kwargs, meta=meta, dont_filter=hash_route,
                       errback=self.fetch_failed)

    def fetch_failed(self, failure):
        """A fetch that failed for good: counted against its portal by kind, for the run summary.

        Download errors (timeouts, refused connections) are counted where they happen, after retries;
        what reaches here unseen is a body refused on the way in (over DOWNLOAD_MAXSIZE, a gzip bomb).
        """
        message = str(failure.value)
        if failure.check(IgnoreRequest) and "DOWNLOAD_MAXSIZE" in message:
            self._count(failure.request, "errors/too_large")
        return None

    def _meta(self, url, role, source=None) -> dict:
        start_host = source.meta.get("start_host") if source is not None else urlsplit(url).hostname
        return {"role": role, "start_host": start_host}

    def _text(self, response) -> str:
        """The page as text, decoded by the project's own charset rules (not the page's claims)."""
        return decode(response.body, header_charset=charset_of(_header(response, "Content-Type"))).text


def _header(response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _attachment_rank(url: str) -> int:
    """PDF before Word: the form most often published as the signed report."""
    lowered = url.lower()
    for rank, ext in enumerate(ATTACHMENT_PREFERENCE):
        if f".{ext}" in lowered:
            return rank
    return len(ATTACHMENT_PREFERENCE)
