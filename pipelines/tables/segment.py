"""Split a row's value slots into logical columns when colspans repeated values.

Readers repeat a spanned cell's text into every slot it covers, and Word tables often span
header and data cells differently (header 本年增/减 over slots 2-3, data 20 over slots 1-2).
Readers that know the spans (HTML, DOCX, PDF) put the same str object into every slot of one
span, so those repeats are merged exactly. Otherwise (hand-made grids) a row of m slots holding
n logical values is cut into n runs of identical slots: the header's own run lengths are
preferred when they fit, otherwise the first fitting cut.
"""
from __future__ import annotations

MAX_SLOTS = 40  # beyond this a row is not one of the standard tables: do not enumerate cuts


def split_values(slots: list[str], n: int, hint: list[int] | None = None) -> list[str]:
    """n values out of m slots (first slot of each run); short rows are padded with ''."""
    collapsed = collapse_spans(slots)
    if len(collapsed) != len(slots):
        if len(collapsed) <= n:
            return collapsed + [""] * (n - len(collapsed))
        slots, hint = collapsed, None  # ghost cells left over: cut the span-free row below
    m = len(slots)
    if m <= n:
        return slots + [""] * (n - m)
    if hint and sum(hint) == m and len(hint) == n and _fits(slots, hint):
        return _firsts(slots, hint)
    cut = _first_cut(slots, 0, n) if m <= MAX_SLOTS else None
    if cut:
        return _firsts(slots, cut)
    if hint and sum(hint) == m and len(hint) == n:
        return _firsts(slots, hint)
    return slots[:n]


def collapse_spans(slots: list[str]) -> list[str]:
    """Merge neighbouring slots that are one spanned cell (the same object, see readers.common.Slot)."""
    out: list[str] = []
    for slot in slots:
        if out and slot is out[-1] and type(slot) is not str:
            continue
        out.append(slot)
    return out


def _fits(slots: list[str], runs: list[int]) -> bool:
    """True when every run covers identical slots."""
    i = 0
    for length in runs:
        if len(set(slots[i:i + length])) != 1:
            return False
        i += length
    return True


def _firsts(slots: list[str], runs: list[int]) -> list[str]:
    """The first slot of each run."""
    out, i = [], 0
    for length in runs:
        out.append(slots[i])
        i += length
    return out


def _first_cut(slots: list[str], start: int, parts: int) -> list[int] | None:
    """Run lengths cutting slots[start:] into `parts` runs of identical slots (depth-first)."""
    left = len(slots) - start
    if parts == 1:
        return [left] if len(set(slots[start:])) == 1 else None
    length = 1
    while length <= left - parts + 1 and slots[start + length - 1] == slots[start]:
        rest = _first_cut(slots, start + length, parts - 1)
        if rest:
            return [length] + rest
        length += 1
    return None
