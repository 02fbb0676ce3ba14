"""A Guangdong city's gkmlpt platform whose 政府信息公开年报 category gathers the reports of the city and of
its departments: more than 100 items, so the list API has more than one page. As the real API does, it serves
100 a page and does not say so: /gkmlpt/api/all/{cat}?page=N&sid=SID answers {total, page, articles}
(page 0 is page 1), each article with its attachment[] list. /gkmlpt/index is a script-drawn app
(window._CONFIG with SID and TREE) whose pager is element-ui's <ul class="el-pager"><li class="number">,
with no <a> at all. Details /gkmlpt/content/{a}/{b}/post_{id}.html with the classify info table.
Options: sid, reposts [(higher body, year)]."""
from __future__ import annotations

import html
import json

from .. import files, html_tables
from ..site import Portal, Resource, SiteSpec, footer, meta_set, p0_name, page, page_time, report_truth
from . import common

PER_PAGE = 100          # what the real API serves, and never says
REPORT_CAT = 2890

APP_JS = r"""<script>
(function(){
 var C = window._CONFIG, app = document.getElementById('app');
 function nav(){ return '<ul class="tree">' + C.TREE.map(function(t){ return '<li><a href="#' + t.id + '">' + t.name + '</a></li>'; }).join('') + '</ul>'; }
 function draw(cat, page){
  fetch('/gkmlpt/api/all/' + cat + '?page=' + page + '&sid=' + C.SID, {credentials:'same-origin'}).then(function(r){ return r.json(); }).then(function(d){
   var rows = d.articles.map(function(a){ return '<tr><td class="first"><a href="' + a.url + '" target="_blank">' + a.title + '</a></td><td>' + a.identifier + '</td><td>' + a.date + '</td></tr>'; }).join('');
   var pages = Math.ceil(d.total / 100), pager = '<div class="el-pagination"><button type="button" class="btn-prev">&lt;</button><ul class="el-pager">';
   for (var i = 1; i <= pages; i++) pager += '<li class="number' + (i == page ? ' active' : '') + '" data-p="' + i + '">' + i + '</li>';
   pager += '</ul><button type="button" class="btn-next">&gt;</button></div>';
   app.innerHTML = nav() + '<table class="content-table"><tbody>' + rows + '</tbody></table>' + pager;
   Array.prototype.forEach.call(app.querySelectorAll('li.number'), function(li){ li.onclick = function(){ draw(cat, +li.getAttribute('data-p')); }; });
   app.querySelector('.btn-next').onclick = function(){ if (page < pages) draw(cat, page + 1); };
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
    o = spec.options
    sid = o.get("sid", "757400")
    spans = [(0, range(2012, 2025))] + [(k, range(2019, 2025)) for k in range(1, len(spec.agencies))]
    entries = common.plan_bodies(rng, spec, spans, reposts=[tuple(r) for r in o.get("reposts", [])])
    common.plant(entries, rng, broken=True, pdf_copies=0.3)
    tree = [{"id": 2881, "name": "机构职能"}, {"id": 2882, "name": "政策文件"}, {"id": 2885, "name": "规划计划"},
            {"id": REPORT_CAT, "name": "政府信息公开年报"}, {"id": 2891, "name": "政府信息公开指南"}]

    p.add("/", Resource(page(spec.site_name, "", (
        '<div class="nav"><a href="/">首页</a><a href="/xwzx/">新闻中心</a><a href="/gkmlpt/index">政府信息公开</a>'
        f'<a href="/zwfw/">政务服务</a></div>{footer(spec)}')).encode()))
    cfg = {"SID": sid, "TREE": tree, "DEPT": spec.site_name}
    index = page(f"政府信息公开_{spec.site_name}", f"<script>window._CONFIG = {json.dumps(cfg, ensure_ascii=False)};</script>",
                 f'<div id="app"><p class="loading">加载中…</p></div>\n{APP_JS}\n{footer(spec)}')
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
        articles.insert(rng.randint(0, len(articles)), {
            "id": 1, "title": title, "identifier": "", "publisher": "", "date": "2023-01-05",
            "url": href or p.url("/gkmlpt/content/0/1/post_1.html"), "post_url": "", "attachment": []})
    assert len(articles) > PER_PAGE, "the category must need more than one API page"
    p.api_articles = {REPORT_CAT: articles}

    def api(method: str, query: dict, form: dict, cookies: dict, cat: int) -> Resource:
        if query.get("sid") != sid:
            return Resource(json.dumps({"error": "sid"}).encode(), "application/json;charset=UTF-8", status=400)
        items = p.api_articles.get(cat, [])
        try:
            pg = max(1, int(query.get("page", 1) or 1))   # page 0 is page 1, as on the real API
        except ValueError:
            pg = 1
        d = {"total": len(items), "page": pg, "articles": items[(pg - 1) * PER_PAGE: pg * PER_PAGE],
             "classify": {"id": cat, "name": next(t["name"] for t in tree if t["id"] == cat)}}
        return Resource(json.dumps(d, ensure_ascii=False).encode(), "application/json;charset=UTF-8")

    for t in tree:
        p.handlers[f"/gkmlpt/api/all/{t['id']}"] = (lambda m, q, f, c, cat=t["id"]: api(m, q, f, c, cat))
    for n in range(1, -(-len(articles) // PER_PAGE) + 1):
        p.truth.append({"url": p.url(f"/gkmlpt/api/all/{REPORT_CAT}?page={n}&sid={sid}"), "portal": p.host,
                        "kind": "listing", "robots_disallowed": False})
    return p
