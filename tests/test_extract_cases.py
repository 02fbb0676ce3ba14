"""Extraction of saved report pages and texts against their written truth (tests/fixtures/cases/*).

Each case is a folder: `input.<ext>` (the bytes as served or saved) and `case.json`:
  url, content_type, charset   how `scrapy extract` would be called
  fields                       reports columns that must be exactly this
  one_of                       columns where the page is ambiguous: any of these values
  cells                        {table: {"row.col": value}}: these cells exactly (null: printed empty); any
                               other cell must be null; `null` instead of a dict: no cells at all
  flags / flags_include / flags_exclude / flags_allowed / flags_any / identity_flags   the flags: exactly,
                               at least, never, nothing else, one of, and the exact identity_broken:* set
  text_contains / text_not_contains / repairs_include
The cases vary what real portals vary (CMS markup, info boxes, charsets, flattenings, form variants,
spam, PDF and Word layouts: rotated pages, unruled tables, wrapped titles, content controls, scans);
each was written beside its truth, which was worked out from the printed page, not from a run.
"""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.extract import extract_report
from pipelines.repair import is_traditional

CASES = sorted((Path(__file__).parent / "fixtures" / "cases").iterdir())


def _plain(value):
    """A value as case.json writes it."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def extracted():
    """Every case extracted once: name -> (case, row, {table: {row.col: value}})."""
    out = {}
    for folder in CASES:
        case = json.loads((folder / "case.json").read_text("utf-8"))
        body = next(folder.glob("input.*")).read_bytes()   # input.html/.txt/.pdf/.docx/.doc
        row, cells = extract_report(body, url=case.get("url") or f"file:///{folder.name}",
                                    content_type=case.get("content_type"), charset=case.get("charset"))
        grid: dict[str, dict] = {}
        for c in cells:
            grid.setdefault(c.table, {})[f"{c.row}.{c.col}"] = _plain(c.value)
        out[folder.name] = (case, row, grid)
    return out


@pytest.mark.parametrize("name", [f.name for f in CASES])
def test_fields(extracted, name):
    case, row, _ = extracted[name]
    got = {f: _plain(row[f]) for f in case.get("fields", {})}
    assert got == case.get("fields", {})
    for field, allowed in case.get("one_of", {}).items():
        assert _plain(row[field]) in allowed, field


@pytest.mark.parametrize("name", [f.name for f in CASES if "cells" in json.loads((f / "case.json").read_text())])
def test_cells(extracted, name):
    case, _, grid = extracted[name]
    if case["cells"] is None:
        assert grid == {}
        return
    want = {(t, k): v for t, keyed in case["cells"].items() for k, v in keyed.items()}
    got = {(t, k): v for t, keyed in grid.items() for k, v in keyed.items()}
    assert {k: got.get(k, "MISSING") for k in want} == want
    assert {k: v for k, v in got.items() if k not in want and v is not None} == {}


@pytest.mark.parametrize("name", [f.name for f in CASES])
def test_flags(extracted, name):
    case, row, _ = extracted[name]
    flags = row["flags"]
    if "flags" in case:
        assert sorted(flags) == case["flags"]
    assert [f for f in case.get("flags_include", []) if f not in flags] == []
    assert [f for f in case.get("flags_exclude", []) if f in flags] == []
    if "flags_allowed" in case:
        assert [f for f in flags if f not in case["flags_allowed"]] == []
    if "flags_any" in case:
        assert set(case["flags_any"]) & set(flags)
    if "identity_flags" in case and case.get("cells") is not None:
        assert sorted(f for f in flags if f.startswith("identity_broken")) == case["identity_flags"]


@pytest.mark.parametrize("name", [f.name for f in CASES])
def test_text(extracted, name):
    case, row, _ = extracted[name]
    text = row["text"] or ""
    assert [s for s in case.get("text_contains", []) if s not in text] == []
    assert [s for s in case.get("text_not_contains", []) if s in text] == []
    assert [r for r in case.get("repairs_include", []) if r not in row["repairs"]] == []
    assert "\ufffd" not in text and not is_traditional(text)
