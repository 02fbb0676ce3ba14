"""PDF → Document with PyMuPDF: page text without page markers, tables from the drawn grid lines.

Table rows come from the ruling geometry (page.find_tables on lines), never from text order,
because PDF text layers interleave labels and numbers. The page's vector paths are handed to the
table finder one ruling item at a time: a PDF that strokes every grid line of a page in a single
path would otherwise make the finder box the whole path, fusing two tables (and the heading
between them) into one grid with each other's column edges. The grid's slots are the strips
between the distinct cell edges (edges closer than EDGE_TOLERANCE are one); a merged cell is
repeated into every slot it covers (same Slot object, as for HTML spans), found by which cell's
box holds the slot's centre. A table that runs on at the top of the next page with the same columns and no
header row of its own is joined to the one before. No text layer → flag image_only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pymupdf

pymupdf.no_recommend_layout()  # keep the "consider pymupdf_layout" advice off stdout
pymupdf.TOOLS.mupdf_display_errors(False)   # MuPDF writes repair messages on stdout: `scrapy extract` prints JSON
pymupdf.TOOLS.mupdf_display_warnings(False)

from pipelines.model import Document, Grid
from pipelines.readers.common import Slot, clean_cell, clean_line, tidy_grid, title_line
from pipelines.readers.pdf_layout import layout_grids

# Page furniture: "- 3 -", "— 3 —", "第 3 页 共 9 页", "3 / 9". A bare number is not
# removed: table values in the text layer look the same.
PAGE_MARKER = re.compile(r"^\s*(?:[-—–－]+\s*\d+\s*[-—–－]+|第\s*\d+\s*页\s*(?:[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$")
# A first row that opens a new standard table rather than continuing one.
TABLE_OPENERS = re.compile(r"信息内容|第二十条|申请人情况|勾稽关系|行政复议|行政诉讼")
COLUMN_TOLERANCE = 3.0    # points: same column edges on both pages
EDGE_TOLERANCE = 1.5      # points: cell edges this close are one grid line
SNAP_TOLERANCE = 5.0      # points: ruling lines this close are one line (borders drawn a little off)
MAX_RULING_ITEMS = 4000   # more vector items than this: let the finder take the paths whole
CONTINUATION_TOP = 0.35   # a continued table starts in the top third of its page
MAX_WATERMARK_CHARS = 20  # text a page of a scan may carry (an app's watermark) and still be a picture


@dataclass
class _Piece:
    """One table found on one page, with what is needed to join it to the next page's."""
    page: int
    grid: Grid
    col_edges: list[float]
    top: float  # y0 as a share of the page height
    last_on_page: bool


def read_pdf(body: bytes) -> Document:
    """Text and table grids of a PDF; never raises (flags unreadable_pdf / image_only)."""
    try:
        doc = pymupdf.open(stream=body, filetype="pdf")
    except Exception:  # noqa: BLE001 - any broken file becomes a flag, not a crash
        return Document(text="", source_type="pdf", flags=["unreadable_pdf"])
    with doc:
        if doc.needs_pass:
            return Document(text="", source_type="pdf", flags=["encrypted_pdf"])
        lines = [line for page in doc for line in _page_lines(page)]
        pieces = [p for i, page in enumerate(doc) for p in _page_tables(page, i)]
        tables = _join_pieces(pieces)
        text = "\n".join(lines)
        flags = ["image_only"] if _image_only(doc, text) else []
        if not body.rstrip().endswith(b"%%EOF") and b"%%EOF" not in body[-2048:]:
            flags.append("truncated_pdf")       # the end of the file is missing: pages or tables may be too
        if not tables and text.strip():
            tables = layout_grids(doc)          # no ruling at all: rows from where the text sits
            flags += ["tables_from_layout"] if tables else []
    return Document(text=text, tables=tables, title=title_line(lines), source_type="pdf", flags=flags)


def _image_only(doc, text: str) -> bool:
    """No text layer, or only a scanner app's watermark (扫描全能王 创建) on pages that are pictures."""
    chars = len(re.sub(r"\s+", "", text))
    if chars == 0:
        return True
    pages = len(doc) or 1
    return chars <= MAX_WATERMARK_CHARS * pages and all(page.get_images() for page in doc)


def _page_lines(page) -> list[str]:
    """A page's text lines without blank lines and page markers."""
    lines = (clean_line(x) for x in page.get_text("text").splitlines())
    return [x for x in lines if x and not PAGE_MARKER.match(x)]


def _page_tables(page, index: int) -> list[_Piece]:
    """Tables ruled on one page, in reading order."""
    try:
        finder = page.find_tables(paths=_ruling_paths(page), snap_tolerance=SNAP_TOLERANCE,
                                  join_tolerance=SNAP_TOLERANCE, intersection_tolerance=SNAP_TOLERANCE)
        found = list(finder.tables)
    except Exception:  # noqa: BLE001 - table finder failures must not lose the text
        return []
    found.sort(key=lambda t: (t.bbox[1], t.bbox[0]))
    height = page.rect.height or 1
    return [_Piece(index, _table_grid(t), _col_edges(t), t.bbox[1] / height, i == len(found) - 1)
            for i, t in enumerate(found)]


def _ruling_paths(page) -> list[dict] | None:
    """The page's vector paths, one path per line / rectangle / quad item (None: finder's default).

    The table finder joins touching paths into table boxes by each path's bounding rectangle;
    a path holding the ruling of several tables would box them all together.
    """
    try:
        paths = page.get_drawings()
    except Exception:  # noqa: BLE001 - let the finder read the page itself
        return None
    if page.rotation:
        # The finder turns a rotated page upright before it reads the words; the paths must turn too.
        turn = page.rotation_matrix
        paths = [{**path, "items": [_turned(item, turn) for item in path["items"]]} for path in paths]
    out = []
    for path in paths:
        items = list(path["items"])
        if path.get("closePath") and items and items[0][0] == "l" and items[-1][0] == "l":
            items.append(("l", items[-1][2], items[0][1]))
        for item in items:
            rect = _item_rect(item)
            if rect is not None:
                out.append({**path, "items": [item], "rect": rect, "closePath": False})
    return out if len(out) <= MAX_RULING_ITEMS else None


def _turned(item, matrix):
    """A drawing item with its points transformed (lines, rectangles and quads; curves as they are)."""
    kind = item[0]
    if kind == "l":
        return ("l", item[1] * matrix, item[2] * matrix)
    if kind == "re":
        return ("re", (pymupdf.Rect(item[1]) * matrix).normalize(), *item[2:])
    if kind == "qu":
        return ("qu", pymupdf.Quad(item[1]) * matrix)
    return item


def _item_rect(item) -> pymupdf.Rect | None:
    """Bounding rectangle of one ruling item (None for curves, which never rule a table)."""
    kind = item[0]
    if kind == "l":
        return pymupdf.Rect(item[1], item[2]).normalize()
    if kind == "re":
        return pymupdf.Rect(item[1]).normalize()
    if kind == "qu":
        return pymupdf.Quad(item[1]).rect
    return None


def _table_grid(table) -> Grid:
    """A found table as a grid, merged cells repeated into the slots they cover."""
    texts = table.extract()
    boxes = [(row.cells[c], texts[r][c]) for r, row in enumerate(table.rows)
             for c in range(len(row.cells)) if row.cells[c] is not None]
    slots = {box: Slot(clean_cell(text)) for box, text in boxes}
    xs = _strip_centres([v for box, _ in boxes for v in (box[0], box[2])])
    ys = _strip_centres([v for box, _ in boxes for v in (box[1], box[3])])
    grid = [[_slot_at(slots, x, y) for x in xs] for y in ys]
    return tidy_grid(grid)


def _strip_centres(edges: list[float]) -> list[float]:
    """Centres of the strips between distinct edges (edges within EDGE_TOLERANCE are one)."""
    lines: list[float] = []
    for edge in sorted(edges):
        if not lines or edge - lines[-1] > EDGE_TOLERANCE:
            lines.append(edge)
    return [(a + b) / 2 for a, b in zip(lines, lines[1:])]


def _slot_at(slots: dict, x: float, y: float) -> str:
    """The text of the cell whose box holds (x, y), '' when none does."""
    for (x0, y0, x1, y1), slot in slots.items():
        if x0 <= x <= x1 and y0 <= y <= y1:
            return slot
    return ""


def _col_edges(table) -> list[float]:
    """Left edges of the table's grid columns (to recognise its continuation)."""
    edges = {round(cell[0], 1) for row in table.rows for cell in row.cells if cell}
    return sorted(edges | {round(table.bbox[2], 1)})


def _join_pieces(pieces: list[_Piece]) -> list[Grid]:
    """Grids in order, a table continued on the next page joined to its first part."""
    grids: list[Grid] = []
    prev: _Piece | None = None
    for piece in pieces:
        if prev and grids and _continues(prev, piece):
            grids[-1] = grids[-1] + piece.grid
        elif piece.grid:
            grids.append(piece.grid)
        prev = piece
    return grids


def _continues(prev: _Piece, piece: _Piece) -> bool:
    """True when piece carries on prev: next page, top of it, same columns, no header row."""
    if piece.page != prev.page + 1 or not prev.last_on_page or piece.top > CONTINUATION_TOP:
        return False
    if len(prev.col_edges) != len(piece.col_edges) or not piece.grid:
        return False
    if any(abs(a - b) > COLUMN_TOLERANCE for a, b in zip(prev.col_edges, piece.col_edges)):
        return False
    first = piece.grid[0]
    return first != prev.grid[0] and not any(TABLE_OPENERS.search(c) for c in first)
