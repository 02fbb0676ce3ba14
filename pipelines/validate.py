"""Check extracted cells against the identities of spec/tables.md; record breaks, never fix them.

Flags returned by check_identities (each at most once):
- identity_broken:requests.balance       new + carried_over != total + carried_forward (any column)
- identity_broken:requests.total         total != sum of result rows granted … other(.*) (any column)
- identity_broken:requests.applicants    column total != sum of the six applicant columns (any row)
- identity_broken:review.review          review.total != sum of its four results
- identity_broken:review.suit_direct     suit_direct.total != sum of its four
- identity_broken:review.suit_after_review  likewise for suits after review
A comparison whose cells are all null is skipped; when some hold data, null cells count as 0. A comparison
needing a cell that is absent (a row of flattened text that could not be read) is skipped too.

validate() adds `no_tables` for a 2019/2021-form report that yielded no cells, `rows_unread` when rows of
flattened text could not be placed, and keeps the reader's
`tables_from_layout` (cells of a PDF table with no ruling lines) only when cells came out.
"""
from __future__ import annotations

from decimal import Decimal

from pipelines.model import Cell

APPLICANTS = ("natural_person", "enterprise", "research", "public_interest", "legal_service", "other_org")
RESULT_GROUPS = ("granted", "partly_granted", "withheld.", "unavailable.", "not_processed.", "other")
REVIEW_GROUPS = ("review", "suit_direct", "suit_after_review")
REVIEW_PARTS = ("upheld", "corrected", "other", "pending")
NEW_FORMS = ("2019", "2021")

Values = dict[tuple[str, str], Decimal | None]
ABSENT = object()   # a cell the extraction left out (unread), unlike a null cell the page printed empty


def check_identities(cells: list[Cell], unread_rows: list[str] = ()) -> list[str]:
    """Flags identity_broken:<name> for every identity the cells break (`unread_rows`: 'table.row' left out)."""
    req = {(c.row, c.col): c.value for c in cells if c.table == "requests"}
    rev = {(c.row, c.col): c.value for c in cells if c.table == "review"}
    results_unread = any(r.startswith("requests.") and r[len("requests."):].startswith(RESULT_GROUPS)
                         for r in unread_rows)
    checks = (("requests.balance", _balance(req)), ("requests.total", not results_unread and _result_sum(req)),
              ("requests.applicants", _applicants(req)))
    checks += tuple((f"review.{g}", _review_group(rev, g)) for g in REVIEW_GROUPS)
    return [f"identity_broken:{name}" for name, broken in checks if broken]


def validate(format: str, cells: list[Cell], text: str, source_flags: list[str],
             unread_rows: list[str] = ()) -> list[str]:
    """The source flags plus identity breaks, no_tables and rows_unread, without duplicates."""
    flags = list(dict.fromkeys(source_flags or []))
    if not cells:   # the layout grids gave no cells: nothing for a reader to double-check
        flags = [f for f in flags if f != "tables_from_layout"]
    extra = check_identities(cells, unread_rows)
    if unread_rows:
        extra.append("rows_unread")
    if format in NEW_FORMS and not cells:
        extra.append("no_tables")
    return flags + [f for f in extra if f not in flags]


def _differs(left: list, right: list) -> bool:
    """True when both sides have data in sum and the sums differ (nulls as 0); never with an absent cell."""
    if any(v is ABSENT for v in left + right) or all(v is None for v in left + right):
        return False
    return sum((v or 0 for v in left), Decimal(0)) != sum((v or 0 for v in right), Decimal(0))


def _columns(req: Values) -> list[str]:
    """The applicant columns and total present in the requests cells."""
    return [c for c in APPLICANTS + ("total",) if any(col == c for _, col in req)]


def _balance(req: Values) -> bool:
    """new + carried_over == total + carried_forward, column by column."""
    return any(_differs([req.get(("new", c), ABSENT), req.get(("carried_over", c), ABSENT)],
                        [req.get(("total", c), ABSENT), req.get(("carried_forward", c), ABSENT)])
               for c in _columns(req))


def _result_sum(req: Values) -> bool:
    """total == sum of the result rows, column by column."""
    rows = sorted({r for r, _ in req if r.startswith(RESULT_GROUPS)})
    return any(_differs([req.get(("total", c), ABSENT)], [req.get((r, c), ABSENT) for r in rows])
               for c in _columns(req))


def _applicants(req: Values) -> bool:
    """Column total == sum of the six applicant columns, row by row."""
    rows = sorted({r for r, _ in req})
    return any(_differs([req.get((r, "total"), ABSENT)], [req.get((r, a), ABSENT) for a in APPLICANTS])
               for r in rows)


def _review_group(rev: Values, group: str) -> bool:
    """A review group's total == the sum of its four results."""
    return _differs([rev.get(("all", f"{group}.total"), ABSENT)],
                    [rev.get(("all", f"{group}.{p}"), ABSENT) for p in REVIEW_PARTS])
