"""Plain-text renderings (the seeds) → Document, rebuilding table rows from flattened cells.

In these texts a table became lines of `cell |` (one or several cells a line, `||` for padding).
Which line ended a table row is lost, so rows are rebuilt from the cells themselves: a row is a
run of label cells followed by a run of value cells (numbers, dashes); the next label starts a
new row. Header labels therefore land at the front of the first data row after them
(`信息内容 | 本年制发件数 | … | 规章 | 0 | 0 | 0`), which the table mapper reads left to right.
Empty cells are dropped: flattened text cannot tell padding from an empty value.
"""
from __future__ import annotations

from pipelines.model import Document, Grid
from pipelines.readers.common import clean_cell, clean_line
from pipelines.tables.values import is_value

TITLE_HINT = "报告"


def read_text(text: str) -> Document:
    """Turn a plain-text report into a Document; `|` blocks become grids."""
    lines = [line.rstrip() for line in (text or "").splitlines()]
    tables = [_rows(_cells(block)) for block in _table_blocks(lines)]
    body = "\n".join(x for x in (clean_line(line) for line in lines) if x)
    return Document(text=body, tables=[t for t in tables if t], title=_title(lines), source_type="txt")


def _table_blocks(lines: list[str]) -> list[list[str]]:
    """Runs of consecutive lines that hold a '|' cell separator."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if "|" in line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _cells(block: list[str]) -> list[str]:
    """Non-empty cell texts of a block, in reading order."""
    cells = []
    for line in block:
        parts = line.split("|")
        if line.rstrip().endswith("|"):
            parts = parts[:-1]
        cells += [c for c in (clean_cell(p) for p in parts) if c]
    return cells


def _rows(cells: list[str]) -> Grid:
    """Cut a cell sequence into rows: labels then values; a label after a value opens a row."""
    rows: Grid = []
    row: list[str] = []
    for cell in cells:
        if row and not is_value(cell) and is_value(row[-1]):
            rows.append(row)
            row = []
        row.append(cell)
    if row:
        rows.append(row)
    return rows


def _title(lines: list[str]) -> str | None:
    """The first short line that names the report."""
    for line in lines[:40]:
        line = clean_line(line)
        if TITLE_HINT in line and len(line) <= 60 and "|" not in line:
            return line
    return None
