"""The fault matrix, browser case: Chromium is killed (-9) while it renders a JavaScript listing (gkmlpt).
scrapy-playwright relaunches it on the next page and tries the broken render again; the crawl ends, every
report is archived, and the summary counts the crash and the relaunch."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import simportals
from simportals.testing import PortalServer
from tests.crawling import reports_of, start_crawl

GKMLPT, TRS = "hrss.foshan.gov.cn", "rsj.quanzhou.gov.cn"
WEB = simportals.build_web(seed=1)
REPORTS = sorted(t["url"] for t in WEB.truth() if t["kind"] == "report" and t["portal"] in (GKMLPT, TRS)
                 and not t.get("robots_disallowed"))
# Only a browser drawing a page loads its style sheet (the crawler reads the list API itself too).
RENDER = "/images/style.css"


def descendants(pid: int) -> list[tuple[int, str]]:
    """(pid, command name) of every process below `pid`."""
    children: dict[int, list[tuple[int, str]]] = {}
    for line in subprocess.run(["ps", "-e", "-o", "pid=,ppid=,comm="], capture_output=True, text=True).stdout.splitlines():
        child, parent, name = line.split(None, 2)
        children.setdefault(int(parent), []).append((int(child), name.strip()))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child[0])
    return found


def kill(processes: list[tuple[int, str]]) -> None:
    for pid, _ in processes:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_browser_killed_mid_render_is_relaunched(tmp_path):
    archive = tmp_path / "archive"
    with PortalServer(portals=[GKMLPT, TRS]) as server:
        crawl = start_crawl(server, archive, log=tmp_path / "crawl.log",
                            start_urls=[f"http://{GKMLPT}/", f"http://{TRS}/"], settings={"DOWNLOAD_TIMEOUT": 3})
        try:
            deadline = time.monotonic() + 60
            while not any(RENDER in r["path"] for r in server.requests()):      # a page is being drawn
                assert crawl.poll() is None and time.monotonic() < deadline, "no browser render seen"
                time.sleep(0.05)
            browser = [p for p in descendants(crawl.pid) if "chrom" in p[1]]
            kill(browser)
            renders_before = sum(RENDER in r["path"] for r in server.requests())
            crawl.wait(timeout=60)
        finally:
            if crawl.poll() is None:          # a crawl that hung: take it down with its browser
                kill(descendants(crawl.pid))
                crawl.kill()
        renders = sum(RENDER in r["path"] for r in server.requests())
    log = (tmp_path / "crawl.log").read_text(encoding="utf-8")
    assert browser and crawl.returncode == 0 and "Traceback" not in log, log[-3000:]
    assert renders > renders_before                   # the new browser drew the listing again
    assert sorted(r["url"] for r in reports_of(archive)) == REPORTS
    summary = json.loads(sorted((archive / "runs").glob("*.json"))[-1].read_text())
    assert (summary["browser_crashed"], summary["browser_relaunched"]) == (1, 1)
    assert {host: p["errors"] for host, p in summary["portals"].items()} == {GKMLPT: {}, TRS: {}}
