"""DOCX → Document: paragraphs and tables in document order.

Merged cells are laid out like HTML spans: a gridSpan cell fills each grid column it spans,
and a vMerge continuation cell takes the very Slot object of the cell above, so the table
mapper sees one spanned cell either way. gridBefore/gridAfter padding cells stay empty.
"""
from __future__ import annotations

import io

from pipelines.model import Document, Grid
from pipelines.readers.common import Slot, clean_cell, clean_line, grid_lines, tidy_grid, title_line

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(body: bytes) -> Document:
    """Text and table grids of a .docx; a broken file gives flag unreadable_docx."""
    try:
        import docx  # python-docx
        element = docx.Document(io.BytesIO(body)).element.body
    except Exception:  # noqa: BLE001 - any broken package becomes a flag
        return Document(text="", source_type="docx", flags=["unreadable_docx"])
    lines: list[str] = []
    tables: list[Grid] = []
    for child in element.iterchildren():
        if child.tag == W + "p":
            lines.append(clean_line(_para_text(child)))
        elif child.tag == W + "tbl":
            grid = _table_grid(child)
            tables.append(grid)
            lines.extend(grid_lines(grid))
    lines = [x for x in lines if x]
    return Document(text="\n".join(lines), tables=[t for t in tables if t],
                    title=title_line(lines), source_type="docx")


def _para_text(p) -> str:
    """A paragraph's text (runs, tabs and breaks as spaces)."""
    parts = []
    for el in p.iter(W + "t", W + "tab", W + "br"):
        parts.append(el.text or "" if el.tag == W + "t" else " ")
    return "".join(parts)


def _cell_text(tc) -> str:
    """A table cell's paragraphs joined by line breaks, cleaned."""
    return clean_cell("\n".join(_para_text(p) for p in tc.iter(W + "p")))


def _val(el, path: str, default: str | None = None) -> str | None:
    """The w:val of the first element at path under el (default when absent)."""
    found = el.find(path)
    if found is None:
        return default
    return found.get(W + "val", "")


def _table_grid(tbl) -> Grid:
    """One w:tbl as a grid with gridSpan and vMerge expanded."""
    grid: Grid = []
    for tr in tbl.iterchildren(W + "tr"):
        row: list[str] = [""] * int(_val(tr, f"{W}trPr/{W}gridBefore", "0") or 0)
        for tc in tr.iterchildren(W + "tc"):
            span = int(_val(tc, f"{W}tcPr/{W}gridSpan", "1") or 1)
            merge = _val(tc, f"{W}tcPr/{W}vMerge")
            col = len(row)
            if merge in ("", "continue") and grid and col < len(grid[-1]):
                slot = grid[-1][col]
            else:
                slot = Slot(_cell_text(tc))
            row.extend([slot] * max(span, 1))
        grid.append(row)
    return tidy_grid(grid)

