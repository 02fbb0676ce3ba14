"""What the column of a portal holds: its reports over the years plus the near-misses real columns carry."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from .. import data
from ..site import SiteSpec

# Near-misses seen in real report columns: the crawler must not take them for reports.
DECOY_TITLES = [
    ("interpretation", "关于《{a}{y}年政府信息公开工作年度报告》的解读"),
    ("work_points", "{a}{y2}年政务公开工作要点"),
    ("guide", "{a}政府信息公开指南"),
    ("rule_of_law", "{a}{y}年法治政府建设年度报告"),
]

# Higher-level bodies whose reports get reposted in a lower body's column.
PROVINCE_BODIES = {"35": "福建省人民政府", "62": "甘肃省人民政府", "33": "浙江省人民政府", "44": "广东省人民政府",
                   "12": "天津市人民政府", "13": "河北省人民政府"}


@dataclass
class Entry:
    """One item of a column: a report, a decoy, or a dead/off-site link."""
    rep: data.Report
    id: int
    kind: str = "report"                 # report | decoy | dead | offsite
    flags: list[str] = field(default_factory=list)
    spam: str | None = None
    attachment_only: str | None = None   # "pdf" | "docx" | "pdf_image"
    with_pdf_copy: bool = False
    flaky: bool = False
    robots: bool = False


def plan_column(rng: random.Random, spec: SiteSpec, years: range, *, agency_index: int = 0,
                decoys: bool = True, repost: bool = True) -> list[Entry]:
    agency, publisher, prefix = spec.agencies[agency_index]
    entries: list[Entry] = []
    serial = rng.randint(1, 50)
    for y in years:
        if rng.random() < 0.1 and y not in (years[0], years[-1], 2019, 2021):
            continue  # some years are simply missing on real sites
        serial += rng.randint(3, 90)
        pub = publisher if rng.random() < 0.85 else None
        rep = data.make_report(rng, agency, y, publisher=pub, index_prefix=prefix if rng.random() < 0.8 else None,
                               serial=serial)
        entries.append(Entry(rep, rng.randint(400000, 2999999)))
    if decoys:
        for reason, pattern in DECOY_TITLES:
            y = rng.choice(list(years)[-6:])
            entries.append(_decoy(rng, agency, pattern.format(a=agency, y=y, y2=y + 1), y, reason))
    if repost and spec.province_code in PROVINCE_BODIES:
        y = rng.choice(list(years)[-4:])
        higher = PROVINCE_BODIES[spec.province_code]
        rep = data.make_report(rng, higher, y, publisher=higher, index_prefix=None, serial=1)
        rep.kind, rep.decoy_reason = "decoy", "higher_level_repost"
        entries.append(Entry(rep, rng.randint(400000, 2999999), kind="decoy"))
    # Newest first, as columns list them.
    entries.sort(key=lambda e: (e.rep.published_date, e.id), reverse=True)
    return entries


def _decoy(rng: random.Random, agency: str, title: str, y: int, reason: str) -> Entry:
    d = date(y + 1, 1, 5) + timedelta(days=rng.randint(0, 120))
    rep = data.Report(agency=agency, year=y, form="none", title=title, publisher=agency, index_number=None,
                      generated_date=None, published_date=d, cells={"active": {}, "requests": {}, "review": {}},
                      kind="decoy", decoy_reason=reason)
    rep.paragraphs = [f"{title}。", "为进一步做好政务公开工作，现将有关情况说明如下。",
                      "一、主要内容", "坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开。"]
    return Entry(rep, rng.randint(400000, 2999999), kind="decoy")


def decoy_truth(e: Entry) -> dict:
    return {"kind": "decoy", "title": e.rep.title, "decoy_reason": e.rep.decoy_reason,
            "published_date": e.rep.published_date.isoformat(), "year": e.rep.year}


def dead_and_offsite(rng: random.Random) -> list[tuple[str, str, str]]:
    """(kind, href, title): a dead link (404) and an off-site link, both in the report column."""
    return [("dead", None, "政府信息公开工作年度报告（已撤回）"),
            ("offsite", "http://www.gov.cn/zhengce/xxgk/gknb.htm", "中央人民政府门户网站政府信息公开工作年度报告")]


def plant(entries: list[Entry], rng: random.Random, *, spam: bool = False, broken: bool = False,
          flaky: bool = False, robots: bool = False, pdf_copies: float = 0.0) -> None:
    """Spread the special cases over a column's reports (never on the same report twice)."""
    reports = [e for e in entries if e.kind == "report"]
    modern = [e for e in reports if e.rep.form != "pre2019"]
    taken: set[int] = set()

    def pick(pool):
        pool = [e for e in pool if e.id not in taken]
        e = rng.choice(pool)
        taken.add(e.id)
        return e

    if broken and modern:
        e = pick(modern)
        e.rep.flags.append(data.break_identity(e.rep.cells))
    if spam and modern:
        e = pick(modern)
        e.spam = rng.choice(data.SPAM[:3])
        e.rep.flags.append("injected_text")
    if flaky and reports:
        pick(reports).flaky = True
    if robots and reports:
        pick(reports).robots = True
    for e in modern:
        if rng.random() < pdf_copies:
            e.with_pdf_copy = True


# ---------------------------------------------------------------- columns of several bodies (the dialect portals)

def plan_bodies(rng: random.Random, spec: SiteSpec, spans: list[tuple[int, range]], *, decoys: bool = True,
                reposts: list[tuple[str, int]] = (), oldest_first: bool = False) -> list[Entry]:
    """A column holding the reports of several of a portal's bodies (`spans`: agency index, years), the
    near-misses of the first body, and the reports of higher governments reposted there (`reposts`: the
    higher body, the year). Newest first unless `oldest_first`."""
    entries: list[Entry] = []
    for index, years in spans:
        entries += plan_column(rng, spec, years, agency_index=index, decoys=False, repost=False)
    agency = spec.agencies[0][0]
    if decoys:
        for reason, pattern in DECOY_TITLES:
            y = rng.choice(list(spans[0][1])[-6:])
            entries.append(_decoy(rng, agency, pattern.format(a=agency, y=y, y2=y + 1), y, reason))
    for higher, y in reposts:
        entries.append(repost(rng, higher, y))
    entries.sort(key=lambda e: (e.rep.published_date, e.id), reverse=not oldest_first)
    return entries


def repost(rng: random.Random, higher: str, year: int) -> Entry:
    """A higher government's own report, reposted in a lower body's column: a decoy there."""
    rep = data.make_report(rng, higher, year, publisher=higher, index_prefix=None, serial=1)
    rep.kind, rep.decoy_reason = "decoy", "higher_level_repost"
    return Entry(rep, rng.randint(400000, 2999999), kind="decoy")


def news(rng: random.Random, agency: str, title: str, d: date) -> Entry:
    """A news item a column mixes in among its reports: not a report (a decoy, reason "news")."""
    rep = data.Report(agency=agency, year=d.year, form="none", title=title, publisher=agency, index_number=None,
                      generated_date=None, published_date=d, cells={"active": {}, "requests": {}, "review": {}},
                      kind="decoy", decoy_reason="news")
    rep.paragraphs = [f"{d.year}年{d.month}月{d.day}日，{title}。", "会议强调，要进一步提高认识，狠抓落实，推动各项工作取得实效。"]
    return Entry(rep, rng.randint(400000, 2999999), kind="decoy")
