"""Re-run extraction over the stored WARC captures and rewrite the dataset: no network at all.

When an extractor improves, the whole history improves with it. Each stored report version is read
back from the record its row points at, with what the crawl knew beside the bytes (the page around
an attachment, the link's title and date, kept in the record's notes), extracted again, and swapped
in place (archive.rewrite), a chunk at a time.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from archive.cdxj import read_index
from archive.rewrite import replace_versions
from archive.warc import read_record
from crawler.portals import registry
from crawler.years import YearRange
from pipelines import extract as steps
from pipelines.repair import decode


@dataclass
class Progress:
    total: int
    done: int = 0
    started: float = 0.0

    def line(self) -> str:
        """records done, rate, remaining."""
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else float("inf")
        return f"reparse: {self.done}/{self.total} records, {rate:.1f}/s, ~{left:.0f} s remaining"


def stored_versions(root: Path, years: YearRange, provinces: set[str] | None) -> list[dict]:
    """The report versions to re-parse: their keys and where their bytes sit."""
    import archive
    con = archive.open(root)
    rows = con.sql("select report_id, content_sha256, url, warc_file, warc_offset, fetched_at, year, "
                   "province_code from reports").to_arrow_table().to_pylist()
    return [r for r in rows if r["warc_file"] and r["year"] in years
            and (not provinces or r["province_code"] in provinces)]


def reparse(root, *, years: str | None = None, provinces: str | None = None, chunk: int = 200,
            report=print) -> dict:
    """Re-extract every selected stored version and rewrite it in place; return counts."""
    root = Path(root)
    wanted = set(provinces.split(",")) if provinces else None
    todo = stored_versions(root, YearRange.parse(years), wanted)
    pages = _latest_captures(root / "warc")
    portals = registry.by_host()
    progress = Progress(len(todo), started=time.monotonic())
    stats = {"records": len(todo), "replaced": 0, "changed_fields": 0}
    for i in range(0, len(todo), chunk):
        versions = [_reextract(root, row, pages, portals) for row in todo[i:i + chunk]]
        stats["replaced"] += replace_versions(root, versions)["replaced"]
        progress.done += len(versions)
        report(progress.line())
    return stats


def _reextract(root: Path, row: dict, pages: dict, portals: dict) -> tuple[dict, list]:
    """One stored version through repair, extract and validate again, keys and provenance kept."""
    capture = read_record(row["warc_file"], row["warc_offset"], warc_dir=root / "warc")
    notes = capture.notes or {}
    headers = {k.lower(): v for k, v in capture.headers}
    portal = portals.get(notes.get("start_host") or urlsplit(capture.url).hostname)
    page_url = notes.get("page_url")
    page_html = _page_text(root, pages.get(page_url)) if page_url else None
    new, cells = steps.extract_report(
        capture.body, url=capture.url, content_type=headers.get("content-type"),
        content_disposition=headers.get("content-disposition"),
        registry_region=portal.region_code if portal else None, page_html=page_html, page_url=page_url,
        link_title=notes.get("link_title"), listing_date=notes.get("listing_date"))
    new.update(report_id=row["report_id"], fetched_at=row["fetched_at"], warc_file=row["warc_file"],
               warc_offset=row["warc_offset"], content_sha256=row["content_sha256"])
    return new, steps.cell_rows(cells)


def _latest_captures(warc_dir: Path) -> dict[str, tuple[str, int]]:
    """url -> (file, offset) of its newest stored response, from the CDXJ index."""
    latest: dict[str, tuple[str, str, int]] = {}
    for e in read_index(warc_dir):
        if e.get("mime") == "warc/revisit":
            continue
        if e["url"] not in latest or e["timestamp"] >= latest[e["url"]][0]:
            latest[e["url"]] = (e["timestamp"], e["filename"], int(e["offset"]))
    return {url: (f, o) for url, (_, f, o) in latest.items()}


def _page_text(root: Path, where: tuple[str, int] | None) -> str | None:
    """The page around an attachment, decoded and repaired as the spider had it."""
    if not where:
        return None
    capture = read_record(where[0], where[1], warc_dir=root / "warc")
    content_type = dict((k.lower(), v) for k, v in capture.headers).get("content-type")
    return decode(capture.body, header_charset=steps.charset_of(content_type)).text
