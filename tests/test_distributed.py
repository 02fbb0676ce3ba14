"""Two workers share one frontier in a real redis-server (scrapy-redis): together they archive every
report exactly once, each URL is fetched once, and each host is crawled by one worker only."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from collections import Counter

import pytest

import simportals
from simportals.testing import PortalServer
from crawler.distributed import shard_of
from tests.crawling import reports_of, start_crawl

PORTALS = ["rsj.quanzhou.gov.cn", "www.huining.gov.cn", "big5.jingyuan.gov.cn", "rsj.sx.gov.cn"]
WEB = simportals.build_web(seed=1)
HOME = {p.host: p.home_url for p in WEB.portals}
FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "RETRY_BACKOFF_BASE": 0.05}


@pytest.fixture
def redis_url(tmp_path):
    """A real redis-server on a free loopback port, for this test only."""
    server = shutil.which("redis-server")
    assert server, "redis-server is missing: run `make setup` (Debian package redis-server)"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(10)


def run_workers(server, tmp_path, redis_url: str, run_id: str) -> list[int]:
    """Two workers of one distributed run, to their end; their exit codes."""
    env = {"SCRAPY_SETTINGS_MODULE": "settings.distributed", "REDIS_URL": redis_url, "GOVREPORTS_RUN_ID": run_id}
    workers = [start_crawl(server, tmp_path / "data", start_urls=[HOME[h] for h in PORTALS], settings=FAST,
                           env=env | {"GOVREPORTS_WORKER": f"{i}/2"}, log=tmp_path / f"{run_id}-{i}.log")
               for i in (0, 1)]
    return [w.wait(timeout=600) for w in workers]


def test_two_workers_share_the_frontier_and_the_archive(tmp_path, redis_url):
    archive = tmp_path / "data"
    with PortalServer(portals=PORTALS, latency=0.05) as server:
        codes = run_workers(server, tmp_path, redis_url, "t1")
        log = server.requests()
    assert codes == [0, 0], [(tmp_path / f"t1-{i}.log").read_text()[-2000:] for i in (0, 1)]
    want = sorted(t["url"] for t in WEB.truth() if t["portal"] in PORTALS and t["kind"] == "report"
                  and not t.get("robots_disallowed"))
    rows = reports_of(archive)
    assert sorted(r["url"] for r in rows) == want                       # every report, once
    fetched = Counter(f"{r['method']} {r['host']}{r['path']}" for r in log
                      if r["path"] != "/robots.txt" and r["status"] == 200)
    assert [url for url, n in fetched.items() if n > 1] == []           # one shared seen-set
    summaries = [json.loads(p.read_text()) for p in sorted((archive / "runs").glob("*.json"))]
    assert len(summaries) == 2 and sum(s["reports"]["new"] for s in summaries) == len(want)
    # each host is crawled by its one owner, so politeness per host holds across workers
    crawled = [{h for h, p in s["portals"].items() if p["pages"]} for s in summaries]
    assert crawled[0] and crawled[1] and not crawled[0] & crawled[1]
    assert {shard_of(f"http://{h}/", 2) for h in crawled[0]} != {shard_of(f"http://{h}/", 2) for h in crawled[1]}
    # each summary answers for the portals its worker owns, all of them together
    owned = [set(s["portals"]) for s in summaries]
    assert owned == crawled and owned[0] | owned[1] == set(PORTALS)


def test_a_broken_portal_fails_the_worker_that_owns_it(tmp_path, redis_url):
    broken = PORTALS[0]
    owner = shard_of(f"http://{broken}/", 2)
    with PortalServer(portals=PORTALS, latency=0.05) as server:
        assert run_workers(server, tmp_path, redis_url, "night1") == [0, 0]
        server.control("redesign", portal=broken)
        codes = run_workers(server, tmp_path, redis_url, "night2")
    assert codes[owner] == 1 and codes[1 - owner] == 0, codes
    log = (tmp_path / f"night2-{owner}.log").read_text()
    assert f"BROKEN {broken}" in log and log.count("BROKEN ") == 1
