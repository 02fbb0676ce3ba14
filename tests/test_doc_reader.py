"""Word 97-2003 .doc: text, grids and cells, against the DOCX each fixture was saved from and against the
simulator's truth (fixtures made by tests/fixtures/docs/make_doc_fixtures.py with LibreOffice)."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.extract import extract_report
from pipelines.readers import read_doc, read_document, read_docx
from pipelines.tables import extract_cells
from tests.test_readers import FIXTURE_2019_DOCX, _values

DOCS = Path(__file__).parent / "fixtures" / "docs"


def _doc(name: str) -> bytes:
    return (DOCS / name).read_bytes()


def test_doc_reads_like_the_docx_it_was_saved_from():
    doc, docx = read_doc(_doc("report_2019.doc")), read_docx(_doc("report_2019.docx"))
    assert doc.flags == [] and doc.source_type == "doc"
    assert doc.text == docx.text and doc.title == "示例县示例局2019年政府信息公开工作年度报告"
    assert doc.tables == docx.tables
    assert [len(t[0]) for t in doc.tables] == [5, 10, 15]


def test_doc_merged_cells_are_one_slot():
    requests = read_doc(_doc("report_2019.doc")).tables[1]
    assert requests[0][0] is requests[2][0]                    # the 3×3 legend cell, down and across
    assert requests[0][3] is requests[0][9]                    # 申请人情况 across seven columns
    assert [r[0] for r in requests[5:25]] == ["三、本年度办理结果"] * 20


def test_doc_cells_exact():
    form, cells = extract_cells(read_doc(_doc("report_2019.doc")))
    assert form == "2019" and len(cells) == 195
    assert {k: v for k, v in _values(cells).items() if v != 0} == FIXTURE_2019_DOCX


@pytest.mark.parametrize("name", ["sim_2021", "sim_2016"])
def test_simulated_doc_reports_match_the_truth(name):
    truth = json.loads((DOCS / f"{name}.truth.json").read_text("utf-8"))
    row, cells = extract_report(_doc(f"{name}.doc"), url=f"http://rsj.example.gov.cn/nb/P0{name}.doc",
                                content_type="application/msword")
    assert (row["source_type"], row["title"], row["year"], row["format"]) == \
        ("doc", truth["title"], truth["year"], truth["format"])
    got = {(c.table, f"{c.row}.{c.col}"): c.value for c in cells}
    want = {(table, key): None if v is None else Decimal(str(v))
            for table, keyed in truth["cells"].items() for key, v in keyed.items()}
    assert got == want
    assert "unreadable_doc" not in row["flags"] and "identity_mismatch" not in row["flags"]


def test_pre2019_doc_keeps_its_appendix_as_a_table():
    doc = read_doc(_doc("sim_2016.doc"))
    assert len(doc.tables) == 1 and "政府信息公开指标统计表" in doc.text
    assert all(len(row) == 3 for row in doc.tables[0])


def test_field_codes_do_not_show():
    assert read_doc(_doc("fields.doc")).text == "详见人社局网站。"


def test_doc_is_sniffed_without_a_type_in_the_url():
    body = _doc("sim_2021.doc")
    doc = read_document(body, url="http://rsj.example.gov.cn/module/download/downfile.jsp?classid=0&filename=ab")
    assert doc.source_type == "doc" and "年度报告" in doc.text


@pytest.mark.parametrize("mangle", [
    lambda b: b[:4096],                                      # cut short
    lambda b: b[:512] + bytes(len(b) - 512),                 # sectors zeroed
    lambda b: b.replace(b"\xec\xa5", b"\x00\x00", 1),        # no Word FIB
])
def test_broken_doc_is_a_flag(mangle):
    doc = read_doc(mangle(_doc("report_2019.doc")))
    assert (doc.text, doc.tables, doc.flags) == ("", [], ["unreadable_doc"])
