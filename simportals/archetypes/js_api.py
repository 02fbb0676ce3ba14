"""Guangdong gkmlpt: /gkmlpt/index is a script-drawn app (window._CONFIG with SID and TREE); the list exists only
as JSON from /gkmlpt/api/all/{cat}?page=N&sid=SID (100 a page, pages 0 and 1 identical). No report link is in
any HTML the server sends for the listing: a crawler needs a browser (or must read the API)."""
from __future__ import annotations

import html
import json

from .. import files, html_tables
from ..site import Portal, Resource, SiteSpec, footer, meta_set, p0_name, page, page_time, report_truth, stub_home
from . import common

PER_PAGE = 100
REPORT_CAT = 2890

APP_JS = r"""<script>
(function(){
 var C = window._CONFIG, app = document.getElementById('app');
 function nav(){ return '<ul class="tree">' + C.TREE.map(function(t){ return '<li><a href="#' + t.id + '" data-cat="' + t.id + '">' + t.name + '</a></li>'; }).join('') + '</ul>'; }
 function draw(cat, page){
  fetch('/gkmlpt/api/all/' + cat + '?page=' + page + '&sid=' + C.SID, {credentials:'same-origin'}).then(function(r){ return r.json(); }).then(function(d){
   var rows = d.articles.map(function(a){ return '<tr><td class="first"><a href="' + a.url + '" target="_blank">' + a.title + '</a></td><td>' + a.identifier + '</td><td>' + a.date + '</td></tr>'; }).join('');
   var pages = Math.ceil(d.total / d.per_page), pager = '';
   for (var i = 1; i <= pages; i++) pager += '<a href="#' + cat + '" data-page="' + i + '">' + i + '</a> ';
   app.innerHTML = nav() + '<table class="content-table"><tbody>' + rows + '</tbody></table><div class="pager">' + pager + '</div>';
   Array.prototype.forEach.call(app.querySelectorAll('a[data-page]'), function(a){ a.onclick = function(){ draw(cat, +a.getAttribute('data-page')); return false; }; });
  });
 }
 function route(){ var cat = parseInt((location.hash || '').slice(1), 10); if (cat) draw(cat, 1); else app.innerHTML = nav(); }
 window.addEventListener('hashchange', route);
 route();
})();
</script>"""


def build(spec: SiteSpec, seed: int) -> Portal:
    p = Portal(spec, seed)
    rng = p.rng
    sid = spec.options.get("sid", "757000")
    entries = common.plan_column(rng, spec, range(2012, 2025))
    common.plant(entries, rng, pdf_copies=0.3)
    tree = [{"id": 2881, "name": "机构职能"}, {"id": 2882, "name": "政策文件"}, {"id": 2885, "name": "规划计划"},
            {"id": REPORT_CAT, "name": "政府信息公开年报"}, {"id": 2891, "name": "政府信息公开指南"}]

    p.add("/", Resource(stub_home(spec, [("/", "首页"), ("/zwgk/", "政务公开"), ("/gkmlpt/index", "政府信息公开")]).encode()))
    # gkmlpt serves 100 a page; a portal may set fewer, so that its listing pages only by clicking.
    add_app(p, rng, entries, tree, sid=sid, app_js=APP_JS, per_page=spec.options.get("per_page", PER_PAGE),
            states_page_size=True)
    return p


def add_app(p: Portal, rng, entries, tree: list[dict], *, sid: str, app_js: str, per_page: int,
            states_page_size: bool, dead_anywhere: bool = False) -> None:
    """The gkmlpt app: /gkmlpt/index (window._CONFIG), the report category's articles with their info
    tables, and the list API. `states_page_size`: the answer says per_page (the real one does not);
    `dead_anywhere`: dead and offsite items sit among the reports, not after them."""
    spec = p.spec
    cfg = {"SID": sid, "TREE": tree, "DEPT": spec.site_name}
    index = page("政府信息公开_" + spec.site_name, f"<script>window._CONFIG = {json.dumps(cfg, ensure_ascii=False)};</script>",
                 f'<div id="app"><p class="loading">加载中…</p></div>\n{app_js}\n{footer(spec)}')
    p.add("/gkmlpt/index", Resource(index.encode()), {"kind": "listing"})
    p.listing_paths.append("/gkmlpt/index")

    articles = []
    for e in entries:
        rep = e.rep
        path = f"/gkmlpt/content/{e.id // 1000000}/{e.id // 1000}/post_{e.id}.html"
        url = p.url(path)
        when = page_time(rep.published_date, rng)
        attachments = []
        if e.with_pdf_copy:
            fpath = f"/attachment/0/{e.id % 1000}/{e.id}/{p0_name(rep.published_date, rng)}"
            p.add(fpath, Resource(None, "application/pdf", make=lambda rep=rep: files.report_pdf(rep)),
                  {"kind": "attachment", "of": url})
            attachments.append(fpath)
        head = meta_set(spec, rng, title=rep.title, column="政府信息公开年报", pubdate=when.strftime("%Y-%m-%d %H:%M"),
                        source=rep.publisher, url=url)
        rows = [("索引号", rep.index_number or ""), ("分类", "政府信息公开年报"), ("发布机构", rep.publisher or ""),
                ("成文日期", rep.generated_date.isoformat() if rep.generated_date else ""), ("名称", rep.title),
                ("发布日期", rep.published_date.isoformat())]
        table = "".join(f"<tr><td class='label'>{k}：</td><td>{html.escape(v)}</td></tr>" for k, v in rows)
        att = "".join(f'<p><a href="{f}">{html.escape(rep.title)}.pdf</a></p>' for f in attachments)
        body = (f'<div class="classify"><table>{table}</table></div><div class="content"><h1 class="title">'
                f'{html.escape(rep.title)}</h1><div class="article-content">'
                f'{html_tables.report_body(rep, rng.choice(["word", "plain"]), rng, spam=e.spam)}</div>'
                f'<div class="attachment">{att}</div></div>{footer(spec)}')
        truth = (report_truth(rep, spec, source_type="html", attachments=[p.url(f) for f in attachments])
                 if e.kind == "report" else common.decoy_truth(e))
        p.add(path, Resource(page(rep.title, head, body).encode(), last_modified=when), truth)
        articles.append({"id": e.id, "title": rep.title, "identifier": rep.index_number or "",
                         "publisher": rep.publisher or "", "url": url, "post_url": path,
                         "date": rep.published_date.isoformat(), "first_publish_time": int(when.timestamp()),
                         "attachment": [{"name": f"{rep.title}.pdf", "url": p.url(f)} for f in attachments]})
    for kind, href, title in common.dead_and_offsite(rng):
        item = {"id": 1, "title": title, "identifier": "", "publisher": "", "date": "2023-01-05",
                "url": href or p.url("/gkmlpt/content/0/1/post_1.html"), "post_url": "", "attachment": []}
        articles.insert(rng.randint(0, len(articles)) if dead_anywhere else len(articles), item)
    p.api_articles = {REPORT_CAT: articles}

    def api(method: str, query: dict, form: dict, cookies: dict, cat: int) -> Resource:
        if query.get("sid") != sid:
            return Resource(json.dumps({"error": "sid"}).encode(), "application/json;charset=UTF-8", status=400)
        items = p.api_articles.get(cat, [])
        try:
            pg = max(1, int(query.get("page", 1) or 1))   # page 0 is page 1, as on the real API
        except ValueError:
            pg = 1
        d = {"total": len(items), "page": pg, "articles": items[(pg - 1) * per_page: pg * per_page],
             "classify": {"id": cat, "name": next(t["name"] for t in tree if t["id"] == cat)}}
        if states_page_size:
            d["per_page"] = per_page
        return Resource(json.dumps(d, ensure_ascii=False).encode(), "application/json;charset=UTF-8")

    for t in tree:
        p.handlers[f"/gkmlpt/api/all/{t['id']}"] = (lambda m, q, f, c, cat=t["id"]: api(m, q, f, c, cat))
    for n in range(1, -(-len(articles) // per_page) + 1):
        p.truth.append({"url": p.url(f"/gkmlpt/api/all/{REPORT_CAT}?page={n}&sid={sid}"), "portal": p.host,
                        "kind": "listing", "robots_disallowed": False})
