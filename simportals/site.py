"""What every simulated portal is made of: resources keyed by URL, a truth list, and common page chrome."""
from __future__ import annotations

import hashlib
import html
import random
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Callable

from . import data

HTML_UTF8 = "text/html; charset=utf-8"
BUILD_LOCK = threading.Lock()   # files are built in the server's worker threads, one at a time


@dataclass
class Resource:
    body: bytes | None
    content_type: str = HTML_UTF8
    status: int = 200
    headers: dict = field(default_factory=dict)
    last_modified: datetime | None = None
    # Special behaviours the server applies: "flaky" (first hit 503), "jsl" (加速乐 521 until cookie),
    # "ruishu" (瑞数 412 until cookie), and the fault tests' spoils (web.SERVED_SPOILS).
    behaviour: str | None = None
    make: Callable[[], bytes] | None = None   # built on first request (PDFs, DOCX): keeps startup fast

    def get_body(self) -> bytes:
        if self.body is None and self.make is not None:
            with BUILD_LOCK:      # PyMuPDF is not thread-safe: two PDFs built at once can come out different
                if self.body is None:
                    self.body = self.make()
        return self.body or b""

    @property
    def etag(self) -> str:
        return '"' + hashlib.md5(self.get_body()).hexdigest()[:16] + '"'


@dataclass
class SiteSpec:
    """The owner of a portal: real GB/T 2260 code, names, and the footer numbers."""
    host: str
    site_name: str          # SiteName: 泉州市人力资源和社会保障局
    region_code: str        # 350500
    archetype: str
    icp: str                # 闽ICP备05009235号
    gongan: str             # 闽公网安备 35050202000123号
    site_seq: str = "0001"  # last four digits of 网站标识码
    agencies: list = field(default_factory=list)  # [(agency, publisher-or-None, index prefix-or-None)]
    options: dict = field(default_factory=dict)
    # False: left out of `python -m simportals registry` (crawler/portals/simulated.tsv), so the crawler meets
    # the portal as a stranger and must learn its owner from the pages (SiteIDCode / 网站标识码).
    registered: bool = True

    @property
    def province_code(self) -> str:
        return self.region_code[:2]

    @property
    def site_id_code(self) -> str:
        return self.region_code + self.site_seq


Handler = Callable[[str, dict, dict, dict], "Resource"]  # (method, query, form, cookies) -> Resource


class Portal:
    def __init__(self, spec: SiteSpec, seed: int):
        self.spec = spec
        self.host = spec.host
        self.name = spec.site_name
        self.region_code = spec.region_code
        self.archetype = spec.archetype
        self.home_url = f"http://{spec.host}/"
        self.rng = random.Random(f"{seed}:{spec.host}")
        self.routes: dict[str, Resource] = {}
        self.handlers: dict[str, Handler] = {}
        self.truth: list[dict] = []
        self.robots = "User-agent: *\nDisallow: /search/\n"
        self.disallowed: list[str] = []
        self.listing_paths: list[str] = []      # what a redesign rewrites
        self.redesign: Callable[[], None] | None = None
        self.endless: dict[str, Resource] = {}  # listing folder -> its last real page (Web.spoil "endless")

    def url(self, path: str) -> str:
        return f"http://{self.host}{path}"

    def add(self, path: str, res: Resource, truth: dict | None = None) -> None:
        if res.last_modified is None and res.status == 200:
            res.last_modified = datetime(2024, 1, 1, tzinfo=timezone.utc)
        self.routes[path] = res
        if truth is not None:
            truth.setdefault("url", self.url(path))
            truth.setdefault("portal", self.host)
            truth.setdefault("robots_disallowed", self.is_disallowed(path))
            self.truth.append(truth)

    def is_disallowed(self, path: str) -> bool:
        return any(path.startswith(p) for p in self.disallowed)

    def disallow(self, prefix: str) -> None:
        self.disallowed.append(prefix)
        self.robots += f"Disallow: {prefix}\n"

    @property
    def info(self) -> dict:
        return {"name": self.name, "host": self.host, "home_url": self.home_url,
                "region_code": self.region_code, "archetype": self.archetype, "registered": self.spec.registered}


def page_time(d: date, rng: random.Random) -> datetime:
    return datetime(d.year, d.month, d.day, rng.randint(8, 17), rng.randint(0, 59), tzinfo=timezone.utc)


def report_truth(rep: data.Report, spec: SiteSpec, *, source_type: str, attachments: list[str] | None = None,
                 flags: list[str] | None = None, kind: str | None = None) -> dict:
    t = {
        "kind": kind or rep.kind,
        "title": rep.title,
        "publisher": rep.publisher,
        "agency": rep.agency,
        "index_number": rep.index_number,
        "generated_date": rep.generated_date.isoformat() if rep.generated_date else None,
        "published_date": rep.published_date.isoformat(),
        "year": rep.year,
        "province_code": spec.province_code,
        "region_code": spec.region_code,
        "format": rep.form,
        "source_type": source_type,
        "flags": sorted(set(rep.flags + (flags or []))),
        # tables.md has no key for 其他对外管理服务事项 (2019 form): printed on the page, kept out of the cells.
        "cells": {**rep.cells, "active": {k: v for k, v in rep.cells["active"].items()
                                          if not k.startswith("other_services.")}},
        "attachments": attachments or [],
    }
    extra = {k: v for k, v in rep.cells["active"].items() if k.startswith("other_services.")}
    if extra:
        t["extra_cells"] = {"active": extra}
    if rep.decoy_reason:
        t["decoy_reason"] = rep.decoy_reason
    return t


# ---------------------------------------------------------------- chrome

def meta_set(spec: SiteSpec, rng: random.Random, *, title: str, column: str, pubdate: str, source: str | None,
             url: str) -> str:
    """The 《政府网站发展指引》 meta set; attribute order varies between templates."""
    pairs = [("SiteName", spec.site_name), ("SiteDomain", spec.host), ("SiteIDCode", spec.site_id_code),
             ("ColumnName", column), ("ColumnType", column + ","), ("ArticleTitle", title), ("PubDate", pubdate),
             ("ContentSource", source or ""), ("Keywords", ""), ("Author", ""), ("Description", title[:40]),
             ("Url", url)]
    content_first = rng.random() < 0.4
    out = []
    for k, v in pairs:
        v = html.escape(v, quote=True)
        out.append(f'<meta content="{v}" name="{k}">' if content_first else f'<meta name="{k}" content="{v}">')
    return "\n".join(out)


def footer(spec: SiteSpec, sponsor: str | None = None) -> str:
    return (f'<div class="footer"><p><a href="/bzzx/lxwm/">联系我们</a>|<a href="/bzzx/wzdt/">网站地图</a></p>\n'
            f'<p><span>主办：{html.escape(sponsor or spec.site_name)}</span> <span>版权所有：{html.escape(spec.site_name)}</span></p>\n'
            f'<p><span>网站标识码：{spec.site_id_code}</span> <span><a href="https://beian.miit.gov.cn/">{spec.icp}</a></span> '
            f'<span><img src="/images/ga.png" alt="" />{spec.gongan}</span></p></div>')


def info_box(rng: random.Random, rep: data.Report, pub_text: str, padded: bool = True) -> str:
    """The xxgk info table; labels padded with spaces as on real pages; rows absent when unknown."""
    lab = (lambda s, p: p) if padded else (lambda s, p: s)
    rows = []
    if rep.index_number:
        rows.append((lab("索引号", "索 引 号"), rep.index_number))
    rows.append((lab("主题分类", "主题分类"), "综合政务/政务公开"))
    if rep.publisher:
        rows.append((lab("发布机构", "发布机构"), rep.publisher))
    if rep.generated_date:
        rows.append((lab("生成日期", "生成日期"), rep.generated_date.isoformat()))
    rows.append((lab("发布日期", "发布日期"), pub_text))
    rows.append((lab("标题", "标　　题"), rep.title))
    cells = "".join(f"<tr><th>{html.escape(k)}：</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
    return f'<table class="xxgk_table" width="100%">{cells}</table>'


def page(title: str, head_extra: str, body: str, charset: str = "utf-8") -> str:
    return (f'<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
            f'{head_extra}\n<title>{html.escape(title)}</title>\n<link rel="stylesheet" href="/images/style.css">\n'
            f'</head>\n<body>\n{body}\n</body>\n</html>\n')


def stub_home(spec: SiteSpec, links: list[tuple[str, str]], charset: str = "utf-8") -> str:
    """A home page with a nav bar; one entry leads to the 政府信息公开 area."""
    nav = "".join(f'<li><a href="{h}">{html.escape(t)}</a></li>' for h, t in links)
    news = "".join(f'<li><a href="/xwzx/tzgg/">通知公告{i}</a></li>' for i in range(1, 4))
    body = (f'<div class="header"><h1>{html.escape(spec.site_name)}</h1></div>\n<ul class="nav">{nav}</ul>\n'
            f'<div class="news"><ul>{news}</ul></div>\n{footer(spec)}')
    return page(spec.site_name, "", body, charset)


def new_id(rng: random.Random, lo: int = 100000, hi: int = 2999999) -> int:
    return rng.randint(lo, hi)


def p0_name(d: date, rng: random.Random, ext: str = "pdf") -> str:
    """TRS attachment names: P0 + YYYYMMDD + 12 digits."""
    return f"P0{d:%Y%m%d}{rng.randint(0, 10**12 - 1):012d}.{ext}"
