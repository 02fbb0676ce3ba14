"""Read the archive: DuckDB views and pyarrow datasets with explicitly typed partitions."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds

from . import journal
from ._fs import flocked
from .dataset import parquet_files
from .schema import PARTITION_SCHEMA, read_schema

PARTITIONING = ds.partitioning(PARTITION_SCHEMA, flavor="hive")
_DUCK_HIVE_TYPES = "{'year': 'SMALLINT', 'province': 'VARCHAR'}"


def committed_files(root, table: str) -> list[str]:
    """Absolute paths of `table`'s files that belong to finished batches (a consistent snapshot)."""
    root = Path(root)
    if not (root / "state").is_dir():
        return [str(root / rel) for rel in parquet_files(root, table)]
    # A shared lock waits out a batch being published, so the listing never catches half of one;
    # journals still present under it are dead writers' and their files are skipped.
    try:
        with flocked(journal.lock_path(root), shared=True):
            return _listing(root, table)
    except PermissionError:  # a read-only copy of the archive: nobody writes to it
        return _listing(root, table)


def _listing(root: Path, table: str) -> list[str]:
    """Files of `table` minus those named by unfinished journals."""
    skip = journal.excluded(root)
    return [str(root / rel) for rel in parquet_files(root, table) if rel not in skip]


def _dataset(root, table: str) -> ds.Dataset:
    """A pyarrow dataset over the committed files with the contract's column order and types."""
    return ds.dataset(committed_files(root, table), schema=read_schema(table), format="parquet",
                      partitioning=PARTITIONING, partition_base_dir=str(Path(root) / table))


def reports_dataset(root) -> ds.Dataset:
    """The `reports` dataset (pyarrow), year int16 and province string from the path."""
    return _dataset(root, "reports")


def cells_dataset(root) -> ds.Dataset:
    """The `cells` dataset (pyarrow), year int16 and province string from the path."""
    return _dataset(root, "cells")


def _sql_list(paths: list[str]) -> str:
    """A DuckDB list literal of file paths."""
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"


def _create_view(con, root, table: str) -> None:
    """View `table` over its committed files, or an empty typed view when there are none."""
    cols = ", ".join(f'"{f.name}"' for f in read_schema(table))
    files = committed_files(root, table)
    if files:
        src = (f"read_parquet({_sql_list(files)}, hive_partitioning = true, "
               f"hive_types = {_DUCK_HIVE_TYPES}, union_by_name = true)")
    else:
        con.register(f"_empty_{table}", pa.Table.from_pylist([], schema=read_schema(table)))
        src = f"_empty_{table}"
    con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT {cols} FROM {src}")


def open(root="data", *, con: duckdb.DuckDBPyConnection | None = None):  # noqa: A001
    """A DuckDB connection with views `reports`, `cells` (every version) and `reports_latest`, `cells_latest`
    (the newest version of each report). A snapshot: reopen to see new batches."""
    con = con or duckdb.connect()
    for table in ("reports", "cells"):
        _create_view(con, root, table)
    # The newest version of each report, and its cells: what most questions want.
    con.execute("CREATE OR REPLACE VIEW reports_latest AS SELECT * FROM reports "
                "QUALIFY row_number() OVER (PARTITION BY report_id ORDER BY fetched_at DESC, content_sha256) = 1")
    con.execute("CREATE OR REPLACE VIEW cells_latest AS SELECT c.* FROM cells c "
                "JOIN reports_latest r USING (report_id, content_sha256)")
    return con
