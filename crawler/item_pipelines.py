"""Item pipelines: thin adapters, one pure call each. Their order in settings.ITEM_PIPELINES is the data flow."""
from __future__ import annotations

import logging
from pathlib import Path

from scrapy.exceptions import DropItem

from archive.dataset import DatasetWriter
from archive.state import CrawlState
from crawler import workers
from pipelines import extract as steps
from pipelines.scope import is_report, reposted_from_above

logger = logging.getLogger(__name__)


class _Stage:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def count(self, item, key: str, n: int = 1):
        self.stats.inc_value(f"portal/{item['portal']}/{key}", n)


class RepairPipeline(_Stage):
    """Bytes -> repaired text and table grids."""

    async def process_item(self, item):
        item["repaired"] = await workers.call(
            self.crawler, steps.repair, item["body"], url=item["url"], content_type=item.get("content_type"),
            content_disposition=item.get("content_disposition"))
        return item


class ExtractPipeline(_Stage):
    """Repaired document -> metadata and cells."""

    async def process_item(self, item):
        item["extracted"] = await workers.call(
            self.crawler, steps.extract, item["repaired"], url=item["url"],
            registry_region=item.get("registry_region"), page_html=item.get("page_html"),
            page_url=item.get("page_url"), link_title=item.get("link_title"), listing_date=item.get("listing_date"))
        return item


class ValidatePipeline(_Stage):
    """Identities, missing tables, image-only, injected text -> flags."""

    async def process_item(self, item):
        item["flags"] = await workers.call(self.crawler, steps.validate, item["repaired"], item["extracted"])
        return item


class ScopePipeline(_Stage):
    """Keep reports of the portal's bodies in the wanted years; drop decoys and reposts."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.state = CrawlState(Path(crawler.settings.get("ARCHIVE_DIR", "data")))

    def process_item(self, item):
        meta = item["extracted"].metadata
        reason = self._reject(item, meta)
        if reason:
            self.count(item, f"dropped/{reason}")
            # Remembered, so the next run asks for it conditionally instead of reading it again.
            self.state.record(item["url"], etag=item.get("etag"), last_modified=item.get("last_modified"),
                              sha256=None, status=f"not_report:{reason}")
            raise DropItem(f"{reason}: {item['url']} ({meta.title})")
        return item

    def _reject(self, item, meta) -> str | None:
        doc = item["repaired"].document
        if not is_report(meta.title, doc.text, bool(item["extracted"].cells)):
            return "not_a_report"
        region = meta.region_code or ("00" if meta.province_code == "00" else None)
        if reposted_from_above(region, item.get("registry_region"), meta.agency, item.get("registry_name")):
            return "reposted_from_above"
        if meta.year not in item["years"]:
            return "outside_years"
        return None


class ArchivePipeline(_Stage):
    """Rows into the Parquet dataset in atomic batches; crawl state recorded once a batch is stored."""

    def __init__(self, crawler):
        super().__init__(crawler)
        root = Path(crawler.settings.get("ARCHIVE_DIR", "data"))
        self.batch_size = crawler.settings.getint("ARCHIVE_BATCH_SIZE", 50)
        self.writer = DatasetWriter(root, batch_size=10**9)   # flushed here, so state follows storage
        self.state = CrawlState(root)
        self.pending: list[dict] = []

    def process_item(self, item):
        row = steps.to_row(url=item["url"], body=item["body"], repaired=item["repaired"], extracted=item["extracted"],
                           flags=item["flags"], fetched_at=item["fetched_at"], warc_file=item.get("warc_file"),
                           warc_offset=item.get("warc_offset"))
        status = self.writer.add(row, steps.cell_rows(item["extracted"].cells))
        self.count(item, "reports_found")
        self.count(item, f"reports_{status}")
        for flag in row["flags"]:
            self.count(item, f"flags/{flag.split(':')[0]}")
        self.stats.inc_value(f"reports/{status}")
        self.stats.inc_value(f"reports_by_year/{row['year']}")
        self.pending.append({"url": item["url"], "etag": item.get("etag"), "last_modified": item.get("last_modified"),
                             "sha256": row["content_sha256"], "report_id": row["report_id"]})
        if len(self.pending) >= self.batch_size:
            self._commit()
        return {"report_id": row["report_id"], "url": row["url"], "title": row["title"], "year": row["year"],
                "province_code": row["province_code"], "status": status, "flags": row["flags"]}

    def _commit(self):
        self.writer.flush()
        for p in self.pending:
            self.state.record(p["url"], etag=p["etag"], last_modified=p["last_modified"], sha256=p["sha256"],
                              status="report", report_id=p["report_id"])
        self.pending.clear()

    def close_spider(self, spider=None):
        self._commit()
        self.writer.close()
        self.state.close()
