"""What an annual report's title looks like, and its near-misses: shared by discovery (links) and scope
(pages). Pure functions."""
from __future__ import annotations

import re

# A report title: 信息公开 + 年度报告/年报 (…政府信息公开工作年度报告, …政务信息公开年度报告, …信息公开年报).
REPORT_TITLE = re.compile(r"(信息|政务)公开.{0,6}(年度报告|年报)|公开工作年度报告")
# Near-misses that sit in the same columns and are not reports.
DECOY_TITLE = re.compile(
    r"解读|要点|指南|法治政府|依法行政|工作报表|网站.{0,4}报表|通知|关于印发|关于做好|答记者问|图解|一图|"
    r"新闻发布|培训|考核|评议|督查|会议|目录|制度|规定|统计表"
)
# Link text cut short by the CMS ("…政府信息公开工作年度...").
TRUNCATED = re.compile(r"(\.\.\.|…|\.\.)$")
YEAR_IN_TITLE = re.compile(r"(20\d{2}|19\d{2})\s*年")
# Any year, also in Chinese numerals (二〇一九年): a report title names its year, a column name does not.
ANY_YEAR = re.compile(r"(19|20)\d{2}|[〇○零一二][〇○零一二三四五六七八九]{3}")


def looks_like_report_title(title: str | None) -> bool:
    """A title of an annual report on information disclosure, and not a near-miss."""
    if not title:
        return False
    title = re.sub(r"\s+", "", title)
    return bool(REPORT_TITLE.search(title) and ANY_YEAR.search(title)) and not DECOY_TITLE.search(title)


def looks_like_truncated_report_title(text: str) -> bool:
    """Link text cut short by the CMS that could still be a report title."""
    text = re.sub(r"\s+", "", text)
    return bool(TRUNCATED.search(text)) and "公开" in text and not DECOY_TITLE.search(text)


def title_year(title: str | None) -> int | None:
    """The report year a title names ("2023年度…" -> 2023)."""
    match = YEAR_IN_TITLE.search(title or "")
    return int(match.group(1)) if match else None
