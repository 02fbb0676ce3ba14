"""Extraction workers: a worker that dies loses its item, not the crawl (the pool is replaced)."""
import asyncio
import operator
import os

import pytest
from scrapy.utils.test import get_crawler

from crawler import workers


def test_a_dying_worker_fails_its_item_and_the_next_item_gets_a_new_pool():
    crawler = get_crawler(settings_dict={"EXTRACTION_PROCESSES": 1})

    async def scenario():
        with pytest.raises(workers.ExtractionCrashed):
            await workers.call(crawler, os._exit, 3)            # as a segfaulting PDF library would
        return await workers.call(crawler, operator.add, 2, 3)

    assert asyncio.run(scenario()) == 5
    assert crawler.stats.get_value("extraction/worker_crashes") == 1
    workers.pool_of(crawler).shutdown()


def test_no_pool_runs_in_place():
    crawler = get_crawler(settings_dict={"EXTRACTION_PROCESSES": 0})
    assert workers.pool_of(crawler) is None
    assert asyncio.run(workers.call(crawler, operator.mul, 6, 7)) == 42
