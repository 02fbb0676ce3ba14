"""Small text helpers shared by the readers (cell text, grid clean-up)."""
from __future__ import annotations

import re
import unicodedata

from pipelines.model import Grid

# Spaces that Word/TRS pages use for padding: NBSP, ideographic space, zero-width marks.
_SPACES = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
# A space between two digits (or a digit and a decimal point) is a span split, not a gap.
_SPLIT_NUMBER = re.compile(r"(?<=[\d.,])\s+(?=[\d.,])")
# Line breaks between two CJK characters come from narrow or vertical cells: drop them.
_CJK_BREAK = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s*\n\s*(?=[\u3000-\u9fff\uff00-\uffef\d])")


# PDF text layers often map glyphs to CJK compatibility ideographs or Kangxi radicals
# (U+F967 for 不, U+2F00 for 一): fold just those to the unified ideographs.
_COMPAT = re.compile(r"[\u2e80-\u2fdf\uf900-\ufaff]")


def fix_compat_chars(text: str) -> str:
    """Replace compatibility ideographs / Kangxi radicals by their unified ideographs."""
    return _COMPAT.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def clean_cell(text: str | None) -> str:
    """Normalise one cell's text: join broken lines and split numbers, collapse spaces."""
    if not text:
        return ""
    text = _CJK_BREAK.sub("", fix_compat_chars(text).replace("\r", "\n"))
    text = _SPACES.sub(" ", text).strip()
    return _SPLIT_NUMBER.sub("", text)


def clean_line(text: str) -> str:
    """Collapse padding spaces inside one text line (compatibility ideographs folded)."""
    return _SPACES.sub(" ", fix_compat_chars(text)).strip()


def tidy_grid(grid: Grid) -> Grid:
    """Pad rows to one width, drop empty rows and columns that are empty in every row (ghosts)."""
    rows = [row for row in grid if any(cell.strip() for cell in row)]
    if not rows:
        return []
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    keep = [j for j in range(width) if any(row[j].strip() for row in rows)]
    return [[row[j] for j in keep] for row in rows]


def grid_lines(grid: Grid) -> list[str]:
    """Render a grid as text lines, cells joined by ' | ' (spanned repeats collapsed)."""
    lines = []
    for row in grid:
        cells = [c for i, c in enumerate(row) if c and (i == 0 or not _same_span(c, row[i - 1]))]
        lines.append(" | ".join(cells))
    return lines


def _same_span(a: str, b: str) -> bool:
    """True when two neighbouring slots are one spanned cell (plain strs: equal text)."""
    return a is b if isinstance(a, Slot) else a == b


SENTENCE_MARK = re.compile(r"[，。；,;：:]")


def title_candidates(lines: list[str], limit: int = 40, joinable=lambda first, second: True):
    """Each of the first lines, and after it the line joined to the next one when the two can be one title
    broken in two (a centred title wrapped: "…2022年政府信息公开" / "工作年度报告", "…年度报" / "告")."""
    lines = lines[:limit]
    for i, line in enumerate(lines):
        yield line
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if following and len(line) <= 40 and len(following) <= 30 and not line.endswith(("报告", "年报")) \
                and not SENTENCE_MARK.search(line + following) and joinable(line, following):
            yield line + following


def title_line(lines: list[str], hint: str = "报告") -> str | None:
    """The first short line (or wrapped pair of lines) naming the report: a document's title when it has
    no metadata."""
    for line in title_candidates(lines, 20):
        if hint in line and len(line) <= 60:
            return line
    return None


def join_lines(lines: list[str]) -> str:
    """Join non-empty cleaned lines with newlines."""
    return "\n".join(line for line in (clean_line(x) for x in lines) if line)


class Slot(str):
    """Cell text placed by expand_spans: every slot a span covers holds the same Slot object.

    It compares and serialises like the plain str it is; the table mapper uses `is` between
    neighbouring slots to tell a repeated span from two cells that merely print the same number.
    """
    __slots__ = ()


def expand_spans(rows: list[list[tuple[str, int, int]]]) -> Grid:
    """Lay out (text, rowspan, colspan) cells on a grid, repeating a spanned text into every slot."""
    grid: dict[tuple[int, int], str] = {}
    for r, cells in enumerate(rows):
        c = 0
        for text, rowspan, colspan in cells:
            while (r, c) in grid:
                c += 1
            text = Slot(text)
            for dr in range(max(rowspan, 1)):
                for dc in range(max(colspan, 1)):
                    grid.setdefault((r + dr, c + dc), text)
            c += max(colspan, 1)
    if not grid:
        return []
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(min(height, len(rows)))]
