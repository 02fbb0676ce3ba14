"""Audit: breaks between consecutive years of one agency are found and written out."""
from __future__ import annotations

import hashlib
from decimal import Decimal

import pyarrow.parquet as pq

from archive.audit import audit, summary
from archive.dataset import DatasetWriter


def _report(rid, year, agency="福州市财政局", province="35"):
    """A minimal report row."""
    return {"report_id": rid, "year": year, "province_code": province, "agency": agency,
            "content_sha256": hashlib.sha256(rid.encode()).hexdigest(), "format": "2021",
            "fetched_at": "2024-01-26T08:00:00+00:00"}


def _cells(carried_over, carried_forward, rules, docs):
    """requests totals and the active rows (issued, repealed, in_force)."""
    out = [{"table": "requests", "row": "carried_over", "col": "total", "value": carried_over, "raw": ""},
           {"table": "requests", "row": "carried_forward", "col": "total", "value": carried_forward, "raw": ""}]
    for row, (issued, repealed, in_force) in (("rules", rules), ("normative_docs", docs)):
        out += [{"table": "active", "row": row, "col": c, "value": Decimal(v), "raw": str(v)}
                for c, v in (("issued", issued), ("repealed", repealed), ("in_force", in_force))]
    return out


def test_two_breaks_found(tmp_path):
    with DatasetWriter(tmp_path, fsync=False) as w:
        w.add(_report("a-2022", 2022), _cells(Decimal(2), Decimal(5), (1, 0, 10), (4, 1, 30)))
        # carried_over 3 but last year carried 5 forward; rules in force 12, expected 10 + 2 - 1
        w.add(_report("a-2023", 2023), _cells(Decimal(3), Decimal(0), (2, 1, 12), (5, 2, 33)))
        # another agency, consistent, and a lone year of a third one
        w.add(_report("b-2022", 2022, "厦门市教育局"), _cells(None, Decimal(1), (0, 0, 4), (1, 0, 9)))
        w.add(_report("b-2023", 2023, "厦门市教育局"), _cells(Decimal(1), Decimal(0), (0, 0, 4), (1, 1, 9)))
        w.add(_report("c-2023", 2023, "泉州市民政局"), _cells(Decimal(7), Decimal(0), (0, 0, 1), (0, 0, 1)))
    breaks = audit(tmp_path)
    rows = {(r["check_name"], r["item"]): r for r in breaks.to_pylist()}
    assert set(rows) == {("requests.carried_forward->carried_over", "total"), ("active.in_force", "rules")}
    carried = rows[("requests.carried_forward->carried_over", "total")]
    assert (carried["agency"], carried["prev_year"], carried["year"]) == ("福州市财政局", 2022, 2023)
    assert carried["expected"] == 5 and carried["found"] == 3 and carried["diff"] == -2
    rules = rows[("active.in_force", "rules")]
    assert rules["expected"] == 11 and rules["found"] == 12
    assert pq.read_table(tmp_path / "audit" / "breaks.parquet").num_rows == 2
    assert (tmp_path / "audit" / "breaks.csv").read_text(encoding="utf-8").count("\n") == 3
    text = summary(breaks)
    assert "2 breaks" in text and "福州市财政局" in text


def test_scrapy_commands_wrap_audit_and_compact(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    for start in (0, 1):  # two batches -> two files in each partition
        with DatasetWriter(tmp_path, fsync=False) as w:
            w.add(_report(f"a-{2022 + start}", 2022 + start),
                  _cells(Decimal(2), Decimal(5 - 5 * start), (1, 0, 10), (4, 1, 30)))
    env = dict(os.environ, SCRAPY_COMMANDS_MODULE="crawler.commands")
    scrapy = [str(Path(sys.executable).parent / "scrapy")]
    out = subprocess.run(scrapy + ["audit", "-s", f"ARCHIVE_DIR={tmp_path}"], cwd=repo, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "3 breaks" in out.stdout  # carried 5 -> 2, rules and docs in force
    assert (tmp_path / "audit" / "breaks.csv").exists()
    out = subprocess.run(scrapy + ["compact", "-s", f"ARCHIVE_DIR={tmp_path}"], cwd=repo, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "compacted" in out.stdout
