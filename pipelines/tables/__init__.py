"""Map a Document's grids onto the cells of the three standard tables (spec/tables.md).

All grids of a document are read as one stream of rows, so tables merged into one grid or
split over two are handled alike. Each row is cut into label cells (left) and value slots (the
trailing run of number-like or empty cells). Labels move a small state machine (which table,
which requests group, which active columns); a row whose labels name a canonical row emits its
values. Repeated slots from spans are collapsed by pipelines.tables.segment.

Table 四 (review) is read by its header: the label rows above its value row give each grid column
a path (行政复议 / 未经复议直接起诉 / 复议后起诉, then 结果维持 … 总计), and each value goes to the key
its column's path means; neighbouring slots under the same path holding the same value are one
cell cut by a stray grid line. Only without a usable header are the values taken in form order.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from pipelines.model import Cell, Document, Grid
from pipelines.tables import forms
from pipelines.tables.labels import (ACTIVE_COLS, ACTIVE_HEADER_START, ACTIVE_ROWS, FORM_2019_HEADERS,
                                     FORM_2021_HEADERS, REQUEST_COLS, REQUEST_GROUPS, REQUEST_ITEMS, REQUESTS_HEADER,
                                     REVIEW_COLS, REVIEW_GROUPS, REVIEW_HEADER, REVIEW_LEAF_LABELS, REVIEW_TITLE,
                                     first_match, item_anywhere, norm_label, request_item)
from pipelines.tables.segment import collapse_spans, split_values
from pipelines.tables.values import is_value, parse_value

__all__ = ["Tables", "extract_cells", "read_tables", "scan_grids"]

Key = tuple[str, str, str]


@dataclass
class _State:
    """Where the row stream currently is."""
    table: str | None = None
    group: str | None = None          # requests group (withheld, other, …)
    cols: list[str] = field(default_factory=list)   # active columns of the current header
    runs: list[int] = field(default_factory=list)   # slots each active column header spans
    cols_closed: bool = False          # a data row used cols: the next column label starts afresh
    row: str | None = None             # canonical row named by the current row's labels
    review_heads: list[list[str]] = field(default_factory=list)  # label rows of table 四 so far
    loose: bool = False                # grids from flattened text: a row must fill its columns exactly
    found: dict[Key, str] = field(default_factory=dict)
    unread: set[tuple[str, str]] = field(default_factory=set)   # (table, row) whose values did not fit


class Tables(NamedTuple):
    form: str                 # '2021', '2019', 'pre2019', 'none'
    cells: list[Cell]
    unread_rows: list[str]    # 'table.row' of flattened text whose values could not be placed (left out)


def read_tables(doc: Document) -> Tables:
    """The form and every cell of its three tables. Cells of unread rows are left out, not guessed."""
    state = _scan(doc.tables, doc.loose_tables)
    header_form = forms.form_from_headers(doc.tables, doc.text)
    year_form = forms.form_from_year(forms.report_year(doc.title, doc.text), doc.text)
    if not header_form and year_form == "pre2019":
        return Tables("pre2019", [], [])  # a pre-2019 附表 is never mapped onto the standard tables
    if not _is_standard(state.found, header_form, state.unread):
        return Tables(header_form or year_form, [], [])
    form = header_form or _form_without_headers(year_form, state.found)
    cells = _all_cells(form, state.found)
    if not doc.loose_tables:
        return Tables(form, cells, [])
    # Flattened text: a cell not read is left out (its printed value is unknown, and a null would claim the
    # page printed nothing); a row of which no cell was read (values that did not fit, a label not
    # understood) is named unread. A row printed with other columns than the form's (2019's 处罚 with 金额)
    # keeps the cells it has.
    read_rows = {k[:2] for k in state.found}
    unread = {(c.table, c.row) for c in cells if (c.table, c.row) not in read_rows}
    cells = [c for c in cells if (c.table, c.row, c.col) in state.found]
    return Tables(form, cells, sorted(f"{t}.{r}" for t, r in unread))


def extract_cells(doc: Document) -> tuple[str, list[Cell]]:
    """The form ('2021', '2019', 'pre2019', 'none') and every cell of its three tables."""
    form, cells, _ = read_tables(doc)
    return form, cells


def _is_standard(found: dict[Key, str], header_form: str | None, unread: set[tuple[str, str]]) -> bool:
    """True when the grids held a standard requests table, or table 二 under a form header."""
    request_rows = {row for table, row, _ in found if table == "requests"} | \
        {row for table, row in unread if table == "requests"}
    return len(request_rows) >= 3 or bool(header_form and any(k[0] == "active" for k in found))


def _form_without_headers(year_form: str, found: dict[Key, str]) -> str:
    """Form of standard tables whose table 二 headers were not found: year, else other-row shape."""
    if year_form in ("2019", "2021"):
        return year_form
    return "2021" if _other_form("2021", found) == "split" else "2019"


def _all_cells(form: str, found: dict[Key, str]) -> list[Cell]:
    """Every cell of the form (missing ones null with raw ''), then any extra cells found."""
    other_form = _other_form(form, found)
    keys = forms.form_keys(form, other_form)
    known = set(keys)
    extra = [k for k in found if k not in known and _belongs(k, other_form)]
    return [Cell(t, r, c, parse_value(found.get((t, r, c), "")), found.get((t, r, c), "").strip())
            for t, r, c in keys + extra]


def _other_form(form: str, found: dict[Key, str]) -> str:
    """'single' when (六)其他处理 is one row, 'split' for its three sub-rows."""
    if any(k[0] == "requests" and k[1].startswith("other.") for k in found):
        return "split"
    if any(k[:2] == ("requests", "other") for k in found):
        return "single"
    return "single" if form == "2019" else "split"


def _belongs(key: Key, other_form: str) -> bool:
    """Extra cells kept: active cells with a valid column, never the wrong other-variant."""
    table, row, _ = key
    return table == "active" or (table == "requests" and (row == "other") == (other_form == "single")
                                 and row.startswith("other"))


def scan_grids(tables: list[Grid]) -> dict[Key, str]:
    """Raw text of every standard cell found in the grids, keyed (table, row, col)."""
    return _scan(tables, loose=False).found


def _scan(tables: list[Grid], loose: bool) -> _State:
    """Read every row of every grid, in order."""
    state = _State(loose=loose)
    for grid in tables:
        for row in grid:
            _scan_row(state, row)
    return state


def _scan_row(state: _State, row: list[str]) -> None:
    """Read one row: update state from its labels, emit its values if it names a row."""
    labels, slots = _split_row(row)
    state.row = None
    was_review, group = state.table == "review", state.group
    for text, run in _runs(labels):
        _read_label(state, norm_label(text), run)
    has_values = any(s.strip() for s in slots)
    if not has_values and state.table == "requests" and any(REQUESTS_HEADER.search(norm_label(t)) for t in labels):
        state.group = group      # a header row (its 总计 and 其他 are column names) changes no group
    if state.table == "review":
        if not was_review:
            state.review_heads = []
        if not has_values:
            state.review_heads.append(list(row))
    if has_values or (slots and labels and state.row):
        _emit(state, slots, len(row) - len(slots))


def _split_row(row: list[str]) -> tuple[list[str], list[str]]:
    """(label cells, trailing value slots); an all-empty tail of a label row is no value."""
    i = len(row)
    while i > 0 and is_value(row[i - 1]):
        i -= 1
    labels, slots = row[:i], row[i:]
    if labels and not any(s.strip() for s in slots) and not _names_row(labels):
        return labels, []
    return labels, slots


def _names_row(labels: list[str]) -> bool:
    """True when a label is an active or requests row name (its empty values are nulls)."""
    for text in labels:
        label = norm_label(text)
        if first_match(label, ACTIVE_ROWS)[0] or first_match(label, REQUEST_GROUPS)[1] not in (None, "total"):
            return True
        if item_anywhere(label) or label[:1].isdigit():
            return True
    return False


def _runs(cells: list[str]) -> list[tuple[str, int]]:
    """Consecutive identical cells as (text, run length)."""
    out: list[tuple[str, int]] = []
    for cell in cells:
        if out and out[-1][0] == cell:
            out[-1] = (cell, out[-1][1] + 1)
        else:
            out.append((cell, 1))
    return out


def _read_label(state: _State, label: str, run: int) -> None:
    """Update the state from one label: table switch, active columns, row or group name."""
    if not label:
        return
    if ACTIVE_HEADER_START.search(label):
        state.table, state.cols, state.runs, state.cols_closed = "active", [], [], False
        return
    if _read_active_col(state, label, run):
        return
    matched, key = first_match(label, ACTIVE_ROWS)
    if matched:
        state.table, state.row = "active", key
        return
    _read_requests_or_review(state, label)


def _read_active_col(state: _State, label: str, run: int) -> bool:
    """Record an active column header (a form marker header also switches to table active)."""
    marker = FORM_2021_HEADERS.search(label) or FORM_2019_HEADERS.search(label)
    if (state.table != "active" and not marker) or first_match(label, REQUEST_GROUPS)[0]:
        return False
    matched, key = first_match(label, ACTIVE_COLS)
    if not matched:
        return False
    if state.cols_closed:
        state.cols, state.runs, state.cols_closed = [], [], False
    state.table = "active"
    state.cols.append(key)
    state.runs.append(run)
    return True


def _read_requests_or_review(state: _State, label: str) -> None:
    """Requests groups and sub-rows, review headers."""
    _, group = first_match(label, REQUEST_GROUPS)
    if group and (group != "total" or state.table == "requests"):
        state.table, state.group, state.row = "requests", group, group
    elif REQUESTS_HEADER.search(label):
        # a header repeated after a page or table break (Word's 重复标题行) leaves the group as it was
        if state.table != "requests" or not any(k[0] == "requests" for k in state.found):
            state.group = None
        state.table = "requests"
    elif state.table == "requests" and request_item(state.group, label):
        state.row = f"{state.group}.{request_item(state.group, label)}"
    elif item_anywhere(label):
        state.table, state.group = "requests", item_anywhere(label)[0]
        state.row = "{}.{}".format(*item_anywhere(label))
    elif REVIEW_HEADER.search(label):
        state.table, state.row = "review", "all"
    elif state.table == "requests" and state.row == state.group and state.group in REQUEST_ITEMS:
        state.row = None   # a sub-row of the group that names no known item: its values belong to no key


def _emit(state: _State, slots: list[str], offset: int = 0) -> None:
    """Store the row's values under its canonical keys (slots start at grid column offset)."""
    hint = None
    if state.table == "review":
        by_header = _review_by_header(state.review_heads, slots, offset)
        if by_header:
            for col, raw in by_header.items():
                state.found.setdefault(("review", "all", col), raw.strip())
            return
        keys, row = REVIEW_COLS, "all"
    elif state.table == "requests" and state.row:
        keys, row = REQUEST_COLS, state.row
    elif state.table == "active" and state.row:
        keys, row, hint = state.cols or _default_cols(state.row), state.row, state.runs or None
        state.cols_closed = True
    else:
        return
    if state.loose:      # flattened text: trailing blanks may be padding; a lost cell is never guessed
        values = _without_padding(slots, len(keys))
        if len(values) != len(keys):
            state.unread.add((state.table, row))
            return
    else:
        values = split_values(_without_label_blanks(slots, len(keys)), len(keys), hint)
    for col, raw in zip(keys, values):
        state.found.setdefault((state.table, row, col), raw.strip())


def _without_label_blanks(slots: list[str], n: int) -> list[str]:
    """slots without the empty cells in front of them that a row has beyond its n values: a label written
    in the first cell of a wide label area, the cells after it left empty instead of merged."""
    surplus = len(collapse_spans(slots)) - n
    while surplus > 0 and slots and not slots[0].strip():
        slots, surplus = slots[1:], surplus - 1
    return slots


def _without_padding(slots: list[str], n: int) -> list[str]:
    """slots without the empty ones beyond n: trailing first, then leading (a header line's last blank
    cell lands in front of the values of the line after it)."""
    while len(slots) > n and not slots[-1].strip():
        slots = slots[:-1]
    while len(slots) > n and not slots[0].strip():
        slots = slots[1:]
    return slots


def _default_cols(row: str) -> list[str]:
    """Columns of an active row when no header was seen (2021 form)."""
    return list(dict(forms.ACTIVE_FORM["2021"]).get(row, ()))


def _review_by_header(heads: list[list[str]], slots: list[str], offset: int) -> dict[str, str] | None:
    """Review values keyed by their columns' header paths; None when the header cannot place them.

    Every non-empty slot needs a column key (group and leaf); neighbouring slots with the same key
    are one cell when they hold the same value (or one is empty); the same key anywhere else, or
    fewer than five keys, means the header was not understood.
    """
    width = offset + len(slots)
    heads = [h for h in heads if len(h) == width]
    if not heads:
        return None
    out: dict[str, str] = {}
    prev: str | None = None
    for j, slot in enumerate(slots):
        key = _review_key([norm_label(h[offset + j]) for h in heads])
        if key is None:
            if slot.strip():
                return None
            prev = None
            continue
        if key in out:
            if key != prev:
                return None
            if not out[key].strip():
                out[key] = slot
            elif slot.strip() and norm_label(slot) != norm_label(out[key]):
                return None
            continue
        out[key] = slot
        prev = key
    return out if len(out) >= len(REVIEW_LEAF_LABELS) else None


def _review_key(path: list[str]) -> str | None:
    """'group.leaf' of one column from its header labels (top to bottom), deepest match first."""
    group = leaf = None
    for label in reversed(path):
        if not label or REVIEW_TITLE.search(label):
            continue
        if group is None:
            group = first_match(label, REVIEW_GROUPS)[1]
        if leaf is None and group is None:
            leaf = first_match(label, REVIEW_LEAF_LABELS)[1]
    return f"{group}.{leaf}" if group and leaf else None
