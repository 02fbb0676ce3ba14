"""Issue 4: the five real seed texts through repair -> extract -> validate yield exactly expected.json."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.extract import extract_report
from pipelines.tables.forms import form_keys

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
EXPECTED = {k: v for k, v in json.loads((SEEDS / "expected.json").read_text("utf-8")).items() if not k.startswith("_")}
FIELDS = ("index_number", "publisher", "agency", "generated_date", "published_date", "year", "province_code",
          "region_code", "format")
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def extracted():
    out = {}
    for name in EXPECTED:
        row, cells = extract_report((SEEDS / name).read_bytes(), url=f"file:///seeds/{name}")
        out[name] = (row, {(c.table, f"{c.row}.{c.col}"): c.value for c in cells})
    return out


def _field_cases():
    for name, want in EXPECTED.items():
        for field in FIELDS:
            if field in want or (field == "publisher" and "publisher_any" in want):
                yield pytest.param(name, field, id=f"{name[:3]}-{field}")


@pytest.mark.parametrize("name, field", list(_field_cases()))
def test_seed_field(extracted, name, field):
    row, _ = extracted[name]
    want = EXPECTED[name]
    if field == "publisher" and "publisher_any" in want:
        assert row["publisher"] in want["publisher_any"]
        return
    got = row[field]
    assert (got.isoformat() if hasattr(got, "isoformat") else got) == want[field]


def _cell_cases():
    for name, want in EXPECTED.items():
        if not want.get("nonzero_cells"):
            continue
        other_form = "single" if want.get("other_row_form") == "single" else "split"
        for table, row, col in form_keys(want["format"], other_form):
            key = f"{row}.{col}"
            value = want["nonzero_cells"].get(table, {}).get(key, 0)
            yield pytest.param(name, table, key, value, id=f"{name[:3]}-{table}-{key}")


@pytest.mark.parametrize("name, table, key, value", list(_cell_cases()))
def test_seed_cell(extracted, name, table, key, value):
    _, cells = extracted[name]
    assert cells.get((table, key)) == Decimal(str(value))


@pytest.mark.parametrize("name", list(EXPECTED), ids=lambda n: n[:3])
def test_seed_flags_and_text(extracted, name):
    row, _ = extracted[name]
    want = EXPECTED[name]
    identity_flags = [f for f in row["flags"] if f.startswith("identity_broken")]
    if "identities_hold" in want:
        assert (identity_flags == []) is want["identities_hold"]
    assert set(want.get("flags_must_include", [])) <= set(row["flags"])
    for phrase in want.get("text_must_contain", []):
        assert phrase in row["text"]
    for phrase in want.get("text_must_not_contain", []):
        assert phrase not in row["text"]


def test_traditional_mirror_seed_lists_its_repairs(extracted):
    row, _ = extracted["001_26d78d44b29d2cd6.txt"]
    assert {"traditional_to_simplified", "pinyin_annotations", "lost_spaces"} <= set(row["repairs"])


def test_scrapy_extract_prints_the_report_as_json():
    seed = SEEDS / "004_3c155908ceb5ee0f.txt"
    out = subprocess.run([sys.executable, "-m", "scrapy", "extract", str(seed), "--url", "http://www.dongli.gov.cn/x.html"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(out.stdout)
    assert report["year"] == 2021 and report["province_code"] == "12" and report["region_code"] == "120110"
    assert "injected_text" in report["flags"]
    assert report["cells"]["review"]["all.review.total"] == 6
    assert report["cells"]["requests"]["other.natural_person"] == 0
    assert "text" in report and "content_sha256" in report


def test_scrapy_extract_names_what_it_could_not_fetch():
    with socket.socket() as s:               # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = subprocess.run([sys.executable, "-m", "scrapy", "extract", f"http://127.0.0.1:{port}/nb/t1.html"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ, "no_proxy": "*"})
    assert out.returncode == 1 and out.stdout == ""
    assert f"cannot read http://127.0.0.1:{port}/nb/t1.html" in out.stderr and "Traceback" not in out.stderr
