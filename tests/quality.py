"""Extraction quality scores over every input whose truth we know: the five seeds, the thirty real Putian
pages, and a crawl of the simulated portals. `python -m tests.quality --pin DIR` raises the floors in
tests/quality_floor.json to the scores of an archive crawled into DIR (never lowers them)."""
from __future__ import annotations

import csv
import json
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from pipelines.extract import extract_report

SHARED = Path(__file__).resolve().parents[2] / "shared"
FLOOR = Path(__file__).with_name("quality_floor.json")
SEED_FIELDS = ("index_number", "publisher", "agency", "generated_date", "published_date", "year",
               "province_code", "region_code", "format")
SIM_FIELDS = ("year", "province_code", "region_code", "agency", "publisher", "index_number", "generated_date",
              "published_date", "format", "source_type")


def _share(hits: int, total: int) -> float:
    return round(hits / total, 4) if total else 1.0


def _iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def seed_scores() -> dict:
    """Fields and cells of the seeds against expected.json."""
    expected = json.loads((SHARED / "seeds" / "expected.json").read_text("utf-8"))
    fields = cells = field_hits = cell_hits = 0
    for name, want in expected.items():
        if name.startswith("_"):
            continue
        row, got = extract_report((SHARED / "seeds" / name).read_bytes(), url=f"file:///{name}")
        for f in SEED_FIELDS:
            if f in want:
                fields += 1
                field_hits += _iso(row[f]) == want[f]
        values = {(c.table, f"{c.row}.{c.col}"): c.value for c in got}
        for table, keyed in (want.get("nonzero_cells") or {}).items():
            for key, value in keyed.items():
                cells += 1
                cell_hits += values.get((table, key)) == Decimal(str(value))
    return {"seeds.fields": _share(field_hits, fields), "seeds.nonzero_cells": _share(cell_hits, cells)}


def putian_scores() -> dict:
    """Year, publisher, form and complete tables of the real Putian pages against index.tsv."""
    folder = SHARED / "real" / "putian"
    rows = list(csv.DictReader((folder / "index.tsv").open(encoding="utf-8"), delimiter="\t"))
    forms = {"2021form": "2021", "2019form": "2019", "pre2019": "pre2019"}
    hits = {"year": 0, "publisher": 0, "format": 0, "tables": 0}
    for r in rows:
        row, cells = extract_report((folder / r["file"]).read_bytes(), url=r["url"])
        hits["year"] += row["year"] == int(r["report_year"])
        hits["publisher"] += row["publisher"] == (r["puborg"] or None)
        hits["format"] += row["format"] == forms[r["form"]]
        complete = {c.table for c in cells} == {"active", "requests", "review"}
        hits["tables"] += complete if forms[r["form"]] != "pre2019" else not cells
    return {f"putian.{k}": _share(v, len(rows)) for k, v in hits.items()}


def simulated_scores(archive: Path, truth: list[dict]) -> dict:
    """Reports found, decoys kept out, fields and cells of a crawl of the simulated portals."""
    from tests.crawling import cells_of, reports_of
    rows = {r["url"]: r for r in reports_of(archive)}
    cells = cells_of(archive)
    reports = [t for t in truth if t["kind"] == "report" and not t.get("robots_disallowed")]
    decoys = [t for t in truth if t["kind"] in ("decoy", "challenge")]
    found = [t for t in reports if t["url"] in rows]
    field_hits = sum(_iso(rows[t["url"]][f]) == t[f] for t in found for f in SIM_FIELDS)
    cell_total = cell_hits = 0
    for t in (t for t in found if "image_only" not in t["flags"]):   # pixels only: flagged, not read (no OCR)
        got = cells.get(rows[t["url"]]["report_id"], {})
        for table, keyed in t["cells"].items():
            for key, value in keyed.items():
                cell_total += 1
                want = None if value is None else Decimal(str(value))
                cell_hits += got.get(table, {}).get(key, "missing") == want
    return {"simulated.recall": _share(len(found), len(reports)),
            "simulated.decoys_kept_out": _share(sum(t["url"] not in rows for t in decoys), len(decoys)),
            "simulated.fields": _share(field_hits, len(found) * len(SIM_FIELDS)),
            "simulated.cells": _share(cell_hits, cell_total)}


def pin(archive: Path) -> dict:
    """Raise the floors to today's scores; a score below its floor is an error, not a new floor."""
    import simportals
    scores = {**seed_scores(), **putian_scores(), **simulated_scores(archive, simportals.build_web(seed=1).truth())}
    floor = json.loads(FLOOR.read_text()) if FLOOR.exists() else {}
    worse = {k: (v, floor[k]) for k, v in scores.items() if k in floor and v < floor[k]}
    if worse:
        raise SystemExit(f"scores below their floors, not pinned: {worse}")
    FLOOR.write_text(json.dumps({k: max(v, floor.get(k, 0)) for k, v in sorted(scores.items())}, indent=1) + "\n")
    return scores


if __name__ == "__main__" and sys.argv[1:2] == ["--pin"]:
    print(json.dumps(pin(Path(sys.argv[2])), indent=1))
