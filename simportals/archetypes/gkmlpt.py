"""A Guangdong city's gkmlpt platform whose 政府信息公开年报 category gathers the reports of the city and of
its departments: more than 100 items, so the list API has more than one page. As the real API does, it serves
100 a page and does not say so: /gkmlpt/api/all/{cat}?page=N&sid=SID answers {total, page, articles}
(page 0 is page 1), each article with its attachment[] list. /gkmlpt/index is a script-drawn app
(window._CONFIG with SID and TREE) whose pager is element-ui's <ul class="el-pager"><li class="number">,
with no <a> at all. Details /gkmlpt/content/{a}/{b}/post_{id}.html with the classify info table.
Options: sid, reposts [(higher body, year)]."""
from __future__ import annotations

from ..site import Portal, Resource, SiteSpec, footer, page
from . import common, js_api

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
    js_api.add_app(p, rng, entries, tree, sid=sid, app_js=APP_JS, per_page=PER_PAGE, states_page_size=False,
                   dead_anywhere=True)
    return p
