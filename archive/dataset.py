"""The Parquet datasets `reports` and `cells`: batched, atomic, deduplicated appends.

A batch is published under the dataset lock as: journal of planned files -> cells files -> reports
files -> journal deleted (the commit). Each file is written under a hidden temporary name and
renamed into place. A writer that starts (or flushes) after a killed one rolls that batch back first.
"""
from __future__ import annotations

import dataclasses
import os
import time
import uuid
from datetime import date, datetime, timezone
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from . import journal
from ._fs import flocked, fsync_dir, tmp_name
from .schema import file_schema, partition_dir, partition_values

CENT = Decimal("0.01")


def parquet_files(root: Path, table: str) -> list[str]:
    """Relative paths of the published Parquet files of `table` (hidden temp files left out)."""
    base = Path(root) / table
    out = []
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        rel = Path(dirpath).relative_to(root).as_posix()
        out += [f"{rel}/{n}" for n in sorted(filenames)
                if n.endswith(".parquet") and not n.startswith((".", "_"))]
    return out


class KnownVersions:
    """The (report_id, content_sha256) pairs already stored, loaded file by file as files appear."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.versions: dict[str, set[str]] = {}
        self._seen: set[str] = set()

    def refresh(self) -> None:
        """Read the two key columns of every reports file not read yet."""
        for rel in parquet_files(self.root, "reports"):
            if rel in self._seen:
                continue
            t = pq.read_table(self.root / rel, columns=["report_id", "content_sha256"])
            for rid, sha in zip(t.column(0).to_pylist(), t.column(1).to_pylist()):
                self.versions.setdefault(rid, set()).add(sha)
            self._seen.add(rel)

    def status(self, report_id: str, sha: str) -> str:
        """'unchanged' if stored, 'changed' if the id is stored with other bytes, else 'new'."""
        shas = self.versions.get(report_id)
        if not shas:
            return "new"
        return "unchanged" if sha in shas else "changed"

    def add(self, report_id: str, sha: str) -> None:
        """Remember a version as stored."""
        self.versions.setdefault(report_id, set()).add(sha)


def _as_date(v):
    """Accept a date, a datetime or an ISO string."""
    if v is None or isinstance(v, date) and not isinstance(v, datetime):
        return v
    if isinstance(v, datetime):
        return v.date()
    return date.fromisoformat(str(v))


def _as_utc(v):
    """Timestamps are stored in UTC; a naive one is taken as UTC already."""
    if v is None:
        return None
    if isinstance(v, str):
        v = datetime.fromisoformat(v)
    return v.replace(tzinfo=timezone.utc) if v.tzinfo is None else v.astimezone(timezone.utc)


def _as_decimal(v):
    """decimal128(18,2): quantize (the printed text stays in `raw`)."""
    if v is None:
        return None
    return Decimal(str(v)).quantize(CENT, rounding=ROUND_HALF_EVEN)


def report_row(report: dict, year: int, province: str) -> dict:
    """One reports row as stored (types normalised, partition values fixed)."""
    row = dict(report)
    row["province_code"] = province
    row["year"] = year
    for k in ("generated_date", "published_date"):
        row[k] = _as_date(row.get(k))
    row["fetched_at"] = _as_utc(row.get("fetched_at"))
    for k in ("repairs", "flags"):
        row[k] = list(row.get(k) or [])
    return row


def cell_rows(cells, report: dict, year: int, province: str) -> list[dict]:
    """Cells rows keyed to their report version."""
    out = []
    for c in cells:
        c = dataclasses.asdict(c) if dataclasses.is_dataclass(c) else c
        out.append({"report_id": report["report_id"], "table": c["table"], "row": c["row"],
                    "col": c["col"], "value": _as_decimal(c.get("value")), "raw": c.get("raw"),
                    "province_code": province, "content_sha256": report["content_sha256"]})
    return out


class DatasetWriter:
    """Append report versions and their cells to the archive, `batch_size` reports per batch."""

    def __init__(self, root, *, batch_size: int = 200, fsync: bool = True,
                 compression: str = "zstd"):
        self.root = Path(root)
        self.batch_size = batch_size
        self.fsync = fsync
        self.compression = compression
        self.stats = {"new": 0, "changed": 0, "unchanged": 0, "batches": 0, "dropped": 0}
        self._pending: list[tuple[dict, list[dict], tuple[int, str]]] = []
        self._pending_keys: set[tuple[str, str]] = set()
        self.known = KnownVersions(self.root)
        with flocked(journal.lock_path(self.root)):
            self.recovered = journal.recover(self.root)
            self.known.refresh()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def add(self, report: dict, cells=()) -> str:
        """Queue one report version; say whether it is 'new', 'changed' or 'unchanged'."""
        rid, sha = report["report_id"], report["content_sha256"]
        if not rid or not sha:
            raise ValueError("report_id and content_sha256 are required")
        part = partition_values(report.get("year"), report.get("province_code"))
        status = "unchanged" if (rid, sha) in self._pending_keys else self.known.status(rid, sha)
        if status == "new" and any(k[0] == rid for k in self._pending_keys):
            status = "changed"
        self.stats[status] += 1
        if status != "unchanged":
            self._pending.append((report, list(cells), part))
            self._pending_keys.add((rid, sha))
            if len(self._pending) >= self.batch_size:
                self.flush()
        return status

    def flush(self) -> int:
        """Publish the queued reports as one batch; return how many rows were written."""
        if not self._pending:
            return 0
        with flocked(journal.lock_path(self.root)):
            journal.recover(self.root)  # a writer that died while we waited for the lock
            self.known.refresh()        # another process may have stored some meanwhile
            todo = [p for p in self._pending
                    if self.known.status(p[0]["report_id"], p[0]["content_sha256"]) != "unchanged"]
            self.stats["dropped"] += len(self._pending) - len(todo)
            if todo:
                self._write_batch(todo)
                for report, _, _ in todo:
                    self.known.add(report["report_id"], report["content_sha256"])
        self._pending, self._pending_keys = [], set()
        return len(todo)

    def close(self) -> None:
        """Flush what is queued."""
        self.flush()

    def _write_batch(self, todo) -> None:
        """Journal, write and rename every file of one batch, then commit."""
        batch_id = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + uuid.uuid4().hex[:12]
        planned = [(f"{partition_dir(t, y, p)}/part-{batch_id}.parquet", tbl)
                   for t, y, p, tbl in batch_tables(todo)]
        journal.write(self.root, {"id": batch_id, "kind": "batch", "pid": os.getpid(),
                                  "files": [rel for rel, _ in planned]}, fsync=self.fsync)
        dirs = set()
        for rel, tbl in planned:
            self._publish(self.root / rel, tbl)
            dirs.add((self.root / rel).parent)
        if self.fsync:
            for d in dirs:
                fsync_dir(d)
        journal.commit(self.root, batch_id, fsync=self.fsync)
        self.stats["batches"] += 1

    def _publish(self, path: Path, tbl: pa.Table) -> None:
        """Write one file under a hidden name, then rename it into place."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = tmp_name(path)
        write_parquet(tbl, tmp, compression=self.compression, fsync=self.fsync)
        os.replace(tmp, path)


def batch_tables(todo):
    """Arrow tables of a batch of (report, cells, (year, province)), per (table, partition)."""
    groups: dict[tuple[int, str], tuple[list, list]] = {}
    for report, cells, (year, prov) in todo:
        reps, cls = groups.setdefault((year, prov), ([], []))
        reps.append(report_row(report, year, prov))
        cls += cell_rows(cells, report, year, prov)
    for (year, prov), (reps, cls) in sorted(groups.items()):
        if cls:  # cells first: a reader never meets a report without its cells
            yield "cells", year, prov, pa.Table.from_pylist(cls, schema=file_schema("cells"))
        yield "reports", year, prov, pa.Table.from_pylist(reps, schema=file_schema("reports"))


def write_parquet(tbl: pa.Table, path: Path, *, compression: str = "zstd", fsync: bool = True):
    """Write a Parquet file; row groups kept moderate since `text` rows are large."""
    with open(path, "wb") as f:
        pq.write_table(tbl, f, compression=compression, row_group_size=50_000)
        if fsync:
            f.flush()
            os.fsync(f.fileno())
