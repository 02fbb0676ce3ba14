"""The start of the fault matrix: a portal turns hostile (a page that never answers, a gzip bomb, a
corrupt PDF). The crawl ends in bounded time, keeps every other report, records the corrupt file with a
flag, and names each failure in the summary."""
from __future__ import annotations

import json
import time

import simportals
from simportals.testing import PortalServer
from tests.crawling import reports_of, run_crawl

TRS, FILES = "rsj.quanzhou.gov.cn", "rst.fujian.gov.cn"
WEB = simportals.build_web(seed=1)
HOME = {p.host: p.home_url for p in WEB.portals}
REPORTS = [t for t in WEB.truth() if t["kind"] == "report" and t["portal"] in (TRS, FILES)
           and not t.get("robots_disallowed")]


def test_hostile_pages_cost_only_themselves(tmp_path):
    html = [t["url"] for t in REPORTS if t["portal"] == TRS and t["source_type"] == "html"]
    hang, bomb = html[0], html[1]
    corrupt = next(t["url"] for t in REPORTS if t["source_type"] == "pdf" and not t["flags"])
    with PortalServer(portals=[TRS, FILES]) as server:
        for url, how in ((hang, "hang"), (bomb, "bomb"), (corrupt, "corrupt")):
            server.control("spoil", url=url, how=how)
        started = time.monotonic()
        result = run_crawl(server, tmp_path, start_urls=[HOME[TRS], HOME[FILES]],
                           settings={"DOWNLOAD_TIMEOUT": 3, "RETRY_TIMES": 1, "DOWNLOAD_MAXSIZE": 8 * 1024 * 1024})
        took = time.monotonic() - started
    assert took < 120 and "Traceback" not in result.stderr, result.stderr[-3000:]
    rows = {r["url"]: r for r in reports_of(tmp_path)}
    assert sorted(rows) == sorted(t["url"] for t in REPORTS if t["url"] not in (hang, bomb))
    assert "unreadable_pdf" in rows[corrupt]["flags"] and rows[corrupt]["year"] is not None
    summary = json.loads(sorted((tmp_path / "runs").glob("*.json"))[-1].read_text())
    errors = summary["portals"][TRS]["errors"]
    assert errors == {"DownloadTimeoutError": 1, "too_large": 1}
