"""Extraction throughput: reports/s for HTML (putian pages), PDF and DOCX fixtures vs bare lxml parsing.

Run: .venv/bin/python bench/extract_bench.py [--rounds N]
Each report goes through read_* + extract_cells + check_identities; the baseline is
lxml.html.fromstring on the same HTML strings.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipelines.readers import read_docx, read_html, read_pdf  # noqa: E402
from pipelines.tables import extract_cells  # noqa: E402
from pipelines.validate import check_identities  # noqa: E402

PUTIAN = Path("/work/shared/real/putian")
DOCS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "docs"


def timed(func, items, rounds: int) -> float:
    """Items handled per second over `rounds` passes."""
    start = time.perf_counter()
    for _ in range(rounds):
        for item in items:
            func(item)
    return rounds * len(items) / (time.perf_counter() - start)


def pipeline(reader):
    """read → extract_cells → check_identities for one body."""
    def run(body):
        _, cells = extract_cells(reader(body))
        return check_identities(cells)
    return run


def main() -> None:
    """Print reports/s per source type and the ratio to bare lxml parsing."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    pages = [p.read_text(encoding="utf-8") for p in sorted(PUTIAN.glob("*.html"))]
    pdfs = [p.read_bytes() for p in sorted(DOCS.glob("report_*.pdf"))]
    docxs = [p.read_bytes() for p in sorted(DOCS.glob("*.docx"))]
    parse_rate = timed(lxml.html.fromstring, pages, rounds)
    html_rate = timed(pipeline(read_html), pages, rounds)
    print(f"HTML  {len(pages):3d} pages : {html_rate:8.1f} reports/s "
          f"(lxml.html.fromstring alone {parse_rate:8.1f}/s, ratio {parse_rate / html_rate:.1f}x)")
    print(f"PDF   {len(pdfs):3d} files : {timed(pipeline(read_pdf), pdfs, rounds):8.1f} reports/s")
    print(f"DOCX  {len(docxs):3d} files : {timed(pipeline(read_docx), docxs, rounds):8.1f} reports/s")


if __name__ == "__main__":
    main()
