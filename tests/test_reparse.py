"""Issue 5: `scrapy reparse` re-extracts every stored report from the WARC archive, with no network,
and rewrites the dataset in place (the same versions, improved fields and cells)."""
from __future__ import annotations

import subprocess
import sys

import pytest

import simportals
from archive.rewrite import replace_versions
from simportals.testing import PortalServer
from tests.crawling import ROOT, cells_of, reports_of, run_crawl

PORTALS = ["rsj.quanzhou.gov.cn", "rst.fujian.gov.cn"]     # HTML reports, and files hung from pages/listings
HOME = {p.host: p.home_url for p in simportals.build_web(seed=1).portals}
FIELDS = ("report_id", "content_sha256", "url", "title", "publisher", "agency", "index_number", "generated_date",
          "published_date", "year", "province_code", "region_code", "format", "source_type", "flags", "repairs")


def _rows(archive):
    return sorted(tuple(str(r[f]) for f in FIELDS) for r in reports_of(archive))


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    archive = tmp_path_factory.mktemp("reparse") / "data"
    with PortalServer(portals=PORTALS) as server:
        assert run_crawl(server, archive, start_urls=[HOME[h] for h in PORTALS]).returncode == 0
    return archive


def _degrade(archive, years=None):
    """What an older, worse extractor would have stored: no agency, no flags, no cells, a wrong year."""
    old = [(dict(r, agency=None, flags=[], year=(r["year"] or 2000) - 1), [])
           for r in reports_of(archive) if years is None or r["year"] in years]
    replace_versions(archive, old)


def _reparse(archive, *args):
    env = {"PATH": "/usr/bin:/bin", "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"}
    return subprocess.run([sys.executable, "-m", "scrapy", "reparse", "-s", f"ARCHIVE_DIR={archive}", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_reparse_restores_what_the_crawl_extracted_without_network(crawled, tmp_path):
    want_rows, want_cells = _rows(crawled), cells_of(crawled)
    _degrade(crawled)
    assert _rows(crawled) != want_rows and cells_of(crawled) == {}
    with PortalServer(portals=PORTALS) as server:          # up, to prove nobody asks it anything
        result = _reparse(crawled)
        assert server.requests() == []
    assert result.returncode == 0, result.stderr[-3000:]
    assert "records" in result.stderr and "/s" in result.stderr and "remaining" in result.stderr
    assert _rows(crawled) == want_rows
    assert cells_of(crawled) == want_cells


def test_reparse_limited_to_years_touches_only_those(crawled):
    before = {r["url"]: r for r in reports_of(crawled)}
    _degrade(crawled, years={2021})
    assert _reparse(crawled, "--years", "2020-2021").returncode == 0   # degraded rows now claim 2020
    after = {r["url"]: r for r in reports_of(crawled)}
    assert after == before


@pytest.mark.parametrize("args, message", [
    (["--years", "abc"], "years: 'abc' is not a year"),
    (["--provinces", "3x"], "provinces: '3x' is not a two-digit code"),
])
def test_reparse_bad_arguments_exit_2(crawled, args, message):
    result = _reparse(crawled, *args)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_maintenance_commands_refuse_a_missing_archive_and_create_nothing(tmp_path):
    for command in ("reparse", "compact"):
        result = subprocess.run([sys.executable, "-m", "scrapy", command, "-s", f"ARCHIVE_DIR={tmp_path / 'none'}"],
                                cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert result.returncode == 2 and "no archive at" in result.stderr
    assert not (tmp_path / "none").exists()


def test_compact_while_a_crawl_holds_the_archive_exits_3(crawled):
    from archive.state import RunLock
    with RunLock(crawled):
        result = subprocess.run([sys.executable, "-m", "scrapy", "compact", "-s", f"ARCHIVE_DIR={crawled}"],
                                cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 3 and "refusing to start" in result.stderr
