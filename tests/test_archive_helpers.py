"""Shared helpers of the archive tests (no tests here): synthetic reports and child processes."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PROVINCES = ["35", "00", "unknown", "11"]


def make_report(i: int, *, version: str = "v1", year: int | None = None, province=None) -> dict:
    """A synthetic report; its hash depends on (i, version)."""
    return {
        "report_id": f"rep-{i:05d}",
        "url": f"http://www.example.gov.cn/zfxxgk/{i}.htm",
        "title": f"某某局{2020 + i % 3}年政府信息公开工作年度报告",
        "agency": f"某某局{i % 7}",
        "year": year if year is not None else 2020 + i % 3,
        "province_code": province if province is not None else PROVINCES[i % len(PROVINCES)],
        "province_name": "福建省",
        "format": "2021",
        "source_type": "html",
        "text": f"报告正文 {i} {version} " * 20,
        "content_sha256": hashlib.sha256(f"{i}-{version}".encode()).hexdigest(),
        "fetched_at": datetime(2024, 1, 26, 8, 0, tzinfo=timezone.utc),
        "generated_date": "2024-01-20",
        "repairs": ["mojibake"] if i % 5 == 0 else [],
        "flags": [],
    }


def make_cells(i: int, n: int = 3) -> list[dict]:
    """`n` cells of report i."""
    return [{"table": "requests", "row": "new", "col": f"c{k}", "value": Decimal(i + k),
             "raw": str(i + k)} for k in range(n)]


def run_py(code: str, *args, check=True, **kw) -> subprocess.CompletedProcess:
    """Run Python code in a child process with the repo importable."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], cwd=REPO, env=env,
                          capture_output=True, text=True, check=check, timeout=120, **kw)


def popen_py(code: str, *args) -> subprocess.Popen:
    """Start Python code in a child process, stdout piped."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
