"""PDF tables drawn without ruling lines: rows rebuilt from where the text sits.

Used only when a PDF has no ruled table at all. Text spans are grouped into visual lines (by vertical
centre) and, within a line, into cells (by horizontal gaps). A line holding numbers is a table row; the
label-only lines just above it are its labels (group labels centred in a tall cell, labels wrapped
over two lines). A wrapped label's first part is joined to the text that continues it in the same
column. Running text (long lines, sentence ends) separates tables. Rows keep their cells left to right,
as flattened-text tables do (readers.text), and the table mapper reads them the same way; an empty cell
is put back where the rows under the same header line have a value column.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.model import Grid
from pipelines.readers.common import clean_cell
from pipelines.tables.values import is_value

GAP = 0.8            # a horizontal gap wider than this many font sizes separates two cells
SAME_LINE = 0.5      # spans whose vertical centres differ by less than this many font sizes share a line
COLUMN_GAP = 8.0     # points: value centres closer than this sit in one column
MAX_LABEL = 40       # a label-only line longer than this is running text, not part of a table
SENTENCE_END = re.compile(r"[。；;！!]$")
PAGE_MARKER = re.compile(r"^[-—–\s]*\d+[-—–\s]*$|^第\s*\d+\s*页")


@dataclass
class _Cell:
    x0: float
    x1: float
    text: str

    def under(self, other: "_Cell") -> bool:
        """Within other's width: the next line of the same cell (left-aligned or centred)."""
        return other.x0 - 2.0 <= self.x0 and self.x1 <= other.x1 + 2.0


def layout_grids(doc) -> list[Grid]:
    """Grids of the unruled tables of a pymupdf document, in reading order."""
    lines = [line for page in doc for line in _page_lines(page)]
    grids: list[Grid] = []
    table: Grid = []
    run: list[list[_Cell]] = []          # rows under one header line: their values share columns
    header: list[_Cell] = []
    label_end = 0.0                      # right edge of the run's row labels, as printed on the rows' lines
    labels: list[list[_Cell]] = []
    for cells in lines:
        texts = [c.text for c in cells]
        if any(is_value(t) for t in texts):
            run.append(_join_wrapped(labels, cells))
            label_end = max([label_end] + [c.x1 for c in cells if not is_value(c.text)])
            labels = []
        elif len(cells) == 1 and (len(texts[0]) > MAX_LABEL or SENTENCE_END.search(texts[0])):
            table.extend(_aligned(run, header, label_end))
            if table:                    # running text: the table before it is over
                grids.append(table)
            table, run, header, labels, label_end = [], [], [], [], 0.0
        else:
            if len(cells) >= 2:          # a header line: the rows below it have its columns
                table.extend(_aligned(run, header, label_end))
                run, header, label_end = [], cells, 0.0
            labels.append(cells)
    table.extend(_aligned(run, header, label_end))
    if table:
        grids.append(table)
    return [g for g in grids if len(g) >= 2]


def _page_lines(page) -> list[list[_Cell]]:
    """A page's visual lines, top to bottom, each a list of cells left to right."""
    spans = [(s["bbox"], s["text"], s["size"] or 10.0)
             for block in page.get_text("dict")["blocks"] for line in block.get("lines", [])
             for s in line["spans"] if s["text"].strip()]
    spans.sort(key=lambda s: ((s[0][1] + s[0][3]) / 2, s[0][0]))
    lines, current, centre = [], [], 0.0
    for box, text, size in spans:
        y = (box[1] + box[3]) / 2
        if current and abs(y - centre) > size * SAME_LINE:
            lines.append(current)
            current = []
        if not current:
            centre = y
        current.append((box, text, size))
    if current:
        lines.append(current)
    out = [_cells(line) for line in lines]
    return [cells for cells in out if cells and not (len(cells) == 1 and PAGE_MARKER.match(cells[0].text))]


def _cells(line) -> list[_Cell]:
    """Spans of one visual line merged into cells wherever no wide gap parts them."""
    line = sorted(line, key=lambda s: s[0][0])
    cells: list[_Cell] = []
    right = None
    for box, text, size in line:
        if cells and box[0] - right <= size * GAP:
            cells[-1].text += text
            cells[-1].x1 = box[2]
        else:
            cells.append(_Cell(box[0], box[2], text))
        right = box[2]
    return [_Cell(c.x0, c.x1, clean_cell(c.text)) for c in cells if clean_cell(c.text)]


def _join_wrapped(labels: list[list[_Cell]], row: list[_Cell]) -> list[_Cell]:
    """One table row: the pending label lines, then the row's own cells. A label cut at its cell's edge
    is joined to the text below it in the same column, and the joined label takes the place of that
    continuation (after a group label centred between the two lines)."""
    out: list[_Cell] = []
    for cell in [cell for line in labels for cell in line] + list(row):
        above = next((c for c in reversed(out) if cell.under(c)), None)
        if above is not None and not is_value(cell.text) and not is_value(above.text) and _wrapped(above.text) \
                and not ITEM_START.match(cell.text):
            out.remove(above)
            cell = _Cell(above.x0, above.x1, above.text + cell.text)
        out.append(cell)
    return out


def _aligned(rows: list[list[_Cell]], header: list[_Cell], label_end: float) -> Grid:
    """Rows as text, an empty cell put back wherever a row has no value in a column that its header line
    or its neighbours' values show (flattened text would shift the later values left into it)."""
    columns = _columns([_centre(c) for row in rows for c in _values(row)])
    headed = [_centre(c) for c in header if _centre(c) > label_end]
    if len(headed) > len(columns):       # a column empty in every row: the header still names it
        columns = headed
    out: Grid = []
    for row in rows:
        values = _values(row)
        labels = [c.text for c in row[:len(row) - len(values)]]
        slots = [""] * len(columns)
        for cell in values:
            nearest = min(range(len(columns)), key=lambda i: abs(columns[i] - _centre(cell)))
            if slots[nearest]:           # two values in one column: keep them as printed
                slots = [c.text for c in values]
                break
            slots[nearest] = cell.text
        out.append(labels + (slots if len(values) < len(columns) else [c.text for c in values]))
    return out


def _values(row: list[_Cell]) -> list[_Cell]:
    """The trailing value cells of a row."""
    i = len(row)
    while i > 0 and is_value(row[i - 1].text):
        i -= 1
    return row[i:]


def _centre(cell: _Cell) -> float:
    return (cell.x0 + cell.x1) / 2


def _columns(centres: list[float]) -> list[float]:
    """Column positions: value centres closer than COLUMN_GAP points belong to one column."""
    columns: list[list[float]] = []
    for x in sorted(centres):
        if columns and x - columns[-1][-1] <= COLUMN_GAP:
            columns[-1].append(x)
        else:
            columns.append([x])
    return [sum(c) / len(c) for c in columns]


# A label that opens an item of its own (3.其他, （二）部分公开, 四、…): never the tail of the label above.
ITEM_START = re.compile(r"^(?:\d+[.、．]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|[①-⑳])")


def _wrapped(text: str) -> bool:
    """A label cut at the cell edge: it does not end like a finished label (closing bracket, 情况)."""
    return len(text) >= 8 and not re.search(r"(?:[)）】」]|情况)$", text)
