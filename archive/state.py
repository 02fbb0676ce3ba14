"""Crawl state kept with the archive: per-URL validators and hashes (SQLite), and the run lock."""
from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    sha256 TEXT,
    report_id TEXT,
    status INTEGER,
    fetched_at TEXT
)"""


class ArchiveBusy(RuntimeError):
    """Another run holds the archive's run lock."""


def _setup_with_retry(db: sqlite3.Connection, timeout: float) -> None:
    """WAL mode and schema. Switching to WAL can fail with "database is locked" without SQLite
    calling the busy handler (two processes opening a fresh file at once), so retry it here."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")  # readers never block the writer
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute(_SCHEMA)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class CrawlState:
    """Per-URL ETag, Last-Modified, content hash, report id, status and fetch time."""

    def __init__(self, root, *, timeout: float = 30.0):
        path = Path(root) / "state" / "crawl.sqlite"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # isolation_level=None: autocommit, each record() is its own short transaction.
        self.db = sqlite3.connect(path, timeout=timeout, isolation_level=None,
                                  check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        _setup_with_retry(self.db, timeout)

    def get(self, url: str) -> dict | None:
        """What is known about `url`, or None."""
        row = self.db.execute("SELECT * FROM urls WHERE url = ?", (url,)).fetchone()
        return dict(row) if row else None

    def record(self, url: str, *, etag: str | None, last_modified: str | None,
               sha256: str | None, status: int, report_id: str | None = None,
               fetched_at: datetime | None = None) -> None:
        """Store the outcome of a fetch; a 304 keeps the hash and report id already known."""
        when = (fetched_at or datetime.now(timezone.utc)).isoformat()
        self.db.execute(
            """INSERT INTO urls (url, etag, last_modified, sha256, report_id, status, fetched_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(url) DO UPDATE SET
                 etag = coalesce(excluded.etag, etag),
                 last_modified = coalesce(excluded.last_modified, last_modified),
                 sha256 = coalesce(excluded.sha256, sha256),
                 report_id = coalesce(excluded.report_id, report_id),
                 status = excluded.status,
                 fetched_at = excluded.fetched_at""",
            (url, etag, last_modified, sha256, report_id, status, when))

    def __len__(self) -> int:
        return self.db.execute("SELECT count(*) FROM urls").fetchone()[0]

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class RunLock:
    """One crawl (or compaction) at a time per archive: fcntl, non-blocking, released on death."""

    def __init__(self, root, name: str = "run"):
        self.path = Path(root) / "state" / f"{name}.lock"
        self.fd: int | None = None

    def acquire(self) -> "RunLock":
        """Take the lock or raise ArchiveBusy naming the pid that holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise ArchiveBusy(f"archive {self.path.parent.parent} is in use by another run "
                              f"(pid {holder}); lock file {self.path}") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self.fd = fd
        return self

    def release(self) -> None:
        """Drop the lock."""
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            os.close(self.fd)
            self.fd = None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()


def reconcile(root) -> int:
    """Give every stored report its validators back from its own WARC record, where the state lacks them.

    State is written after a batch is stored (never before, or a crash could make a lost report look
    known); a crash in between leaves stored reports the state does not know. Their ETag and
    Last-Modified sit in the WARC record each row points at. Returns how many URLs were restored.
    """
    from .reader import open as open_archive
    from .warc import read_record

    root = Path(root)
    rows = open_archive(root).sql(
        "select url, report_id, content_sha256, warc_file, warc_offset from reports_latest "
        "where warc_file is not null").to_arrow_table().to_pylist()
    restored = 0
    with CrawlState(root) as state:
        for row in rows:
            known = state.get(row["url"])
            if known and known.get("sha256") == row["content_sha256"]:
                continue
            headers = {k.lower(): v for k, v in read_record(row["warc_file"], row["warc_offset"],
                                                            warc_dir=root / "warc").headers}
            state.record(row["url"], etag=headers.get("etag"), last_modified=headers.get("last-modified"),
                         sha256=row["content_sha256"], status="report", report_id=row["report_id"])
            restored += 1
    return restored
