"""extract_cells on the seeds (read_text) and on the real putian pages (read_html)."""
from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.model import Document
from pipelines.readers import read_html, read_text
from pipelines.tables import extract_cells, scan_grids
from pipelines.tables.forms import form_keys
from pipelines.tables.values import parse_value
from pipelines.validate import check_identities

SHARED = Path("/work/shared")
SEEDS = SHARED / "seeds"
PUTIAN = SHARED / "real" / "putian"
EXPECTED = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))
TABLE_SEEDS = ["000_584fafdb8938b179.txt", "002_e296cff3f23d13d6.txt", "003_84a5a362a254afd3.txt",
               "004_3c155908ceb5ee0f.txt"]


def _seed(name: str):
    """(format, {(table, 'row.col'): Cell}) of a seed text."""
    form, cells = extract_cells(read_text((SEEDS / name).read_text(encoding="utf-8")))
    return form, {(c.table, f"{c.row}.{c.col}"): c for c in cells}


_SEED_CACHE = {name: _seed(name) for name in TABLE_SEEDS}


def _seed_cases():
    """One case per cell of the seed's form: expected value (non-zero as listed, else 0)."""
    for name in TABLE_SEEDS:
        exp = EXPECTED[name]
        nonzero = {(t, k): v for t, cells in exp["nonzero_cells"].items() for k, v in cells.items()}
        other = "single" if exp.get("other_row_form") == "single" else "split"
        for table, row, col in form_keys(exp["format"], other):
            want = nonzero.get((table, f"{row}.{col}"), 0)
            yield pytest.param(name, table, f"{row}.{col}", want, id=f"{name[:3]}-{table}-{row}.{col}")


@pytest.mark.parametrize("name,table,key,want", list(_seed_cases()))
def test_seed_cell(name, table, key, want):
    cells = _SEED_CACHE[name][1]
    assert (table, key) in cells
    assert cells[(table, key)].value == Decimal(str(want))


@pytest.mark.parametrize("name", TABLE_SEEDS)
def test_seed_format_count_and_identities(name):
    form, cells = _SEED_CACHE[name]
    other = "single" if EXPECTED[name].get("other_row_form") == "single" else "split"
    assert form == EXPECTED[name]["format"] == "2021"
    assert set(cells) == {(t, f"{r}.{c}") for t, r, c in form_keys(form, other)}
    assert check_identities(list(cells.values())) == []


def test_seed_004_single_other_row_and_raw_mark():
    cells = _SEED_CACHE["004_3c155908ceb5ee0f.txt"][1]
    assert ("requests", "other.natural_person") in cells
    assert not any(k.startswith("other.no_correction") for _, k in cells)
    mark = cells[("requests", "unavailable.unclear.other_org")]
    assert (mark.value, mark.raw) == (Decimal(0), "0?")


def test_seed_003_decimal_fee():
    fee = _SEED_CACHE["003_84a5a362a254afd3.txt"][1][("active", "fees.amount_10k_yuan")]
    assert (fee.value, fee.raw) == (Decimal("2380.31"), "2380.31")


def test_seed_001_pre2019_has_no_cells():
    form, cells = extract_cells(read_text((SEEDS / "001_26d78d44b29d2cd6.txt").read_text(encoding="utf-8")))
    assert (form, cells) == ("pre2019", [])


# ------------------------------------------------------------------ putian pages
INDEX = list(csv.DictReader((PUTIAN / "index.tsv").open(encoding="utf-8"), delimiter="\t"))
FORMS = {"2019form": "2019", "2021form": "2021", "pre2019": "pre2019"}
# Identities each page breaks, with the reason visible in the page. None of the 22 pages of
# form 2019/2021 breaks one: their printed tables balance (checked by hand on the five pages
# with non-zero requests, e.g. 城管局2025: 新收19 = 总计18 + 结转下年1).
BROKEN: dict[str, list[str]] = {}


def _putian(row):
    """(format, cells) of one putian page."""
    html = (PUTIAN / row["file"]).read_text(encoding="utf-8")
    return extract_cells(read_html(html, row["url"]))


@pytest.mark.parametrize("row", INDEX, ids=[r["file"][22:-5] for r in INDEX])
def test_putian_page(row):
    form, cells = _putian(row)
    assert form == FORMS[row["form"]]
    if form == "pre2019":
        assert cells == []
        return
    keys = [(c.table, c.row, c.col) for c in cells]
    other = "single" if form == "2019" else "split"
    assert keys == form_keys(form, other)
    assert {c.table for c in cells} == {"active", "requests", "review"}
    assert all(c.value is not None for c in cells)  # every printed cell holds a number here
    assert check_identities(cells) == BROKEN.get(row["file"], [])


PUTIAN_SPOT = {
    # 林业局2019: Word table with data spans unlike header spans (上一年项目数量 133 over two slots).
    "zfxxgk_bmzfxxgk_ptslyj_zfxxgk_zfxxgknb_202001_1440015.html": {
        ("active", "punishment", "items_last_year"): "133", ("active", "punishment", "items_change"): "+3",
        ("active", "punishment", "decisions"): "7", ("active", "licensing", "items_change"): "-6",
        ("active", "enforcement", "items_change"): "0", ("requests", "unavailable.not_held", "natural_person"): "1"},
    # 审计局2020: 行政处罚 16 spans two slots, then 0 and 0 (not 16, 16, 0).
    "zfxxgk_bmzfxxgk_ptsjj_zfxxgk_zfxxgknb_202101_1558558.html": {
        ("active", "punishment", "items_last_year"): "16", ("active", "punishment", "items_change"): "0",
        ("active", "procurement", "amount_10k_yuan"): "160200元", ("requests", "new", "research"): "1"},
    # 城管局2023: review pending 1, public-interest applicant.
    "zfxxgk_bmzfxxgk_ptcg_zfxxgk_zfxxgknb_202401_1899110.html": {
        ("review", "all", "review.pending"): "1", ("requests", "new", "public_interest"): "1",
        ("active", "fees", "amount_10k_yuan"): "279.44", ("requests", "unavailable.not_held", "total"): "13"},
    # 应急局2023: numbers padded with runs of &nbsp; and U+3000.
    "zfxxgk_bmzfxxgk_yjglj_zfxxgk_zfxxgknb_202401_1899491.html": {
        ("active", "licensing", "decisions"): "1039", ("active", "fees", "amount_10k_yuan"): "60.2642",
        ("requests", "new", "enterprise"): "1"},
}


@pytest.mark.parametrize("file", sorted(PUTIAN_SPOT))
def test_putian_spot_values(file):
    row = next(r for r in INDEX if r["file"] == file)
    cells = {(c.table, c.row, c.col): c.raw for c in _putian(row)[1]}
    assert {k: cells[k] for k in PUTIAN_SPOT[file]} == PUTIAN_SPOT[file]


# ------------------------------------------------------------------ label variants, values
def test_label_variants_and_merged_tables():
    """Spaced labels, half-width brackets, 规范性文件 vs 行政规范性文件, tables merged in one grid."""
    grid = [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规 章", "1", "0", "2"],
            ["规范性文件", "3", "—", "4"], ["申请人情况", "自 然 人", "商业 企业", "科研机构", "社会公益组织",
                                        "法律服务机构", "其他", "总计"],
            ["一、本年(2022)新收政府信息公开申请数量", "1", "0", "0", "0", "0", "0", "1"],
            ["(三)不予公开", "4.保护第三方合法权益", "1", "0", "0", "0", "0", "0", "1"],
            ["（七）总计", "1", "0", "0", "0", "0", "0", "1"]]
    form, cells = extract_cells(Document(text="", tables=[grid]))
    got = {(c.table, c.row, c.col): c for c in cells}
    assert form == "2021"
    assert got[("active", "rules", "in_force")].value == 2
    assert got[("active", "normative_docs", "repealed")].value is None
    assert got[("active", "normative_docs", "repealed")].raw == "—"
    assert got[("requests", "new", "total")].value == 1
    assert got[("requests", "withheld.third_party", "natural_person")].value == 1
    assert got[("active", "licensing", "decisions")].raw == ""  # absent → null, still present
    assert len(cells) == 200


def test_form_2019_headers_win_over_year():
    grid = [["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"], ["规章", "1", "1", "5"],
            ["一、本年度新收政府信息公开申请数量", "2", "0", "0", "0", "0", "0", "2"],
            ["（六）其他处理", "0", "0", "0", "0", "0", "0", "0"], ["（七）总计", "2", "0", "0", "0", "0", "0", "2"]]
    form, cells = extract_cells(Document(text="", tables=[grid], title="某局2023年政府信息公开工作年度报告"))
    got = {(c.table, c.row, c.col): c.value for c in cells}
    assert form == "2019"
    assert got[("active", "rules", "total_public")] == 5
    assert got[("requests", "other", "total")] == 0


def test_no_tables_uses_year():
    doc = Document(text="某局2022年度政府信息公开工作年度报告\n一、总体情况", tables=[])
    assert extract_cells(doc) == ("2021", [])
    assert extract_cells(Document(text="2016年政府信息公开工作年度报告")) == ("pre2019", [])
    assert extract_cells(Document(text="通知")) == ("none", [])


@pytest.mark.parametrize("raw,value", [("2380.31", "2380.31"), ("0?", "0"), ("1,234", "1234"), (" 7 ", "7"),
                                       ("增3", "3"), ("减1", "-1"), ("12.5万元", "12.5"), ("３", "3")])
def test_parse_value_numbers(raw, value):
    assert parse_value(raw) == Decimal(value)


@pytest.mark.parametrize("raw", ["—", "-", "/", "无", "", "详见附件"])
def test_parse_value_nulls(raw):
    assert parse_value(raw) is None


# ------------------------------------------------------------------ table 四 by header meaning
REVIEW_KEYS = [f"{g}.{p}" for g in ("review", "suit_direct", "suit_after_review")
               for p in ("upheld", "corrected", "other", "pending", "total")]
REVIEW_TRUTH = ["0", "1", "0", "3", "4", "0", "0", "0", "2", "2", "0", "2", "0", "0", "2"]


def _review(grid):
    found = scan_grids([grid])
    return [found.get(("review", "all", k)) for k in REVIEW_KEYS]


def test_review_split_columns_collapsed_by_header_path():
    """A PDF grid fused with the table above has stray column splits (23 slots for 15 cells):
    neighbouring slots under one header path with one value are one cell."""
    title = "四、政府信息公开行政复议、行政诉讼情况"
    leaves = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    grid = [[title] * 23,
            ["行政复议"] * 7 + ["行政诉讼"] * 16,
            ["结果维持", "结果维持", "结果纠正", "其他结果", "其他结果", "尚未审结", "总计"]
            + ["未经复议直接起诉"] * 7 + ["复议后起诉"] * 9,
            ["结果维持", "结果维持", "结果纠正", "其他结果", "其他结果", "尚未审结", "总计"]
            + [leaves[0], leaves[1], leaves[2], leaves[2], leaves[3], leaves[3], leaves[4]]
            + [leaves[0], leaves[1], leaves[1], leaves[2], leaves[2], leaves[3], leaves[3], leaves[4], leaves[4]],
            ["0", "0", "1", "0", "0", "3", "4"] + ["0", "0", "0", "0", "2", "2", "2"]
            + ["0", "2", "2", "0", "0", "0", "0", "2", "2"]]
    assert _review(grid) == REVIEW_TRUTH


def test_review_columns_mapped_by_label_not_position():
    """Columns in another order (总计 before 尚未审结, 复议后起诉 before 未经复议) go to their labels' keys."""
    order = [("review", "total"), ("review", "pending"), ("review", "upheld"), ("review", "corrected"),
             ("review", "other"), ("suit_after_review", "upheld"), ("suit_after_review", "corrected"),
             ("suit_after_review", "other"), ("suit_after_review", "pending"), ("suit_after_review", "total"),
             ("suit_direct", "upheld"), ("suit_direct", "corrected"), ("suit_direct", "other"),
             ("suit_direct", "pending"), ("suit_direct", "total")]
    group_label = {"review": "行政复议", "suit_direct": "未经复议直接起诉", "suit_after_review": "复议后起诉"}
    leaf_label = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结", "total": "总计"}
    truth = dict(zip(REVIEW_KEYS, REVIEW_TRUTH))
    grid = [["行政复议"] * 5 + ["行政诉讼"] * 10,
            [group_label[g] if g != "review" else leaf_label[p] for g, p in order],
            [leaf_label[p] for _, p in order],
            [truth[f"{g}.{p}"] for g, p in order]]
    assert _review(grid) == REVIEW_TRUTH


def test_review_without_header_still_in_form_order():
    grid = [["行政复议", "行政诉讼"], REVIEW_TRUTH]
    assert _review(grid) == REVIEW_TRUTH
