"""Write-ahead journals that make a batch (or a compaction) all-or-nothing.

A writer holding the dataset lock first records the files it is about to publish, then publishes
them, then deletes the journal: deleting it is the commit. A journal still present when someone else
holds the lock belongs to a writer that died, so `recover` undoes (or, for a compaction that had
already written its new file whole, finishes) that work. Readers skip the files a journal names.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from ._fs import atomic_write_bytes, fsync_dir, tmp_name, unlink_quiet


def journal_dir(root: Path) -> Path:
    """Where journals live: state/journal under the archive root."""
    return Path(root) / "state" / "journal"


def lock_path(root: Path) -> Path:
    """The lock file around every check-and-write of the Parquet dataset."""
    return Path(root) / "state" / "dataset.lock"


def write(root: Path, entry: dict, *, fsync: bool = True) -> Path:
    """Create or replace the journal `entry['id']` atomically."""
    path = journal_dir(root) / f"{entry['id']}.json"
    atomic_write_bytes(path, json.dumps(entry).encode(), fsync=fsync)
    return path


def commit(root: Path, entry_id: str, *, fsync: bool = True) -> None:
    """Delete the journal: from here on the work it covered is part of the dataset."""
    unlink_quiet(journal_dir(root) / f"{entry_id}.json")
    if fsync:
        fsync_dir(journal_dir(root))


def entries(root: Path) -> list[dict]:
    """Journals present now (unfinished work)."""
    jdir = journal_dir(root)
    if not jdir.is_dir():
        return []
    out = []
    for name in sorted(os.listdir(jdir)):
        if name.endswith(".json") and not name.startswith("."):
            try:
                out.append(json.loads((jdir / name).read_text()))
            except (OSError, ValueError):
                continue  # removed meanwhile; a torn journal cannot exist (atomic write)
    return out


def excluded(root: Path) -> set[str]:
    """Relative paths a reader must not see: files of unfinished batches and compactions."""
    skip: set[str] = set()
    for e in entries(root):
        if e["kind"] == "batch":
            skip.update(e["files"])
        elif e.get("state") == "replacing" and all((Path(root) / n).exists() for n in e["new"]):
            skip.update(e["old"])  # the compacted file is in place and holds these rows
        else:
            skip.update(e["new"])  # the old files are all still there
    return skip


def recover(root: Path) -> list[str]:
    """Undo (or finish) the work of dead writers; call with the dataset lock held."""
    root = Path(root)
    done = []
    for e in entries(root):
        if e["kind"] == "batch":
            for rel in e["files"]:
                unlink_quiet(tmp_name(root / rel))
                unlink_quiet(root / rel)
            done.append(f"rolled back batch {e['id']} ({len(e['files'])} files planned)")
        elif e.get("state") == "replacing":
            for rel in e["new"]:
                tmp = tmp_name(root / rel)
                if tmp.exists():
                    os.replace(tmp, root / rel)
            for rel in e["old"]:
                unlink_quiet(root / rel)
            done.append(f"finished compaction {e['id']}")
        else:
            for rel in e["new"]:
                unlink_quiet(tmp_name(root / rel))
                unlink_quiet(root / rel)
            done.append(f"rolled back compaction {e['id']}")
        commit(root, e["id"])
    jdir = journal_dir(root)
    if jdir.is_dir():
        for name in os.listdir(jdir):
            if name.endswith(".tmp"):
                unlink_quiet(jdir / name)  # a journal that was never published
    return done
