"""Label patterns of the three standard tables, matched on meaning (spaces, brackets, years ignored).

Patterns are tried on a normalised label: no whitespace, half-width brackets and digits, and any
year in brackets removed (本年(2022)新收 → 本年新收).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_COMPAT = re.compile(r"[\u2e80-\u2fdf\uf900-\ufaff]")  # PDF compatibility ideographs (不 as U+F967)
_SPACE = re.compile(r"[\s\u00a0\u3000]+")
_YEAR_IN_BRACKETS = re.compile(r"\((?:19|20)\d\d年?\)")
_BRACKETS = str.maketrans("（）【】〔〕［］﹙﹚０１２３４５６７８９．、", "()()()()()0123456789.、")


@lru_cache(maxsize=4096)
def norm_label(text: str) -> str:
    """Normalise a label: no spaces, half-width brackets/digits, bracketed years dropped."""
    text = _COMPAT.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text or "")
    return _YEAR_IN_BRACKETS.sub("", _SPACE.sub("", text).translate(_BRACKETS))


def _p(pattern: str) -> re.Pattern:
    """Compile a label pattern."""
    return re.compile(pattern)


# --- form markers (column headers of table 二) ---
FORM_2021_HEADERS = _p(r"制发件数|废止件数|现行有效件数")
FORM_2019_HEADERS = _p(r"新制作数量|新公开数量|对外公开总数")

# --- table active: rows (None = a row of the 2019 form without a canonical key) ---
ACTIVE_ROWS = (
    ("normative_docs", _p(r"规范性文件")),
    ("rules", _p(r"^规章")),
    ("licensing", _p(r"行政许可")),
    (None, _p(r"其他对外管理服务")),
    ("punishment", _p(r"行政处罚")),
    ("enforcement", _p(r"行政强制")),
    ("fees", _p(r"事业性收费")),
    ("procurement", _p(r"集中采购|政府采购")),
)
# --- table active: column headers; order matters (上一年项目数量 before 采购项目数量) ---
ACTIVE_COLS = (
    ("issued", _p(r"制发")),
    ("repealed", _p(r"废止")),
    ("in_force", _p(r"现行有效")),
    ("made", _p(r"新制作")),
    ("published", _p(r"新公开")),
    ("total_public", _p(r"公开总数")),
    ("items_last_year", _p(r"上一?年.*项目")),
    ("items_change", _p(r"增.?减")),
    ("count", _p(r"采购项目|项目数量")),
    ("decisions", _p(r"处理决定")),
    ("amount_10k_yuan", _p(r"金额")),
)
ACTIVE_HEADER_START = _p(r"^信息内容$|第二十条")

# --- table requests ---
REQUEST_COLS = ("natural_person", "enterprise", "research", "public_interest", "legal_service", "other_org", "total")
# Top-level rows and groups; order matters (结转下年 before 上年结转, 不予公开 before 予以公开).
REQUEST_GROUPS = (
    ("new", _p(r"新收")),
    ("carried_forward", _p(r"结转下一?年|继续办理")),
    ("carried_over", _p(r"上一?年度?结转|结转.*上一?年")),
    ("withheld", _p(r"不予公开")),
    ("granted", _p(r"予以公开")),
    ("partly_granted", _p(r"部分公开")),
    ("unavailable", _p(r"无法提供")),
    ("not_processed", _p(r"不予处理")),
    ("other", _p(r"其[他它]处理")),
    ("total", _p(r"^(\(七\)|七、|\(7\))?总计$")),
)
REQUEST_ITEMS = {
    "withheld": (("state_secret", r"国家秘密"), ("prohibited_by_law", r"禁止公开"),
                 ("security_stability", r"三安全|一稳定|危及"), ("third_party", r"第三方"),
                 ("internal_affairs", r"内部事务"), ("process_info", r"过程性"),
                 ("enforcement_file", r"执法案卷"), ("admin_query", r"行政查询")),
    "unavailable": (("not_held", r"不掌握"), ("needs_creation", r"另行制作|没有现成"),
                    ("unclear", r"不明确")),
    "not_processed": (("petition", r"信访|举报|投诉"), ("duplicate", r"重复申请"),
                      ("publication", r"出版物"), ("excessive", r"大量反复|反复申请"),
                      ("confirmation", r"确认|重新出具")),
    "other": (("no_correction", r"不补正"), ("unpaid_fee", r"缴纳费用|收费通知|未按.*缴"),
              ("other", r"^(?:\d+[.、]?|\(\d+\)|[①-⑳])?其[他它](?:情形)?$")),
}
# Sub-row numbers: 1. / 1、 / (1) (brackets already half-width) / ①.
ITEM_NUMBER = _p(r"^(?:(\d+)[.、]|\((\d+)\)|([①-⑳]))")
REQUESTS_HEADER = _p(r"申请人情况|^自然人$|勾稽关系")

# --- table review ---
REVIEW_GROUPS = (("suit_direct", _p(r"未经复议|直接起诉")), ("suit_after_review", _p(r"复议后起诉")),
                 ("review", _p(r"行政复议")))
REVIEW_LEAVES = ("upheld", "corrected", "other", "pending", "total")
# Leaf column headers by meaning (结果维持, 结果纠正, 其他结果, 尚未审结, 总计).
REVIEW_LEAF_LABELS = (("upheld", _p(r"维持")), ("corrected", _p(r"纠正")), ("pending", _p(r"未审结|审理中|未结")),
                      ("other", _p(r"其他")), ("total", _p(r"总计|合计|小计")))
# The section title (四、政府信息公开行政复议、行政诉讼情况) names both parts: it heads no column.
REVIEW_TITLE = _p(r"行政复议.*行政诉讼|行政诉讼.*行政复议")
REVIEW_HEADER = _p(r"行政复议|行政诉讼|结果维持|结果纠正|尚未审结|复议后起诉")
REVIEW_COLS = tuple(f"{g}.{leaf}" for g in ("review", "suit_direct", "suit_after_review") for leaf in REVIEW_LEAVES)


def first_match(label: str, table: tuple) -> tuple[bool, str | None]:
    """(matched, key) of the first (key, pattern) pair whose pattern finds the label."""
    for key, pattern in table:
        if pattern.search(label):
            return True, key
    return False, None


def request_item(group: str | None, label: str) -> str | None:
    """The item key of a numbered sub-row under group, by meaning, else by its number."""
    items = REQUEST_ITEMS.get(group or "")
    if not items:
        return None
    for key, pattern in items:
        if re.search(pattern, label):
            return key
    elsewhere = item_anywhere(label)
    if elsewhere and elsewhere[0] != group:
        return None     # 1.本机关不掌握… under 不予公开: its group label comes later (centred in its cell)
    number = item_number(label)
    if number and 0 < number <= len(items):
        return items[number - 1][0]
    return None


def item_number(label: str) -> int | None:
    """The number a sub-row label starts with (1. / 1、 / (1) / ①), or None."""
    m = ITEM_NUMBER.match(label)
    if not m:
        return None
    return int(m.group(1) or m.group(2)) if not m.group(3) else ord(m.group(3)) - ord("①") + 1


def item_anywhere(label: str) -> tuple[str, str] | None:
    """(group, item) for a sub-row whose group label was never seen (keywords unique across groups)."""
    if not ITEM_NUMBER.match(label):
        return None
    for group, items in REQUEST_ITEMS.items():
        for key, pattern in items:
            if key != "other" and re.search(pattern, label):
                return group, key
    return None
