"""When a portal counts as broken: the verdicts of the run summary (crawler.runreport), from stats."""
from datetime import datetime, timezone

from crawler import runreport

T = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _verdict(counters: dict, before: dict | None = None) -> list[str]:
    stats = {f"portal/p.gov.cn/{k}": v for k, v in counters.items()}
    summary = runreport.summarize(stats, ["p.gov.cn"], started=T, finished=T,
                                  previous={"p.gov.cn": before} if before else {}, max_error_rate=0.2)
    return [p["problem"] for p in summary["problems"]]


def test_a_backfill_range_without_reports_on_a_portal_is_no_breakage():
    assert _verdict({"pages": 5, "listing_pages": 2, "report_links_other_years": 9}) == []
    assert _verdict({"pages": 5, "listing_pages": 2, "dropped/outside_years": 3}) == []


def test_a_portal_that_lists_reports_but_yields_none_is_broken():
    assert _verdict({"pages": 5, "listing_pages": 2, "report_links": 4}) == [
        "report links found but no report could be read"]
    assert _verdict({"pages": 3}) == ["no annual-report column or report link found (listing structure not readable)"]


def test_losing_reports_against_the_last_run_is_broken():
    assert _verdict({"pages": 5, "report_links_other_years": 9}, {"reports_found": 6}) == [
        "yielded 6 reports last run and none now"]
    assert _verdict({"pages": 9, "reports_found": 3, "report_links": 3}, {"reports_found": 12}) == [
        "yielded 12 reports last run and only 3 now"]
    assert _verdict({"pages": 9, "reports_found": 10, "report_links": 10}, {"reports_found": 12}) == []


def test_runs_of_other_years_or_stopped_early_are_no_baseline(tmp_path):
    import json
    runs = tmp_path / "runs"
    runs.mkdir()
    for name, years, reason, found in (("1", "", "finished", 12), ("2", "2015-2015", "finished", 1),
                                       ("3", "", "shutdown", 2)):
        (runs / f"{name}.json").write_text(json.dumps(
            {"years": years, "finish_reason": reason, "portals": {"p.gov.cn": {"reports_found": found}}}))
    assert runreport.previous_portals(runs, ["p.gov.cn"])["p.gov.cn"]["reports_found"] == 12
    assert runreport.previous_portals(runs, ["p.gov.cn"], years="2015-2015")["p.gov.cn"]["reports_found"] == 1
