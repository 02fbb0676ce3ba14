"""Issue 3: against every simulated archetype, every genuine report is archived once, no decoy is, and the
fields analysts group by are right; issue 4: every cell is the number the page printed (the generated truth)."""
from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlsplit

import pytest

import simportals
from tests.crawling import cells_of, reports_of

WEB = simportals.build_web(seed=1)
TRUTH = WEB.truth()
FIELDS = ("year", "province_code", "region_code", "agency", "publisher", "format", "source_type")


def _reports(host=None):
    return [t for t in TRUTH if t["kind"] == "report" and not t.get("robots_disallowed")
            and (host is None or t["portal"] == host)]


def _id(portal):
    return f"{portal.archetype}-{portal.host}"


@pytest.fixture(scope="module")
def archived(full_crawl):
    archive, result = full_crawl
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    rows = reports_of(archive)
    return rows, {r["url"]: r for r in rows}, cells_of(archive)


@pytest.mark.parametrize("portal", WEB.portals, ids=_id)
def test_every_report_archived_once(archived, portal):
    rows, _, _ = archived
    got = sorted(r["url"] for r in rows if urlsplit(r["url"]).hostname == portal.host)
    assert got == sorted(t["url"] for t in _reports(portal.host))


@pytest.mark.parametrize("portal", WEB.portals, ids=_id)
def test_no_decoy_archived(archived, portal):
    _, by_url, _ = archived
    decoys = [t["url"] for t in TRUTH if t["portal"] == portal.host and t["kind"] in ("decoy", "challenge")]
    assert decoys, "each portal plants decoys"
    assert [u for u in decoys if u in by_url] == []


def test_robots_disallowed_report_not_fetched(archived, portal_server):
    hidden = [t["url"] for t in TRUTH if t.get("robots_disallowed")]
    assert hidden
    fetched = {f"http://{r['host']}{r['path']}" for r in portal_server.requests()}
    assert [u for u in hidden if u in fetched] == []


@pytest.mark.parametrize("truth, field", [(t, f) for t in _reports() for f in FIELDS],
                         ids=lambda v: v if isinstance(v, str) else f"{v['portal']}-{v['year']}-{v['source_type']}")
def test_report_field(archived, truth, field):
    _, by_url, _ = archived
    row = by_url.get(truth["url"])
    assert row is not None, f"not archived: {truth['url']}"
    assert row[field] == truth[field]


@pytest.mark.parametrize("truth", [t for t in _reports() if t["cells"] and "image_only" not in t["flags"]],
                         ids=lambda t: f"{t['portal']}-{t['year']}-{t['source_type']}")
def test_cells_exact(archived, truth):
    _, by_url, cells = archived
    row = by_url.get(truth["url"])
    assert row is not None, f"not archived: {truth['url']}"
    want = {table: {k: (None if v is None else Decimal(str(v))) for k, v in keyed.items()}
            for table, keyed in truth["cells"].items() if keyed}
    got = cells.get(row["report_id"], {})
    assert got == want


@pytest.mark.parametrize("truth", [t for t in _reports() if t["flags"]],
                         ids=lambda t: f"{t['portal']}-{t['year']}-{'+'.join(t['flags'])}")
def test_planted_flags_recorded(archived, truth):
    _, by_url, _ = archived
    row = by_url.get(truth["url"])
    assert row is not None, f"not archived: {truth['url']}"
    assert set(truth["flags"]) <= set(row["flags"])
