"""A CMS with snowflake-id articles (/zfxxgknb/1656510086156107778.html): hub /channel/{N}.html, column
/zfxxgknb/index.html paged 1-based (index_2.html …) by numbers and 下一页, body in div#Zoom with a 信息来源
line, some reports with a PDF copy. Every page carries the SiteIDCode meta and 网站标识码 in the footer.
Its column holds, beside the bureau's own reports, the reports of the State Council's General Office and of
the provincial government, reposted (decoys). Options: reposts [(higher body, year)]; run with
SiteSpec.registered False, it is the portal the crawler does not know and must learn from its pages."""
from __future__ import annotations

import html
from datetime import datetime, timezone

from .. import files, html_tables
from ..site import Portal, Resource, SiteSpec, footer, meta_set, page, page_time, report_truth
from . import common

PER_PAGE = 8
EPOCH_MS = 1288834974657


def snowflake_id(d, seq: int) -> int:
    """A 19-digit id as the CMS makes them: milliseconds since its epoch, then a 22-bit sequence."""
    ms = int(datetime(d.year, d.month, d.day, 9, tzinfo=timezone.utc).timestamp() * 1000) - EPOCH_MS
    return (ms << 22) | (seq % 4096)


def build(spec: SiteSpec, seed: int) -> Portal:
    p = Portal(spec, seed)
    rng = p.rng
    o = spec.options
    entries = common.plan_bodies(rng, spec, [(0, range(2013, 2025))], reposts=[tuple(r) for r in o.get("reposts", [])])
    common.plant(entries, rng, pdf_copies=0.3)

    nav = ('<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/channel/2290.html">机构概况</a></li>'
           '<li><a href="/channel/2295.html">新闻动态</a></li><li><a href="/channel/2301.html">政府信息公开</a></li>'
           '<li><a href="/channel/2340.html">办事服务</a></li></ul></div>')
    home = page(spec.site_name, "", f'<div class="top"><h1>{html.escape(spec.site_name)}</h1></div>{nav}{footer(spec)}')
    p.add("/", Resource(home.encode()))
    p.add("/index.html", Resource(home.encode()))
    p.add("/channel/2301.html", Resource(page(f"政府信息公开-{spec.site_name}", "", nav + (
        '<div class="xxgk-nav"><ul><li><a href="/channel/2302.html">政府信息公开指南</a></li>'
        '<li><a href="/channel/2303.html">政府信息公开制度</a></li><li><a href="/zfxxgknb/index.html">政府信息公开年报</a></li>'
        f'<li><a href="/channel/2306.html">依申请公开</a></li></ul></div>{footer(spec)}')).encode()), {"kind": "listing"})

    rows = []
    for e in entries:
        rep = e.rep
        sid = snowflake_id(rep.published_date, e.id)
        path = f"/zfxxgknb/{sid}.html"
        url = p.url(path)
        when = page_time(rep.published_date, rng)
        attachments = []
        if e.with_pdf_copy:
            fpath = f"/uploadfiles/{rep.published_date:%Y%m}/{sid + 7}.pdf"
            p.add(fpath, Resource(None, "application/pdf", make=lambda rep=rep: files.report_pdf(rep)),
                  {"kind": "attachment", "of": url})
            attachments.append(fpath)
        head = meta_set(spec, rng, title=rep.title, column="政府信息公开年报", pubdate=when.strftime("%Y-%m-%d %H:%M"),
                        source=rep.publisher, url=url)
        att = "".join(f'<li><a href="{f}">{html.escape(rep.title)}.pdf</a></li>' for f in attachments)
        src = f'<span>信息来源：{html.escape(rep.publisher)}</span>' if rep.publisher else ""
        body = (f'{nav}<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/channel/2301.html">政府信息公开</a> &gt; '
                f'<a href="/zfxxgknb/index.html">政府信息公开年报</a></div>'
                f'<div class="detail"><h2 class="title">{html.escape(rep.title)}</h2><div class="sub">'
                f'<span>发布日期：{when:%Y-%m-%d %H:%M}</span>{src}</div>'
                f'<div class="content" id="Zoom">{html_tables.report_body(rep, rng.choice(["word", "plain"]), rng)}</div>'
                + (f'<div class="attach"><p>附件：</p><ul>{att}</ul></div>' if att else "") + f'</div>{footer(spec)}')
        truth = (report_truth(rep, spec, source_type="html", attachments=[p.url(f) for f in attachments])
                 if e.kind == "report" else common.decoy_truth(e))
        p.add(path, Resource(page(f"{rep.title}-{spec.site_name}", head, body).encode(), last_modified=when), truth)
        rows.append(f'<li><span class="date">{rep.published_date.isoformat()}</span>'
                    f'<a href="/zfxxgknb/{sid}.html" title="{html.escape(rep.title)}" target="_blank">{html.escape(rep.title)}</a></li>')
    chunks = [rows[i:i + PER_PAGE] for i in range(0, len(rows), PER_PAGE)]
    n = len(chunks)
    name = lambda k: "index.html" if k == 1 else f"index_{k}.html"  # noqa: E731  (1-based: index_2 is page 2)
    for i, chunk in enumerate(chunks, start=1):
        pager = (f'<div class="pagination"><a href="{name(1)}">首页</a>'
                 + (f'<a href="{name(i - 1)}">上一页</a>' if i > 1 else '<span>上一页</span>')
                 + "".join(f'<span class="active">{k}</span>' if k == i else f'<a href="{name(k)}">{k}</a>'
                           for k in range(1, n + 1))
                 + (f'<a href="{name(i + 1)}">下一页</a>' if i < n else '<span>下一页</span>')
                 + f'<a href="{name(n)}">尾页</a><span>共{len(rows)}条</span></div>')
        path = f"/zfxxgknb/{name(i)}"
        p.add(path, Resource(page(f"政府信息公开年报-{spec.site_name}", "", nav + (
            f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/channel/2301.html">政府信息公开</a> &gt; 政府信息公开年报</div>'
            f'<div class="list"><ul>{"".join(chunk)}</ul></div>{pager}{footer(spec)}')).encode()), {"kind": "listing"})
        p.listing_paths.append(path)
    return p
