"""An ASP.NET WebForms county site: GBK bytes declaring gb2312 (with GBK-only characters such as 喆 堃 镕),
the 信息公开 tree at InfoPublic.aspx, the report column InfoPublic.aspx?cid=N whose pager is nothing but
AspNetPager postback links, javascript:__doPostBack('ctl00$ContentPlaceHolder1$AspNetPager1','N') (numbers
and 下一页), inside <form method=post action="InfoPublic.aspx?cid=N"> with __VIEWSTATE / __EVENTVALIDATION.
Page N comes only from POSTing that form back with __EVENTTARGET and __EVENTARGUMENT=N (a GET always answers
page 1; a postback without the page's hidden fields is ASP.NET's 500). Details InfoPublicView.aspx?id=N with
an info table; one old title writes its year in full-width digits (淇县人民政府２０１４年政务信息公开年度报告).
Options: cid (the column), per_page."""
from __future__ import annotations

import base64
import html

from .. import html_tables
from ..site import Portal, Resource, SiteSpec, footer, page, page_time, report_truth
from . import common

CHARSET_HEADER = "text/html; charset=gb2312"
PAGER = "ctl00$ContentPlaceHolder1$AspNetPager1"
CONTACTS = ["王喆", "李堃", "张镕", "赵喆"]
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
OTHER_COLUMNS = {11: "政府信息公开指南", 12: "政府信息公开制度", 20: "法定主动公开内容", 30: "财政预决算"}

POSTBACK_JS = """<script type="text/javascript">
//<![CDATA[
var theForm = document.forms['aspnetForm'];
if (!theForm) { theForm = document.aspnetForm; }
function __doPostBack(eventTarget, eventArgument) {
    if (!theForm.onsubmit || (theForm.onsubmit() != false)) {
        theForm.__EVENTTARGET.value = eventTarget;
        theForm.__EVENTARGUMENT.value = eventArgument;
        theForm.submit();
    }
}
//]]>
</script>"""

VIEWSTATE_ERROR = ("<html><head><title>Validation of viewstate MAC failed.</title></head><body>"
                   "<h1>Server Error in '/' Application.</h1><h2><i>Validation of viewstate MAC failed. If this "
                   "application is hosted by a Web Farm or cluster, ensure that &lt;machineKey&gt; configuration "
                   "specifies the same validationKey and validation algorithm.</i></h2></body></html>")


def fullwidth_title(agency: str, year: int) -> str:
    return f"{agency}{str(year).translate(FULLWIDTH)}年政务信息公开年度报告"


def build(spec: SiteSpec, seed: int) -> Portal:
    spec.options.setdefault("charset", "gbk")
    p = Portal(spec, seed)
    rng = p.rng
    o = spec.options
    cid = o.get("cid", 23)
    per_page = o.get("per_page", 8)
    higher = [(o["province_body"], 2022), (o["city_body"], 2021)]
    entries = common.plan_bodies(rng, spec, [(0, range(2010, 2025)), (1, range(2019, 2025)), (2, range(2021, 2025))],
                                 reposts=higher)
    common.plant(entries, rng, broken=o.get("broken", False))
    # One old report of the government writes its year in full-width digits, as some county sites do.
    old = [e for e in entries if e.kind == "report" and e.rep.agency == spec.agencies[0][0] and e.rep.form == "pre2019"]
    wide = next((e for e in old if e.rep.year == 2014), old[len(old) // 2])
    wide.rep.title = fullwidth_title(wide.rep.agency, wide.rep.year)

    def res(text: str, **kw) -> Resource:
        return Resource(text.encode("gbk"), CHARSET_HEADER, **kw)

    def token(n: int) -> str:
        return "/wE" + base64.b64encode(rng.randbytes(n)).decode()

    nav = ('<div id="nav"><ul><li><a href="/Default.aspx">网站首页</a></li><li><a href="/News.aspx?cid=1">新闻动态</a></li>'
           '<li><a href="/InfoPublic.aspx">信息公开</a></li><li><a href="/Service.aspx">办事服务</a></li>'
           '<li><a href="/Interaction.aspx">互动交流</a></li></ul></div>')
    home_state = token(24)
    home = page(spec.site_name, "", (
        f'<form name="aspnetForm" method="post" action="Default.aspx" id="aspnetForm"><div>'
        f'<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{home_state}" /></div>'
        f'<div id="top"><h1>{html.escape(spec.site_name)}</h1></div>{nav}'
        f'<div class="news"><ul><li><a href="/News.aspx?cid=1">县政府召开常务会议</a></li></ul></div></form>{footer(spec)}'),
        "gb2312")
    p.add("/", res(home))
    p.add("/Default.aspx", res(home))
    tree = ('<div class="lefttree"><ul>' + "".join(
        f'<li><a href="InfoPublic.aspx?cid={k}">{v}</a></li>' for k, v in
        [(11, OTHER_COLUMNS[11]), (12, OTHER_COLUMNS[12]), (20, OTHER_COLUMNS[20]), (cid, "政府信息公开年报"),
         (30, OTHER_COLUMNS[30])]) + '</ul></div>')
    hub = res(page(f"信息公开-{spec.site_name}", "", f'{nav}{tree}<div class="right">请选择栏目</div>{footer(spec)}',
                   "gb2312"))
    others = {k: res(page(f"{v}-{spec.site_name}", "", f'{nav}{tree}<div class="right"><div class="position">当前位置：'
                                                        f'首页 &gt; 信息公开 &gt; {v}</div><table class="list"></table></div>'
                                                        f'{footer(spec)}', "gb2312")) for k, v in OTHER_COLUMNS.items()}

    rows = []
    for e in entries:
        rep = e.rep
        path = f"/InfoPublicView.aspx?id={e.id}"
        when = page_time(rep.published_date, rng)
        infotab = ('<table class="infotab" cellspacing="0" border="1"><tr>'
                   f'<td>索引号：</td><td>{html.escape(rep.index_number or "")}</td>'
                   f'<td>发布机构：</td><td>{html.escape(rep.publisher or "")}</td></tr>'
                   f'<tr><td>生成日期：</td><td>{rep.generated_date.isoformat() if rep.generated_date else ""}</td>'
                   f'<td>发布日期：</td><td>{rep.published_date.isoformat()}</td></tr></table>')
        body = (f'{nav}<div class="position">当前位置：<a href="Default.aspx">首页</a> &gt; <a href="InfoPublic.aspx">信息公开</a>'
                f' &gt; <a href="InfoPublic.aspx?cid={cid}">政府信息公开年报</a></div>{infotab}'
                f'<div id="ctl00_ContentPlaceHolder1_divTitle" class="title">{html.escape(rep.title)}</div>'
                f'<div class="sub">发布时间：{when:%Y-%m-%d %H:%M}　浏览次数：<span id="ctl00_ContentPlaceHolder1_lblHits">'
                f'{rng.randint(40, 900)}</span></div>'
                f'<div id="ctl00_ContentPlaceHolder1_divContent">{html_tables.report_body(rep, "plain", rng)}'
                f'<p>联系人：{rng.choice(CONTACTS)}　电话：0392-7221{rng.randint(100, 999)}</p></div>{footer(spec)}')
        truth = report_truth(rep, spec, source_type="html") if e.kind == "report" else common.decoy_truth(e)
        p.add(path, res(page(f"{rep.title}-{spec.site_name}", "", body, "gb2312"), last_modified=when), truth)
        shown = rep.title if len(rep.title) <= 28 else rep.title[:27] + "..."
        rows.append(f'<tr><td class="t"><a href="InfoPublicView.aspx?id={e.id}" target="_blank" '
                    f'title="{html.escape(rep.title)}">{html.escape(shown)}</a></td>'
                    f'<td class="d">{rep.published_date.isoformat()}</td></tr>')
    for kind, href, title in common.dead_and_offsite(rng):
        rows.insert(rng.randint(0, len(rows)), f'<tr><td class="t"><a href="{href or "InfoPublicView.aspx?id=99999"}" '
                                                f'target="_blank">{title}</a></td><td class="d">2023-01-05</td></tr>')

    chunks = [rows[i:i + per_page] for i in range(0, len(rows), per_page)]
    n = len(chunks)
    states = {}                  # page -> (__VIEWSTATE, __EVENTVALIDATION) it was served with
    pages: dict[int, Resource] = {}

    def link(k: int, text: str) -> str:
        return f'<a href="javascript:__doPostBack(&#39;{PAGER}&#39;,&#39;{k}&#39;)" style="margin-right:5px;">{text}</a>'

    for i, chunk in enumerate(chunks, start=1):
        state, validation = token(60), token(30)
        states[i] = (state, validation)
        pager = [f'共{len(rows)}条记录&nbsp;页次：{i}/{n}&nbsp;']
        pager.append(link(1, "首页") + link(i - 1, "上一页") if i > 1 else
                     '<a disabled="disabled" style="margin-right:5px;">首页</a><a disabled="disabled" style="margin-right:5px;">上一页</a>')
        pager += [f'<span style="margin-right:5px;font-weight:Bold;color:red;">{k}</span>' if k == i else link(k, str(k))
                  for k in range(1, n + 1)]
        pager.append(link(i + 1, "下一页") + link(n, "尾页") if i < n else
                     '<a disabled="disabled" style="margin-right:5px;">下一页</a><a disabled="disabled" style="margin-right:5px;">尾页</a>')
        body = (f'<form name="aspnetForm" method="post" action="InfoPublic.aspx?cid={cid}" id="aspnetForm"><div>'
                '<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />'
                '<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />'
                f'<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{state}" /></div>\n{POSTBACK_JS}\n'
                f'{nav}{tree}<div class="right"><div class="position">当前位置：<a href="Default.aspx">首页</a> &gt; '
                f'<a href="InfoPublic.aspx">信息公开</a> &gt; 政府信息公开年报</div>'
                f'<table class="list" width="100%">{"".join(chunk)}</table>'
                f'<div id="ctl00_ContentPlaceHolder1_AspNetPager1" class="pager">{"".join(pager)}</div></div>'
                f'<div><input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="{validation}" /></div>'
                f'</form>{footer(spec)}')
        pages[i] = res(page(f"政府信息公开年报-{spec.site_name}", "", body, "gb2312"))
    p.listing_pages = pages
    issued = {s for s, _ in states.values()}, {v for _, v in states.values()}
    p.routes[f"/InfoPublic.aspx?cid={cid}"] = pages[1]        # what a GET answers (for redesign and the tests)
    p.listing_paths.append(f"/InfoPublic.aspx?cid={cid}")

    def info_public(method: str, query: dict, form: dict, cookies: dict) -> Resource:
        if "cid" not in query:
            return hub
        try:
            asked = int(query["cid"])
        except ValueError:
            return Resource(b"", status=404)
        if asked != cid:
            return others.get(asked) or Resource(b"", status=404)
        first = p.routes[f"/InfoPublic.aspx?cid={cid}"]
        if method != "POST":
            return first
        if form.get("__VIEWSTATE") not in issued[0] or form.get("__EVENTVALIDATION") not in issued[1]:
            return Resource(VIEWSTATE_ERROR.encode(), "text/html; charset=utf-8", status=500)
        if form.get("__EVENTTARGET") != PAGER:
            return first
        try:
            return pages.get(int(form.get("__EVENTARGUMENT") or 1)) or first
        except ValueError:
            return first

    p.handlers["/InfoPublic.aspx"] = info_public
    p.truth.append({"url": p.url("/InfoPublic.aspx"), "portal": p.host, "kind": "listing", "robots_disallowed": False})
    p.truth.append({"url": p.url(f"/InfoPublic.aspx?cid={cid}"), "portal": p.host, "kind": "listing",
                    "robots_disallowed": False, "method": "POST"})
    return p
