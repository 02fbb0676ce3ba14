"""What an annual report's title looks like, and its near-misses: shared by discovery (links) and scope
(pages). Pure functions."""
from __future__ import annotations

import re

# A report title: 信息公开 + 年度报告/年报 (…政府信息公开工作年度报告, …政务信息公开年度报告, …信息公开年报), and
# the pre-2019 "…政府信息公开工作报告".
REPORT_TITLE = re.compile(r"(信息|政务)公开.{0,6}(年度报告|年报)|公开工作年度报告|信息公开工作报告")
# Near-misses that sit in the same columns and are not reports.
DECOY_TITLE = re.compile(
    r"解读|要点|指南|法治政府|依法行政|工作报表|网站.{0,4}报表|通知|关于印发|关于做好|答记者问|图解|一图|"
    r"新闻发布|培训|考核|评议|督查|会议|目录|制度|规定|统计表"
)
# Decoy words that a body's own name cannot contain (制度改革办公室, 督查室 and 会议中心 can).
NOT_A_BODY = re.compile(r"关于|解读|印发|通知|答记者问|图解|一图|指南|要点")
# "{body}{year}年…": a body name ends in an organ word; the decoy words are looked for after it.
BODY_THEN_YEAR = re.compile(r"^(.{2,40}?(?:局|厅|委员会|委|办公室|办|院|政府|中心|部|署|所|站|处|会|馆|队|室|公司|集团))"
                            r"(?=(?:19|20)\d{2}|[〇○零一二][〇○零一二三四五六七八九]{3})")
# "{body}政府信息公开工作年度报告" without a year: the body's name says it is a report, not a column.
NAMED_REPORT = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}(?:局|厅|委员会|委|办公室|办|院|政府|中心|部|署|所|站|处|会|馆|队|室)"
                          r"(?:政府|政务)?信息公开(?:工作)?(?:年度报告|年报|工作报告)")
# Link text cut short by the CMS ("…政府信息公开工作年度...").
TRUNCATED = re.compile(r"(\.\.\.|…|\.\.)$")
YEAR_IN_TITLE = re.compile(r"(20\d{2}|19\d{2})\s*年")
# Any year, also in Chinese numerals (二〇一九年): a report title names its year, a column name does not.
ANY_YEAR = re.compile(r"(19|20)\d{2}|[〇○零一二][〇○零一二三四五六七八九]{3}")
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def normal_title(title: str | None) -> str:
    """A title as matched: no whitespace, full-width digits as ASCII (２０１４年 is 2014年)."""
    return re.sub(r"\s+", "", title or "").translate(FULLWIDTH_DIGITS)


def looks_like_report_title(title: str | None) -> bool:
    """A title of an annual report on information disclosure, and not a near-miss."""
    title = normal_title(title)
    if not REPORT_TITLE.search(title) or not (ANY_YEAR.search(title) or NAMED_REPORT.match(title)):
        return False
    return not _decoy(title)


def _decoy(title: str) -> bool:
    """A near-miss by its words; the name of the body the title begins with is not searched."""
    body = BODY_THEN_YEAR.match(title)
    if body and not NOT_A_BODY.search(body.group(1)):
        return bool(DECOY_TITLE.search(title[body.end():]))
    return bool(DECOY_TITLE.search(title))


def looks_like_truncated_report_title(text: str) -> bool:
    """Link text cut short by the CMS that could still be a report title (…2022年度政府信…)."""
    text = normal_title(text)
    if not TRUNCATED.search(text) or _decoy(text):
        return False
    return "公开" in text or bool(ANY_YEAR.search(text) and re.search(r"(?:政府|政务)信?(?:\.|…)+$|信息(?:\.|…)+$", text))


def title_year(title: str | None) -> int | None:
    """The report year a title names ("2023年度…" -> 2023)."""
    match = YEAR_IN_TITLE.search(normal_title(title))
    return int(match.group(1)) if match else None
