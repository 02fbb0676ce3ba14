"""Is a read page an annual report of this portal's bodies? Decided on title and content, not the URL."""
from __future__ import annotations

import re

from pipelines.titles import looks_like_report_title

# The section headings every report since 2008 carries in some wording.
REPORT_SECTIONS = re.compile(r"主动公开政府信息|依申请公开|收到和处理政府信息公开申请|行政复议")


def is_report(title: str | None, text: str, has_cells: bool) -> bool:
    """A report by its title, or by its standard tables and sections when the title is missing."""
    if title:
        return looks_like_report_title(title)
    return has_cells or len(set(REPORT_SECTIONS.findall(text or ""))) >= 2


GOVERNMENT = re.compile(r"人民政府$")
CENTRAL = "00"


def reposted_from_above(region_code: str | None, portal_region: str | None,
                        agency: str | None = None, portal_name: str | None = None) -> bool:
    """A higher government's report reposted in a lower body's column.

    Higher by place (a province's report on a city portal, a central body's anywhere local; region_code
    "00" stands for central bodies), or by rank at the same place (the provincial government's own report
    in its HRSS department's column).
    """
    if not region_code or not portal_region:
        return False
    if region_code == CENTRAL or portal_region == CENTRAL:   # 国务院办公厅's report on any local portal
        return region_code == CENTRAL and portal_region != CENTRAL
    if region_code == portal_region:
        return bool(agency and portal_name and GOVERNMENT.search(agency) and not GOVERNMENT.search(portal_name))
    return _level(region_code) < _level(portal_region) and portal_region.startswith(_prefix(region_code))


def _level(code: str) -> int:
    """0 province, 1 prefecture, 2 county (GB/T 2260 zero suffixes)."""
    if code.endswith("0000"):
        return 0
    return 1 if code.endswith("00") else 2


def _prefix(code: str) -> str:
    return code[:2] if code.endswith("0000") else code[:4] if code.endswith("00") else code
