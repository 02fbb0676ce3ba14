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
        pool = ProcessPoolExecutor(max_workers=size, mp_context=context)
        setattr(crawler, _KEY, pool)
        crawler.signals.connect(lambda spider: pool.shutdown(wait=True, cancel_futures=True),
                                signal=signals.spider_closed, weak=False)
    return pool


async def call(crawler, func, *args, **kwargs):
    """func(*args, **kwargs) in a worker when there is a pool, else right here."""
    pool = pool_of(crawler)
    if pool is None:
        return func(*args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(pool, functools.partial(func, *args, **kwargs))
