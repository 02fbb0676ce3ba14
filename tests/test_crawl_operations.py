"""Issues 3 and 6 on real crawls: politeness seen from the server, incremental re-runs, overlap refused,
kill -9 and resume, a redesigned portal failing the run loudly, backfills of a year range."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from urllib.parse import urlsplit

import pytest

import simportals
from archive.warc import read_record
from simportals.testing import PortalServer
from tests.crawling import ROOT, reports_of, run_crawl, start_crawl

TRS = "rsj.quanzhou.gov.cn"
GBK = "www.huining.gov.cn"
HOME = {p.host: p.home_url for p in simportals.build_web(seed=1).portals}
TRUTH = simportals.build_web(seed=1).truth()


def _report_urls(host, years=None):
    return sorted(t["url"] for t in TRUTH if t["portal"] == host and t["kind"] == "report"
                  and not t.get("robots_disallowed") and (years is None or t["year"] in years))


def _when(stamp: str) -> float:
    return datetime.fromisoformat(stamp).timestamp()


def _summary(archive):
    runs = sorted((archive / "runs").glob("*.json"))
    return json.loads(runs[-1].read_text("utf-8"))


def test_polite_one_request_at_a_time_per_host_with_delay_and_named_agent(tmp_path):
    with PortalServer(portals=[TRS, GBK], latency=0.05) as server:
        result = run_crawl(server, tmp_path, start_urls=[HOME[TRS], HOME[GBK]], settings={"DOWNLOAD_DELAY": 0.3})
        log = server.requests()
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert {r["host"] for r in log} == {TRS, GBK}                      # nothing outside the start hosts
    assert all("govreports" in r["user_agent"] and "http" in r["user_agent"] for r in log)
    for host in (TRS, GBK):
        hits = sorted((r for r in log if r["host"] == host), key=lambda r: r["started"])
        assert hits[0]["path"] == "/robots.txt"
        for before, after in zip(hits, hits[1:]):
            assert _when(after["started"]) >= _when(before["time"]) - 0.002, (before, after)   # never two at once
            # DOWNLOAD_DELAY spaces request starts (DOWNLOAD_DELAY_JITTER 0.5: 0.5-1.5 x 0.3 s)
            assert _when(after["started"]) - _when(before["started"]) >= 0.14, (before["path"], after["path"], before, after)
    assert sorted(r["url"] for r in reports_of(tmp_path)) == sorted(_report_urls(TRS) + _report_urls(GBK))


def test_static_portals_start_no_browser_and_js_portals_do(tmp_path):
    with PortalServer(portals=[TRS, GBK, "hrss.foshan.gov.cn"]) as server:
        static = run_crawl(server, tmp_path / "static", start_urls=[HOME[TRS], HOME[GBK]])
        n = len(server.requests())
        js = run_crawl(server, tmp_path / "js", start_urls=[HOME["hrss.foshan.gov.cn"]])
        time.sleep(2)                       # a browser calling home would do it now
        js_log = server.requests()[n:]
        js_hosts = {r["host"] for r in js_log}
    assert static.returncode == 0 and js.returncode == 0
    assert js_hosts == {"hrss.foshan.gov.cn"}      # the browser too fetches nothing outside the start hosts
    # and only as the crawler: no HTTPS-upgrade tunnels of chromium's own, under its own User-Agent
    assert [(r["method"], r["user_agent"]) for r in js_log if "govreports" not in r["user_agent"]] == []
    assert (_summary(tmp_path / "static")["browser_launched"], _summary(tmp_path / "static")["browser_pages"]) == (0, 0)
    assert _summary(tmp_path / "js")["browser_launched"] == 1 and _summary(tmp_path / "js")["browser_pages"] > 0
    assert "[scrapy-playwright] INFO: Starting download handler" not in static.stderr


def test_second_run_downloads_no_unchanged_report(tmp_path):
    with PortalServer(portals=[TRS]) as server:
        first = run_crawl(server, tmp_path, start_urls=[HOME[TRS]])
        n_first = len(server.requests())
        second = run_crawl(server, tmp_path, start_urls=[HOME[TRS]])
        log = server.requests()[n_first:]
    assert first.returncode == 0 and second.returncode == 0, second.stdout[-2000:] + second.stderr[-2000:]
    report_paths = {urlsplit(u).path for u in _report_urls(TRS)}
    refetched = [r for r in log if r["path"] in report_paths and r["status"] == 200]
    assert refetched == []
    assert {r["status"] for r in log if r["path"] in report_paths} == {304}
    rows = reports_of(tmp_path)
    assert len(rows) == len({(r["report_id"], r["content_sha256"]) for r in rows}) == len(_report_urls(TRS))
    summary = _summary(tmp_path)
    assert summary["portals"][TRS]["new"] == 0
    assert summary["portals"][TRS]["unchanged"] == len(_report_urls(TRS))


def test_changed_report_becomes_a_second_version(tmp_path):
    url = _report_urls(TRS)[-1]
    with PortalServer(portals=[TRS]) as server:
        run_crawl(server, tmp_path, start_urls=[HOME[TRS]])
        server.control("revise", url=url, note="更正")
        second = run_crawl(server, tmp_path, start_urls=[HOME[TRS]])
    assert second.returncode == 0
    versions = [r for r in reports_of(tmp_path) if r["url"] == url]
    assert len(versions) == 2 and len({v["content_sha256"] for v in versions}) == 2
    assert len({v["report_id"] for v in versions}) == 1


def test_overlapping_run_is_refused(tmp_path):
    with PortalServer(portals=[TRS], latency=0.3) as server:
        first = start_crawl(server, tmp_path, start_urls=[HOME[TRS]])
        try:
            time.sleep(3)
            second = run_crawl(server, tmp_path, start_urls=[HOME[TRS]])
        finally:
            first.kill()
            first.wait()
    assert second.returncode == 3
    assert "refusing to start" in second.stderr and "in use by another run" in second.stderr


def test_killed_run_resumes_to_the_same_rows(tmp_path):
    straight, killed = tmp_path / "straight", tmp_path / "killed"
    jobdir = tmp_path / "job"
    with PortalServer(portals=[GBK], latency=0.1) as server:
        run_crawl(server, straight, start_urls=[HOME[GBK]])
        n = len(server.requests())
        crawl = start_crawl(server, killed, start_urls=[HOME[GBK]],
                            settings={"JOBDIR": jobdir, "ARCHIVE_BATCH_SIZE": 2})
        deadline = time.time() + 60     # kill it once some reports are stored, mid-crawl
        while time.time() < deadline and not list((killed / "reports").rglob("*.parquet")):
            time.sleep(0.05)
        os.kill(crawl.pid, signal.SIGKILL)
        crawl.wait()
        done_before = {r["url"] for r in reports_of(killed)}
        n_killed = len(server.requests())
        resumed = run_crawl(server, killed, start_urls=[HOME[GBK]], settings={"JOBDIR": jobdir})
        resumed_log = server.requests()[n_killed:]
    assert resumed.returncode == 0, resumed.stdout[-2000:] + resumed.stderr[-2000:]
    assert 0 < len(done_before) < len(_report_urls(GBK))
    key = lambda rows: sorted((r["url"], r["content_sha256"], r["year"]) for r in rows)
    assert key(reports_of(killed)) == key(reports_of(straight))
    # what the killed run finished is not downloaded again (asked conditionally, or not at all)
    again = [r for r in resumed_log if f"http://{r['host']}{r['path']}" in done_before]
    assert [r for r in again if r["status"] == 200] == []
    # pages the killed run fetched but had not stored came again as revisits: rows point at the bytes
    for row in reports_of(killed):
        capture = read_record(row["warc_file"], row["warc_offset"], warc_dir=killed / "warc")
        assert not capture.revisit and hashlib.sha256(capture.body).hexdigest() == row["content_sha256"]


def test_a_jobdir_kept_from_night_to_night_still_crawls(tmp_path):
    """A JOBDIR's seen-set would skip every page of the next run; the crawler keeps seen-sets per run."""
    jobdir = tmp_path / "job"
    with PortalServer(portals=[GBK]) as server:
        first = run_crawl(server, tmp_path / "a", start_urls=[HOME[GBK]], settings={"JOBDIR": jobdir})
        second = run_crawl(server, tmp_path / "a", start_urls=[HOME[GBK]], settings={"JOBDIR": jobdir})
    assert first.returncode == 0 and second.returncode == 0, second.stdout[-2000:]
    reports = _summary(tmp_path / "a")["portals"][GBK]
    assert reports["reports_found"] == len(_report_urls(GBK)) and reports["new"] == 0


def test_redesigned_portal_fails_the_run_and_is_named(tmp_path):
    with PortalServer(portals=[TRS, GBK]) as server:
        first = run_crawl(server, tmp_path, start_urls=[HOME[TRS], HOME[GBK]])
        server.control("redesign", portal=TRS)
        second = run_crawl(server, tmp_path, start_urls=[HOME[TRS], HOME[GBK]])
    assert first.returncode == 0
    assert second.returncode == 1
    assert f"BROKEN {TRS}" in second.stdout and f"BROKEN {GBK}" not in second.stdout
    problems = _summary(tmp_path)["problems"]
    assert [p["portal"] for p in problems] == [TRS]


@pytest.mark.parametrize("years, wanted", [("2015-2018", range(2015, 2019)), ("2021", [2021]), ("2022-", range(2022, 2100))])
def test_backfill_archives_exactly_those_years(tmp_path, years, wanted):
    with PortalServer(portals=[TRS]) as server:
        result = run_crawl(server, tmp_path, start_urls=[HOME[TRS]], years=years)
        fetched = {f"http://{r['host']}{r['path']}" for r in server.requests()}
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert sorted(r["url"] for r in reports_of(tmp_path)) == _report_urls(TRS, set(wanted))
    listings = [t["url"] for t in TRUTH if t["portal"] == TRS and t["kind"] == "listing" and "index" in t["url"]]
    if years == "2022-":     # newest first: the listing is left as soon as a page lies wholly before 2022
        assert 0 < len(set(listings) & fetched) < len(listings)


@pytest.mark.parametrize("args, message", [
    (["-a", "start_urls=rsj.quanzhou.gov.cn"], "start_urls: 'rsj.quanzhou.gov.cn' is not an http(s) address"),
    (["-a", "years=2019-2010"], "years: '2019-2010' runs backwards"),
    (["-a", "years=last"], "years: 'last' is not a year"),
    (["-a", "years=-"], "years: '-' names no year"),
    (["-a", "start_urls="], "start_urls: '' names no address"),       # an empty variable in a crontab
    (["-a", "start_urls=,"], "start_urls: ',' names no address"),
    (["-a", "start_urls=http://rsj.quanzhou.gov.cn:99999/"], "has no valid port"),
    (["-a", "start_urls=http://a b.gov.cn/"], "is not an http(s) address"),
    (["-a", "portals=simulatd"], "portals: 'simulatd' is none of simulated, real"),
])
def test_bad_arguments_exit_2_with_the_reason(tmp_path, args, message):
    out = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "reports", *args, "-s", f"ARCHIVE_DIR={tmp_path}"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "runs").exists()          # nothing started, nothing summarised
