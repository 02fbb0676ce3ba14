"""Cell values: tell a value cell from a label, and read the printed number."""
from __future__ import annotations

import re
from functools import lru_cache
from decimal import Decimal, InvalidOperation

# Marks that stand for "no value" (null, not 0).
# A lone '?' is a space lost in transcoding: an empty cell.
NULL_MARKS = frozenset({"", "—", "——", "-", "--", "－", "–", "/", "／", "\\", "无", "空", "×", "x", "X", "?", "？"})
# A printed number: optional 增/减 sign, digits with separators, a unit, a stray '?' or '*' (a leading '?'
# is a lost &nbsp; of Word's cell padding).
VALUE_RE = re.compile(
    r"^[?？]*(?P<sign>[增减+\-−])?\s*(?P<num>\d[\d,，]*(?:[.．]\d+)?|[.．]\d+)\s*"
    r"(?:万元|元|件|个|项|批|次|条|人|%|％)?\s*[?？*＊]*$"
)
_SPACE = re.compile(r"[\s\u00a0\u3000]+")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def norm_value(raw: str) -> str:
    """Strip spaces and turn full-width digits into ASCII for matching."""
    return _SPACE.sub("", raw or "").translate(_FULLWIDTH_DIGITS)


@lru_cache(maxsize=4096)
def is_value(raw: str) -> bool:
    """True for a number-like cell or a null mark (a label is anything else)."""
    text = norm_value(raw)
    return text in NULL_MARKS or bool(VALUE_RE.match(text))


def parse_value(raw: str) -> Decimal | None:
    """The Decimal printed in a cell (None for dashes, empty or no number); 增/减 give the sign."""
    m = VALUE_RE.match(norm_value(raw))
    if not m:
        return None
    digits = m.group("num").replace(",", "").replace("，", "").replace("．", ".")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    return -value if m.group("sign") in ("减", "-", "−") else value
