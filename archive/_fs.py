"""Small file-system helpers: atomic publication and fcntl locks."""
from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path


def fsync_dir(path: Path) -> None:
    """Flush a directory entry so a rename survives a power cut, not only a killed process."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def tmp_name(path: Path) -> Path:
    """Hidden temporary sibling of `path`: dot-prefixed and `.tmp`, outside every `*.parquet` glob."""
    return path.with_name(f".{path.name}.tmp")


def atomic_write_bytes(path: Path, data: bytes, *, fsync: bool = True) -> None:
    """Write `data` to `path` so that the file appears whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = tmp_name(path)
    with open(tmp, "wb") as f:
        f.write(data)
        if fsync:
            f.flush()
            os.fsync(f.fileno())
    os.replace(tmp, path)
    if fsync:
        fsync_dir(path.parent)


def unlink_quiet(path: Path) -> bool:
    """Remove a file if it is there; say whether it was."""
    try:
        os.unlink(path)
        return True
    except FileNotFoundError:
        return False


@contextlib.contextmanager
def flocked(path: Path, *, shared: bool = False):
    """Hold an fcntl lock on `path` (created if missing) for the duration of the block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)  # closing drops the lock, also when the process is killed
