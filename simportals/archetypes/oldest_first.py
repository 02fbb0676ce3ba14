"""A PHPCMS v9 county site whose 政府信息公开年报 column lists OLDEST FIRST and mixes news in among the
reports: index.php?m=content&c=index&a=lists&catid=N&page=N (上一页 / numbers / 下一页), details
index.php?m=content&c=index&a=show&catid=N&id=N. The first page holds the oldest report (one year only) and
news; the reports
a backfill of recent years wants sit on later pages, so a crawler must not stop paging at a page whose dates
all lie before the range. Options: catid, area_catid, per_page."""
from __future__ import annotations

import html
from datetime import date

from .. import html_tables
from ..site import Portal, Resource, SiteSpec, footer, meta_set, page, page_time, report_truth
from . import common

# News of the column, oldest first; the five of 2010 fill page 1 around the oldest report, as on the real site.
NEWS = [(2010, 3, "召开政府信息公开工作推进会"), (2010, 5, "开展政务公开宣传周活动"), (2010, 7, "政府门户网站改版上线"),
        (2010, 9, "政务服务中心开展业务培训"), (2010, 11, "启动依申请公开受理平台"), (2011, 6, "召开政务公开领导小组会议"),
        (2014, 6, "开展政务公开专项检查"), (2016, 5, "举办政务开放日活动"), (2019, 5, "新版政府信息公开专栏上线"),
        (2021, 9, "召开政务公开标准化规范化工作会议"), (2023, 4, "开展政务公开第三方评估")]


def lists_url(catid: int, pg: int | None = None) -> str:
    return f"/index.php?m=content&c=index&a=lists&catid={catid}" + (f"&page={pg}" if pg else "")


def build(spec: SiteSpec, seed: int) -> Portal:
    p = Portal(spec, seed)
    rng = p.rng
    o = spec.options
    catid, area = o.get("catid", 51), o.get("area_catid", 50)
    per_page = o.get("per_page", 6)
    gov = spec.agencies[0][0]
    entries = common.plan_bodies(rng, spec, [(0, range(2010, 2025)), (1, range(2013, 2025))], oldest_first=True)
    entries += [common.news(rng, gov, gov[:3] + t, date(y, m, rng.randint(3, 25))) for y, m, t in NEWS]
    entries.sort(key=lambda e: (e.rep.published_date, e.id))         # oldest first, news among the reports

    def esc_url(u: str) -> str:
        return u.replace("&", "&amp;")

    nav = (f'<div class="nav"><a href="/">首页</a><a href="{esc_url(lists_url(area))}">政务公开</a>'
           '<a href="/index.php?m=content&amp;c=index&amp;a=lists&amp;catid=60">办事服务</a>'
           '<a href="/index.php?m=content&amp;c=index&amp;a=lists&amp;catid=70">互动交流</a></div>')
    p.add("/", Resource(page(spec.site_name, '<meta name="generator" content="PHPCMS V9">',
                             f'<div class="header"><h1>{html.escape(spec.site_name)}</h1></div>{nav}{footer(spec)}').encode()))
    p.add(lists_url(area), Resource(page(f"政务公开_{spec.site_name}", "", nav + (
        f'<ul class="gk"><li><a href="{esc_url(lists_url(52))}">政府信息公开指南</a></li>'
        f'<li><a href="{esc_url(lists_url(catid))}">政府信息公开年报</a></li></ul>') + footer(spec)).encode()),
          {"kind": "listing"})
    p.add(lists_url(52), Resource(page(f"政府信息公开指南_{spec.site_name}", "", nav + '<div class="list"><ul></ul></div>'
                                       + footer(spec)).encode()))

    rows = []
    for e in entries:
        rep = e.rep
        path = f"/index.php?m=content&c=index&a=show&catid={catid}&id={e.id}"
        when = page_time(rep.published_date, rng)
        pub = when.strftime("%Y-%m-%d %H:%M:%S")
        head = meta_set(spec, rng, title=rep.title, column="政府信息公开年报", pubdate=pub, source=rep.publisher,
                        url=p.url(path))
        src = f'　来源：{html.escape(rep.publisher)}' if rep.publisher else ""
        body = (f'{nav}<div class="crumbs"><a href="/">首页</a> &gt; <a href="{esc_url(lists_url(area))}">政务公开</a> &gt; '
                f'<a href="{esc_url(lists_url(catid))}">政府信息公开年报</a></div><div id="Article"><h1>{html.escape(rep.title)}<br/>'
                f'<span>{pub}{src}　点击：<span id="hits"></span></span></h1>'
                f'<div class="content">{html_tables.report_body(rep, rng.choice(["word", "plain"]), rng)}</div></div>'
                f'{footer(spec)}')
        truth = report_truth(rep, spec, source_type="html") if e.kind == "report" else common.decoy_truth(e)
        p.add(path, Resource(page(f"{rep.title} - {spec.site_name}", head, body).encode(), last_modified=when), truth)
        rows.append(f'<li><span class="rt">{rep.published_date.isoformat()}</span><a href="{esc_url(path)}" '
                    f'target="_blank">{html.escape(rep.title)}</a></li>')
    chunks = [rows[i:i + per_page] for i in range(0, len(rows), per_page)]
    n = len(chunks)
    for i, chunk in enumerate(chunks, start=1):
        u = lambda k: esc_url(lists_url(catid, k))  # noqa: E731
        pager = (f'<div id="pages"><a class="a1">{len(rows)}条</a> <a href="{u(max(1, i - 1))}" class="a1">上一页</a> '
                 + " ".join(f"<span>{k}</span>" if k == i else f'<a href="{u(k)}">{k}</a>' for k in range(1, n + 1))
                 + f' <a href="{u(min(n, i + 1))}" class="a1">下一页</a></div>')
        res = Resource(page(f"政府信息公开年报_{spec.site_name}", "", f'{nav}<div class="list"><ul>{"".join(chunk)}</ul></div>'
                            f'{pager}{footer(spec)}').encode())
        p.add(lists_url(catid, i), res, {"kind": "listing"})
        p.listing_paths.append(lists_url(catid, i))
        if i == 1:
            p.routes[lists_url(catid)] = res        # the column and its page 1 are the same page
    return p
