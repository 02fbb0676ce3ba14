"""Plain-text renderings (the seeds) → Document, rebuilding table rows from flattened cells.

In these texts a table became lines of `cell |` (one or several cells a line, `||` for padding), of
tab-separated cells (a browser's copy of a table), or, with no separator left at all, one cell a line
between the table sections' headings. Which line ended a table row is lost, so rows are rebuilt from
the cells themselves: a row is a run of label cells followed by a run of value cells (numbers,
dashes); the next label starts a new row. Header labels therefore land at the front of the first
data row after them (`信息内容 | 本年制发件数 | … | 规章 | 0 | 0 | 0`), which the table mapper reads left
to right.

Empty cells: `||` padding is dropped; an empty cell among a line's values, and a ` |` line of its own,
is a blank value (null). Without any separator, cells are a line each or split off by spaces.
Grids read from text are `loose`: a row whose values do not fill its columns is left unread rather
than shifted (pipelines.tables).
"""
from __future__ import annotations

import re
from typing import NamedTuple

from pipelines.model import Document, Grid
from pipelines.readers.common import clean_cell, clean_line
from pipelines.tables.values import is_value

TITLE_HINT = "报告"
# A line that joins the pieces of a label cell broken over two lines (<br> inside a cell).
MAX_FRAGMENT_CHARS = 40
# Table sections of the 2019+ forms (二、主动公开… to 四、…行政诉讼), and the heading that follows them.
TABLES_START = re.compile(r"^二[、.．]\s*主动公开")
TABLES_END = re.compile(r"^[五六][、.．]")


def read_text(text: str) -> Document:
    """Turn a plain-text report into a Document; `|`/tab blocks (or bare cell lines) become grids."""
    lines = [line.rstrip() for line in (text or "").splitlines()]
    tables = [_rows(_cells(block)) for block in _table_blocks(lines)]
    if not any(cell and is_value(cell) for grid in tables for row in grid for cell in row):
        tables += [_rows(_cells(block)) for block in _bare_table_blocks(lines)]   # no separator survived
    body = "\n".join(x for x in (clean_line(line) for line in lines) if x)
    return Document(text=body, tables=[t for t in tables if t], title=_title(lines), source_type="txt",
                    loose_tables=True)


class Line(NamedTuple):
    parts: list[str]      # the cells as split, padding included
    tabbed: bool          # split on tabs (every empty field is a cell), not on '|'


def _split(line: str) -> Line | None:
    """The cells of a table line ('|' or tab separated), or None for a line of prose."""
    if "|" in line:
        return Line(line.split("|"), False)
    parts = line.split("\t")
    if len([p for p in parts if p.strip()]) >= 2:
        return Line(parts, True)
    return None


def _table_blocks(lines: list[str]) -> list[list[Line]]:
    """Runs of table lines, each line as its cells. A short line without a separator between two table
    lines is a cell of its own (a label broken over two lines); blank lines inside a run are skipped."""
    blocks: list[list[Line]] = []
    current: list[Line] = []
    for i, line in enumerate(lines):
        cells = _split(line)
        if cells is not None:
            current.append(cells)
        elif current and (not line.strip() or _fragment(line)) and _next_is_table(lines, i + 1):
            if line.strip():
                current.append(Line([line], False))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _fragment(line: str) -> bool:
    """A short piece of text that can be part of a cell (not a sentence, not a section heading)."""
    text = clean_line(line)
    return 0 < len(text) <= MAX_FRAGMENT_CHARS and not re.search(r"[。；;]", text) \
        and not re.match(r"^[一二三四五六七八九十]+、.*(?:情况|问题|事项|措施)$", text)


def _next_is_table(lines: list[str], start: int) -> bool:
    """True when the next non-blank line is a table line."""
    for line in lines[start:]:
        if line.strip():
            return _split(line) is not None
    return False


def _bare_table_blocks(lines: list[str]) -> list[list[Line]]:
    """No separators at all: the lines between 二、主动公开… and the 五、 heading, one cell a line or cells
    separated by spaces."""
    block: list[Line] = []
    inside = False
    for line in lines:
        text = clean_line(line)
        if TABLES_START.match(text):
            inside = True
        elif inside and TABLES_END.match(text):
            break
        if inside and text:
            block.append(Line(_space_cells(text), False))
    return [block] if block else []


def _space_cells(text: str) -> list[str]:
    """The cells of a line whose cells only spaces separate (pdftotext's "规章 0 0 0"): the values at its
    end, and before them its words as labels, unless a word is a single character (自 然 人 is one label)."""
    tokens = text.split(" ")
    values = 0
    while values < len(tokens) and is_value(tokens[len(tokens) - 1 - values]):
        values += 1
    labels = tokens[:len(tokens) - values]
    if len(labels) > 1 and any(len(t) < 2 for t in labels):
        labels = [" ".join(labels)]
    return labels + tokens[len(tokens) - values:]


def _cells(block: list[Line]) -> list[str]:
    """Cell texts of a block in reading order, blank values kept, padding dropped (see _is_blank_value)."""
    cells: list[str] = []
    for parts, tabbed in block:
        texts = [clean_cell(p) for p in parts]
        filled = [i for i, t in enumerate(texts) if t]
        if not filled:
            if not tabbed and any(p and not p.strip() for p in parts):
                cells.append("")        # " |": a blank cell on its own line (bare "|" and "||" are padding)
            continue
        for i in range(filled[0], len(texts)):
            if texts[i] or _is_blank_value(parts, texts, i, tabbed):
                cells.append(texts[i])
    return cells


def _is_blank_value(parts: list[str], texts: list[str], i: int, tabbed: bool) -> bool:
    """An empty cell that stands for a blank value: between '|'s it holds a space (bare '||' is padding;
    between tabs every empty field is a cell), and no label follows it on the line. Trailing blanks may
    still be padding: the table mapper drops those a row has too many of."""
    if not tabbed and parts[i] == "":
        return False
    following = next((t for t in texts[i + 1:] if t), None)
    return following is None or is_value(following)


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
