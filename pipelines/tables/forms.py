"""The cells each form must yield, and how to tell the form and report year."""
from __future__ import annotations

import re

from pipelines.model import Grid
from pipelines.tables.labels import (FORM_2019_HEADERS, FORM_2021_HEADERS, REQUEST_COLS, REQUEST_ITEMS,
                                     REVIEW_COLS, norm_label)

_DOCS_2021 = ("issued", "repealed", "in_force")
_DOCS_2019 = ("made", "published", "total_public")
_ITEMS_2019 = ("items_last_year", "items_change", "decisions")
ACTIVE_FORM = {
    "2021": (("rules", _DOCS_2021), ("normative_docs", _DOCS_2021), ("licensing", ("decisions",)),
             ("punishment", ("decisions",)), ("enforcement", ("decisions",)), ("fees", ("amount_10k_yuan",))),
    # 2019: the form (国办公开办函〔2019〕60号) gives 处罚/强制 the same three columns as 许可.
    "2019": (("rules", _DOCS_2019), ("normative_docs", _DOCS_2019), ("licensing", _ITEMS_2019),
             ("punishment", _ITEMS_2019), ("enforcement", _ITEMS_2019),
             ("fees", ("items_last_year", "items_change")), ("procurement", ("count", "amount_10k_yuan"))),
}
OTHER_SPLIT = tuple(f"other.{key}" for key, _ in REQUEST_ITEMS["other"])
# Report year as the title/heading states it: 2023年度政府信息公开工作年度报告, 2016年政府信息公开…
_REPORT_YEAR = re.compile(r"((?:19|20)\d\d)\s*年\s*度?\s*(?:[^\s\d，。,]{0,30}?)?(?:政府信息公[开開]|政务公[开開]|信息公[开開])")
_ANY_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
# Section titles only reports in the 2019+ forms have.
_NEW_STRUCTURE = re.compile(r"收到和处理政府信息公开申请|政府信息公开行政复议、行政诉讼")


def request_rows(other_form: str) -> list[str]:
    """The requests rows in form order; other_form is 'single' or 'split'."""
    rows = ["new", "carried_over", "granted", "partly_granted"]
    for group in ("withheld", "unavailable", "not_processed"):
        rows += [f"{group}.{key}" for key, _ in REQUEST_ITEMS[group]]
    rows += ["other"] if other_form == "single" else list(OTHER_SPLIT)
    return rows + ["total", "carried_forward"]


def form_keys(form: str, other_form: str) -> list[tuple[str, str, str]]:
    """Every (table, row, col) of a form, in form order."""
    keys = [("active", row, col) for row, cols in ACTIVE_FORM[form] for col in cols]
    keys += [("requests", row, col) for row in request_rows(other_form) for col in REQUEST_COLS]
    return keys + [("review", "all", col) for col in REVIEW_COLS]


def form_from_headers(tables: list[Grid], text: str = "") -> str | None:
    """'2021' or '2019' from table 二's column headers (grid cells first, then the text)."""
    labels = [norm_label(cell) for grid in tables for row in grid for cell in row]
    for source in (labels, [norm_label(text)]):
        n21 = sum(bool(FORM_2021_HEADERS.search(x)) for x in source)
        n19 = sum(bool(FORM_2019_HEADERS.search(x)) for x in source)
        if n21 or n19:
            return "2021" if n21 >= n19 else "2019"
    return None


def report_year(title: str | None, text: str) -> int | None:
    """The report year from the title, else from the opening of the text."""
    sources = (title or "", (text or "")[:3000])
    for pattern in (_REPORT_YEAR, _ANY_YEAR):
        for source in sources:
            m = pattern.search(source)
            if m:
                return int(m.group(1))
    return None


def form_from_year(year: int | None, text: str) -> str:
    """The form a report of that year should use; structure decides when no year is known."""
    if year is None:
        return "2021" if _NEW_STRUCTURE.search(text or "") else "none"
    if year < 2019:
        return "pre2019"
    return "2019" if year <= 2020 else "2021"
