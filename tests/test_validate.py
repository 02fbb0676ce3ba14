"""check_identities / validate on hand-built cell lists."""
from __future__ import annotations

from decimal import Decimal

import pytest

from pipelines.model import Cell
from pipelines.tables.forms import form_keys
from pipelines.validate import check_identities, validate


def _cells(changes: dict[tuple[str, str, str], object] | None = None, form="2021"):
    """A balanced 2021-form report (new 3 = granted 3 = total 3) with some cells changed."""
    base = {("requests", r, c): 3 for r in ("new", "granted", "total") for c in ("natural_person", "total")}
    base.update({("review", "all", "review.upheld"): 1, ("review", "all", "review.total"): 1})
    base.update(changes or {})
    out = []
    for key in form_keys(form, "split"):
        v = base.get(key, 0)
        out.append(Cell(*key, None if v is None else Decimal(str(v)), "" if v is None else str(v)))
    return out


def test_balanced_report_has_no_flags():
    assert check_identities(_cells()) == []


@pytest.mark.parametrize("changes,flags", [
    ({("requests", "carried_forward", "natural_person"): 1, ("requests", "carried_forward", "total"): 1},
     ["identity_broken:requests.balance"]),
    ({("requests", "granted", "natural_person"): 2, ("requests", "granted", "total"): 2},
     ["identity_broken:requests.total"]),
    ({("requests", "new", "total"): 4, ("requests", "total", "total"): 4, ("requests", "granted", "total"): 4},
     ["identity_broken:requests.applicants"]),
    ({("review", "all", "review.total"): 2}, ["identity_broken:review.review"]),
    ({("review", "all", "suit_direct.upheld"): 1}, ["identity_broken:review.suit_direct"]),
    ({("review", "all", "suit_after_review.total"): 5}, ["identity_broken:review.suit_after_review"]),
])
def test_each_identity(changes, flags):
    assert check_identities(_cells(changes)) == flags


def test_nulls_count_as_zero_when_comparison_has_data():
    # granted.enterprise null while everything else is 0 in that column: no break
    assert check_identities(_cells({("requests", "granted", "enterprise"): None})) == []
    # total.natural_person null but granted 3: the column now breaks requests.total and balance
    flags = check_identities(_cells({("requests", "total", "natural_person"): None}))
    assert flags == ["identity_broken:requests.balance", "identity_broken:requests.total",
                     "identity_broken:requests.applicants"]


def test_all_null_comparison_skipped():
    cells = [Cell(c.table, c.row, c.col, None, "") for c in _cells()]
    assert check_identities(cells) == []


def test_validate_no_tables_and_source_flags():
    assert validate("2021", [], "text", ["image_only"]) == ["image_only", "no_tables"]
    assert validate("2019", [], "", []) == ["no_tables"]
    assert validate("pre2019", [], "", []) == []
    assert validate("2021", _cells({("review", "all", "review.total"): 2}), "", ["x", "x"]) == [
        "x", "identity_broken:review.review"]
