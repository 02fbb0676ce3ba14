"""Workers sharing a Redis frontier stop together: none leaves while the queue holds requests or another
worker is still busy (its responses may add more). Each worker keeps a short-lived Redis key saying
whether it is busy; an idle worker with an empty queue and no busy peer closes."""
from __future__ import annotations

import os

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from twisted.internet import task

HEARTBEAT_S = 1.0
TTL_S = 10          # a worker killed without goodbye stops counting after this


class SharedFrontierExtension:
    def __init__(self, crawler):
        self.crawler = crawler
        self.run_id = crawler.settings.get("RUN_ID", "default")
        self.name = os.environ.get("GOVREPORTS_WORKER", str(os.getpid()))
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
