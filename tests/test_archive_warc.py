"""WARC files: valid for warcio and pywb, deduplicated, indexed, read back, rolled over, recovered."""
from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from archive import warc
from archive.cdxj import read_index
from tests.test_archive_helpers import popen_py

BIN = Path(sys.executable).parent
# pywb pins old redis/pyOpenSSL, so it lives in its own venv (scripts/setup.sh makes it).
PYWB_BIN = Path(__file__).resolve().parent.parent / ".venv-pywb" / "bin"
T0 = datetime(2024, 1, 26, 8, 0, tzinfo=timezone.utc)


def _body(i: int, size: int = 3000) -> bytes:
    """A report page: distinct per i, some Chinese text, `size` bytes or so."""
    text = f"<html><body><h1>某某局{i}年政府信息公开工作年度报告</h1>" + "一、总体情况。" * (size // 20)
    return text.encode("utf-8")


def _fetch(w, i, *, body=None, seconds=0, decoded=None):
    """Archive one synthetic fetch of page i."""
    body = body if body is not None else _body(i)
    return w.write_response(
        url=f"http://www.fj.gov.cn/zfxxgk/{i}.htm?b=1&a=2", status=200, reason="OK",
        response_headers=[("Content-Type", "text/html; charset=utf-8"),
                          ("Content-Encoding", "gzip"), ("Content-Length", "123"),
                          ("Server", "nginx")],
        body=body, request_headers=[("User-Agent", "govreports-test")],
        fetched_at=T0 + timedelta(seconds=seconds), notes={"i": i}, decoded_content_encoding=decoded)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """Two runs into one directory: 12 pages, then 4 of them again (same bytes) and 2 changed."""
    d = tmp_path_factory.mktemp("warc")
    refs = []
    with warc.WarcWriter(d, max_bytes=8_000) as w:
        refs += [(i, _fetch(w, i, decoded="gzip")) for i in range(12)]
    with warc.WarcWriter(d, max_bytes=8_000) as w:  # a later run: digests come from the index
        refs += [(i, _fetch(w, i, seconds=60, decoded="gzip")) for i in range(4)]
        refs += [(i, _fetch(w, i, body=_body(i) + b"<!-- v2 -->", seconds=60, decoded="gzip"))
                 for i in (4, 5)]
    return d, refs


def test_warcio_check_passes(written):
    d, _ = written
    files = warc.warc_files(d)
    assert len(files) >= 3
    for f in files:
        p = subprocess.run([BIN / "warcio", "check", "-v", f], capture_output=True, text=True)
        assert p.returncode == 0, p.stdout + p.stderr
        assert "digest fail" not in p.stdout


def test_pywb_indexer_accepts_files_and_agrees_with_our_index(written):
    d, _ = written
    assert (PYWB_BIN / "cdx-indexer").exists(), "pywb's indexer is missing: run `make setup`"
    names = [f.name for f in warc.warc_files(d)]
    p = subprocess.run([str(PYWB_BIN / "cdx-indexer"), "-j", "-s", *names], cwd=d,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    theirs = sorted(line for line in p.stdout.splitlines() if line.strip())
    ours = sorted((d / "index.cdxj").read_text().splitlines())
    assert theirs == ours


def test_same_payload_becomes_revisit(written):
    d, refs = written
    first = {i: r for i, r in refs[:12]}
    for i, ref in refs[12:16]:
        assert ref.revisit and ref.payload_digest == first[i].payload_digest
        assert (ref.payload_file, ref.payload_offset) == (first[i].file, first[i].offset)   # where the bytes are
    assert not any(r.revisit for _, r in refs[:12]) and not any(r.revisit for _, r in refs[16:])
    cap = warc.read_record(refs[12][1].file, refs[12][1].offset, warc_dir=d)
    assert cap.revisit and cap.body == _body(0)


def test_index_lines_point_at_records(written):
    d, refs = written
    entries = read_index(d)
    assert len(entries) == len(refs)
    keys = [e["surt"] for e in entries]
    assert keys == sorted(keys) and keys[0].startswith("cn,gov,fj)/zfxxgk/")
    by_loc = {(r.file, r.offset): (i, r) for i, r in refs}
    for e in entries:
        i, ref = by_loc[(e["filename"], int(e["offset"]))]
        assert int(e["length"]) == ref.length and e["digest"] == ref.payload_digest
        with open(d / e["filename"], "rb") as f:  # the bytes there are one whole gzip member
            f.seek(int(e["offset"]))
            raw = gzip.decompress(f.read(int(e["length"])))
        assert raw.startswith(b"WARC/1.0\r\n") and f"/zfxxgk/{i}.htm".encode() in raw


def test_iter_records_returns_what_was_written(written):
    d, refs = written
    caps = list(warc.iter_records(d))
    assert len(caps) == len(refs)
    expected = {(r.file, r.offset): _body(i) + (b"<!-- v2 -->" if n >= 16 else b"")
                for n, (i, r) in enumerate(refs)}
    for cap in caps:
        assert cap.body == expected[(cap.file, cap.offset)]
        assert cap.status == 200 and cap.notes["i"] in range(12)
        hdr = dict(cap.headers)
        # decoded body: the received Content-Encoding/Length are kept, renamed
        assert hdr["X-Archive-Orig-Content-Encoding"] == "gzip" and "Content-Encoding" not in hdr
        assert hdr["Content-Length"] == str(len(cap.body)) and hdr["X-Archive-Orig-Content-Length"] == "123"
        assert hdr["Server"] == "nginx"


def test_rollover_at_size_limit(written):
    d, _ = written
    files = warc.warc_files(d)
    names = [f.name for f in files]
    assert any(n.endswith("-00001.warc.gz") for n in names)
    for f in files:
        spans = warc._whole_records(f)
        # a file goes past the limit only when its first record alone is larger
        assert f.stat().st_size <= 8_000 or len(spans) <= 3
    assert not [n for n in os.listdir(d) if n.endswith(".open")]


KILLED = r"""
import sys
from datetime import datetime, timezone
from archive.warc import WarcWriter
w = WarcWriter(sys.argv[1], max_bytes=10**9)
for i in range(10**6):
    w.write_response(url=f"http://a.gov.cn/{i}", status=200, reason="OK",
                     response_headers=[("Content-Type", "text/html")], body=(b"x%d" % i) * 5000,
                     fetched_at=datetime.now(timezone.utc))
    if i == 3:
        print("wrote", flush=True)
"""


def test_killed_writer_leaves_recoverable_file(tmp_path):
    p = popen_py(KILLED, tmp_path)
    assert p.stdout.readline().startswith("wrote")
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    open_files = [n for n in os.listdir(tmp_path) if n.endswith(".warc.gz.open")]
    assert len(open_files) == 1
    w = warc.WarcWriter(tmp_path)  # recovery: truncate torn tail, index, rename
    assert w.recovered and not [n for n in os.listdir(tmp_path) if n.endswith(".open")]
    w.close()
    (f,) = warc.warc_files(tmp_path)
    chk = subprocess.run([BIN / "warcio", "check", f], capture_output=True, text=True)
    assert chk.returncode == 0, chk.stdout
    caps = list(warc.iter_records(tmp_path))
    assert len(caps) >= 4 and len(read_index(tmp_path)) == len(caps)
    for cap in caps:
        n = int(cap.url.rsplit("/", 1)[1])
        assert cap.body == (b"x%d" % n) * 5000
