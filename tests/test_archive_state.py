"""Crawl state in SQLite beside the archive, and the run lock."""
from __future__ import annotations

import pytest

from archive.state import ArchiveBusy, CrawlState, RunLock
from tests.test_archive_helpers import popen_py

RECORDER = r"""
import sys
from archive.state import CrawlState
s = CrawlState(sys.argv[1])
for i in range(300):
    s.record(f"http://a.gov.cn/{sys.argv[2]}/{i}", etag=f'"e{i}"', last_modified=None,
             sha256="h%d" % i, status=200, report_id=f"r{i}")
s.close()
"""


def test_record_and_get(tmp_path):
    with CrawlState(tmp_path) as s:
        assert s.get("http://a.gov.cn/1") is None
        s.record("http://a.gov.cn/1", etag='"x"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT",
                 sha256="abc", status=200, report_id="r1")
        s.record("http://a.gov.cn/1", etag=None, last_modified=None, sha256=None, status=304)
        got = s.get("http://a.gov.cn/1")
    assert got["etag"] == '"x"' and got["sha256"] == "abc" and got["report_id"] == "r1"
    assert got["status"] == 304 and got["fetched_at"]
    assert (tmp_path / "state" / "crawl.sqlite").exists()


def test_two_processes_record_at_once(tmp_path):
    procs = [popen_py(RECORDER, tmp_path, tag) for tag in ("a", "b")]
    for p in procs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
    with CrawlState(tmp_path) as s:
        assert len(s) == 600 and s.get("http://a.gov.cn/b/299")["sha256"] == "h299"


HOLDER = r"""
import sys, time
from archive.state import RunLock
with RunLock(sys.argv[1]):
    print("held", flush=True)
    time.sleep(30)
"""


def test_run_lock_names_the_holder(tmp_path):
    p = popen_py(HOLDER, tmp_path)
    try:
        assert p.stdout.readline().strip() == "held"
        with pytest.raises(ArchiveBusy, match=f"pid {p.pid}"):
            RunLock(tmp_path).acquire()
    finally:
        p.kill()
        p.wait()
    with RunLock(tmp_path):  # released when its holder died
        pass
