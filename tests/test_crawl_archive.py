"""The archive a real crawl leaves: its WARCs pass warcio and pywb, and every row points at its bytes."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from archive.warc import read_record, warc_files
from tests.crawling import ROOT, reports_of

PYWB = ROOT / ".venv-pywb" / "bin" / "cdx-indexer"


def test_crawl_warcs_pass_warcio_check_and_pywb(full_crawl):
    archive, _ = full_crawl
    files = warc_files(archive / "warc")
    assert files and all(f.name.endswith(".warc.gz") for f in files)      # closed, none left .open
    for f in files:
        check = subprocess.run([str(Path(sys.executable).parent / "warcio"), "check", str(f)],
                               capture_output=True, text=True, timeout=120)
        assert check.returncode == 0, check.stdout + check.stderr
    assert PYWB.exists(), "pywb's indexer is missing: run `make setup`"
    index = subprocess.run([str(PYWB), "-j", *map(str, files)], capture_output=True, text=True, timeout=120)
    assert index.returncode == 0, index.stderr
    assert len(index.stdout.splitlines()) >= len(reports_of(archive))


def test_every_row_points_at_the_bytes_it_was_read_from(full_crawl):
    archive, _ = full_crawl
    for row in reports_of(archive):
        capture = read_record(row["warc_file"], row["warc_offset"], warc_dir=archive / "warc")
        assert capture.url == row["url"]
        assert hashlib.sha256(capture.body).hexdigest() == row["content_sha256"]
