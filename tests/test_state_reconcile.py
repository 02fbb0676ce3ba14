"""Crawl state can be rebuilt from the archive: a stored report the state lost gets its validators back."""
from datetime import datetime, timezone

from archive.dataset import DatasetWriter
from archive.state import CrawlState, reconcile
from archive.warc import WarcWriter
from tests.test_archive_helpers import make_report


def test_lost_state_is_restored_from_the_warc_record(tmp_path):
    url = "http://rsj.example.gov.cn/zfxxgknb/202401/t20240118_1.html"
    with WarcWriter(tmp_path / "warc") as warc:
        ref = warc.write_response(url=url, status=200, reason="OK", body=b"<html>report</html>",
                                  response_headers=[("Content-Type", "text/html"), ("ETag", '"abc"'),
                                                    ("Last-Modified", "Thu, 18 Jan 2024 08:00:00 GMT")],
                                  fetched_at=datetime.now(timezone.utc))
    report = dict(make_report(1), url=url, warc_file=ref.file, warc_offset=ref.offset)
    with DatasetWriter(tmp_path) as writer:
        writer.add(report, [])
    assert CrawlState(tmp_path).get(url) is None          # the crash came between storage and state

    assert reconcile(tmp_path) == 1
    known = CrawlState(tmp_path).get(url)
    assert (known["etag"], known["last_modified"], known["sha256"]) == (
        '"abc"', "Thu, 18 Jan 2024 08:00:00 GMT", report["content_sha256"])
    assert reconcile(tmp_path) == 0                       # nothing left to restore
