"""The fault matrix: a portal turns hostile (a page that never answers or only drips, a gzip bomb, a corrupt
PDF, a body cut short, a redirect loop, a listing that never ends). The crawl ends in bounded time, keeps
every other report, stores no wrong row, and names each failure per portal in the summary.
(A browser killed mid-render: tests/test_hostile_browser.py.)"""
from __future__ import annotations

import http.client
import json
import re
import time

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler

import simportals
from archive.cdxj import read_index
from crawler.listings import ListingWalks
from crawler.middlewares import RedirectLoopMiddleware
from simportals.testing import PortalServer
from simportals.web import ENDLESS_PAGES
from tests.crawling import reports_of, run_crawl

TRS, FILES = "rsj.quanzhou.gov.cn", "rst.fujian.gov.cn"
WEB = simportals.build_web(seed=1)
HOME = {p.host: p.home_url for p in WEB.portals}
REPORTS = [t for t in WEB.truth() if t["kind"] == "report" and t["portal"] in (TRS, FILES)
           and not t.get("robots_disallowed")]
HTML = [t["url"] for t in REPORTS if t["portal"] == TRS and t["source_type"] == "html"]
PDF = next(t["url"] for t in REPORTS if t["source_type"] == "pdf" and not t["flags"])
COLUMN = "/zfxxgk/zfxxgknb/"            # the TRS portal's report column, paged index.html, index_1.html …
COLUMN_PAGES = sum(p.startswith(COLUMN) for p in WEB.by_host[TRS].listing_paths)
FAST = {"DOWNLOAD_TIMEOUT": 3, "RETRY_TIMES": 1}


def crawl_spoiled(tmp_path, spoils: list[tuple[str, str]], settings: dict | None = None, limit_s: float = 60):
    """Crawl the TRS and attachments portals with pages spoiled; (report rows by URL, the run summary,
    the server's request log). Fails on a crawl that overran `limit_s` or printed a traceback."""
    with PortalServer(portals=[TRS, FILES]) as server:
        for url, how in spoils:
            server.control("spoil", url=url, how=how)
        started = time.monotonic()
        result = run_crawl(server, tmp_path, start_urls=[HOME[TRS], HOME[FILES]], settings={**FAST, **(settings or {})})
        took = time.monotonic() - started
        requests = server.requests()
    assert took < limit_s and "Traceback" not in result.stderr, (took, result.stderr[-3000:])
    summary = json.loads(sorted((tmp_path / "runs").glob("*.json"))[-1].read_text())
    return {r["url"]: r for r in reports_of(tmp_path)}, summary, requests


def all_reports_but(*urls) -> list[str]:
    return sorted(t["url"] for t in REPORTS if t["url"] not in urls)


def errors(summary, host=TRS) -> dict:
    return summary["portals"][host]["errors"]


def hits(requests, url: str) -> int:
    """Requests the server answered for `url` (any query string)."""
    return sum(f"http://{r['host']}{r['path']}".split("?")[0] == url for r in requests)


def test_hostile_pages_cost_only_themselves(tmp_path):
    hang, bomb = HTML[0], HTML[1]
    rows, summary, _ = crawl_spoiled(tmp_path, [(hang, "hang"), (bomb, "bomb"), (PDF, "corrupt")],
                                     {"DOWNLOAD_MAXSIZE": 8 * 1024 * 1024}, limit_s=120)
    assert sorted(rows) == all_reports_but(hang, bomb)
    assert "unreadable_pdf" in rows[PDF]["flags"] and rows[PDF]["year"] is not None
    assert errors(summary) == {"DownloadTimeoutError": 1, "too_large": 1}


def test_slow_drip_is_cut_by_the_download_timeout(tmp_path):
    """Headers at once, then 4 bytes a second: DOWNLOAD_TIMEOUT bounds the whole download, not each read."""
    drip = HTML[0]
    rows, summary, requests = crawl_spoiled(tmp_path, [(drip, "drip")])
    assert sorted(rows) == all_reports_but(drip)
    assert errors(summary) == {"DownloadTimeoutError": 1}
    assert hits(requests, drip) == 1 + FAST["RETRY_TIMES"]


def test_redirect_loops_end_and_are_named(tmp_path):
    """A -> A and A -> A?loop=1 -> A: ended at the first step back into the chain, one error each."""
    to_itself, cycle = HTML[0], HTML[1]
    rows, summary, requests = crawl_spoiled(tmp_path, [(to_itself, "redirect_self"), (cycle, "redirect_loop")])
    assert sorted(rows) == all_reports_but(to_itself, cycle)
    assert errors(summary) == {"redirect_loop": 2}
    assert (hits(requests, to_itself), hits(requests, cycle)) == (1, 2)


@pytest.mark.parametrize("fail_on_dataloss, kind", [(True, "ResponseDataLossError"), (False, "dataloss")])
def test_truncated_body_is_retried_and_never_stored(tmp_path, fail_on_dataloss, kind):
    """Content-Length promises more than comes. Scrapy fails such a download by default; with
    DOWNLOAD_FAIL_ON_DATALOSS off it flags the response "dataloss", and DataLossMiddleware refuses it."""
    page = HTML[0]
    rows, summary, requests = crawl_spoiled(tmp_path, [(page, "truncated"), (PDF, "truncated")],
                                            {"DOWNLOAD_FAIL_ON_DATALOSS": fail_on_dataloss})
    assert sorted(rows) == all_reports_but(page, PDF)
    assert errors(summary, TRS) == {kind: 1} and errors(summary, FILES) == {kind: 1}
    assert hits(requests, page) == hits(requests, PDF) == 1 + FAST["RETRY_TIMES"]
    assert [r["url"] for r in read_index(tmp_path / "warc") if r["url"] in (page, PDF)] == []


@pytest.mark.parametrize("settings, why, pages", [
    ({}, "listing_endless", COLUMN_PAGES + 10),            # LISTING_PATIENCE barren pages after the real ones
    ({"LISTING_PATIENCE": 1000, "LISTING_MAX_PAGES": 6}, "listing_too_long", 6),
])
def test_endless_listing_stops_and_is_named(tmp_path, settings, why, pages):
    """The pager claims 100000 pages; every page past the real ones repeats the last one."""
    rows, summary, requests = crawl_spoiled(tmp_path, [(f"http://{TRS}{COLUMN}index.html", "endless")], settings)
    assert sorted(rows) == all_reports_but()
    assert errors(summary) == {why: 1}
    asked = [r["path"] for r in requests if r["host"] == TRS and r["path"].startswith(COLUMN)
             and re.fullmatch(r"(index(_\d+)?\.html)?", r["path"][len(COLUMN):])]
    assert len(asked) == pages, asked


def test_spoils_as_served():
    """What the crawler meets, seen over a plain socket."""
    column = f"http://{TRS}{COLUMN}"
    with PortalServer(portals=[TRS]) as server:
        for url, how in ((HTML[0], "drip"), (HTML[1], "truncated"), (HTML[2], "redirect_self"),
                         (HTML[3], "redirect_loop"), (column + "index.html", "endless")):
            server.control("spoil", url=url, how=how)

        def get(url):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=2)
            conn.request("GET", url, headers={"Host": url.split("/")[2]})
            return conn.getresponse()

        drip, started, got = get(HTML[0]), time.monotonic(), b""
        while time.monotonic() - started < 2.5:
            got += drip.read1(100)               # what has come so far
        assert drip.status == 200 and len(got) < 20 < int(drip.headers["Content-Length"])
        truncated = get(HTML[1])
        with pytest.raises(http.client.IncompleteRead):
            truncated.read()
        assert get(HTML[2]).headers["Location"] == HTML[2]
        assert get(HTML[3]).headers["Location"] == HTML[3] + "?loop=1"
        assert get(HTML[3] + "?loop=1").headers["Location"] == HTML[3]
        deep = get(column + "index_99999.html").read().decode()
        assert f"createPageHTML({ENDLESS_PAGES}, 99999," in deep and "<li>" in deep


def test_redirect_chain_without_end_is_named():
    """A -> A?0 -> A?1 …: no URL repeats, so REDIRECT_MAX_TIMES ends it; counted as too_many_redirects."""
    crawler = get_crawler(settings_dict={"REDIRECT_MAX_TIMES": 3})
    redirects = RedirectLoopMiddleware.from_crawler(crawler)
    request, followed = Request("http://a.gov.cn/p", meta={"start_host": "a.gov.cn"}), 0
    with pytest.raises(IgnoreRequest, match="max redirections"):
        while followed < 10:
            moved = Response(request.url, status=302, headers={"Location": f"/p?{followed}"}, request=request)
            request, followed = redirects.process_response(request, moved), followed + 1
    assert followed == 3 and crawler.stats.get_value("portal/a.gov.cn/errors/too_many_redirects") == 1


def test_redirect_to_itself_with_a_cookie_is_followed_once():
    """A WAF sets a cookie and sends the client back to the page: followed once, past the dupefilter."""
    crawler = get_crawler()
    redirects = RedirectLoopMiddleware.from_crawler(crawler)
    request = Request("http://a.gov.cn/p", meta={"start_host": "a.gov.cn"})
    waf = Response(request.url, status=302, headers={"Location": "/p", "Set-Cookie": "waf=1"}, request=request)
    again = redirects.process_response(request, waf)
    assert again.url == request.url and again.dont_filter
    with pytest.raises(IgnoreRequest, match="redirect loop"):
        redirects.process_response(again, waf.replace(request=again))
    assert crawler.stats.get_value("portal/a.gov.cn/errors/redirect_loop") == 1


def test_listing_rule_counts_new_pages_and_new_links_only():
    stats = get_crawler().stats
    walks = ListingWalks(stats, patience=2, max_pages=100)

    def page(n):
        return f"http://a.gov.cn/list/{n}"

    def read(walk, n, new_links):
        """Page n, asked for from the page `walk` belongs to, then read."""
        assert walks.may_ask(walk, page(n), "a.gov.cn")
        return walks.walk(walk, page(n), new_links)

    first = walks.walk({}, page(1), new_links=5)
    read(first, 2, new_links=3)
    third = read(first, 3, new_links=0)              # a numbered pager offers pages 2 and 3 at once
    assert not walks.may_ask(third, page(2), "a.gov.cn")           # offered again: not asked twice
    fourth = read(third, 4, new_links=1)             # one barren page, then new links: the streak restarts
    sixth = read(read(fourth, 5, new_links=0), 6, new_links=0)
    assert not walks.may_ask(sixth, page(7), "a.gov.cn") and not walks.may_ask(sixth, page(8), "a.gov.cn")
    assert stats.get_value("portal/a.gov.cn/errors/listing_endless") == 1          # named once
    assert walks.asked[page(1)] == 6
