"""Word 97-2003 .doc (and WPS files saved in that format) → Document: text and table grids.

olefile opens the compound file; the rest follows [MS-DOC]: the FIB locates the piece table (text of the
main story) and the paragraph properties (PAPX). Paragraph properties say which paragraphs sit in a table
and which mark ends a row; the row-end paragraph's table definition gives each cell's left and right
edges (horizontal merges are just wider cells) and its vertical-merge flags. Cells are laid out on the
table's distinct edges like HTML spans, so the table mapper reads them as it reads DOCX and HTML grids.
"""
from __future__ import annotations

import bisect
import io
import re
import struct
from dataclasses import dataclass, field

from pipelines.model import Document, Grid
from pipelines.readers.common import Slot, clean_cell, clean_line, grid_lines, tidy_grid, title_line

CELL_MARK, PARA_MARK = "\x07", "\r"
FIELD_BEGIN, FIELD_SEP, FIELD_END = "\x13", "\x14", "\x15"
# Control characters inside text: line/page breaks become newlines; objects, footnote marks and
# optional hyphens vanish; a non-breaking hyphen is a hyphen.
_INLINE = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\x0e": "\n", "\x01": None, "\x02": None, "\x05": None,
                         "\x08": None, "\x1f": None, "\x1e": "-", "\xa0": " "})
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")

# Paragraph sprms ([MS-DOC] 2.6.2) and table sprms ([MS-DOC] 2.6.4).
IN_TABLE, TTP, INNER_TTP, ITAP, HUGE_PAPX = 0x2416, 0x2417, 0x244C, 0x6649, 0x6646
DEF_TABLE, CHG_TABS = 0xD608, 0xC615
MERGED, VERT_MERGE, VERT_RESTART = 0x0002, 0x0020, 0x0040
EDGE_TOLERANCE = 30   # twips: edges this close are one column boundary


class DocError(ValueError):
    """The bytes are not a Word 97-2003 document this reader can read."""


@dataclass
class Paragraph:
    text: str                     # without its mark, fields resolved
    mark: str                     # CELL_MARK or PARA_MARK
    in_table: bool = False
    row_end: bool = False
    edges: list[int] = field(default_factory=list)     # row end only: cell edges in twips
    merges: list[int] = field(default_factory=list)    # row end only: each cell's TC flags


def read_doc(body: bytes) -> Document:
    """Text and table grids of a .doc; an encrypted or broken file gives flag unreadable_doc."""
    try:
        paragraphs = _paragraphs(body)
    except Exception:  # noqa: BLE001 - any broken file becomes a flag, not a crash
        return Document(text="", source_type="doc", flags=["unreadable_doc"])
    lines, tables = _lay_out(paragraphs)
    lines = [x for x in lines if x]
    return Document(text="\n".join(lines), tables=[t for t in tables if t], title=title_line(lines),
                    source_type="doc")


# ---------------------------------------------------------------- the binary format

def _paragraphs(body: bytes) -> list[Paragraph]:
    """The main story's paragraphs with their table properties."""
    import olefile
    ole = olefile.OleFileIO(io.BytesIO(body))
    words = ole.openstream("WordDocument").read()
    ident, flags = struct.unpack_from("<H8xH", words, 0)
    if ident != 0xA5EC:
        raise DocError("no Word FIB")
    if flags & 0x0100:
        raise DocError("encrypted")
    table = ole.openstream("1Table" if flags & 0x0200 else "0Table").read()
    data = ole.openstream("Data").read() if ole.exists("Data") else b""
    ccp_text, fc_lcb = _fib(words)
    fc_clx, lcb_clx = struct.unpack_from("<II", words, fc_lcb + 33 * 8)
    fc_papx, lcb_papx = struct.unpack_from("<II", words, fc_lcb + 13 * 8)
    pieces = _pieces(table, fc_clx, lcb_clx)
    runs = _papx_runs(words, table[fc_papx:fc_papx + lcb_papx], data)
    return _split(words, pieces, ccp_text, runs)


def _fib(words: bytes) -> tuple[int, int]:
    """ccpText (characters in the main story) and where the FcLcb pairs start."""
    pos = 32
    csw = struct.unpack_from("<H", words, pos)[0]
    pos += 2 + 2 * csw
    cslw = struct.unpack_from("<H", words, pos)[0]
    ccp_text = struct.unpack_from("<i", words, pos + 2 + 3 * 4)[0]
    pos += 2 + 4 * cslw
    return ccp_text, pos + 2


def _pieces(table: bytes, fc_clx: int, lcb_clx: int) -> list[tuple[int, int, int, bool]]:
    """The piece table: (first cp, last cp, file offset, compressed) per piece."""
    clx, i = table[fc_clx:fc_clx + lcb_clx], 0
    while i < len(clx) and clx[i] == 1:                 # Prc: property modifiers, skipped
        i += 3 + struct.unpack_from("<H", clx, i + 1)[0]
    if i >= len(clx) or clx[i] != 2:
        raise DocError("no piece table")
    lcb = struct.unpack_from("<I", clx, i + 1)[0]
    plc = clx[i + 5:i + 5 + lcb]
    n = (lcb - 4) // 12
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    out = []
    for k in range(n):
        fc = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * k + 2)[0]
        compressed = bool(fc & 0x40000000)
        offset = (fc & 0x3FFFFFFF) // 2 if compressed else fc & 0x3FFFFFFF
        out.append((cps[k], cps[k + 1], offset, compressed))
    return out


def _papx_runs(words: bytes, plc: bytes, data: bytes) -> tuple[list[int], list[dict]]:
    """Paragraph properties by file offset: sorted run starts and each run's sprms."""
    starts, props = [], []
    n = (len(plc) - 4) // 8
    for pn in struct.unpack_from(f"<{n}I", plc, 4 * (n + 1)) if n > 0 else ():
        page = words[(pn & 0x3FFFFF) * 512:(pn & 0x3FFFFF) * 512 + 512]
        crun = page[511]
        fcs = struct.unpack_from(f"<{crun + 1}I", page, 0)
        for i in range(crun):
            offset = page[4 * (crun + 1) + 13 * i] * 2
            sprms = {}
            if offset:
                cb = page[offset]
                size, start = (2 * page[offset + 1], offset + 2) if cb == 0 else (2 * cb - 1, offset + 1)
                sprms = _sprms(page[start + 2:start + size], data)       # after the 2-byte style index
            starts.append(fcs[i])
            props.append(sprms)
    order = sorted(range(len(starts)), key=starts.__getitem__)
    return [starts[i] for i in order], [props[i] for i in order]


def _sprms(grpprl: bytes, data: bytes) -> dict[int, bytes]:
    """sprm → operand; a huge PAPX (properties stored in the Data stream) is read from there."""
    out, i = {}, 0
    while i + 2 <= len(grpprl):
        sprm = struct.unpack_from("<H", grpprl, i)[0]
        i += 2
        size = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}.get(sprm >> 13)
        if size is None:                                             # variable length
            if sprm == DEF_TABLE:
                size = 2 + struct.unpack_from("<H", grpprl, i)[0] - 1
            elif sprm == CHG_TABS:
                size = 1 + grpprl[i]
            else:
                size = 1 + grpprl[i] if i < len(grpprl) else 0
        out[sprm] = grpprl[i:i + size]
        i += size
    if HUGE_PAPX in out and data:
        where = struct.unpack_from("<I", out[HUGE_PAPX])[0]
        cb = struct.unpack_from("<H", data, where)[0]
        out.update(_sprms(data[where + 2:where + 2 + cb], data))
    return out


def _split(words: bytes, pieces, ccp_text: int, runs) -> list[Paragraph]:
    """Walk the main story's characters, cutting paragraphs at their marks."""
    starts, props = runs
    paragraphs, buf = [], []
    in_code = []                                                     # one flag per open field
    for cp0, cp1, offset, compressed in pieces:
        if cp0 >= ccp_text:
            break
        count = min(cp1, ccp_text) - cp0
        width = 1 if compressed else 2
        raw = words[offset:offset + count * width].decode("cp1252" if compressed else "utf-16-le", "replace")
        for k, ch in enumerate(raw):
            if ch == FIELD_BEGIN:
                in_code.append(True)
            elif ch == FIELD_SEP and in_code:
                in_code[-1] = False
            elif ch == FIELD_END and in_code:
                in_code.pop()
            elif ch in (CELL_MARK, PARA_MARK):
                fc = offset + k * width
                i = bisect.bisect_right(starts, fc) - 1
                paragraphs.append(_paragraph("".join(buf), ch, props[i] if i >= 0 else {}))
                buf = []
            elif not any(in_code):
                buf.append(ch)
    return paragraphs


def _paragraph(text: str, mark: str, sprms: dict[int, bytes]) -> Paragraph:
    """A paragraph with its table membership, and for a row end its cells' edges and merge flags."""
    itap = struct.unpack_from("<i", sprms[ITAP])[0] if len(sprms.get(ITAP, b"")) == 4 else 0
    in_table = bool(sprms.get(IN_TABLE, b"\0")[:1] != b"\0" or itap > 0)
    row_end = bool(sprms.get(TTP, b"\0")[:1] != b"\0" or sprms.get(INNER_TTP, b"\0")[:1] != b"\0")
    text = _CONTROL.sub("", text.translate(_INLINE))
    p = Paragraph(text, mark, in_table or row_end, row_end)
    if row_end and DEF_TABLE in sprms:
        p.edges, p.merges = _table_def(sprms[DEF_TABLE])
    return p


def _table_def(operand: bytes) -> tuple[list[int], list[int]]:
    """Cell edges (twips) and TC flags of one row (TDefTableOperand)."""
    n = operand[2]
    edges = list(struct.unpack_from(f"<{n + 1}h", operand, 3))
    tcs_at = 3 + 2 * (n + 1)
    flags = [struct.unpack_from("<H", operand, tcs_at + 20 * k)[0] if tcs_at + 20 * k + 2 <= len(operand) else 0
             for k in range(n)]
    return edges, flags


# ---------------------------------------------------------------- layout

def _lay_out(paragraphs: list[Paragraph]) -> tuple[list[str], list[Grid]]:
    """Text lines in document order (tables rendered as rows) and the table grids."""
    lines: list[str] = []
    tables: list[Grid] = []
    rows: list[tuple[list[str], list[int], list[int]]] = []
    cells: list[str] = []
    parts: list[str] = []
    for p in paragraphs:
        if not p.in_table:
            if rows:
                tables.append(_grid(rows))
                lines.extend(grid_lines(tables[-1]))
                rows = []
            lines.extend(clean_line(x) for x in p.text.split("\n"))
        elif p.row_end:
            rows.append((cells, p.edges, p.merges))
            cells, parts = [], []
        else:
            parts.append(p.text)
            if p.mark == CELL_MARK:
                cells.append(clean_cell("\n".join(parts)))
                parts = []
    if rows:
        tables.append(_grid(rows))
        lines.extend(grid_lines(tables[-1]))
    return lines, tables


def _grid(rows: list[tuple[list[str], list[int], list[int]]]) -> Grid:
    """Cells placed on the table's distinct edges: a wide cell fills every column it covers, a vertically
    merged continuation takes the very Slot above, as readers.common.expand_spans lays out HTML spans."""
    bounds = _snap(sorted({e for _, edges, _ in rows for e in edges}))
    grid: Grid = []
    for cells, edges, merges in rows:
        if len(edges) != len(cells) + 1:                   # no usable definition: one column per cell
            grid.append([Slot(t) for t in cells])
            continue
        row: list[str] = [""] * max(len(bounds) - 1, 0)
        previous = None
        for k, text in enumerate(cells):
            first, last = _column(bounds, edges[k]), _column(bounds, edges[k + 1])
            flags = merges[k] if k < len(merges) else 0
            if flags & VERT_MERGE and not flags & VERT_RESTART and grid and first < len(grid[-1]) and grid[-1][first]:
                slot = grid[-1][first]
            elif flags & MERGED and previous is not None:
                slot = previous
            else:
                slot = Slot(text)
            for c in range(first, max(last, first + 1)):
                row[c] = slot
            previous = slot
        grid.append(row)
    return tidy_grid(grid)


def _snap(edges: list[int]) -> list[int]:
    """Edges within EDGE_TOLERANCE of the previous kept edge fold into it."""
    kept: list[int] = []
    for e in edges:
        if not kept or e - kept[-1] > EDGE_TOLERANCE:
            kept.append(e)
    return kept


def _column(bounds: list[int], edge: int) -> int:
    """Index of the kept boundary nearest to an edge."""
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - edge))
