"""Extraction workers: a worker that dies loses its item, not the crawl (the pool is replaced); workers
of a crawl killed with -9 exit."""
import asyncio
import operator
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

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


OWNER = """
import asyncio, operator, sys, time
from scrapy.utils.test import get_crawler
from crawler import workers
crawler = get_crawler(settings_dict={"EXTRACTION_PROCESSES": 2})
print(asyncio.run(workers.call(crawler, operator.add, 1, 1)), flush=True)
time.sleep(600)
"""


def _children_of(pids: set[int]) -> set[int]:
    """Every live process descending from pids (read from /proc)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    found, frontier = set(), set(pids)
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def test_workers_of_a_crawl_killed_with_sigkill_exit():
    """kill -9 shuts no pool down: the workers notice their crawl is gone and exit (no orphans)."""
    root = Path(__file__).resolve().parents[1]
    owner = subprocess.Popen([sys.executable, "-c", OWNER], cwd=root, stdout=subprocess.PIPE, text=True)
    assert owner.stdout.readline().strip() == "2"
    spawned = _children_of({owner.pid})       # the forkserver, its workers, the resource tracker
    assert len(spawned) >= 3
    os.kill(owner.pid, signal.SIGKILL)
    owner.wait()
    deadline = time.time() + 15
    while time.time() < deadline and any(os.path.exists(f"/proc/{p}") for p in spawned):
        time.sleep(0.2)
    assert [p for p in spawned if os.path.exists(f"/proc/{p}")] == []
