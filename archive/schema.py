"""The one place the archive's Parquet schemas live (shared/spec/dataset.md is the contract).

Partitions: `year=<int16>/province=<province_code>` directories. The partition values are kept in the
path only for `year` and in both places for the province: the file holds the column `province_code`,
the path the key `province`. `year` is NOT stored inside the files because pyarrow (and so
pd.read_parquet) refuses a dataset whose files hold a column that is also a partition key of another
inferred type ("Unable to merge: Field year has incompatible types: int16 vs dictionary<int32>").
"""
from __future__ import annotations

import re

import pyarrow as pa

# Partition value for a report whose year cannot be told. Not a Hive null partition: pandas cannot
# read a dataset holding one ("Cannot yet unify dictionaries with nulls").
UNKNOWN_YEAR = 0
UNKNOWN_PROVINCE = "unknown"

PARTITION_SCHEMA = pa.schema([("year", pa.int16()), ("province", pa.string())])

REPORTS_SCHEMA = pa.schema([
    ("report_id", pa.string()),
    ("url", pa.string()),
    ("title", pa.string()),
    ("publisher", pa.string()),
    ("agency", pa.string()),
    ("index_number", pa.string()),
    ("generated_date", pa.date32()),
    ("published_date", pa.date32()),
    ("year", pa.int16()),
    ("province_code", pa.string()),
    ("province_name", pa.string()),
    ("region_code", pa.string()),
    ("format", pa.string()),
    ("source_type", pa.string()),
    ("text", pa.large_string()),
    ("content_sha256", pa.string()),
    ("fetched_at", pa.timestamp("us", tz="UTC")),
    ("charset", pa.string()),
    ("repairs", pa.list_(pa.string())),
    ("flags", pa.list_(pa.string())),
    ("warc_file", pa.string()),
    ("warc_offset", pa.int64()),
])

# dataset.md's cell columns, plus `content_sha256` (added): the report version a cell row belongs to,
# so that two versions of one report_id keep their cells apart.
CELLS_SCHEMA = pa.schema([
    ("report_id", pa.string()),
    ("table", pa.string()),
    ("row", pa.string()),
    ("col", pa.string()),
    ("value", pa.decimal128(18, 2)),
    ("raw", pa.string()),
    ("year", pa.int16()),
    ("province_code", pa.string()),
    ("content_sha256", pa.string()),
])

TABLES = {"reports": REPORTS_SCHEMA, "cells": CELLS_SCHEMA}

_PROVINCE_RE = re.compile(r"^(\d\d|unknown)$")


def file_schema(table: str) -> pa.Schema:
    """Schema of the columns stored inside one Parquet file of `table` (no `year`)."""
    schema = TABLES[table]
    return schema.remove(schema.get_field_index("year"))


def read_schema(table: str) -> pa.Schema:
    """Schema a reader sees: the contract columns in order, then the `province` partition key."""
    return TABLES[table].append(pa.field("province", pa.string()))


def partition_values(year, province_code) -> tuple[int, str]:
    """Checked (year, province) for a path; both end up in directory names, so nothing else gets in."""
    year = UNKNOWN_YEAR if year is None else int(year)
    if not (year == UNKNOWN_YEAR or 1900 <= year <= 2999):
        raise ValueError(f"year out of range: {year!r}")
    province = province_code or UNKNOWN_PROVINCE
    if not _PROVINCE_RE.match(province):
        raise ValueError(f"province_code must be two digits or 'unknown': {province!r}")
    return year, province


def partition_dir(table: str, year: int, province: str) -> str:
    """Relative directory of one partition, e.g. reports/year=2023/province=35."""
    return f"{table}/year={year}/province={province}"
