"""Crawl speed against the politeness limit, measured in one run on the simulated portals.

With one request at a time per host and DOWNLOAD_DELAY d, no crawl can finish before the busiest host
has had its n requests spaced by d: the limit is max over hosts of (n_host - 1) * d. The figure is
wall time / limit (1.0 = as fast as politeness allows). A second figure is the same crawl with no delay,
which shows what the crawler itself costs (parsing, extraction, storage) per request.

    .venv/bin/python bench/crawl_bench.py [--delay 0.5]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import simportals  # noqa: E402
from simportals.testing import PortalServer  # noqa: E402
from tests.crawling import run_crawl  # noqa: E402


def crawl_once(delay: float) -> tuple[float, Counter]:
    """Wall time of one crawl of every simulated portal, and requests per host."""
    homes = [p.home_url for p in simportals.build_web(seed=1).portals]
    with PortalServer() as server, tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        result = run_crawl(server, Path(tmp) / "data", start_urls=homes,
                           settings={"DOWNLOAD_DELAY": delay, "DOWNLOAD_DELAY_JITTER": 0})
        wall = time.monotonic() - started
        if result.returncode != 0:
            raise SystemExit(result.stdout[-2000:] + result.stderr[-2000:])
        portals = {p.host for p in simportals.build_web(seed=1).portals}
        return wall, Counter(r["host"] for r in server.requests() if r["host"] in portals)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--delay", type=float, default=0.5)
    delay = ap.parse_args().delay
    wall, per_host = crawl_once(delay)
    limit = max(per_host.values()) * delay - delay
    free_wall, free_hosts = crawl_once(0.0)
    print(f"portals: {len(per_host)}, requests: {sum(per_host.values())}, busiest host: {max(per_host.values())}")
    print(f"delay {delay} s: wall {wall:.1f} s, politeness limit {limit:.1f} s, ratio {wall / limit:.2f}")
    print(f"no delay: wall {free_wall:.1f} s, {sum(free_hosts.values()) / free_wall:.1f} requests/s "
          f"({free_wall / wall:.2f} of the polite crawl's time)")


if __name__ == "__main__":
    main()
