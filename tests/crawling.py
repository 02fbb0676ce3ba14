"""Helpers for tests that run the real crawler (a `scrapy crawl` subprocess) against the simulated portals."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def crawl_command(archive: Path, *, start_urls: list[str] | None = None, years: str | None = None,
                  settings: dict | None = None) -> list[str]:
    """The `scrapy crawl reports …` command line a user would type."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "reports", "-s", f"ARCHIVE_DIR={archive}"]
    if start_urls:
        cmd += ["-a", "start_urls=" + ",".join(start_urls)]
    if years:
        cmd += ["-a", f"years={years}"]
    for key, value in (settings or {}).items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


def crawl_env(server, **extra) -> dict:
    """The environment of a crawl through the simulated portals' proxy, with the test settings."""
    env = dict(os.environ)
    env.update(http_proxy=server.proxy_url, https_proxy=server.proxy_url, SCRAPY_SETTINGS_MODULE="settings.test")
    env.update(extra)
    env.pop("no_proxy", None)
    env.pop("NO_PROXY", None)
    return env


def run_crawl(server, archive: Path, *, timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
    """Run one crawl to its end; the caller checks returncode and output."""
    return subprocess.run(crawl_command(archive, **kwargs), cwd=ROOT, env=crawl_env(server),
                          capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=timeout)


def start_crawl(server, archive: Path, *, env: dict | None = None, log: Path | None = None,
                **kwargs) -> subprocess.Popen:
    """Start a crawl in the background (for kill and overlap tests); its output goes to <archive>.log.

    A file, not a pipe: nobody reads a pipe while the test waits, and a full pipe would stall the crawl.
    """
    out = open(log or f"{archive}.log", "w", encoding="utf-8")
    return subprocess.Popen(crawl_command(archive, **kwargs), cwd=ROOT, env=crawl_env(server, **(env or {})),
                            stdout=out, stderr=subprocess.STDOUT)


def reports_of(archive: Path) -> list[dict]:
    """Every reports row of an archive, as dicts."""
    import archive as archive_api
    con = archive_api.open(archive)
    return con.sql("select * from reports").to_arrow_table().to_pylist()


def cells_of(archive: Path) -> dict[str, dict[str, dict]]:
    """{report_id: {table: {"row.col": value}}} of an archive."""
    import archive as archive_api
    con = archive_api.open(archive)
    out: dict[str, dict[str, dict]] = {}
    for r in con.sql('select report_id, "table", "row", col, value from cells').to_arrow_table().to_pylist():
        out.setdefault(r["report_id"], {}).setdefault(r["table"], {})[f"{r['row']}.{r['col']}"] = r["value"]
    return out
