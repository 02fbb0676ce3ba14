"""Archive throughput and size: rows written per second, bytes per report (WARC + Parquet) vs raw.

    .venv/bin/python bench/archive_bench.py [--reports 1000] [--keep DIR]

Synthetic report pages (HTML with Chinese text built from report phrases and numbers, ~80 cells)
go through WarcWriter and DatasetWriter as a crawl would; a second pass of the same pages measures
the re-run (revisits, "unchanged").
"""
from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.dataset import DatasetWriter  # noqa: E402
from archive.warc import WarcWriter  # noqa: E402

PHRASES = ["根据《中华人民共和国政府信息公开条例》的规定", "本报告由", "编制", "主动公开政府信息",
           "收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况",
           "存在的主要问题及改进情况", "其他需要报告的事项", "本年新收政府信息公开申请数量",
           "上年结转政府信息公开申请数量", "予以公开", "部分公开", "不予公开", "本机关不掌握相关政府信息",
           "行政许可", "行政处罚", "行政强制", "行政事业性收费", "规章", "规范性文件", "现行有效件数",
           "进一步加强政府信息公开平台建设", "严格落实信息发布审查制度", "持续优化政务公开专栏",
           "办理人大代表建议和政协委员提案", "召开新闻发布会", "政策解读", "回应社会关切"]


def page(i: int, rnd: random.Random) -> tuple[bytes, list[dict]]:
    """One report page (HTML bytes, ~20-40 KB) and its cells."""
    paras = []
    for _ in range(rnd.randint(60, 120)):
        s = "，".join(rnd.choice(PHRASES) for _ in range(rnd.randint(2, 5)))
        paras.append(f"<p>{s}{rnd.randint(0, 9999)}件。</p>")
    cells = [{"table": "requests", "row": r, "col": c, "value": Decimal(rnd.randint(0, 500)),
              "raw": ""} for r in ("new", "carried_over", "granted", "partly_granted", "total",
                                   "carried_forward", "unavailable.not_held", "other.other",
                                   "withheld.third_party", "not_processed.duplicate")
             for c in ("natural_person", "enterprise", "research", "public_interest",
                       "legal_service", "other_org", "total")]
    for c in cells:
        c["raw"] = str(c["value"])
    html = (f"<html><head><meta charset='utf-8'><title>某某局{2020 + i % 4}年政府信息公开工作年度报告"
            f"</title></head><body>{''.join(paras)}<table>"
            + "".join(f"<tr><td>{c['row']}</td><td>{c['raw']}</td></tr>" for c in cells)
            + "</table></body></html>")
    return html.encode("utf-8"), cells


def run(root: Path, pages, *, label: str) -> None:
    """Write every page to WARC and Parquet; print rates and sizes."""
    now = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    rows = 0
    with WarcWriter(root / "warc", max_bytes=100 << 20) as ww, DatasetWriter(root) as dw:
        for i, (body, cells) in enumerate(pages):
            url = f"http://www.example.gov.cn/zfxxgk/{i}.htm"
            ref = ww.write_response(url=url, status=200, reason="OK",
                                    response_headers=[("Content-Type", "text/html; charset=utf-8")],
                                    body=body, fetched_at=now)
            text = body.decode("utf-8")
            status = dw.add({"report_id": f"r{i}", "url": url, "title": f"报告{i}",
                             "agency": f"某某局{i % 50}", "year": 2020 + i % 4,
                             "province_code": f"{11 + i % 20}", "text": text,
                             "content_sha256": hashlib.sha256(body).hexdigest(),
                             "fetched_at": now, "format": "2021", "source_type": "html",
                             "warc_file": ref.file, "warc_offset": ref.offset}, cells)
            rows += (1 + len(cells)) if status != "unchanged" else 0
    dt = time.perf_counter() - t0
    print(f"{label}: {len(pages)} reports in {dt:.2f} s = {len(pages) / dt:,.0f} reports/s, "
          f"{rows / dt:,.0f} rows/s written (reports + cells)")


def size(path: Path, suffix: str) -> int:
    """Bytes of the files under `path` ending in `suffix`."""
    return sum(f.stat().st_size for f in path.rglob(f"*{suffix}")) if path.exists() else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--keep", help="archive directory to keep (default: a temporary one)")
    args = ap.parse_args()
    rnd = random.Random(1)
    pages = [page(i, rnd) for i in range(args.reports)]
    raw = sum(len(b) for b, _ in pages)
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="archive-bench-"))
    try:
        run(root, pages, label="first run ")
        warc_b, pq_b = size(root / "warc", ".warc.gz"), size(root, ".parquet")
        run(root, pages, label="re-run    ")
        warc_b2, pq_b2 = size(root / "warc", ".warc.gz"), size(root, ".parquet")
        n = args.reports
        print(f"raw report bytes: {raw / n:,.0f} B/report (baseline)")
        print(f"archive after one run: WARC {warc_b / n:,.0f} + Parquet {pq_b / n:,.0f} = "
              f"{(warc_b + pq_b) / n:,.0f} B/report, ratio {(warc_b + pq_b) / raw:.2f} of raw")
        print(f"re-run of the same pages added: WARC {(warc_b2 - warc_b) / n:,.0f} B/report "
              f"(revisit + request records), Parquet {(pq_b2 - pq_b) / n:,.0f} B/report")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
