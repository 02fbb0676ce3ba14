"""A legacy county site (ASP era): pages declare gb2312 but are GBK bytes with GBK-only characters
(镕 喆 堃 are not in GB2312); listing paginated as list.asp?page=N; dates as 2015年01月28日."""
from __future__ import annotations

import html

from .. import html_tables
from ..site import Portal, Resource, SiteSpec, footer, page, page_time, report_truth
from . import common

CHARSET_HEADER = "text/html; charset=gb2312"
PER_PAGE = 10
# Names written with GBK-only characters, as they appear in real county reports.
CONTACTS = ["王喆", "李堃", "张镕", "刘喆", "陈堃"]


def cn_day(d) -> str:
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"


def build(spec: SiteSpec, seed: int) -> Portal:
    spec.options.setdefault("charset", "gbk")
    p = Portal(spec, seed)
    rng = p.rng
    entries = common.plan_column(rng, spec, range(2010, 2025))
    common.plant(entries, rng, broken=spec.options.get("broken", False))
    col = "/xxgk/gknb/list.asp"

    def enc(s: str) -> bytes:
        return s.encode("gbk")

    def res(text: str, with_header: bool = True, **kw) -> Resource:
        # Some pages say gb2312 only in the meta; the header then carries no charset.
        return Resource(enc(text), CHARSET_HEADER if with_header else "text/html", **kw)

    nav = ('<table width="960" align="center" class="nav"><tr><td><a href="/">网站首页</a></td>'
           '<td><a href="/xwzx/">新闻中心</a></td><td><a href="/xxgk/">政务公开</a></td>'
           '<td><a href="/bsfw/">办事服务</a></td></tr></table>')
    p.add("/", res(page(spec.site_name, "", f'<h1>{spec.site_name}</h1>{nav}<p>欢迎访问{spec.site_name}网站</p>'
                        + footer(spec), "gb2312")))
    area = (f'{nav}<table class="left"><tr><td><a href="/xxgk/gkzn.asp">政府信息公开指南</a></td></tr>'
            f'<tr><td><a href="/xxgk/gkml.asp">政府信息公开目录</a></td></tr>'
            f'<tr><td><a href="{col}">政府信息公开年度报告</a></td></tr></table>' + footer(spec))
    p.add("/xxgk/", res(page("政务公开", "", area, "gb2312")), {"kind": "listing"})
    p.add("/xxgk/gkzn.asp", res(page("政府信息公开指南", "", "<p>政府信息公开指南</p>", "gb2312")))

    rows = []
    for e in entries:
        path = f"/xxgk/gknb/show.asp?id={e.id}"
        rep = e.rep
        contact = rng.choice(CONTACTS)
        body_html = html_tables.report_body(rep, "plain", rng)
        pub = cn_day(rep.published_date)
        box = (f'<table class="info" width="100%"><tr><td>发布机构：{html.escape(rep.publisher or "")}</td>'
               f'<td>发布日期：{pub}</td></tr>'
               + (f'<tr><td>索 引 号：{rep.index_number}</td><td></td></tr>' if rep.index_number else "") + "</table>")
        text = (f'{nav}<div class="content"><h2 align="center">{html.escape(rep.title)}</h2>{box}'
                f'<div id="content">{body_html}<p>联系人：{contact}　电话：0943-3221{rng.randint(100, 999)}</p></div></div>'
                + footer(spec))
        head = '<meta name="keywords" content="政府信息公开">'
        r = res(page(rep.title, head, text, "gb2312"), with_header=True, last_modified=page_time(rep.published_date, rng))
        truth = report_truth(rep, spec, source_type="html") if e.kind == "report" else common.decoy_truth(e)
        p.add(path, r, truth)
        rows.append(f'<tr><td class="t"><a href="show.asp?id={e.id}" target="_blank">{html.escape(rep.title)}</a></td>'
                    f'<td class="d">{pub}</td></tr>')
    for kind, href, title in common.dead_and_offsite(rng):
        rows.insert(rng.randint(0, len(rows)), f'<tr><td><a href="{href or "show.asp?id=99999"}">{title}</a></td>'
                                                f'<td>2023年01月05日</td></tr>')
    pages = [rows[i:i + PER_PAGE] for i in range(0, len(rows), PER_PAGE)]
    for i, chunk in enumerate(pages, start=1):
        pager = f'共{len(rows)}条 第{i}/{len(pages)}页 '
        if i > 1:
            pager += f'<a href="list.asp?page=1">首页</a> <a href="list.asp?page={i - 1}">上一页</a> '
        if i < len(pages):
            pager += f'<a href="list.asp?page={i + 1}">下一页</a> <a href="list.asp?page={len(pages)}">尾页</a>'
        text = (f'{nav}<div class="pos">当前位置：<a href="/">首页</a> &gt;&gt; <a href="/xxgk/">政务公开</a> &gt;&gt; 政府信息公开年度报告</div>'
                f'<table class="list" width="100%">{"".join(chunk)}</table><div class="pager">{pager}</div>' + footer(spec))
        r = res(page("政府信息公开年度报告", "", text, "gb2312"), with_header=False)
        p.add(f"{col}?page={i}", r, {"kind": "listing"})
        p.listing_paths.append(f"{col}?page={i}")
        if i == 1:
            p.routes[col] = r  # list.asp and list.asp?page=1 are the same page
    return p
