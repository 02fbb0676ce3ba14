"""TRS WCM static site: createPageHTML pagination, t{YYYYMMDD}_{id}.html articles, TRS_Editor bodies,
P0…pdf copies beside the article, deep index_N stubs. Options: year_subcolumns, challenge ("jsl")."""
from __future__ import annotations

import html

from .. import files, html_tables
from ..site import HTML_UTF8, Portal, Resource, SiteSpec, footer, info_box, meta_set, p0_name, page, page_time, \
    report_truth, stub_home
from . import common

PER_PAGE = 8


def list_page(spec: SiteSpec, column_name: str, items: list[str], count_page: int, current: int,
              crumbs: str, sub_nav: str = "") -> str:
    body = (f'<div class="crumbs">当前位置：{crumbs}</div>\n{sub_nav}\n'
            f'<div class="list"><ul>\n' + "\n".join(items) + '\n</ul></div>\n'
            '<div class="page"><script language="JavaScript">\n'
            f'var currentPage = {current};//所在页从0开始\nvar prevPage = currentPage-1//上一页\n'
            'var nextPage = currentPage+1//下一页\n'
            f'var countPage = {count_page}//共多少页\n'
            f'createPageHTML({count_page}, {current}, "index", "html");\n</script></div>\n' + footer(spec))
    js = ('<script type="text/javascript">\nfunction createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){\n'
          ' if(_nPageCount == null || _nPageCount<=1){ return; }\n'
          ' var s = "";\n'
          ' if(_nCurrIndex > 0) s += "<a href=\\"" + (_nCurrIndex==1 ? _sPageName : _sPageName+"_"+(_nCurrIndex-1)) + "."+_sPageExt+"\\">上一页</a> ";\n'
          ' for(var i=0;i<_nPageCount;i++){ var n = i==0 ? _sPageName : _sPageName+"_"+i;\n'
          '  s += (i==_nCurrIndex) ? "<span>"+(i+1)+"</span> " : "<a href=\\""+n+"."+_sPageExt+"\\">"+(i+1)+"</a> "; }\n'
          ' if(_nCurrIndex < _nPageCount-1) s += "<a href=\\"" + _sPageName+"_"+(_nCurrIndex+1)+"."+_sPageExt+"\\">下一页</a>";\n'
          ' document.write(s);\n}\n</script>')
    return page(f"{column_name}_{spec.site_name}", js, body)


def list_item(href: str, title: str, d: str) -> str:
    return f'<li><a href="{href}" target="_blank" title="{html.escape(title)}">{html.escape(title)}</a><span>{d}</span></li>'


def detail_page(portal: Portal, e: common.Entry, url: str, column_name: str, attachments: list[tuple[str, str]]) -> str:
    spec, rng, rep = portal.spec, portal.rng, e.rep
    when = page_time(rep.published_date, rng)
    pub_text = when.strftime("%Y-%m-%d %H:%M")
    head = meta_set(spec, rng, title=rep.title, column=column_name, pubdate=pub_text, source=rep.publisher, url=url)
    style = rng.choice(["word", "plain"])
    content = html_tables.report_body(rep, style, rng, spam=e.spam)
    if rng.random() < 0.5:
        editor = ('<div class=TRS_Editor><style type="text/css">.TRS_Editor P{margin-top:0;margin-bottom:12px;'
                  f'line-height:1.8;font-family:宋体;font-size:12pt;}}</style>{content}</div>')
    else:
        editor = f'<div class="view TRS_UEDITOR trs_paper_default trs_web">{content}</div>'
    box = info_box(rng, rep, rep.published_date.isoformat(), padded=rng.random() < 0.7) if rng.random() < 0.6 else ""
    src = f'<span>来源：{html.escape(rep.publisher)}</span>' if rep.publisher else ""
    att = ""
    if attachments:
        att = '<div class="fj"><h5>附件下载：</h5>' + "".join(
            f'<p><a href="./{n}" target="_BLANK">{html.escape(t)}</a></p>' for n, t in attachments) + "</div>"
    body = (f'<div class="zn_article">{box}<div class="xl-top"><h1>{html.escape(rep.title)}</h1>'
            f'<div class="lips"><span>发布时间：{pub_text}</span><em>|</em>{src}</div></div>\n'
            f'<div class="xl_article">{editor}</div>\n{att}</div>\n{footer(spec)}')
    return page(f"{rep.title}_{column_name}_{spec.site_name}", head, body)


def build(spec: SiteSpec, seed: int) -> Portal:
    p = Portal(spec, seed)
    rng = p.rng
    o = spec.options
    base = o.get("column", "/zfxxgk/zfxxgknb/")
    column_name = "政府信息公开年报"
    entries = common.plan_column(rng, spec, range(o.get("first_year", 2010), 2025))
    common.plant(entries, rng, spam=o.get("spam", False), broken=o.get("broken", False),
                 flaky=o.get("flaky", False), robots=o.get("robots", False), pdf_copies=o.get("pdf_copies", 0.3))
    behaviour = o.get("challenge")

    p.add("/", Resource(stub_home(spec, [("/", "首页"), ("/xwzx/", "新闻中心"), ("/zfxxgk/", "政府信息公开"),
                                         ("/hdjl/", "互动交流")]).encode(), behaviour=behaviour))
    area = page("政府信息公开_" + spec.site_name, "", (
        '<div class="left-nav"><ul>'
        '<li><a href="/zfxxgk/zfxxgkzn/">政府信息公开指南</a></li>'
        '<li><a href="/zfxxgk/zfxxgkzd/">政府信息公开制度</a></li>'
        '<li><a href="/zfxxgk/fdzdgknr/">法定主动公开内容</a></li>'
        f'<li><a href="{base}">{column_name}</a></li>'
        '<li><a href="/zfxxgk/ysqgk/">政府信息公开申请</a></li></ul></div>' + footer(spec)))
    p.add("/zfxxgk/", Resource(area.encode(), behaviour=behaviour), {"kind": "listing"})

    # Column → optional year sub-columns → paginated lists.
    groups: dict[str, list[common.Entry]] = {}
    if o.get("year_subcolumns"):
        for e in entries:
            key = f"{e.rep.year}N/" if e.rep.year >= 2019 else "2018nyq/"
            groups.setdefault(base + key, []).append(e)
    else:
        groups[base] = entries
    extras = common.dead_and_offsite(rng)

    for col_path, col_entries in groups.items():
        items = []
        for e in col_entries:
            month_dir = f"{e.rep.published_date:%Y%m}/"
            name = f"t{e.rep.published_date:%Y%m%d}_{e.id}.html"
            art_path = col_path + month_dir + name
            url = p.url(art_path)
            attachments = []
            if e.with_pdf_copy:
                pdf = p0_name(e.rep.published_date, rng)
                attachments.append((pdf, e.rep.title + ".pdf"))
                rep = e.rep
                p.add(col_path + month_dir + pdf, Resource(None, "application/pdf", make=lambda rep=rep: files.report_pdf(rep)),
                      {"kind": "attachment", "of": url})
            if e.robots:
                p.disallow(art_path)
            body = detail_page(p, e, url, column_name, attachments).encode()
            res = Resource(body, behaviour="flaky" if e.flaky else behaviour,
                           last_modified=page_time(e.rep.published_date, rng))
            if e.kind == "report":
                truth = report_truth(e.rep, spec, source_type="html",
                                     attachments=[p.url(col_path + month_dir + a) for a, _ in attachments])
            else:
                truth = common.decoy_truth(e)
            p.add(art_path, res, truth)
            items.append(list_item(f"./{month_dir}{name}", e.rep.title, e.rep.published_date.isoformat()))
        for kind, href, title in extras if col_path == next(iter(groups)) else []:
            items.insert(rng.randint(0, len(items)), list_item(href or f"./202301/t20230105_{rng.randint(10**5, 10**6)}.html",
                                                               title, "2023-01-05"))
        pages = [items[i:i + PER_PAGE] for i in range(0, len(items), PER_PAGE)] or [[]]
        count = len(pages) + 1  # one more than real: the deep page is a ~300-byte stub, as on real sites
        crumbs = f'<a href="/">首页</a> &gt; <a href="/zfxxgk/">政府信息公开</a> &gt; {column_name}'
        sub_nav = ""
        if o.get("year_subcolumns") and col_path == next(iter(groups)):
            pass
        for i, chunk in enumerate(pages):
            name = "index.html" if i == 0 else f"index_{i}.html"
            p.add(col_path + name, Resource(list_page(spec, column_name, chunk, count, i, crumbs, sub_nav).encode(),
                                            behaviour=behaviour), {"kind": "listing"})
            p.listing_paths.append(col_path + name)
        stub = ('<html><head><meta charset="utf-8"><title></title></head><body><div class="list"><ul></ul></div>'
                f'<script>var countPage = {count};var currentPage = {count - 1};</script></body></html>')
        p.add(col_path + f"index_{len(pages)}.html", Resource(stub.encode(), behaviour=behaviour))
    if o.get("year_subcolumns"):
        subs = "".join(f'<li><a href="./{k[len(base):]}">{"2018年以前" if k.endswith("nyq/") else k[len(base):-2] + "年"}</a></li>'
                       for k in sorted(groups, reverse=True))
        body = (f'<div class="crumbs"><a href="/">首页</a> &gt; <a href="/zfxxgk/">政府信息公开</a> &gt; {column_name}</div>'
                f'<ul class="zlm">{subs}</ul>{footer(spec)}')
        p.add(base + "index.html", Resource(page(column_name, "", body).encode(), behaviour=behaviour), {"kind": "listing"})
        p.listing_paths.append(base + "index.html")
    p.add("/zfxxgk/zfxxgkzn/index.html", Resource(page("政府信息公开指南", "", "<p>政府信息公开指南</p>").encode()))
    if behaviour:
        p.truth.append({"url": p.home_url, "portal": p.host, "kind": "challenge", "challenge": behaviour,
                        "robots_disallowed": False})
    return p
