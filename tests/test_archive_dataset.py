"""Re-runs, versions, concurrent writers, compaction, and the three analytics readers."""
from __future__ import annotations

import hashlib
import json

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import archive
from archive.compact import compact
from archive.dataset import DatasetWriter, parquet_files
from archive.schema import PARTITION_SCHEMA
from tests.test_archive_helpers import make_cells, make_report, popen_py


def _write(root, ids, *, version="v1", batch_size=10):
    """Add reports `ids`; return the statuses."""
    with DatasetWriter(root, batch_size=batch_size, fsync=False) as w:
        return [w.add(make_report(i, version=version), make_cells(i)) for i in ids]


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """An archive of 60 reports over 3 years x 4 provinces, 3 cells each."""
    root = tmp_path_factory.mktemp("filled")
    _write(root, range(60))
    return root


def test_rerun_adds_nothing_and_changed_report_is_a_new_version(tmp_path):
    assert _write(tmp_path, range(20)) == ["new"] * 20
    files = parquet_files(tmp_path, "reports") + parquet_files(tmp_path, "cells")
    assert _write(tmp_path, range(20)) == ["unchanged"] * 20
    assert parquet_files(tmp_path, "reports") + parquet_files(tmp_path, "cells") == files
    assert _write(tmp_path, [3], version="v2") == ["changed"]
    assert _write(tmp_path, [3], version="v2") == ["unchanged"]
    con = archive.open(tmp_path)
    assert con.execute("select count(*), count(distinct report_id) from reports").fetchone() == (21, 20)
    versions = con.execute("select count(*) from reports where report_id = 'rep-00003'").fetchone()
    assert versions == (2,)
    # each version keeps its own cells
    assert con.execute("select count(distinct content_sha256) from cells "
                       "where report_id = 'rep-00003'").fetchone() == (2,)


WRITER = r"""
import sys
from archive.dataset import DatasetWriter
from tests.test_archive_helpers import make_cells, make_report
root, start, stop = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with DatasetWriter(root, batch_size=7) as w:
    for i in range(start, stop):
        w.add(make_report(i), make_cells(i))
print(w.stats)
"""


def test_two_processes_at_once_leave_no_duplicates(tmp_path):
    procs = [popen_py(WRITER, tmp_path, 0, 60), popen_py(WRITER, tmp_path, 20, 80)]
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
    rows = archive.reports_dataset(tmp_path).to_table(columns=["report_id", "content_sha256"])
    keys = list(zip(*rows.to_pydict().values()))
    assert len(keys) == len(set(keys)) == 80
    cells = archive.cells_dataset(tmp_path).to_table(columns=["report_id"])
    assert cells.num_rows == 80 * 3
    for rel in parquet_files(tmp_path, "reports") + parquet_files(tmp_path, "cells"):
        pq.ParquetFile(tmp_path / rel).read()  # every file whole


def _digest(table: pa.Table, keys: list[str]) -> str:
    """Checksum of the rows, sorted, independent of file layout."""
    rows = table.sort_by([(k, "ascending") for k in keys]).to_pylist()
    return hashlib.sha256(json.dumps(rows, default=str, ensure_ascii=False).encode()).hexdigest()


def test_compaction_keeps_every_row_and_reduces_files(tmp_path):
    for start in range(0, 60, 6):  # 10 runs -> many small files per partition
        _write(tmp_path, range(start, start + 6), batch_size=3)
    _write(tmp_path, [5], version="v2")
    before = {t: _digest(archive.reports_dataset(tmp_path).to_table() if t == "reports" else
                         archive.cells_dataset(tmp_path).to_table(),
                         ["report_id", "content_sha256"] + (["col"] if t == "cells" else []))
              for t in ("reports", "cells")}
    n_before = len(parquet_files(tmp_path, "reports")) + len(parquet_files(tmp_path, "cells"))
    stats = compact(tmp_path, fsync=False)
    n_after = len(parquet_files(tmp_path, "reports")) + len(parquet_files(tmp_path, "cells"))
    assert stats["files_before"] == n_before and stats["files_after"] == n_after
    assert n_after < n_before and n_after == 2 * 12  # one file per partition and table
    after = {t: _digest(archive.reports_dataset(tmp_path).to_table() if t == "reports" else
                        archive.cells_dataset(tmp_path).to_table(),
                        ["report_id", "content_sha256"] + (["col"] if t == "cells" else []))
             for t in ("reports", "cells")}
    assert after == before
    assert _write(tmp_path, range(60)) == ["unchanged"] * 60  # versions still known afterwards


def test_duckdb_reads_partitions_typed(filled):
    con = archive.open(filled)
    types = dict(con.execute("select column_name, column_type from (describe reports)").fetchall())
    assert types["year"] == "SMALLINT" and types["province"] == "VARCHAR"
    assert types["province_code"] == "VARCHAR" and types["text"] == "VARCHAR"
    assert types["fetched_at"] == "TIMESTAMP WITH TIME ZONE"
    ctypes = dict(con.execute("select column_name, column_type from (describe cells)").fetchall())
    assert ctypes["value"] == "DECIMAL(18,2)" and ctypes["year"] == "SMALLINT"
    got = con.execute("select year, province, count(*) from reports group by all order by all")
    assert (2020, "00", 5) in got.fetchall()
    # a plain DuckDB glob read, with the documented hive_types, sees the same
    glob = f"{filled}/reports/*/*/*.parquet"
    n = duckdb.execute(f"select count(*) from read_parquet('{glob}', hive_partitioning=true, "
                       "hive_types={'year': 'SMALLINT', 'province': 'VARCHAR'}) "
                       "where province = '00' and province_code = '00'").fetchone()
    assert n == (15,)


def test_pandas_reads_partitions(filled):
    df = pd.read_parquet(filled / "reports", engine="pyarrow")
    assert {"year", "province", "province_code"} <= set(df.columns)
    assert sorted(df["year"].astype(int).unique()) == [2020, 2021, 2022]
    assert set(df["province"].astype(str)) == {"00", "11", "35", "unknown"}
    # with the archive's partitioning schema the types are exact
    df = pd.read_parquet(filled / "reports", engine="pyarrow",
                         partitioning=pa.dataset.partitioning(PARTITION_SCHEMA, flavor="hive"))
    assert str(df["year"].dtype) == "int16"
    assert (df["province"] == df["province_code"]).all()
    cells = pd.read_parquet(filled / "cells", engine="pyarrow")
    assert len(cells) == 180 and {"year", "province", "content_sha256"} <= set(cells.columns)


def test_polars_reads_partitions(filled):
    lf = pl.scan_parquet(f"{filled}/reports/**/*.parquet", hive_partitioning=True,
                         hive_schema={"year": pl.Int16, "province": pl.String})
    schema = lf.collect_schema()
    assert schema["year"] == pl.Int16 and schema["province"] == pl.String
    df = lf.filter(pl.col("year") == 2021).collect()
    assert len(df) == 20 and (df["province"] == df["province_code"]).all()
    inferred = pl.scan_parquet(f"{filled}/cells/**/*.parquet", hive_partitioning=True).collect()
    assert inferred.height == 180 and inferred.schema["year"].is_integer()


def test_pyarrow_dataset_has_contract_columns(filled):
    dset = archive.reports_dataset(filled)
    assert dset.schema.field("year").type == pa.int16()
    assert dset.schema.field("text").type == pa.large_string()
    assert dset.schema.names[:3] == ["report_id", "url", "title"]
    assert dset.schema.names[-1] == "province"


@pytest.mark.parametrize("fail_at", ["write", "rename", "unlink"])
def test_compaction_interrupted_keeps_rows(tmp_path, monkeypatch, fail_at):
    """A compaction that dies mid-way is rolled back or finished; no row lost or doubled."""
    import archive.compact as comp
    for start in range(0, 12, 3):  # four files in one partition
        with DatasetWriter(tmp_path, fsync=False) as w:
            for i in range(start, start + 3):
                w.add(make_report(i, year=2023, province="35"), make_cells(i))
    want = sorted(archive.reports_dataset(tmp_path).to_table().column("report_id").to_pylist())

    def boom(*a, **k):
        raise KeyboardInterrupt  # stands for the process dying here

    if fail_at == "write":
        monkeypatch.setattr(comp, "write_parquet", boom)
    elif fail_at == "rename":
        real = comp.os.replace
        monkeypatch.setattr(comp.os, "replace", lambda a, b: boom() if str(a).endswith(
            ".parquet.tmp") and "-c" in str(a) else real(a, b))
    else:
        monkeypatch.setattr(comp, "unlink_quiet", boom)
    with pytest.raises(KeyboardInterrupt):
        compact(tmp_path, fsync=False)
    monkeypatch.undo()
    got = sorted(archive.reports_dataset(tmp_path).to_table().column("report_id").to_pylist())
    assert got == want  # readers skip the unfinished side
    DatasetWriter(tmp_path)  # recovery
    assert not list(tmp_path.rglob("*.tmp")) and not list((tmp_path / "state/journal").iterdir())
    raw = pq.read_table(tmp_path / "reports").column("report_id").to_pylist()
    assert sorted(raw) == want
