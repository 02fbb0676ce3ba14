"""The whole simulated web: which portals exist (real GB/T 2260 codes and names), built from a seed."""
from __future__ import annotations

import hashlib
import html
import re

from . import stated
from .archetypes import (aspnet, attachments, city_platform, file_only, gbk_county, gkmlpt, hanweb, js_api, mirror,
                         oldest_first, snowflake, trs, trs_variants)
from .site import Portal, Resource, SiteSpec

# Spoils the server acts out when the page is asked for (Resource.behaviour; see server.SimServer.serve).
SERVED_SPOILS = ("hang", "bomb", "drip", "truncated", "redirect_self", "redirect_loop")
ENDLESS_PAGES = 100000
TRS_PAGE = re.compile(r"index(?:_(\d+))?\.html")
TRS_COUNTS = re.compile(rb"(createPageHTML\(|var countPage = )\d+")

BUILDERS = {"trs": trs.build, "gbk_county": gbk_county.build, "hanweb": hanweb.build, "js_api": js_api.build,
            "mirror": mirror.build, "attachments": attachments.build, "aspnet": aspnet.build,
            "city_platform": city_platform.build, "trs_variants": trs_variants.build, "gkmlpt": gkmlpt.build,
            "oldest_first": oldest_first.build, "file_only": file_only.build, "snowflake": snowflake.build}
JIANGMEN_DEPARTMENTS = ["发展和改革局", "教育局", "科学技术局", "工业和信息化局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
                        "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局", "卫生健康局"]


def specs() -> list[SiteSpec]:
    """The portals served. Agencies: (agency, publisher-or-None, 索引号 prefix-or-None)."""
    return [
        SiteSpec("rsj.quanzhou.gov.cn", "泉州市人力资源和社会保障局", "350500", "trs", "闽ICP备05012433号",
                 "闽公网安备 35050202000215号", "0012",
                 [("泉州市人力资源和社会保障局", "泉州市人力资源和社会保障局", "003551417")],
                 {"spam": True, "broken": True, "flaky": True, "robots": True, "pdf_copies": 0.4}),
        SiteSpec("www.dongli.gov.cn", "天津市东丽区人民政府", "120110", "trs", "津ICP备05004529号",
                 "津公网安备 12011002000100号", "0002",
                 [("天津市东丽区人民政府", "天津市东丽区人民政府办公室", "000125013")],
                 {"year_subcolumns": True, "challenge": "jsl", "column": "/zwgk/zfxxgknb/", "pdf_copies": 0.2}),
        SiteSpec("www.huining.gov.cn", "会宁县人民政府", "620422", "gbk_county", "陇ICP备05000732号",
                 "甘公网安备 62042202000003号", "0001",
                 [("会宁县人民政府办公室", "会宁县人民政府办公室", None)], {"broken": True}),
        SiteSpec("rsj.sx.gov.cn", "绍兴市人力资源和社会保障局", "330600", "hanweb", "浙ICP备05005834号",
                 "浙公网安备 33060202000322号", "0024",
                 [("绍兴市人力资源和社会保障局", "绍兴市人力资源和社会保障局", "002586317")], {"col": 1229430812}),
        SiteSpec("scjg.gansu.gov.cn", "甘肃省市场监督管理局", "620000", "hanweb", "陇ICP备19001806号",
                 "甘公网安备 62010202000710号", "0052",
                 [("甘肃省市场监督管理局", "甘肃省市场监督管理局办公室", "13820016X")],
                 {"col": 16211, "challenge": "ruishu", "first_year": 2018}),
        SiteSpec("hrss.foshan.gov.cn", "佛山市人力资源和社会保障局", "440600", "js_api", "粤ICP备05032318号",
                 "粤公网安备 44060402000104号", "0034",
                 [("佛山市人力资源和社会保障局", "佛山市人力资源和社会保障局", "007052146")], {"sid": "757010", "per_page": 5}),
        SiteSpec("big5.jingyuan.gov.cn", "靖远县人民政府", "620421", "mirror", "陇ICP备10000547号",
                 "甘公网安备 62042102000102号", "0001",
                 [("靖远县人力资源和社会保障局", "靖远县融媒体中心", "1162042101391301xj")], {}),
        SiteSpec("rst.fujian.gov.cn", "福建省人力资源和社会保障厅", "350000", "attachments", "闽ICP备05004637号",
                 "闽公网安备 35010202000467号", "0007",
                 [("福建省人力资源和社会保障厅", "福建省人力资源和社会保障厅", "SM00100-0200")], {}),
        # The CMS dialects of the discovery review: ASP.NET postbacks, a city platform of departments, TRS pager
        # variants, a gkmlpt category of several API pages, an oldest-first PHPCMS column, files without extensions.
        SiteSpec("www.qixian.gov.cn", "淇县人民政府", "410622", "aspnet", "豫ICP备05012021号",
                 "豫公网安备 41062202000015号", "0001",
                 [("淇县人民政府", "淇县人民政府办公室", "005313871"), ("淇县教育局", "淇县教育局", "005313900"),
                  ("淇县卫生健康委员会", "淇县卫生健康委员会", None)],
                 {"cid": 23, "province_body": "河南省人民政府", "city_body": "鹤壁市人民政府", "broken": True}),
        SiteSpec("www.np.gov.cn", "南平市人民政府", "350700", "city_platform", "闽ICP备05024416号",
                 "闽公网安备 35070202000109号", "0001",
                 [("南平市人民政府", "南平市人民政府办公室", "003551310"), ("南平市城市管理局", "南平市城市管理局", "003551629"),
                  ("南平市科学技术局", "南平市科学技术局", "003551387"), ("南平市审计局", "南平市审计局", None),
                  ("南平市统计局", "南平市统计局", "003551418")],
                 {"departments": [("npcg", 1), ("npkjj", 2), ("npsjj", 3), ("nptjj", 4)], "province_body": "福建省人民政府"}),
        SiteSpec("www.dlt.gov.cn", "达拉特旗人民政府", "150621", "trs_variants", "蒙ICP备05002812号",
                 "蒙公网安备 15062102000106号", "0003",
                 [("达拉特旗人民政府", "达拉特旗人民政府办公室", "11152726011665017X"),
                  ("达拉特旗教育体育局", "达拉特旗教育体育局", None),
                  ("达拉特旗卫生健康委员会", "达拉特旗卫生健康委员会", "11152726MB1A36212U"),
                  ("达拉特旗住房和城乡建设局", "达拉特旗住房和城乡建设局", None)],
                 {"city_body": "鄂尔多斯市人民政府", "province_body": "内蒙古自治区人民政府"}),
        SiteSpec("www.jiangmen.gov.cn", "江门市人民政府", "440700", "gkmlpt", "粤ICP备05008830号",
                 "粤公网安备 44070302000101号", "0004",
                 [("江门市人民政府", "江门市人民政府办公室", "007030010")]
                 + [(f"江门市{d}", f"江门市{d}", None) for d in JIANGMEN_DEPARTMENTS],
                 {"sid": "757400", "reposts": [("广东省人民政府", 2021), ("国务院办公厅", 2022), ("广东省教育厅", 2020)]}),
        SiteSpec("www.xintian.gov.cn", "新田县人民政府", "431128", "oldest_first", "湘ICP备05008962号",
                 "湘公网安备 43112802000108号", "0001",
                 [("新田县人民政府", "新田县人民政府办公室", "006998012"), ("新田县教育局", "新田县教育局", None)],
                 {"catid": 51, "area_catid": 50}),
        SiteSpec("bnr.jiangxi.gov.cn", "江西省自然资源厅", "360000", "file_only", "赣ICP备05004358号",
                 "赣公网安备 36010202000350号", "0023",
                 [("江西省自然资源厅", "江西省自然资源厅", "014500541")], {"province_body": "江西省人民政府"}),
        # Not in crawler/portals/simulated.tsv: the crawler must learn who runs it from its pages.
        SiteSpec("rsj.changzhou.gov.cn", "常州市人力资源和社会保障局", "320400", "snowflake", "苏ICP备05004688号",
                 "苏公网安备 32040202000311号", "0018",
                 [("常州市人力资源和社会保障局", "常州市人力资源和社会保障局", "014059867")],
                 {"reposts": [("国务院办公厅", 2022), ("江苏省人民政府", 2021)]}, registered=False),
    ]


class Web:
    def __init__(self, seed: int = 1, only: list[str] | None = None):
        self.seed = seed
        self.only = only
        self.reset()

    def reset(self) -> None:
        chosen = [s for s in specs() if not self.only or s.host in self.only or s.archetype in self.only]
        self.portals: list[Portal] = [BUILDERS[s.archetype](s, self.seed) for s in chosen]
        self.by_host = {p.host: p for p in self.portals}
        self.revisions: dict[str, int] = {}

    def truth(self) -> list[dict]:
        """What every page is, and for reports what they state: metadata no page prints is null."""
        out = []
        for p in self.portals:
            pages = {t["links_to"]: t["url"] for t in p.truth if t.get("links_to")}
            for t in p.truth:
                if t["kind"] != "report":
                    out.append(t)
                    continue
                # An attachment's metadata is what the article around it states; a file linked straight
                # from a listing states none (only the listing's date).
                page_url = t["url"] if t["source_type"] == "html" else pages.get(t["url"])
                out.append(stated.as_stated(t, stated.page_text(p, page_url) if page_url else None))
        return out

    # ------------------------------------------------------------ runtime changes
    def redesign(self, host: str) -> list[str]:
        """A site redesign: listing pages keep their URLs but no longer carry <a href> links to articles."""
        p = self.by_host[host]
        changed = []
        for path in p.listing_paths:
            res = p.routes[path]
            text = res.get_body().decode(p.spec.options.get("charset", "utf-8"), "replace")
            items = re.findall(r"<a[^>]+href=['\"]([^'\"]+)['\"][^>]*>(.*?)</a>", text, re.S)
            rows = "".join(f'<div class="news-card" data-key="{hashlib.md5(h.encode()).hexdigest()[:8]}" onclick="openNews(this)">'
                           f'<div class="t">{re.sub("<[^>]+>", "", t)}</div></div>' for h, t in items)
            body = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(p.name)}</title>'
                    '<script src="/static/v2/app.min.js"></script></head><body><div id="app" class="v2">'
                    f'{rows}</div></body></html>')
            res.body = body.encode(p.spec.options.get("charset", "utf-8"), "replace")
            res.content_type = res.content_type
            changed.append(p.url(path))
        if hasattr(p, "listing_records"):
            p.listing_records = []      # Hanweb: the dataproxy answers nothing any more
        if hasattr(p, "api_articles"):
            p.api_articles = {}         # gkmlpt: the API moved away
        return changed

    def spoil(self, url: str, how: str) -> dict:
        """A hostile page for the fault tests: "corrupt" (a file whose bytes are garbage behind its %PDF
        header), "endless" (a TRS listing whose pager claims 100000 pages), or one the server acts out
        (SERVED_SPOILS: hang, bomb, drip, truncated, redirect_self, redirect_loop)."""
        host = url.split("/")[2]
        portal = self.by_host[host]
        path = "/" + url.split("/", 3)[3]
        res = portal.routes[path]
        if how == "corrupt":
            res.body = b"%PDF-1.4\n" + hashlib.sha256(url.encode()).digest() * 512 + b"\n%%EOF\n"
        elif how == "endless":
            self._endless(portal, path)
        elif how in SERVED_SPOILS:
            res.behaviour = how
        else:
            raise KeyError(how)
        return {"url": url, "spoiled": how}

    def _endless(self, portal, first_page: str) -> None:
        """Every page of the listing at `first_page` (…/index.html) claims ENDLESS_PAGES pages; any page past
        the real ones answers with the last real page again, numbered as asked (as some TRS sites do)."""
        folder = first_page.rsplit("/", 1)[0] + "/"
        pages = {}                       # page number -> path
        for path in portal.listing_paths:
            match = TRS_PAGE.fullmatch(path[len(folder):]) if path.startswith(folder) else None
            if match:
                pages[int(match.group(1) or 0)] = path
        for path in pages.values():
            res = portal.routes[path]
            res.body = TRS_COUNTS.sub(lambda m: m.group(1) + str(ENDLESS_PAGES).encode(), res.get_body())
        portal.routes.pop(folder + f"index_{len(pages)}.html", None)   # the deep stub that would end the pager
        portal.endless[folder] = portal.routes[pages[max(pages)]]

    def endless_page(self, host: str, path: str) -> Resource | None:
        """Page N of an endless listing: the last real page, saying it is page N of ENDLESS_PAGES."""
        folder, _, name = path.rpartition("/")
        last = self.by_host[host].endless.get(folder + "/")
        match = TRS_PAGE.fullmatch(name)
        if last is None or not match or not match.group(1):
            return None
        n = match.group(1).encode()
        body = re.sub(rb"(var currentPage = )\d+", rb"\g<1>" + n, last.get_body())
        body = re.sub(rb"(createPageHTML\(\d+, )\d+", rb"\g<1>" + n, body)
        return Resource(body, last.content_type)

    def revise(self, url: str, note: str | None = None) -> dict:
        """A report revised in place: same URL, new bytes (the crawler must store a new version)."""
        host = url.split("/")[2]
        p = self.by_host[host]
        path = "/" + url.split("/", 3)[3]
        res = p.routes[path]
        n = self.revisions.get(url, 0) + 1
        self.revisions[url] = n
        body = res.get_body()
        if res.content_type.startswith("text/html"):
            cs = "gbk" if "gb" in res.content_type else "utf-8"
            add = f'<p class="revision">（更正说明：本报告第{n}次修订。{html.escape(note or "")}）</p>'.encode(cs)
            i = body.rfind(b"</body>")
            res.body = body[:i] + add + body[i:] if i >= 0 else body + add
        else:
            res.body = body + f"\n%revision {n}\n".encode()
        from datetime import datetime, timezone
        res.last_modified = datetime.now(timezone.utc).replace(microsecond=0)
        for t in p.truth:
            if t["url"] == url:
                t["revision"] = n
        return {"url": url, "revision": n, "etag": res.etag}


def build_web(seed: int = 1, portals: list[str] | None = None) -> Web:
    """Deterministic: the same seed gives the same portals, pages, bytes and truth."""
    return Web(seed, portals)
