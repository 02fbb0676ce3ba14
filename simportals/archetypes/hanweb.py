"""Hanweb 大汉 JCMS: /col/col{ID}/index.html whose first page sits in <script type="text/xml"><datastore>,
later pages only from POST /module/web/jpage/dataproxy.jsp; /art/{Y}/{M}/{D}/art_{col}_{id}.html details with
the body between ZJEG_RSS markers; attachments behind downfile.jsp whose type is only in the headers.
Options: col (column id), challenge ("ruishu"), first_year."""
from __future__ import annotations

import hashlib
import html
import json
from urllib.parse import quote

from .. import files, html_tables
from ..site import Portal, Resource, SiteSpec, footer, info_box, meta_set, page, page_time, report_truth
from . import common

PER_PAGE = 8
PROXY = "/module/web/jpage/dataproxy.jsp"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# A tiny stand-in for jQuery + jpage, so the listing really works in a browser (records from the inline
# datastore first, then POSTs to dataproxy.jsp), while the HTML itself holds no <a> outside the XML.
JPAGE_JS = r"""<script type="text/javascript">
(function(){
 function ready(f){ if(document.readyState!='loading') f(); else document.addEventListener('DOMContentLoaded', f); }
 function records(xml){ var out=[], re=/<record>\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*<\/record>/g, m; while((m=re.exec(xml))) out.push(m[1]); return out; }
 function jpage(el, o){
  var xmlNode = el.querySelector('script[type="text/xml"]');
  var list = document.createElement('ul'); list.className='main_list'; el.appendChild(list);
  var bar = document.createElement('div'); bar.className='default_pgContainer'; el.appendChild(bar);
  var pages = Math.ceil(o.totalRecord / o.perPage);
  function show(html, page){ list.innerHTML = html.join(''); drawBar(page); }
  function drawBar(page){
   var s='共'+o.totalRecord+'条 '+page+'/'+pages+'页 ';
   for(var i=1;i<=pages;i++){ s += (i==page) ? '<span class="default_pgCurrentPage">'+i+'</span> ' : '<a href="javascript:void(0)" data-p="'+i+'">'+i+'</a> '; }
   bar.innerHTML = s;
   Array.prototype.forEach.call(bar.querySelectorAll('a[data-p]'), function(a){ a.onclick=function(){ load(+a.getAttribute('data-p')); }; });
  }
  function load(page){
   var start=(page-1)*o.perPage+1, end=Math.min(page*o.perPage, o.totalRecord);
   var body = Object.keys(o.ajaxParam).map(function(k){ return encodeURIComponent(k)+'='+encodeURIComponent(o.ajaxParam[k]); }).join('&');
   fetch(o.proxyUrl+'?startrecord='+start+'&endrecord='+end+'&perpage='+o.perPage, {method:'POST', credentials:'same-origin',
     headers:{'Content-Type':'application/x-www-form-urlencoded'}, body:body})
    .then(function(r){ return r.text(); }).then(function(t){ show(records(t), page); });
  }
  show(records(xmlNode ? xmlNode.textContent : ''), 1);
 }
 window.$ = window.jQuery = window.$ || function(a){
  if(typeof a === 'function'){ ready(a); return; }
  return { jpage: function(o){ var el=document.querySelector(a); if(el) jpage(el, o); } };
 };
})();
</script>"""


def record(col: int, href: str, title: str, d: str) -> str:
    shown = title if len(title) <= 24 else title[:23] + "…"
    return (f'<record><![CDATA[\n<li class="clearfix"><a target="_blank" href="{href}" '
            f'title="{html.escape(title, quote=True)}">{html.escape(shown)}</a> <b>{d}</b></li>]]></record>')


def build(spec: SiteSpec, seed: int) -> Portal:
    p = Portal(spec, seed)
    rng = p.rng
    o = spec.options
    col = o.get("col", 1229000000 + rng.randint(1, 99999))
    unitid = str(rng.randint(30000, 99999))
    webid = rng.randint(2, 300)
    area_col = col - rng.randint(3, 40)
    behaviour = o.get("challenge")
    entries = common.plan_column(rng, spec, range(o.get("first_year", 2010), 2025))
    common.plant(entries, rng, flaky=False)
    # Some reports exist only as an attachment behind downfile.jsp.
    modern = [e for e in entries if e.kind == "report" and e.rep.form != "pre2019"]
    for e, kind in zip(rng.sample(modern, min(2, len(modern))), ["pdf", "docx"]):
        e.attachment_only = kind

    nav = (f'<div class="nav"><a href="/">首页</a><a href="/col/col{area_col}/index.html">政府信息公开</a>'
           '<a href="/col/col1229000001/index.html">政务服务</a></div>')
    home = page(spec.site_name, "", f'<div class="top"><h1>{spec.site_name}</h1></div>{nav}'
                f'<div class="foot">{footer(spec)}<p>Produced By 大汉网络 大汉版通发布系统</p></div>')
    p.add("/", Resource(home.encode(), behaviour=behaviour))
    p.add("/index.html", Resource(home.encode(), behaviour=behaviour))
    area = page("政府信息公开", "", f'{nav}<ul class="xxgk-nav"><li><a href="/col/col{area_col + 1}/index.html">政府信息公开指南</a></li>'
                f'<li><a href="/col/col{area_col + 2}/index.html">政府信息公开制度</a></li>'
                f'<li><a href="/col/col{col}/index.html">政府信息公开年报</a></li></ul>{footer(spec)}')
    p.add(f"/col/col{area_col}/index.html", Resource(area.encode(), behaviour=behaviour), {"kind": "listing"})

    recs: list[str] = []
    for e in entries:
        rep = e.rep
        d = rep.published_date
        path = f"/art/{d.year}/{d.month}/{d.day}/art_{col}_{e.id}.html"
        url = p.url(path)
        when = page_time(d, rng)
        head = (meta_set(spec, rng, title=rep.title, column="政府信息公开年报", pubdate=when.strftime("%Y-%m-%d %H:%M"),
                         source=rep.publisher, url=url)
                + f'\n<meta name="Maketime" content="{when:%Y-%m-%d %H:%M:%S}">\n<meta name="i_columnid" content="{col}">')
        attach_html, truth = "", None
        if e.attachment_only:
            ext = e.attachment_only
            hexname = hashlib.md5(f"{seed}{e.id}".encode()).hexdigest()
            dl = f"/module/download/downfile.jsp?classid=0&filename={hexname}.{ext}"
            fname = f"{rep.title}.{ext}"
            ctype = "application/pdf" if ext == "pdf" else "application/octet-stream"
            make = (lambda rep=rep: files.report_pdf(rep)) if ext == "pdf" else (lambda rep=rep: files.report_docx(rep))
            p.add(dl, Resource(None, ctype, make=make, behaviour=behaviour, last_modified=when,
                               headers={"Content-Disposition": f"attachment; filename={quote(fname)}"}),
                  report_truth(rep, spec, source_type=ext))
            content = f'<p>　　{html.escape(rep.title)}详见附件。</p>'
            attach_html = f'<p>附件：<a href="{dl}" target="_blank">{html.escape(fname)}</a></p>'
            truth = {"kind": "listing", "links_to": p.url(dl)}
        else:
            content = html_tables.report_body(rep, rng.choice(["word", "plain"]), rng, spam=e.spam)
            truth = report_truth(rep, spec, source_type="html") if e.kind == "report" else common.decoy_truth(e)
        box = info_box(rng, rep, d.isoformat(), padded=False) if rng.random() < 0.7 else ""
        src = f'信息来源：<!--<$[信息来源]>begin-->{html.escape(rep.publisher or "")}<!--<$[信息来源]>end-->'
        body = (f'{nav}<div class="main">{box}<div class="title"><h1>{html.escape(rep.title)}</h1></div>'
                f'<div class="info">发布日期：{d.isoformat()}　{src}</div>\n'
                f'<div id="zoom"><!--<$[信息内容]>begin--><!--ZJEG_RSS.content.begin--><meta name="ContentStart">'
                f'{content}{attach_html}<meta name="ContentEnd"><!--ZJEG_RSS.content.end--><!--<$[信息内容]>end--></div>'
                f'</div>{footer(spec)}')
        p.add(path, Resource(page(f"{spec.site_name} 政府信息公开年报 {rep.title}", head, body).encode(),
                             behaviour=behaviour, last_modified=when), truth)
        recs.append(record(col, path, rep.title, d.isoformat()))
    for kind, href, title in common.dead_and_offsite(rng):
        recs.insert(rng.randint(1, len(recs)), record(col, href or f"/art/2023/1/5/art_{col}_99999.html", title, "2023-01-05"))

    ajax = {"col": 1, "appid": "1", "webid": webid, "path": "/", "columnid": col, "unitid": unitid,
            "webname": spec.site_name, "permissiontype": 0}
    first = "\n".join(recs[:PER_PAGE])
    column_html = (
        f'{nav}<div class="crumb">您当前的位置：<a href="/">首页</a> &gt; <a href="/col/col{area_col}/index.html">政府信息公开</a>'
        f' &gt; 政府信息公开年报</div>\n<div id="{unitid}">'
        f'<script type="text/xml"><datastore>\n<nextgroup><![CDATA[<a href="{PROXY}?page=1&appid=1&webid={webid}&path=/'
        f'&columnid={col}&unitid={unitid}&webname={quote(quote(spec.site_name))}&permissiontype=0"></a>]]></nextgroup>\n'
        f'<recordset>\n{first}\n</recordset>\n</datastore></script></div>\n{JPAGE_JS}\n'
        f"<script>$(function(){{$('#{unitid}').jpage({{themeName:'default',showMode:'full',totalRecord:{len(recs)},"
        f"openCookies:false,dataBefore:'',dataAfter:'',groupSize:3,proxyUrl:'{PROXY}',perPage:{PER_PAGE},barPosition:'bottom',"
        f"ajaxParam:{json.dumps(ajax, ensure_ascii=False)}}});}});</script>\n{footer(spec)}")
    col_path = f"/col/col{col}/index.html"
    p.add(col_path, Resource(page("政府信息公开年报", "", column_html).encode(), behaviour=behaviour), {"kind": "listing"})
    p.listing_paths.append(col_path)
    p.listing_records = recs  # redesign empties these too

    def dataproxy(method: str, query: dict, form: dict, cookies: dict) -> Resource:
        args = {**query, **form}
        if str(args.get("columnid")) != str(col) or str(args.get("unitid")) != unitid or not getattr(p, "listing_records", None):
            return Resource(b'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>0</totalrecord>'
                            b'<totalpage>0</totalpage><recordset></recordset></datastore>',
                            "text/xml;charset=UTF-8", behaviour=behaviour)
        per = int(args.get("perpage", PER_PAGE) or PER_PAGE)
        if "startrecord" in args:
            start, end = int(args["startrecord"]), int(args.get("endrecord", int(args["startrecord"]) + per - 1))
        else:  # the older GET form: ?page=N
            pg = int(args.get("page", 1))
            start, end = (pg - 1) * per + 1, pg * per
        recs_ = p.listing_records
        chunk = recs_[max(0, start - 1):max(0, end)]
        xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n<totalrecord>{len(recs_)}</totalrecord>\n'
               f'<totalpage>{-(-len(recs_) // per)}</totalpage>\n<recordset>\n' + "\n".join(chunk)
               + "\n</recordset>\n</datastore>")
        return Resource(xml.encode(), "text/xml;charset=UTF-8", behaviour=behaviour)

    p.handlers[PROXY] = dataproxy
    p.truth.append({"url": p.url(PROXY), "portal": p.host, "kind": "listing", "robots_disallowed": False,
                    "method": "POST"})
    if behaviour:
        p.truth.append({"url": p.home_url, "portal": p.host, "kind": "challenge", "challenge": behaviour,
                        "robots_disallowed": False})
    return p
