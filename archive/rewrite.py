"""Replace stored report versions in place (re-parse): same keys, new fields and cells, all-or-nothing.

Every file holding a version to replace is rewritten without it, and the new rows are written beside;
the swap is journalled like a compaction ("replacing" rolls forward, anything earlier rolls back), so
a kill at any moment leaves either the old rows or the new ones, never both and never neither.
"""
from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import journal
from ._fs import flocked, fsync_dir, tmp_name, unlink_quiet
from .dataset import batch_tables, parquet_files, write_parquet
from .schema import partition_dir, partition_values


def replace_versions(root, versions: list[tuple[dict, list]], *, fsync: bool = True) -> dict:
    """Swap the stored rows of each (report_id, content_sha256) for the given report row and cells."""
    root = Path(root)
    keys = {(r["report_id"], r["content_sha256"]) for r, _ in versions}
    rid = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-r" + uuid.uuid4().hex[:11]
    with flocked(journal.lock_path(root)):
        journal.recover(root)
        old = [rel for table in ("cells", "reports") for rel in parquet_files(root, table)
               if _holds_any(root / rel, keys)]
        kept = {rel: _without(root / rel, keys) for rel in old}
        planned = [(f"{rel.rsplit('/', 1)[0]}/part-{rid}-{i}.parquet", tbl)
                   for i, (rel, tbl) in enumerate(kept.items()) if tbl.num_rows]
        planned += [(rel, tbl) for rel, tbl in _new_files(root, versions, rid)]
        entry = {"id": rid, "kind": "rewrite", "state": "writing", "new": [r for r, _ in planned], "old": old}
        journal.write(root, entry, fsync=fsync)
        for rel, tbl in planned:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            write_parquet(tbl, tmp_name(root / rel), fsync=fsync)
        journal.write(root, dict(entry, state="replacing"), fsync=fsync)   # from here: roll forward
        for rel, _ in planned:
            os.replace(tmp_name(root / rel), root / rel)
        for rel in old:
            unlink_quiet(root / rel)
        if fsync:
            for d in {(root / rel).parent for rel, _ in planned}:
                fsync_dir(d)
        journal.commit(root, rid, fsync=fsync)
    return {"replaced": len(keys), "files_rewritten": len(old), "files_written": len(planned)}


def _holds_any(path: Path, keys: set[tuple[str, str]]) -> bool:
    """Whether a file holds one of the versions (reads the two key columns only)."""
    tbl = pq.read_table(path, columns=["report_id", "content_sha256"])
    return any(k in keys for k in zip(tbl["report_id"].to_pylist(), tbl["content_sha256"].to_pylist()))


def _without(path: Path, keys: set[tuple[str, str]]) -> pa.Table:
    """A file's rows minus the versions being replaced, in their order."""
    tbl = pq.ParquetFile(path).read()
    joined = pc.binary_join_element_wise(tbl["report_id"], tbl["content_sha256"], "\x00")
    drop = pa.array([f"{a}\x00{b}" for a, b in keys])
    return tbl.filter(pc.invert(pc.is_in(joined, value_set=drop)))


def _new_files(root: Path, versions, rid: str):
    """The new rows laid out per (table, partition), exactly as a batch of the writer would be."""
    todo = [(r, list(cells), partition_values(r.get("year"), r.get("province_code"))) for r, cells in versions]
    for table, year, prov, tbl in batch_tables(todo):
        yield f"{partition_dir(table, year, prov)}/part-{rid}-new.parquet", tbl
