"""A writer killed with SIGKILL at any point leaves a readable dataset of whole batches."""
from __future__ import annotations

import os
import random
import signal
import time

import duckdb
import pyarrow.dataset as ds

import archive
from archive.dataset import DatasetWriter, parquet_files
from tests.test_archive_helpers import make_cells, make_report, popen_py, run_py

B = 2        # reports per batch; two partitions -> 2 cells + 2 reports files per batch
CELLS = 3

# The child writes batches and prints "done <n>" after each flush returns. With KILL_AT > 0 it
# SIGKILLs itself right before/after the KILL_AT-th os.replace (journal and data files alike).
CHILD = r"""
import os, signal, sys
root, n_batches, kill_at, when = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
from tests.test_archive_helpers import make_cells, make_report
real, count = os.replace, [0]
def hooked(a, b):
    count[0] += 1
    if when == "before" and count[0] == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
    real(a, b)
    if when == "after" and count[0] == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
os.replace = hooked
from archive.dataset import DatasetWriter
w = DatasetWriter(root, batch_size=%d)
for b in range(n_batches):
    for i in range(b * %d, (b + 1) * %d):
        w.add(make_report(i), make_cells(i, %d))
    print("done", b, flush=True)
""" % (B, B, B, CELLS)


def _done(out: str) -> int:
    """Batches the child reported finished."""
    return sum(1 for line in out.splitlines() if line.startswith("done"))


def _check_whole(root, batches_min: int, batches_max: int, *, raw: bool) -> int:
    """The dataset holds batches 0..k-1 exactly (no partial batch, no orphan cell); return k."""
    if raw:  # plain readers, no journal awareness
        if not (root / "reports").exists():
            assert batches_min == 0 and not (root / "cells").exists()
            return 0
        rep = ds.dataset(str(root / "reports"), format="parquet", partitioning="hive").to_table()
        cel = ds.dataset(str(root / "cells"), format="parquet", partitioning="hive").to_table()
    else:
        rep, cel = archive.reports_dataset(root).to_table(), archive.cells_dataset(root).to_table()
    ids = sorted(rep.column("report_id").to_pylist())
    assert len(ids) == len(set(ids)), "duplicate report rows"
    assert len(ids) % B == 0, f"partial batch: {len(ids)} reports"
    k = len(ids) // B
    assert batches_min <= k <= batches_max
    assert ids == [f"rep-{i:05d}" for i in range(k * B)]
    cell_ids = cel.column("report_id").to_pylist()
    assert sorted(set(cell_ids)) == ids, "orphan or missing cells"
    assert len(cell_ids) == k * B * CELLS
    con = archive.open(root)
    assert con.execute("select count(*) from reports").fetchone()[0] == k * B
    assert con.execute("select count(*) from cells").fetchone()[0] == k * B * CELLS
    if raw:
        glob = str(root / "cells" / "**" / "*.parquet")
        n = duckdb.execute(f"select count(*) from read_parquet('{glob}', hive_partitioning=true)")
        assert n.fetchone()[0] == k * B * CELLS
    return k


def _files_per_batch(tmp_path) -> int:
    """How many os.replace calls one batch makes (journal + data files)."""
    w = DatasetWriter(tmp_path / "probe", batch_size=B, fsync=False)
    for i in range(B):
        w.add(make_report(i), make_cells(i, CELLS))
    return 1 + len(parquet_files(tmp_path / "probe", "reports")) + len(
        parquet_files(tmp_path / "probe", "cells"))


def test_kill_at_every_step_of_a_batch(tmp_path):
    per_batch = _files_per_batch(tmp_path)
    # before each rename (journal, then each data file: temp file written, not renamed), and
    # after the last one (every file in place, journal not yet deleted: still not committed)
    points = [("before", s) for s in range(1, per_batch + 1)] + [("after", per_batch)]
    for when, step in points:
        root = tmp_path / f"{when}-{step}"
        kill_at = 2 * per_batch + step  # inside the third batch
        p = run_py(CHILD, root, 5, kill_at, when, check=False)
        assert p.returncode == -signal.SIGKILL, p.stderr
        assert _done(p.stdout) == 2
        # Readers of the archive skip the dead batch even before anyone recovers it ...
        _check_whole(root, 2, 2, raw=False)
        # ... a new writer rolls it back, then plain readers see exactly the finished batches.
        w = DatasetWriter(root, batch_size=B)
        assert not list(root.rglob("*.tmp"))
        _check_whole(root, 2, 2, raw=True)
        for i in range(2 * B, 3 * B):  # and it continues where the dead one stopped
            assert w.add(make_report(i), make_cells(i, CELLS)) == "new"
        w.close()
        _check_whole(root, 3, 3, raw=True)


def test_kill_at_random_moments(tmp_path):
    rnd = random.Random(7)
    root = tmp_path / "arch"
    k = 0
    for _ in range(3):
        p = popen_py(CHILD, root, 400, 0, "never")
        first = p.stdout.readline()  # wait until it writes, then kill it at a random moment
        time.sleep(rnd.uniform(0.0, 0.3))
        os.kill(p.pid, signal.SIGKILL)
        out, err = p.stdout.read(), p.stderr.read()  # not communicate(): it would skip what
        p.wait()                                      # readline() already buffered
        assert first.startswith("done"), err
        done = _done(first + out)  # each child starts again from report 0: finished ones are unchanged
        DatasetWriter(root, batch_size=B)  # recovery
        k = _check_whole(root, max(k, done), max(k, done + 1), raw=True)
    assert k > 0
