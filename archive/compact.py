"""Rewrite each partition into few large files without changing its rows."""
from __future__ import annotations

import os
import time
import uuid
from collections import defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from . import journal
from ._fs import flocked, fsync_dir, tmp_name, unlink_quiet
from .dataset import parquet_files, write_parquet


def _groups(root: Path, files: list[str], target_bytes: int) -> list[list[str]]:
    """Consecutive runs of files whose sizes add up to at most `target_bytes` (at least one)."""
    groups, cur, size = [], [], 0
    for rel in files:
        n = (root / rel).stat().st_size
        if cur and size + n > target_bytes:
            groups.append(cur)
            cur, size = [], 0
        cur.append(rel)
        size += n
    return groups + ([cur] if cur else [])


def _compact_group(root: Path, rels: list[str], *, fsync: bool) -> int:
    """Replace `rels` (one partition) by one file, journaled; return its row count."""
    cid = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-c" + uuid.uuid4().hex[:11]
    new = f"{rels[0].rsplit('/', 1)[0]}/part-{cid}.parquet"
    entry = {"id": cid, "kind": "compact", "state": "writing", "new": [new], "old": rels}
    journal.write(root, entry, fsync=fsync)
    # Read files as they are (no partition discovery) and keep their order, so rows stay the same.
    tbl = pa.concat_tables([pq.ParquetFile(root / r).read() for r in rels])
    write_parquet(tbl, tmp_name(root / new), fsync=fsync)
    journal.write(root, dict(entry, state="replacing"), fsync=fsync)  # from here: roll forward
    os.replace(tmp_name(root / new), root / new)
    for r in rels:
        unlink_quiet(root / r)
    if fsync:
        fsync_dir((root / new).parent)
    journal.commit(root, cid, fsync=fsync)
    return tbl.num_rows


def compact(root, *, target_bytes: int = 512 << 20, fsync: bool = True) -> dict:
    """Merge small files partition by partition under the dataset lock; return counts."""
    root = Path(root)
    stats = {"files_before": 0, "files_after": 0, "rows_rewritten": 0, "partitions_compacted": 0}
    with flocked(journal.lock_path(root)):
        stats["recovered"] = journal.recover(root)
        for table in ("cells", "reports"):
            by_part = defaultdict(list)
            for rel in parquet_files(root, table):
                by_part[rel.rsplit("/", 1)[0]].append(rel)
            for rels in by_part.values():
                stats["files_before"] += len(rels)
                for group in _groups(root, rels, target_bytes):
                    if len(group) > 1:
                        stats["rows_rewritten"] += _compact_group(root, group, fsync=fsync)
                        stats["partitions_compacted"] += 1
                    stats["files_after"] += 1
    return stats
