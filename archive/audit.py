"""Breaks across consecutive years of one agency's reports (reported, not judged).

Two checks, each between the report for year Y-1 and the report for year Y of the same agency
(same `agency` text and same `province_code`; the latest version of each report):
- requests: last year's `carried_forward.total` should equal this year's `carried_over.total`;
- active (2021 form): this year's `in_force` should equal last year's `in_force` + this year's
  `issued` - this year's `repealed`, for `rules` and `normative_docs`.
A break may be legitimate: documents also expire without being repealed, agencies merge.
"""
from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ._fs import tmp_name
from .reader import open as open_archive

_SQL = """
WITH latest AS (
    SELECT * EXCLUDE (rn) FROM (
        SELECT report_id, content_sha256, agency, province_code, year,
               row_number() OVER (PARTITION BY report_id ORDER BY fetched_at DESC) AS rn
        FROM reports WHERE agency IS NOT NULL AND year > 0)
    WHERE rn = 1),
v AS (
    SELECT l.agency, l.province_code, l.year, l.report_id, c."table" AS tbl, c."row" AS r,
           c.col, c.value
    FROM latest l JOIN cells c
      ON c.report_id = l.report_id AND c.content_sha256 = l.content_sha256
    WHERE c.value IS NOT NULL),
carried AS (
    SELECT 'requests.carried_forward->carried_over' AS check_name, cur.agency,
           cur.province_code, prev.year AS prev_year, cur.year AS year,
           prev.report_id AS prev_report_id, cur.report_id AS report_id,
           'total' AS item, prev.value AS expected, cur.value AS found
    FROM v prev JOIN v cur
      ON cur.agency = prev.agency AND cur.province_code = prev.province_code
     AND cur.year = prev.year + 1
    WHERE prev.tbl = 'requests' AND prev.r = 'carried_forward' AND prev.col = 'total'
      AND cur.tbl = 'requests' AND cur.r = 'carried_over' AND cur.col = 'total'),
active AS (
    SELECT agency, province_code, year, report_id, r,
           max(value) FILTER (WHERE col = 'in_force') AS in_force,
           max(value) FILTER (WHERE col = 'issued') AS issued,
           max(value) FILTER (WHERE col = 'repealed') AS repealed
    FROM v WHERE tbl = 'active' AND r IN ('rules', 'normative_docs')
    GROUP BY ALL),
in_force AS (
    SELECT 'active.in_force' AS check_name, cur.agency, cur.province_code,
           prev.year AS prev_year, cur.year AS year, prev.report_id AS prev_report_id,
           cur.report_id AS report_id, cur.r AS item,
           prev.in_force + cur.issued - cur.repealed AS expected, cur.in_force AS found
    FROM active prev JOIN active cur
      ON cur.agency = prev.agency AND cur.province_code = prev.province_code
     AND cur.year = prev.year + 1 AND cur.r = prev.r
    WHERE cur.in_force IS NOT NULL AND prev.in_force IS NOT NULL
      AND cur.issued IS NOT NULL AND cur.repealed IS NOT NULL)
SELECT *, found - expected AS diff FROM (SELECT * FROM carried UNION ALL SELECT * FROM in_force)
WHERE found <> expected
ORDER BY check_name, agency, year, item
"""


def audit(root, *, write: bool = True) -> pa.Table:
    """Find the breaks; write them to <root>/audit/breaks.parquet and .csv; return them."""
    con = open_archive(root)
    try:
        breaks = con.sql(_SQL).to_arrow_table()
    finally:
        con.close()
    if write:
        _write(Path(root) / "audit", breaks)
    return breaks


def _write(outdir: Path, breaks: pa.Table) -> None:
    """Both files atomically (temp name, then rename)."""
    outdir.mkdir(parents=True, exist_ok=True)
    for name, writer in (("breaks.parquet", pq.write_table), ("breaks.csv", pacsv.write_csv)):
        path = outdir / name
        writer(breaks, str(tmp_name(path)))
        os.replace(tmp_name(path), path)


def summary(breaks: pa.Table) -> str:
    """A few printable lines: counts per check, then the first breaks."""
    rows = breaks.to_pylist()
    if not rows:
        return "audit: no breaks found across consecutive years"
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["check_name"]] = counts.get(r["check_name"], 0) + 1
    lines = [f"audit: {len(rows)} breaks (reported, not judged: repeals may include "
             "documents that expired)"]
    lines += [f"  {k}: {n}" for k, n in sorted(counts.items())]
    for r in rows[:20]:
        lines.append(f"  {r['agency']} [{r['province_code']}] {r['prev_year']}->{r['year']} "
                     f"{r['check_name']} {r['item']}: expected {r['expected']}, found {r['found']}")
    if len(rows) > 20:
        lines.append(f"  … {len(rows) - 20} more in audit/breaks.csv")
    return "\n".join(lines)
