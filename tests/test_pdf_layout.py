"""PDF tables with no ruling lines: the simulator's report PDFs with every line drawing removed must read
to the same cells as the simulator's truth (blank cells included: seeds 3, 5, 9, 10, 30, 52 and 55 leave
cells empty, in one row or in a whole column)."""
from __future__ import annotations

import random
from decimal import Decimal

import pymupdf
import pytest

from pipelines.extract import extract_report
from simportals import data, files

SEEDS = [0, 1, 2, 3, 4, 5, 9, 10, 30, 52, 55]


def _unruled_report(seed: int) -> tuple[data.Report, bytes]:
    rng = random.Random(seed)
    rep = data.make_report(rng, "示例市人力资源和社会保障局", 2019 + seed % 5, publisher=None, index_prefix=None, serial=1)
    doc = pymupdf.open(stream=files.report_pdf(rep), filetype="pdf")
    for page in doc:                      # remove the vector graphics (the ruling), keep text and images
        page.add_redact_annot(page.rect)
        page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE, graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED,
                              text=pymupdf.PDF_REDACT_TEXT_NONE)
    return rep, doc.tobytes()


@pytest.mark.parametrize("seed", SEEDS)
def test_unruled_simulated_pdf_reads_to_the_truth(seed):
    rep, body = _unruled_report(seed)
    assert not pymupdf.open(stream=body, filetype="pdf")[0].get_drawings()
    row, cells = extract_report(body, url="http://rsj.example.gov.cn/nb/P0.pdf", content_type="application/pdf")
    assert row["format"] == rep.form and "tables_from_layout" in row["flags"]
    got = {(c.table, f"{c.row}.{c.col}"): c.value for c in cells}
    want = {(t, k): None if v is None else Decimal(str(v))
            for t, keyed in rep.cells.items() for k, v in keyed.items() if not k.startswith("other_services.")}
    assert {k: got.get(k, "missing") for k in want} == want
