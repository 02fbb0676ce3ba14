"""Dates as government pages print them: regex for the common forms, dateparser only as a fallback."""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date

# Years a government page can plausibly print (1970 zero timestamps are kept: they are printed).
MIN_YEAR, MAX_YEAR = 1900, 2100

CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "〇○零Ｏ一二三四五六七八九十"
_NUM = rf"(?:\d{{1,4}}|[{_CN}]{{1,4}})"

# 2024-01-26, 2024/1/26, 2024.01.26, [2017-04-24], 2017-01-06 19:37 (one separator kind per date)
NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?!\d)")
# 2015年01月28日, 2019 年 10 月 30 日, 二〇一五年一月二十八日, 二○一七年1月6日
CHINESE_DATE = re.compile(rf"(?<!\d)({_NUM})\s*年\s*({_NUM})\s*月\s*({_NUM})\s*[日号]?")
# 20240126 only when it is the whole value (inside text it is too often an id)
COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


def _cn_number(token: str) -> int | None:
    """Arabic or Chinese numeral (digit by digit for years, with 十 for days) as an int."""
    if token.isdigit():
        return int(token)
    if "十" in token:
        tens, _, units = token.partition("十")
        high = CN_DIGITS.get(tens, None) if tens else 1
        low = CN_DIGITS.get(units, None) if units else 0
        return None if high is None or low is None else high * 10 + low
    digits = [CN_DIGITS.get(ch) for ch in token]
    return None if None in digits else int("".join(map(str, digits)))


def _make_date(year: int | None, month: int | None, day: int | None) -> date | None:
    """A real calendar date or None: never repair an impossible one into a guess."""
    if year is None or month is None or day is None or not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def iter_dates(text: str) -> Iterator[tuple[int, date]]:
    """Every valid date printed in text, as (position, date), in reading order."""
    found = []
    for match in NUMERIC_DATE.finditer(text):
        year, _, month, day = match.groups()
        found.append((match.start(), _make_date(int(year), int(month), int(day))))
    for match in CHINESE_DATE.finditer(text):
        found.append((match.start(), _make_date(*map(_cn_number, match.groups()))))
    yield from sorted((pos, day) for pos, day in found if day is not None)


def find_date(text: str, labels: Sequence[str] = ()) -> date | None:
    """The first date right after one of labels (發布時間：…), or the first date at all without labels."""
    if not labels:
        return next((day for _, day in iter_dates(text)), None)
    for label in labels:
        # a bare 日期 / 时间 counts only as a label of its own, never as the tail of 成文日期 or 办理时间
        guard = r"(?<![\u4e00-\u9fff])" if len(label) <= 2 else ""
        for match in re.finditer(guard + _spaced(label) + r"[\s:：|]*[\[【(（]?\s*", text):
            day = _date_at_start(text[match.end():match.end() + 40])
            if day:
                return day
    return None


def _spaced(label: str) -> str:
    """Regex for a label whose characters may be padded with spaces (发 布 时 间)."""
    return r"[\s\u3000]*".join(map(re.escape, label))


def _date_at_start(text: str) -> date | None:
    """The date text begins with, if it begins with one."""
    return next((day for pos, day in iter_dates(text) if pos == 0), None)


def parse_date(s: str | None) -> date | None:
    """One printed date value (label, brackets and time allowed) as a date; None when not a valid date."""
    if not s or not s.strip():
        return None
    compact = COMPACT_DATE.match(s)
    if compact:
        return _make_date(*map(int, compact.groups()))
    found = find_date(s)
    if found or _has_date_shape(s):
        return found  # a date-shaped value that failed validation (month 13) stays None
    return _dateparser_fallback(s)


def _has_date_shape(s: str) -> bool:
    """True when s looks like one of the regex forms, so dateparser must not second-guess it."""
    return bool(re.search(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}", s))


def _dateparser_fallback(s: str) -> date | None:
    """Rare forms only (short values): dateparser is ~400x slower and guesses years on long text."""
    if len(s) > 40 or not re.search(r"\d", s):
        return None
    import dateparser  # imported lazily: it costs ~0.5 s and most pages never need it

    parsed = dateparser.parse(s, languages=["zh"], settings={"REQUIRE_PARTS": ["day", "month", "year"]})
    return _make_date(parsed.year, parsed.month, parsed.day) if parsed else None
