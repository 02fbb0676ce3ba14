"""A city portal that hosts its departments' disclosure columns (the Fujian city platform, like 莆田):
home -> 政府信息公开 /zfxxgk/ -> 部门信息公开 /zfxxgk/bmzfxxgk/ -> each department's own 政府信息公开
/zfxxgk/bmzfxxgk/{dept}/zfxxgk/ -> its 年报 column zfxxgknb/ (TRS listing, createPageHTML(N, i, "index", "htm"),
articles t{YYYYMMDD}_{id}.htm). The city's own column is /zfxxgk/zfxxgkndbg/. The home page links the
政府信息公开 area only through a picture: <a href="/zfxxgk/"><img alt="政府信息公开"></a>. Every page carries
the city's SiteIDCode, as a platform's pages do. A department's column holds the provincial government's
report reposted (a decoy), another one a near-miss.
Options: departments [(slug, agency index)], province_body."""
from __future__ import annotations

import html

from .. import files
from ..site import Portal, Resource, SiteSpec, footer, p0_name, page, page_time, report_truth
from . import common
from .trs import detail_page, list_item

PER_PAGE = 5
COLUMN = "政府信息公开年报"
DEPT_YEARS = [range(2016, 2025), range(2019, 2025), range(2019, 2025), range(2020, 2025)]


def list_page(spec: SiteSpec, title: str, items: list[str], count: int, current: int, crumbs: str) -> str:
    pager = (f'<div class="page"><script>createPageHTML({count}, {current}, "index", "htm");</script></div>'
             if count > 1 else "")
    return page(f"{title}_{spec.site_name}", '<script src="/images/createPageHTML.js"></script>',
                f'<div class="crumb">{crumbs}</div><div class="list_base"><ul>{"".join(items)}</ul></div>{pager}'
                f'{footer(spec)}')


def build(spec: SiteSpec, seed: int) -> Portal:
    p = Portal(spec, seed)
    rng = p.rng
    o = spec.options
    depts = o["departments"]                         # [(slug, agency index)]
    nav = ('<div class="nav"><a href="/">首页</a><a href="/zwdt/">政务动态</a><a href="/zwfw/">政务服务</a>'
           '<a href="/hdjl/">互动交流</a></div>')

    # The columns: the city's own, then each department's.
    columns: list[tuple[str, str, list[common.Entry]]] = []
    city = common.plan_column(rng, spec, range(2014, 2025), agency_index=0, repost=False)
    columns.append(("/zfxxgk/zfxxgkndbg/", spec.agencies[0][0], city))
    for k, (slug, index) in enumerate(depts):
        entries = common.plan_column(rng, spec, DEPT_YEARS[k % len(DEPT_YEARS)], agency_index=index,
                                     decoys=False, repost=False)
        agency = spec.agencies[index][0]
        if k == 0:      # the province's own report, reposted in a department's column
            entries.append(common.repost(rng, o["province_body"], 2022))
        if k == 2:
            reason, pattern = common.DECOY_TITLES[0]
            entries.append(common._decoy(rng, agency, pattern.format(a=agency, y=2022, y2=2023), 2022, reason))
        entries.sort(key=lambda e: (e.rep.published_date, e.id), reverse=True)
        columns.append((f"/zfxxgk/bmzfxxgk/{slug}/zfxxgk/zfxxgknb/", agency, entries))
    for _, _, entries in columns:
        common.plant(entries, rng, pdf_copies=0.2)

    home = page(spec.site_name, "", (
        f'<div class="top"><h1><img src="/images/logo.png" alt="{html.escape(spec.site_name)}"></h1></div>{nav}'
        '<div class="entries"><a href="/zfxxgk/" target="_blank"><img src="/images/rk_zfxxgk.png" alt="政府信息公开"></a>'
        '<a href="/zwfw/" target="_blank"><img src="/images/rk_zwfw.png" alt="网上办事"></a></div>'
        '<div class="news"><ul><li><a href="/zwdt/">市政府召开常务会议</a></li></ul></div>' + footer(spec)))
    p.add("/", Resource(home.encode()))
    p.add("/index.htm", Resource(home.encode()))
    area = page(f"政府信息公开_{spec.site_name}", "", nav + (
        '<div class="gk-left"><ul><li><a href="./zfxxgkzn/">政府信息公开指南</a></li>'
        '<li><a href="./zfxxgkzd/">政府信息公开制度</a></li><li><a href="./fdzdgknr/">法定主动公开内容</a></li>'
        '<li><a href="./zfxxgkndbg/">政府信息公开年度报告</a></li><li><a href="./bmzfxxgk/">部门信息公开</a></li>'
        '<li><a href="./xqzfxxgk/">县区信息公开</a></li></ul></div>') + footer(spec))
    p.add("/zfxxgk/index.htm", Resource(area.encode()), {"kind": "listing"})
    for sub, name in [("zfxxgkzn", "政府信息公开指南"), ("zfxxgkzd", "政府信息公开制度"), ("fdzdgknr", "法定主动公开内容"),
                      ("xqzfxxgk", "县区信息公开")]:
        p.add(f"/zfxxgk/{sub}/index.htm", Resource(page(f"{name}_{spec.site_name}", "", nav + (
            f'<div class="crumb">首页 &gt; 政府信息公开 &gt; {name}</div><div class="list_base"><ul></ul></div>')
            + footer(spec)).encode()))
    listing = "".join(f'<li><a href="./{slug}/zfxxgk/">{html.escape(spec.agencies[index][0])}</a></li>'
                      for slug, index in depts)
    p.add("/zfxxgk/bmzfxxgk/index.htm", Resource(page(f"部门信息公开_{spec.site_name}", "", nav + (
        f'<div class="crumb">首页 &gt; 政府信息公开 &gt; 部门信息公开</div><ul class="bm-list">{listing}</ul>')
        + footer(spec)).encode()), {"kind": "listing"})
    for slug, index in depts:
        agency = spec.agencies[index][0]
        p.add(f"/zfxxgk/bmzfxxgk/{slug}/zfxxgk/index.htm", Resource(page(f"{agency}_政府信息公开", "", nav + (
            f'<div class="crumb">首页 &gt; 政府信息公开 &gt; 部门信息公开 &gt; {html.escape(agency)}</div><ul class="dept-gk">'
            '<li><a href="./zfxxgkzn/">政府信息公开指南</a></li><li><a href="./zfxxgkzd/">政府信息公开制度</a></li>'
            f'<li><a href="./zfxxgknb/">{COLUMN}</a></li></ul>') + footer(spec)).encode()), {"kind": "listing"})

    for col, agency, entries in columns:
        items = []
        for e in entries:
            rep = e.rep
            d = rep.published_date
            month = f"{d:%Y%m}/"
            name = f"t{d:%Y%m%d}_{e.id}.htm"
            url = p.url(col + month + name)
            attachments = []
            if e.with_pdf_copy:
                pdf = p0_name(d, rng)
                attachments.append((pdf, rep.title + ".pdf"))
                p.add(col + month + pdf, Resource(None, "application/pdf", make=lambda rep=rep: files.report_pdf(rep)),
                      {"kind": "attachment", "of": url})
            body = detail_page(p, e, url, COLUMN, attachments).encode()
            truth = (report_truth(rep, spec, source_type="html", attachments=[p.url(col + month + a) for a, _ in attachments])
                     if e.kind == "report" else common.decoy_truth(e))
            p.add(col + month + name, Resource(body, last_modified=page_time(d, rng)), truth)
            items.append(list_item(f"./{month}{name}", rep.title, d.isoformat()))
        chunks = [items[i:i + PER_PAGE] for i in range(0, len(items), PER_PAGE)]
        crumbs = (f'<a href="/">首页</a> &gt; <a href="/zfxxgk/">政府信息公开</a> &gt; '
                  + (f'<a href="/zfxxgk/bmzfxxgk/">部门信息公开</a> &gt; {html.escape(agency)} &gt; ' if "bmzfxxgk" in col else "")
                  + COLUMN)
        for i, chunk in enumerate(chunks):
            path = col + ("index.htm" if i == 0 else f"index_{i}.htm")
            p.add(path, Resource(list_page(spec, COLUMN, chunk, len(chunks), i, crumbs).encode()), {"kind": "listing"})
            p.listing_paths.append(path)
    return p
