"""The run summary: per portal what was fetched, found, new, changed, flagged and broken. Pure functions.

Built from the crawl's stats (keys `portal/<host>/<counter>`), compared with earlier runs' summaries,
and turned into an exit code: 0 all portals fine, 1 a portal broke or errors passed the threshold.
"""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path

EXIT_OK, EXIT_BROKEN, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3
# A portal that finds fewer than half the reports of its last run (of at least this many) lost part of
# its listing (a pager or a column that changed): broken, not merely thinner.
PARTIAL_LOSS_MIN, PARTIAL_LOSS_SHARE = 4, 0.5


def portal_counters(stats: dict) -> dict[str, dict]:
    """Nested per-portal counters out of flat `portal/<host>/<a>/<b>` stats keys."""
    portals: dict[str, dict] = defaultdict(dict)
    for key, value in stats.items():
        if not key.startswith("portal/"):
            continue
        _, host, counter = key.split("/", 2)
        portals[host][counter] = value
    return portals


def summarize(stats: dict, hosts: list[str], *, started: datetime, finished: datetime,
              previous: dict[str, dict], max_error_rate: float) -> dict:
    """The run's summary with the problems that make it fail; `previous` holds each portal's last summary."""
    counters = portal_counters(stats)
    portals = {host: _portal_summary(counters.get(host, {})) for host in hosts}
    problems = []
    for host, p in portals.items():
        problems += [{"portal": host, "problem": why} for why in _problems(p, previous.get(host), max_error_rate)]
    return {
        "started": started.isoformat(), "finished": finished.isoformat(),
        "duration_s": round((finished - started).total_seconds(), 1),
        "requests": stats.get("downloader/request_count", 0),
        "bytes": stats.get("downloader/response_bytes", 0),
        "browser_pages": stats.get("playwright/request_count", 0),
        "browser_launched": stats.get("browser/launched", 0),
        # A browser lost mid-crawl, and the new ones started in its place (scrapy-playwright counts launches).
        "browser_crashed": stats.get("browser/crashed", 0),
        "browser_relaunched": max(stats.get("playwright/browser_count", 0) - 1, 0),
        "reports": {k: stats.get(f"reports/{k}", 0) for k in ("new", "changed", "unchanged", "not_modified")},
        "portals": portals, "problems": problems,
        "exit_code": EXIT_BROKEN if problems else EXIT_OK,
    }


def _portal_summary(c: dict) -> dict:
    found = c.get("reports_found", 0)
    errors = {k.split("/", 1)[1]: v for k, v in c.items() if k.startswith("errors/")}
    return {
        "pages": c.get("pages", 0),
        "reports_found": found + c.get("not_modified", 0),
        "new": c.get("reports_new", 0), "changed": c.get("reports_changed", 0),
        "unchanged": c.get("reports_unchanged", 0) + c.get("not_modified", 0),
        "report_links": c.get("report_links", 0), "listing_pages": c.get("listing_pages", 0),
        "report_links_other_years": c.get("report_links_other_years", 0),
        "dropped": {k.split("/", 1)[1]: v for k, v in c.items() if k.startswith("dropped/")},
        "flags": {k.split("/", 1)[1]: v for k, v in c.items() if k.startswith("flags/")},
        "challenges": c.get("challenges", 0),
        "errors": errors, "error_count": sum(errors.values()),
    }


def _problems(p: dict, before: dict | None, max_error_rate: float) -> list[str]:
    """Why a portal counts as broken in this run, if it does."""
    problems = []
    had = before.get("reports_found", 0) if before else 0
    if 0 < p["reports_found"] and had >= PARTIAL_LOSS_MIN and p["reports_found"] < had * PARTIAL_LOSS_SHARE:
        problems.append(f"yielded {had} reports last run and only {p['reports_found']} now")
    # a backfill's range can hold nothing on a portal: its reports were all of other years
    other_years = p.get("report_links_other_years", 0) + p["dropped"].get("outside_years", 0)
    if p["reports_found"] == 0 and (had or not other_years):
        if had:
            problems.append(f"yielded {had} reports last run and none now")
        elif p["listing_pages"] == 0 and p["report_links"] == 0:
            problems.append("no annual-report column or report link found (listing structure not readable)")
        elif p["report_links"] == 0:
            problems.append("report column found but no report links in it (listing structure not readable)")
        else:
            problems.append("report links found but no report could be read")
    requests = max(p["pages"] + p["error_count"], 1)
    if p["error_count"] and p["error_count"] / requests > max_error_rate:
        problems.append(f"{p['error_count']} errors in {requests} requests ({p['errors']})")
    return problems


def previous_portals(runs_dir: Path, hosts: list[str], *, years: str = "", look_back: int = 200) -> dict[str, dict]:
    """Each portal's summary from the newest earlier run that crawled it for the same years.

    Per portal, not simply the newest file: workers of a distributed run each save the summary of the
    portals they own, and a run may have been started on a few portals only. A backfill of 2008-2018 is
    compared with backfills of 2008-2018 only, not with the nightly run of every year.
    """
    files = sorted(runs_dir.glob("*.json"), reverse=True)[:look_back] if runs_dir.exists() else []
    wanted, found = set(hosts), {}
    for path in files:
        try:
            summary = json.loads(path.read_text(encoding="utf-8"))
            portals = summary.get("portals") or {}
        except (OSError, ValueError, AttributeError):
            continue
        if (summary.get("years") or "") != years or summary.get("finish_reason", "finished") != "finished":
            continue      # other years, or a run stopped early: no baseline
        for host in wanted & portals.keys() - found.keys():
            found[host] = portals[host]
        if found.keys() >= wanted:
            break
    return found


def format_summary(summary: dict) -> str:
    """A short table for the terminal: one line a portal, then the problems."""
    lines = [f"run finished in {summary['duration_s']} s: {summary['requests']} requests, "
             f"{summary['bytes']} bytes, {summary['browser_pages']} pages rendered in the browser",
             f"reports: {summary['reports']}",
             *([f"browser crashed {summary['browser_crashed']} times, relaunched {summary['browser_relaunched']}"]
               if summary.get("browser_crashed") else []),
             f"{'portal':40} {'pages':>6} {'found':>6} {'new':>5} {'chg':>4} {'same':>5} {'errors':>6}  flags"]
    for host, p in sorted(summary["portals"].items()):
        flags = ",".join(f"{k}={v}" for k, v in sorted(p["flags"].items()))
        lines.append(f"{host:40} {p['pages']:>6} {p['reports_found']:>6} {p['new']:>5} {p['changed']:>4} "
                     f"{p['unchanged']:>5} {p['error_count']:>6}  {flags}")
    years = summary.get("reports_by_year")
    if years:
        lines.append("reports archived by year: " + ", ".join(f"{y}:{n}" for y, n in sorted(years.items())))
    for problem in summary["problems"]:
        lines.append(f"BROKEN {problem['portal']}: {problem['problem']}")
    lines.append("status: " + ("OK" if summary["exit_code"] == EXIT_OK else f"FAILED (exit {summary['exit_code']})"))
    return "\n".join(lines)
