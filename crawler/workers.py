"""Extraction off the reactor: the pure pipeline steps run in worker processes, the crawl keeps fetching.

Extraction is CPU-bound (tens of ms a page, more for PDFs) and Scrapy's reactor is one thread: run in
place, it stalls every download while it works. `EXTRACTION_PROCESSES` workers (default: one per core;
0 runs in place) take the calls instead. The workers come from a forkserver with the extraction modules
preloaded, so they start fast and share no threads or sockets with the crawl.
"""
from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from scrapy import signals

_KEY = "_govreports_workers"


def pool_of(crawler) -> ProcessPoolExecutor | None:
    """The crawl's worker pool (created on first use, shut down when the spider closes), or None."""
    size = crawler.settings.getint("EXTRACTION_PROCESSES", os.cpu_count() or 1)
    if size <= 0:
        return None
    pool = getattr(crawler, _KEY, None)
    if pool is None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["pipelines.extract"])
        pool = ProcessPoolExecutor(max_workers=size, mp_context=context, initializer=_watch_crawl,
                                   initargs=(os.getpid(),))
        setattr(crawler, _KEY, pool)
        crawler.signals.connect(lambda spider: pool.shutdown(wait=True, cancel_futures=True),
                                signal=signals.spider_closed, weak=False)
    return pool


def _watch_crawl(crawl_pid: int) -> None:
    """In each worker: exit once the crawl is gone. A crawl killed with -9 shuts no pool down, and its
    workers (children of the forkserver, which they keep alive in turn) would wait on its queue forever."""
    import threading
    import time

    def watch():
        while True:
            time.sleep(WATCH_INTERVAL)
            try:
                os.kill(crawl_pid, 0)
            except ProcessLookupError:
                os._exit(1)

    threading.Thread(target=watch, name="crawl-watch", daemon=True).start()


WATCH_INTERVAL = 1.0   # seconds between a worker's checks that the crawl still runs


async def call(crawler, func, *args, **kwargs):
    """func(*args, **kwargs) in a worker when there is a pool, else right here.

    A worker that dies (a hostile file crashing a native reader) breaks the whole pool: the pool is
    replaced for the items after, and this item fails with a clear error.
    """
    pool = pool_of(crawler)
    if pool is None:
        return func(*args, **kwargs)
    try:
        return await asyncio.get_running_loop().run_in_executor(pool, functools.partial(func, *args, **kwargs))
    except BrokenProcessPool as broken:
        if getattr(crawler, _KEY, None) is pool:
            setattr(crawler, _KEY, None)
            pool.shutdown(wait=False, cancel_futures=True)
        crawler.stats.inc_value("extraction/worker_crashes")
        raise ExtractionCrashed(f"an extraction worker died on this item ({broken})") from broken


class ExtractionCrashed(RuntimeError):
    """The process extracting an item died (the item, not the crawl, is lost)."""
