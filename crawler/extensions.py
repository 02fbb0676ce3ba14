"""Run-level extensions: the summary that decides the exit code, and progress in the log."""
from __future__ import annotations

import json
import logging
import time
from datetime import datetime, timezone
from pathlib import Path

from scrapy import signals
from twisted.internet import task

from crawler import runreport

logger = logging.getLogger(__name__)


class RunSummaryExtension:
    """At the end of a run: a summary per portal, printed and saved as runs/<time>.json beside the archive."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.root = Path(crawler.settings.get("ARCHIVE_DIR", "data"))
        self.max_error_rate = crawler.settings.getfloat("RUN_MAX_ERROR_RATE", 0.2)
        self.started = datetime.now(timezone.utc)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.item_error, signal=signals.item_error)

    def item_error(self, item, response, spider, failure):
        """An item that failed in a pipeline counts against its portal, by kind, in the summary."""
        portal = item.get("portal") if isinstance(item, dict) else None
        self.crawler.stats.inc_value(f"portal/{portal}/errors/item_{failure.type.__name__}")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_closed(self, spider, reason):
        runs = self.root / "runs"
        stats = self.crawler.stats.get_stats()
        hosts = self._own_hosts(spider)
        years = str(getattr(spider, "years", "") or "")
        summary = runreport.summarize(stats, hosts, started=self.started, finished=datetime.now(timezone.utc),
                                      previous=runreport.previous_portals(runs, hosts, years=years),
                                      max_error_rate=self.max_error_rate)
        summary["years"] = years
        summary["finish_reason"] = reason
        summary["reports_by_year"] = {k.split("/")[-1]: v for k, v in stats.items() if k.startswith("reports_by_year/")}
        if reason not in ("finished",):
            summary["problems"].append({"portal": "*", "problem": f"run ended early: {reason}"})
            summary["exit_code"] = runreport.EXIT_BROKEN
        runs.mkdir(parents=True, exist_ok=True)
        path = runs / f"{self.started.strftime('%Y%m%dT%H%M%S%fZ')}.json"
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(summary, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        tmp.replace(path)
        self.crawler.run_summary = summary
        print(runreport.format_summary(summary), flush=True)
        print(f"summary saved to {path}", flush=True)


    def _own_hosts(self, spider) -> list[str]:
        """The portals this run answers for: all of them, or in a distributed run the hosts this worker
        owns (every request of a host goes to its owner, so the owner's counts are the portal's)."""
        hosts = [h for h in getattr(spider, "allowed_domains", []) if h]
        workers = self.crawler.settings.getint("WORKERS", 1)
        if workers <= 1:
            return hosts
        from crawler.distributed import shard_of      # scrapy-redis is loaded by distributed runs only
        me = self.crawler.settings.getint("WORKER_INDEX", 0)
        return [h for h in hosts if shard_of(f"http://{h}/", workers) == me]


class ProgressExtension:
    """Every PROGRESS_INTERVAL seconds: reports found so far and the rate, in the log."""

    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.loop = None
        self.t0 = time.monotonic()
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.getfloat("PROGRESS_INTERVAL", 60.0))

    def opened(self, spider):
        self.t0 = time.monotonic()
        self.loop = task.LoopingCall(self.log)
        self.loop.start(self.interval, now=False)

    def log(self):
        stats = self.crawler.stats
        found = sum(stats.get_value(f"reports/{k}", 0) for k in ("new", "changed", "unchanged", "not_modified"))
        elapsed = max(time.monotonic() - self.t0, 1e-6)
        slot = getattr(self.crawler.engine, "_slot", None)      # Scrapy keeps the scheduler here (2.19)
        pending = len(slot.scheduler) if slot is not None else "?"
        logger.info("progress: %d reports found (%.1f/min), %d responses, %s requests queued",
                    found, found / elapsed * 60, stats.get_value("response_received_count", 0), pending)

    def closed(self, spider):
        if self.loop and self.loop.running:
            self.loop.stop()
