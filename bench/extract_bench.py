"""Extraction throughput: reports/s through the whole extraction (bytes -> repair -> read -> metadata,
tables -> validate, as `scrapy extract` runs it) for HTML, PDF, DOCX and DOC reports, beside the time to
merely parse the same HTML with lxml. The ratio is the figure; both are measured in the same run.

    .venv/bin/python bench/extract_bench.py [--rounds N]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from pipelines.extract import extract_report  # noqa: E402

PUTIAN = ROOT.parent / "shared" / "real" / "putian"
DOCS = ROOT / "tests" / "fixtures" / "docs"


def timed(func, items, rounds: int) -> float:
    """Items handled per second over `rounds` passes (after one warm-up pass)."""
    for item in items:
        func(item)
    start = time.perf_counter()
    for _ in range(rounds):
        for item in items:
            func(item)
    return rounds * len(items) / (time.perf_counter() - start)


def extraction(body: bytes):
    return extract_report(body, url="http://www.putian.gov.cn/zfxxgk/zfxxgknb/t.htm")


def main() -> None:
    """Print reports/s per source type and the ratio to bare lxml parsing."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    pages = [p.read_bytes() for p in sorted(PUTIAN.glob("*.html"))]
    pdfs = [p.read_bytes() for p in sorted(DOCS.glob("report_*.pdf"))]
    docxs = [p.read_bytes() for p in sorted(DOCS.glob("*.docx"))]
    docs = [p.read_bytes() for p in sorted(DOCS.glob("*.doc"))]
    parse_rate = timed(lxml.html.fromstring, pages, rounds)
    html_rate = timed(extraction, pages, rounds)
    print(f"HTML  {len(pages):3d} pages : {html_rate:7.1f} reports/s; lxml parse alone {parse_rate:7.1f}/s; "
          f"extraction costs {parse_rate / html_rate:.1f}x a parse")
    print(f"PDF   {len(pdfs):3d} files : {timed(extraction, pdfs, rounds):7.1f} reports/s")
    print(f"DOCX  {len(docxs):3d} files : {timed(extraction, docxs, rounds):7.1f} reports/s")
    print(f"DOC   {len(docs):3d} files : {timed(extraction, docs, rounds):7.1f} reports/s")


if __name__ == "__main__":
    main()
