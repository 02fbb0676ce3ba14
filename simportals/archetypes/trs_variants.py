"""A TRS WCM .shtml site whose report column is split into year sub-columns linked as folders (./2024nb/,
./2022N/, 2018年以前 -> ./2018nyq/), each answered with its index.shtml, and each paged by another dialect of
the TRS pager script:
  vars    var countPage = 2; var currentPage = 0; createPageHTML(countPage, currentPage, "index", "shtml")
  div6    createPageHTML('page_div',2, 0,'index','shtml',12)   (the newer six-argument template)
  ordos   the inline hand-written pager of real/markup/trs_list_ordos_engebei.html: var countPage = 2//共多少页
          and document.write("<a href=\\"index"+"_" + i + "."+"shtml\\">…")
  std     createPageHTML(3, 0, "index", "shtml")
  none    one page, no pager
Some pagers claim one page more than there is: that deep index_N.shtml is a ~300-byte stub, as on real sites.
Options: subcolumns {year: (folder, label, pager, stub)} (a year not listed goes to 2018nyq/), departments."""
from __future__ import annotations

import html

from .. import files, html_tables
from ..site import Portal, Resource, SiteSpec, footer, info_box, meta_set, p0_name, page, page_time, report_truth
from . import common

PER_PAGE = 3
BASE = "/zwgk/zfxxgknb/"
COLUMN = "政府信息公开年报"
SUBCOLUMNS = {2024: ("2024nb/", "2024年度", "vars", True), 2023: ("2023N/", "2023年", "std", False),
              2022: ("2022N/", "2022年", "ordos", False), 2021: ("2021N/", "2021年", "std", True),
              2020: ("2020N/", "2020年", "div6", False), 2019: ("2019N/", "2019年", "none", False)}
OLD = ("2018nyq/", "2018年以前", "ordos", True)

PAGER_FUNCTIONS = """<script type="text/javascript">
function createPageHTML(a, b, c, d, e, f){
 var id = null; if (typeof a == 'string' && isNaN(a)) { id = a; a = b; b = c; c = d; d = e; }
 var n = parseInt(a, 10), cur = parseInt(b, 10), s = '';
 if (!(n > 1)) return;
 for (var i = 0; i < n; i++) { var name = i == 0 ? c + '.' + d : c + '_' + i + '.' + d;
  s += i == cur ? '<span>' + (i + 1) + '</span> ' : '<a href="' + name + '">' + (i + 1) + '</a> '; }
 if (cur < n - 1) s += '<a href="' + c + '_' + (cur + 1) + '.' + d + '">下一页</a>';
 if (id && document.getElementById(id)) document.getElementById(id).innerHTML = s; else document.write(s);
}
</script>"""


def pager(kind: str, count: int, current: int, records: int) -> str:
    """The pager script of one listing page (count pages, this one 0-based `current`, `records` in all)."""
    if kind == "vars":
        return (f'<div class="page"><script type="text/javascript">var countPage = {count};var currentPage = {current};\n'
                'createPageHTML(countPage, currentPage, "index", "shtml");</script></div>')
    if kind == "div6":
        return (f'<div class="page" id="page_div"></div><script type="text/javascript">'
                f"createPageHTML('page_div',{count}, {current},'index','shtml',{records});</script>")
    if kind == "std":
        return f'<div class="page"><script>createPageHTML({count}, {current}, "index", "shtml");</script></div>'
    if kind == "ordos":
        return ('<td height="572" class="page"><script language="JavaScript" type="text/javascript">\n'
                f'var currentPage = {current};//所在页从0开始\nvar prevPage = currentPage-1//上一页\n'
                f'var nextPage = currentPage+1//下一页\nvar countPage = {count}//共多少页\n'
                '//共计多少页\ndocument.write("共计"+"&nbsp;<font style=\'color:#FF8008\'>"+"' + str(count) + '"+"&nbsp;</font>"+"页");\n'
                '// 设置首页\ndocument.write("&nbsp;<a href=\\"index."+"shtml\\">首页</a>&nbsp;|");\n'
                '//设置上一页代码\nif(countPage>1&&currentPage!=0&&currentPage!=1)\n'
                'document.write("<a href=\\"index"+"_" + prevPage + "."+"shtml\\"><span class=greyfont>上一页</span></a>&nbsp;");\n'
                'else if(countPage>1&&currentPage!=0&&currentPage==1)\n'
                'document.write("<a href=\\"index.shtml\\">&nbsp;<span class=greyfont>上一页</span></a>&nbsp;");\n'
                'else\ndocument.write("&nbsp;上一页&nbsp;");\n'
                '//循环\nvar num = 6;\nif(currentPage<=3)\n{\nfor(var i=0 ; i<=6 && (i<countPage); i++){\n'
                'if(currentPage==i)\ndocument.write("&nbsp;<font style=\'color:#FF8008\'>"+(i+1)+"</font>&nbsp;|");\n'
                'else if(i==0)\ndocument.write("&nbsp;<a href=\\"index.shtml\\">1</a>&nbsp;|");\nelse\n'
                'if(i>0) document.write("&nbsp;<a href=\\"index"+"_" + i + "."+"shtml\\">"+(i+1)+"</a>&nbsp;|");\n}\n}\n'
                '//设置下一页代码\nif(countPage>1&&currentPage!=(countPage-1))\n'
                'document.write("&nbsp;<a href=\\"index"+"_" + nextPage + "."+"shtml\\">&nbsp;<span class=greyfont>下一页</span>&nbsp;</a>&nbsp;");\n'
                'else\ndocument.write("&nbsp;下一页&nbsp;");\n'
                '// 设置尾页\nif(countPage!=1)\n'
                'document.write("&nbsp;<a href=\\"index"+"_" + (countPage-1)  + "."+"shtml\\">尾页</a>&nbsp;");\n'
                'else\ndocument.write("&nbsp;尾页&nbsp;");\n</script></td>')
    return ""


def stub(count: int) -> str:
    """The deep page some TRS pagers count but that holds nothing (~300 bytes)."""
    return ('<html><head><meta charset="utf-8"><title></title></head><body><div class="list"><ul></ul></div>'
            f'<script>var countPage = {count};var currentPage = {count - 1};</script></body></html>')


def build(spec: SiteSpec, seed: int) -> Portal:
    p = Portal(spec, seed)
    rng = p.rng
    o = spec.options
    spans = [(0, range(2010, 2025))] + [(k, range(2019, 2025)) for k in range(1, len(spec.agencies))]
    spans[1] = (1, range(2014, 2025))        # one department has reported since 2014
    entries = common.plan_bodies(rng, spec, spans, reposts=[(o["city_body"], 2021), (o["province_body"], 2023)])
    common.plant(entries, rng, broken=True, pdf_copies=0.2)

    nav = ('<div class="nav"><a href="/">首页</a><a href="/xwzx/">新闻中心</a><a href="/zwgk/">政务公开</a>'
           '<a href="/bsfw/">办事服务</a><a href="/hdjl/">互动交流</a></div>')
    home = page(spec.site_name, "", f'<div class="top"><h1>{html.escape(spec.site_name)}</h1></div>{nav}{footer(spec)}')
    p.add("/index.shtml", Resource(home.encode()))
    p.add("/zwgk/index.shtml", Resource(page(f"政务公开_{spec.site_name}", "", nav + (
        '<ul class="zwgk-menu"><li><a href="./zfxxgkzn/">政府信息公开指南</a></li><li><a href="./zfxxgkzd/">政府信息公开制度</a></li>'
        f'<li><a href="./fdzdgknr/">法定主动公开内容</a></li><li><a href="./zfxxgknb/">{COLUMN}</a></li></ul>')
        + footer(spec)).encode()), {"kind": "listing"})

    groups: dict[str, tuple[str, str, bool, list[common.Entry]]] = {}
    for e in entries:
        folder, label, kind, deep = SUBCOLUMNS.get(e.rep.year, OLD)
        groups.setdefault(folder, (label, kind, deep, []))[3].append(e)
    for folder, label, kind, deep in list(SUBCOLUMNS.values()) + [OLD]:
        groups.setdefault(folder, (label, kind, deep, []))
    subnav = "".join(f'<li><a href="./{folder}">{label}</a></li>'
                     for folder, (label, _, _, _) in sorted(groups.items(), reverse=True))
    p.add(BASE + "index.shtml", Resource(page(f"{COLUMN}_{spec.site_name}", "", nav + (
        '<div class="crumbs">当前位置：<a href="../../">首页</a> &gt; <a href="../">政务公开</a> &gt; 政府信息公开年报</div>'
        f'<ul class="nb-years">{subnav}</ul>') + footer(spec)).encode()), {"kind": "listing"})
    p.listing_paths.append(BASE + "index.shtml")

    for folder, (label, kind, deep, col_entries) in groups.items():
        col = BASE + folder
        rows = []
        for e in col_entries:
            rep = e.rep
            d = rep.published_date
            month = f"{d:%Y%m}/"
            name = f"t{d:%Y%m%d}_{e.id}.shtml"
            url = p.url(col + month + name)
            when = page_time(d, rng)
            pub = when.strftime("%Y-%m-%d %H:%M")
            head = meta_set(spec, rng, title=rep.title, column=COLUMN, pubdate=pub, source=rep.publisher, url=url)
            content = html_tables.report_body(rep, rng.choice(["word", "plain"]), rng, spam=e.spam)
            editor = (f'<div class="view TRS_UEDITOR trs_paper_default trs_web">{content}</div>' if rng.random() < 0.5 else
                      f'<div class=TRS_Editor><style type="text/css">.TRS_Editor P{{line-height:2;}}</style>{content}</div>')
            attachments = []
            if e.with_pdf_copy:
                pdf = p0_name(d, rng)
                attachments.append(pdf)
                p.add(col + month + pdf, Resource(None, "application/pdf", make=lambda rep=rep: files.report_pdf(rep)),
                      {"kind": "attachment", "of": url})
            att = "".join(f'<p><a href="./{a}" target="_blank">{html.escape(rep.title)}.pdf</a></p>' for a in attachments)
            box = info_box(rng, rep, d.isoformat()) if rng.random() < 0.5 else ""
            src = f'<span>来源：{html.escape(rep.publisher)}</span>' if rep.publisher else ""
            body = (f'{nav}<div class="article">{box}<h1>{html.escape(rep.title)}</h1><div class="info">'
                    f'<span>发布时间：{pub}</span>{src}</div>{editor}'
                    + (f'<div class="fj">附件：{att}</div>' if att else "") + f'</div>{footer(spec)}')
            truth = (report_truth(rep, spec, source_type="html", attachments=[p.url(col + month + a) for a in attachments])
                     if e.kind == "report" else common.decoy_truth(e))
            p.add(col + month + name, Resource(page(f"{rep.title}_{spec.site_name}", head, body).encode(),
                                               last_modified=when), truth)
            rows.append(f'<li><a href="./{month}{name}" target="_blank" title="{html.escape(rep.title)}">'
                        f'{html.escape(rep.title)}</a><span>{d.isoformat()}</span></li>')
        # At most PER_PAGE a page, and at least two pages wherever there is a pager: every dialect is exercised.
        size = max(1, min(PER_PAGE, (len(rows) + 1) // 2)) if kind != "none" else max(1, len(rows))
        chunks = [rows[i:i + size] for i in range(0, len(rows), size)] or [[]]
        count = len(chunks) + (1 if deep else 0)
        crumbs = (f'当前位置：<a href="../../../">首页</a> &gt; <a href="../../">政务公开</a> &gt; '
                  f'<a href="../">{COLUMN}</a> &gt; {label}')
        for i, chunk in enumerate(chunks):
            path = col + ("index.shtml" if i == 0 else f"index_{i}.shtml")
            body = (f'{nav}<div class="crumbs">{crumbs}</div><div class="list"><ul>{"".join(chunk)}</ul></div>'
                    + (pager(kind, count, i, len(rows)) if count > 1 else "") + footer(spec))
            p.add(path, Resource(page(f"{label}_{COLUMN}_{spec.site_name}", PAGER_FUNCTIONS, body).encode()),
                  {"kind": "listing"})
            p.listing_paths.append(path)
        if deep and count > 1:
            p.add(col + f"index_{len(chunks)}.shtml", Resource(stub(count).encode()))
    return p
