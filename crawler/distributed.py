"""Workers sharing one frontier in Redis (scrapy-redis).

The frontier is split by host: every host belongs to exactly one worker (crc32(host) mod WORKERS), so
"one request at a time per host" holds across workers, and robots.txt, challenge cookies and what a
worker learnt about a portal stay with the worker that crawls it. The seen-set is shared.

Workers stop together: none leaves while its shard holds requests or another worker is still busy
(its pages may add to any shard). Each worker keeps a short-lived Redis key saying whether it is busy.
"""
from __future__ import annotations

import os
import zlib
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task


def shard_of(url: str, workers: int) -> int:
    """The worker that owns a URL's host."""
    return zlib.crc32((urlsplit(url).hostname or "").encode()) % max(workers, 1)


class HostShardedScheduler(Scheduler):
    """scrapy-redis's scheduler with one queue per worker; a request goes to the queue of its host's owner."""

    def open(self, spider):
        super().open(spider)
        settings = spider.crawler.settings
        self.workers = settings.getint("WORKERS", 1)
        base = self.queue_key % {"spider": spider.name}
        make = type(self.queue)
        self.shards = [make(server=self.server, spider=spider, key=f"{base}:{i}", serializer=self.serializer)
                       for i in range(self.workers)]
        self.queue = self.shards[settings.getint("WORKER_INDEX", 0)]     # this worker pops its own shard

    def enqueue_request(self, request):
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis", spider=self.spider)
        self.shards[shard_of(request.url, self.workers)].push(request)
        return True

HEARTBEAT_S = 1.0
TTL_S = 10          # a worker killed without goodbye stops counting after this


class SharedFrontierExtension:
    def __init__(self, crawler):
        self.crawler = crawler
        self.run_id = crawler.settings.get("RUN_ID", "default")
        self.name = str(crawler.settings.getint("WORKER_INDEX", os.getpid()))
        self.loop = None
        self.started = False   # until its start requests are out, a worker counts as busy
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.idle, signal=signals.spider_idle)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        if "scrapy_redis" not in (crawler.settings.get("SCHEDULER") or ""):
            raise NotConfigured
        return cls(crawler)

    @property
    def redis(self):
        return self.crawler.engine._slot.scheduler.server

    def _key(self, name: str) -> str:
        return f"govreports:{self.run_id}:workers:{name}"

    def opened(self, spider):
        self.loop = task.LoopingCall(self.beat)
        self.loop.start(HEARTBEAT_S, now=True)

    def beat(self, busy: bool | None = None):
        """Say whether this worker has work in hand (or has not yet gone idle once)."""
        if busy is None:
            engine = self.crawler.engine
            busy = not self.started or bool(engine.downloader.active) or not engine.scraper.slot.is_idle()
        self.redis.set(self._key(self.name), "1" if busy else "0", ex=TTL_S)

    def idle(self, spider):
        self.started = True
        self.beat(busy=False)
        if len(self.crawler.engine._slot.scheduler) > 0 or self._busy_peers():
            raise DontCloseSpider

    def _busy_peers(self) -> list[str]:
        keys = [k.decode() for k in self.redis.keys(self._key("*"))]
        return [k for k in keys if k != self._key(self.name) and self.redis.get(k) == b"1"]

    def closed(self, spider):
        if self.loop and self.loop.running:
            self.loop.stop()
        self.redis.delete(self._key(self.name))
