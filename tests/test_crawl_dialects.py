"""The CMS dialects of the discovery review, crawled for real (`scrapy crawl` against PortalServer over sockets):
an ASP.NET postback pager, a city platform hosting its departments, TRS pager variants on .shtml year folders,
a gkmlpt category of several API pages, an oldest-first PHPCMS column (and a backfill over it), reports only as
extensionless downloads, and a portal missing from the registry whose column carries reposts from above.

The per-portal checks read the session's full crawl (tests/conftest.py: every simulated portal from its home
page, the crawl the quality gate scores); the backfill has a crawl of its own."""
from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

import simportals
from crawler.portals import registry
from simportals.testing import PortalServer
from tests.crawling import reports_of, run_crawl

WEB = simportals.build_web(seed=1)
TRUTH = WEB.truth()
DIALECTS = ("aspnet", "city_platform", "trs_variants", "gkmlpt", "oldest_first", "file_only", "snowflake")
PORTALS = [p for p in WEB.portals if p.archetype in DIALECTS]
HOST = {p.archetype: p.host for p in PORTALS}
FIELDS = ("year", "province_code", "region_code", "agency")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _reports(host: str, years: range | None = None) -> list[dict]:
    return [t for t in TRUTH if t["portal"] == host and t["kind"] == "report" and not t.get("robots_disallowed")
            and (years is None or t["year"] in years)]


def _decoys(host: str) -> list[dict]:
    return [t for t in TRUTH if t["portal"] == host and t["kind"] in ("decoy", "challenge")]


def _id(portal) -> str:
    return f"{portal.archetype}-{portal.host}"


@pytest.fixture(scope="module")
def crawled(full_crawl):
    archive, result = full_crawl
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return archive, {r["url"]: r for r in reports_of(archive)}


@pytest.fixture(scope="module")
def summary(crawled):
    archive, _ = crawled
    runs = sorted((archive / "runs").glob("*.json"))
    assert runs
    return json.loads(runs[-1].read_text("utf-8"))


@pytest.fixture(scope="module")
def served(crawled, portal_server):
    """(method, host, path) of every request the full crawl made."""
    return [(r["method"], r["host"], r["path"]) for r in portal_server.requests()]


def test_every_dialect_is_in_the_web():
    assert sorted(HOST) == sorted(DIALECTS)


@pytest.mark.parametrize("portal", PORTALS, ids=_id)
def test_exactly_the_reports_archived(crawled, portal):
    _, rows = crawled
    got = {u for u in rows if urlsplit(u).hostname == portal.host}
    want = {t["url"] for t in _reports(portal.host)}
    assert want and got == want


@pytest.mark.parametrize("portal", PORTALS, ids=_id)
def test_no_decoy_archived(crawled, portal):
    _, rows = crawled
    decoys = _decoys(portal.host)
    assert decoys
    assert [t["title"] for t in decoys if t["url"] in rows] == []


@pytest.mark.parametrize("portal", PORTALS, ids=_id)
def test_year_province_agency(crawled, portal):
    _, rows = crawled
    wrong = {t["url"]: {f: (rows[t["url"]][f], t[f]) for f in FIELDS if rows[t["url"]][f] != t[f]}
             for t in _reports(portal.host) if t["url"] in rows}
    assert {u: w for u, w in wrong.items() if w} == {}
    assert {t["province_code"] for t in _reports(portal.host)} == {portal.region_code[:2]}


@pytest.mark.parametrize("portal", PORTALS, ids=_id)
def test_portal_fine_in_the_run_summary(summary, portal):
    entry = summary["portals"][portal.host]
    assert entry["reports_found"] == len(_reports(portal.host))
    assert entry["error_count"] == 0
    assert portal.host not in json.dumps(summary["problems"], ensure_ascii=False)


# ---------------------------------------------------------------- each dialect was really spoken

def test_aspnet_pages_came_from_postbacks(crawled, served):
    host = HOST["aspnet"]
    portal = WEB.by_host[host]
    posts = [p for m, h, p in served if h == host and m == "POST"]
    assert posts and set(posts) == {"/InfoPublic.aspx?cid=23"}
    assert len(posts) >= len(portal.listing_pages) - 1 >= 2
    wide = next(t for t in _reports(host) if str(t["year"]).translate(FULLWIDTH) in t["title"])   # ２０１４年
    assert crawled[1][wide["url"]]["year"] == wide["year"]


def test_city_platform_department_columns_reached(crawled, served):
    host = HOST["city_platform"]
    depts = {urlsplit(t["url"]).path.split("/")[3] for t in _reports(host) if "/bmzfxxgk/" in t["url"]}
    assert len(depts) >= 3
    archived = {urlsplit(u).path.split("/")[3] for u in crawled[1] if urlsplit(u).hostname == host and "/bmzfxxgk/" in u}
    assert archived == depts


def test_trs_variant_pages_asked_by_their_extension(served):
    host = HOST["trs_variants"]
    paths = [p for _, h, p in served if h == host]
    for folder in ("2024nb", "2022N", "2020N", "2018nyq"):       # vars, ordos, six arguments, std with stub
        assert f"/zwgk/zfxxgknb/{folder}/index_1.shtml" in paths, folder
    assert not [p for p in paths if p.endswith(".html")]


def test_gkmlpt_second_api_page_read(served):
    host = HOST["gkmlpt"]
    api = [p for _, h, p in served if h == host and p.startswith("/gkmlpt/api/all/2890")]
    assert any("page=2" in p for p in api)


def test_file_only_reports_are_the_files(crawled):
    _, rows = crawled
    host = HOST["file_only"]
    files = {t["url"]: t["source_type"] for t in _reports(host) if t["source_type"] != "html"}
    assert {urlsplit(u).path.split("/")[1] for u in files} == {"attach", "u", "files"}
    assert {u: rows[u]["source_type"] for u in files} == files


# ---------------------------------------------------------------- the portal the registry does not know

def test_unregistered_portal_drops_both_reposts(crawled, summary):
    host = HOST["snowflake"]
    assert not WEB.by_host[host].spec.registered
    assert host not in registry.by_host()
    reposts = [t for t in _decoys(host) if t.get("decoy_reason") == "higher_level_repost"]
    assert sorted(t["title"].split("20")[0] for t in reposts) == ["国务院办公厅", "江苏省人民政府"]
    _, rows = crawled
    assert [t["url"] for t in reposts if t["url"] in rows] == []
    assert summary["portals"][host]["dropped"].get("reposted_from_above") == 2
    assert {rows[t["url"]]["region_code"] for t in _reports(host)} == {"320400"}


# ---------------------------------------------------------------- a backfill over an oldest-first column

def test_backfill_over_oldest_first_column(tmp_path):
    host = HOST["oldest_first"]
    wanted = range(2016, 2021)
    with PortalServer(seed=1, portals=[host]) as server:
        result = run_crawl(server, tmp_path / "archive", start_urls=[WEB.by_host[host].home_url], years="2016-2020",
                           timeout=300)
        asked = [r["path"] for r in server.requests()]
    assert result.returncode == 0, result.stderr[-3000:]
    rows = reports_of(tmp_path / "archive")
    assert sorted(r["url"] for r in rows) == sorted(t["url"] for t in _reports(host, wanted))
    assert {r["year"] for r in rows} == set(wanted)
    # Page 1 holds only older years, and so does every page before the range: paging went on to the last page.
    assert WEB.by_host[host].listing_paths[-1] in asked
