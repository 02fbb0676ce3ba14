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
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def read_docx(body: bytes) -> Document:
    """Text and table grids of a .docx; a broken file gives flag unreadable_docx."""
    try:
        import docx  # python-docx
        element = docx.Document(io.BytesIO(body)).element.body
    except Exception:  # noqa: BLE001 - any broken package becomes a flag
        return Document(text="", source_type="docx", flags=["unreadable_docx"])
    lines: list[str] = []
    tables: list[Grid] = []
    _read_blocks(element, lines, tables)
    lines = [x for x in lines if x]
    flags = ["image_only"] if not lines and element.find(f".//{W}drawing") is not None else []
    return Document(text="\n".join(lines), tables=[t for t in tables if t],
                    title=title_line(lines), source_type="docx", flags=flags)


def _read_blocks(parent, lines: list[str], tables: list[Grid]) -> None:
    """Paragraphs and tables in document order, also inside content controls (w:sdt: cover pages, fields)
    and custom XML. A table laid out to hold other tables (a page pasted into Word) gives its inner
    tables as grids of their own."""
    for child in parent.iterchildren():
        if child.tag == W + "p":
            lines.append(clean_line(_para_text(child)))
        elif child.tag == W + "tbl":
            if child.find(f".//{W}tc//{W}tbl") is not None:
                for cell in child.iter(W + "tc"):
                    if cell.getparent().getparent() is child:     # this table's own cells only
                        _read_blocks(cell, lines, tables)
                continue
            grid = _table_grid(child)
            tables.append(grid)
            lines.extend(grid_lines(grid))
        elif child.tag in (W + "sdt", W + "customXml"):
            inner = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if inner is not None:
                _read_blocks(inner, lines, tables)


def _para_text(p) -> str:
    """A paragraph's text (runs, tabs and breaks as spaces). A text box is stored twice, as DrawingML and as
    its VML fallback: only the first is read."""
    parts = []
    for el in p.iter(W + "t", W + "tab", W + "br"):
        if any(a.tag == MC_FALLBACK for a in el.iterancestors()):
            continue
        parts.append(el.text or "" if el.tag == W + "t" else " ")
    return "".join(parts)


def _cell_text(tc) -> str:
    """A table cell's paragraphs joined by line breaks, cleaned."""
    return clean_cell("\n".join(_para_text(p) for p in tc.iter(W + "p")))


def _rows(tbl):
    """A table's rows, also those wrapped in row-level content controls."""
    for child in tbl.iterchildren():
        if child.tag == W + "tr":
            yield child
        elif child.tag == W + "sdt" and child.find(W + "sdtContent") is not None:
            yield from _rows(child.find(W + "sdtContent"))


def _cells(tr):
    """A row's cells, also those wrapped in cell-level content controls."""
    for child in tr.iterchildren():
        if child.tag == W + "tc":
            yield child
        elif child.tag == W + "sdt" and child.find(W + "sdtContent") is not None:
            yield from _cells(child.find(W + "sdtContent"))


def _val(el, path: str, default: str | None = None) -> str | None:
    """The w:val of the first element at path under el (default when absent)."""
    found = el.find(path)
    if found is None:
        return default
    return found.get(W + "val", "")


def _table_grid(tbl) -> Grid:
    """One w:tbl as a grid with gridSpan and vMerge expanded."""
    grid: Grid = []
    for tr in _rows(tbl):
        row: list[str] = [""] * int(_val(tr, f"{W}trPr/{W}gridBefore", "0") or 0)
        for tc in _cells(tr):
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

