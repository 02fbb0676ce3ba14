"""Storage of the crawl: raw captures (WARC), Parquet datasets, crawl state. No Scrapy here.

`archive.open(root)` gives a DuckDB connection with views `reports` and `cells`. The readers are
imported lazily so that a writer process does not pay for DuckDB at start-up.
"""
__all__ = ["open", "reports_dataset", "cells_dataset"]


def __getattr__(name):
    """Load archive.reader on first use of one of its functions."""
    if name in __all__:
        from . import reader
        return getattr(reader, name)
    raise AttributeError(f"module 'archive' has no attribute {name!r}")
