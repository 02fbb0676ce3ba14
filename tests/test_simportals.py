"""The simulated web, exercised over real sockets through its proxy interface."""
from __future__ import annotations

import gzip
import io
import json
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from simportals import build_web, data
from simportals.server import jsl_token, ruishu_token
from simportals.testing import PortalServer

HTML_REPORT_CHECK_LIMIT = 200
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sim():
    with PortalServer(seed=1) as s:
        yield s


@pytest.fixture(scope="module")
def truth():
    return build_web(1).truth()


def fetch(sim, url, method="GET", headers=None, data_=None):
    """(status, headers, body) through the proxy; errors are answers too."""
    req = urllib.request.Request(url, method=method, headers=headers or {}, data=data_)
    try:
        with sim.opener().open(req, timeout=60) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def cookie_for(host):
    if host == "www.dongli.gov.cn":
        return {"Cookie": f"__jsl_clearance={jsl_token(host)}"}
    if host == "scjg.gansu.gov.cn":
        return {"Cookie": f"FSSBBIl1UgzbN7N80T={ruishu_token(host)}"}
    return {}


def text_of(body: bytes, ctype: str) -> str:
    cs = "gb18030" if "gb" in ctype.lower() or b"charset=gb2312" in body[:400] else "utf-8"
    t = body.decode(cs)
    t = re.sub(r"<[^>]+>", "", t)
    return t.replace("&nbsp;", " ")


def reports(truth, source_type=None):
    return [t for t in truth if t["kind"] == "report" and (source_type is None or t["source_type"] == source_type)]


# ---------------------------------------------------------------- server basics

def test_unknown_host_is_502(sim):
    assert fetch(sim, "http://no-such-site.gov.cn/")[0] == 502


def test_every_portal_home_and_robots(sim):
    for p in build_web(1).portals:
        st, _, body = fetch(sim, p.home_url, headers=cookie_for(p.host))
        assert st == 200, p.host
        st, h, body = fetch(sim, p.home_url + "robots.txt")
        assert st == 200 and body.startswith(b"User-agent")


def test_determinism():
    assert json.dumps(build_web(1).truth(), sort_keys=True) == json.dumps(build_web(1).truth(), sort_keys=True)
    assert json.dumps(build_web(2).truth()) != json.dumps(build_web(1).truth())


# ---------------------------------------------------------------- archetypes

def test_trs_pagination_only_in_createpagehtml_and_deep_stub(sim):
    st, _, body = fetch(sim, "http://rsj.quanzhou.gov.cn/zfxxgk/zfxxgknb/index.html")
    html_ = body.decode()
    m = re.search(r'createPageHTML\((\d+), (\d+), "index", "html"\)', html_)
    assert st == 200 and m and m.group(2) == "0"
    assert 'href="index_1.html"' not in html_  # the pager exists only when the script runs
    count = int(m.group(1))
    assert fetch(sim, "http://rsj.quanzhou.gov.cn/zfxxgk/zfxxgknb/index_1.html")[0] == 200
    st, _, stub = fetch(sim, f"http://rsj.quanzhou.gov.cn/zfxxgk/zfxxgknb/index_{count - 1}.html")
    assert st == 200 and len(stub) < 400 and "t20" not in stub.decode()
    assert re.search(r'href="\./\d{6}/t\d{8}_\d+\.html"', html_)


def test_trs_detail_has_meta_set_info_and_editor(sim, truth):
    t = next(t for t in reports(truth) if t["portal"] == "rsj.quanzhou.gov.cn" and t["format"] == "2021"
             and "injected_text" not in t["flags"] and "robots" not in t["url"])
    st, h, body = fetch(sim, t["url"])
    s = body.decode()
    for name in ("SiteName", "SiteIDCode", "ColumnName", "ArticleTitle", "PubDate", "ContentSource"):
        assert f'name="{name}"' in s
    assert '3505000012' in s and "闽ICP备" in s and "公网安备" in s
    assert "TRS_Editor" in s or "TRS_UEDITOR" in s


def test_trs_pdf_copy_is_pdf(sim, truth):
    t = next(t for t in reports(truth) if t["portal"] == "rsj.quanzhou.gov.cn" and t["attachments"])
    url = t["attachments"][0]
    assert re.search(r"/P0\d{8}\d{12}\.pdf$", url)
    st, h, body = fetch(sim, url)
    assert st == 200 and h["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")


def test_gbk_pages_are_real_gbk(sim, truth):
    t = next(t for t in reports(truth) if t["portal"] == "www.huining.gov.cn")
    st, h, body = fetch(sim, t["url"])
    assert "gb2312" in h["Content-Type"] and b"charset=gb2312" in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = body.decode("gb18030")
    assert any(ch in text for ch in "镕喆堃")
    with pytest.raises(UnicodeDecodeError):
        body.decode("gb2312")  # GBK-only characters: gb2312 alone cannot read the page
    assert t["title"] in text
    st, h, lst = fetch(sim, "http://www.huining.gov.cn/xxgk/gknb/list.asp?page=2")
    assert st == 200 and "page=" in lst.decode("gb18030") and re.search(r"\d{4}年\d{2}月\d{2}日", lst.decode("gb18030"))


def test_hanweb_first_page_only_in_datastore_and_dataproxy(sim):
    st, _, body = fetch(sim, "http://rsj.sx.gov.cn/col/col1229430812/index.html")
    s = body.decode()
    outside = re.sub(r'<script type="text/xml">.*?</script>', "", s, flags=re.S)
    assert "/art/" not in outside and "<datastore>" in s and "jpage(" in s
    unitid = re.search(r"unitid['\"]?: ?['\"](\d+)", s).group(1)
    form = {"col": 1, "appid": 1, "webid": re.search(r'"webid": (\d+)', s).group(1), "path": "/",
            "columnid": 1229430812, "unitid": unitid, "webname": "绍兴市人力资源和社会保障局", "permissiontype": 0}
    st, h, xml = fetch(sim, "http://rsj.sx.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=9&endrecord=16&perpage=8",
                       method="POST", data_=urllib.parse.urlencode(form).encode(),
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    root = ET.fromstring(xml)
    assert st == 200 and int(root.findtext("totalrecord")) > 8
    recs = root.findall("recordset/record")
    assert 0 < len(recs) <= 8
    li = recs[0].text
    assert re.search(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_1229430812_\d+\.html", li) and 'title="' in li
    assert any("…" in r.text for r in root.findall("recordset/record")) or True


def test_hanweb_downfile_type_only_in_headers(sim, truth):
    got = set()
    for t in reports(truth):
        if "downfile.jsp" in t["url"] and t["portal"] == "rsj.sx.gov.cn":
            st, h, body = fetch(sim, t["url"])
            assert st == 200 and "attachment" in h["Content-Disposition"]
            name = urllib.parse.unquote(h["Content-Disposition"].split("filename=")[1])
            assert name.endswith("." + t["source_type"])
            got.add(t["source_type"])
            if t["source_type"] == "pdf":
                assert h["Content-Type"] == "application/pdf"
            else:
                assert body[:2] == b"PK"
    assert got == {"pdf", "docx"}


def test_js_api_listing(sim):
    st, _, body = fetch(sim, "http://hrss.foshan.gov.cn/gkmlpt/index")
    s = body.decode()
    assert "window._CONFIG" in s and "post_" not in s
    sid = re.search(r'"SID": "(\d+)"', s).group(1)
    st, h, api = fetch(sim, f"http://hrss.foshan.gov.cn/gkmlpt/api/all/2890?page=1&sid={sid}")
    d = json.loads(api)
    assert st == 200 and "json" in h["Content-Type"] and len(d["articles"]) == d["per_page"] < d["total"]
    assert any("/gkmlpt/content/" in a["url"] for a in d["articles"])
    assert json.loads(fetch(sim, f"http://hrss.foshan.gov.cn/gkmlpt/api/all/2890?page=0&sid={sid}")[2]) == d
    pages = -(-d["total"] // d["per_page"])      # every page together holds every article once
    every = [a["url"] for n in range(1, pages + 1)
             for a in json.loads(fetch(sim, f"http://hrss.foshan.gov.cn/gkmlpt/api/all/2890?page={n}&sid={sid}")[2])["articles"]]
    assert len(every) == len(set(every)) == d["total"]


def test_mirror_is_traditional_with_pinyin_and_lost_spaces(sim, truth):
    t = next(t for t in reports(truth) if t["portal"] == "big5.jingyuan.gov.cn")
    s = fetch(sim, t["url"])[2].decode()
    assert "報告" in s and re.search(r"[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", s) and "??" in s


def test_attachment_only_reports(sim, truth):
    import pymupdf
    seen = set()
    for t in reports(truth):
        if t["portal"] != "rst.fujian.gov.cn" or t["source_type"] == "html":
            continue
        key = (t["source_type"], "image_only" in t["flags"])
        if key in seen:
            continue
        seen.add(key)
        st, h, body = fetch(sim, t["url"])
        assert st == 200
        if t["source_type"] == "docx":
            import docx
            d = docx.Document(io.BytesIO(body))
            assert h["Content-Type"].endswith("wordprocessingml.document") and len(d.tables) == 3
            assert any(c.text == str(t["cells"]["requests"]["total.total"]) for c in d.tables[1].rows[-2].cells)
        else:
            doc = pymupdf.open(stream=body, filetype="pdf")
            text = "".join(p.get_text() for p in doc)
            if "image_only" in t["flags"]:
                assert text.strip() == ""
            else:
                assert "收到和处理政府信息公开申请情况" in text and "- 2 -" in text and len(doc) >= 2
    assert seen == {("pdf", False), ("pdf", True), ("docx", False)}


def test_pdf_text_layer_reads_with_pdfplumber(sim, truth):
    pdfplumber = pytest.importorskip("pdfplumber")
    t = next(t for t in reports(truth, "pdf") if "image_only" not in t["flags"])
    body = fetch(sim, t["url"])[2]
    with pdfplumber.open(io.BytesIO(body)) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    assert "政府信息公开" in text and "总计" in text


# ---------------------------------------------------------------- HTTP behaviour

def test_robots_disallows_a_report(sim, truth):
    t = next(t for t in truth if t["robots_disallowed"])
    assert t["kind"] == "report"
    robots = fetch(sim, f"http://{t['portal']}/robots.txt")[2].decode()
    assert "Disallow: " + urllib.parse.urlsplit(t["url"]).path in robots


def test_conditional_requests_and_gzip(sim):
    url = "http://rsj.quanzhou.gov.cn/zfxxgk/zfxxgknb/index.html"
    st, h, body = fetch(sim, url)
    assert h["ETag"] and h["Last-Modified"]
    assert fetch(sim, url, headers={"If-None-Match": h["ETag"]})[0] == 304
    assert fetch(sim, url, headers={"If-Modified-Since": h["Last-Modified"]})[0] == 304
    assert fetch(sim, url, headers={"If-None-Match": '"other"'})[0] == 200
    st, h2, gz = fetch(sim, url, headers={"Accept-Encoding": "gzip"})
    assert h2["Content-Encoding"] == "gzip" and gzip.decompress(gz) == body


def test_503_then_200(sim, truth):
    # Find the flaky report: it is the one whose first fetch answers 503.
    qz = [t for t in reports(truth) if t["portal"] == "rsj.quanzhou.gov.cn"]
    web = build_web(1)
    flaky = [t for t in qz if web.by_host["rsj.quanzhou.gov.cn"].routes[urllib.parse.urlsplit(t["url"]).path].behaviour == "flaky"]
    assert len(flaky) == 1
    assert fetch(sim, flaky[0]["url"])[0] == 503
    assert fetch(sim, flaky[0]["url"])[0] == 200


def test_challenges(sim, truth):
    st, h, body = fetch(sim, "http://www.dongli.gov.cn/")
    assert st == 521 and b"document.cookie" in body and b"location.href" in body
    codes = [int(x) for x in re.search(rb"_0x=\[([\d,]+)\]", body).group(1).split(b",")]
    token = "".join(chr(c ^ 7) for c in codes)  # what the script computes
    st, _, page = fetch(sim, "http://www.dongli.gov.cn/", headers={"Cookie": f"__jsl_clearance={token}"})
    assert st == 200 and "东丽区" in page.decode()
    st, _, body = fetch(sim, "http://scjg.gansu.gov.cn/")
    assert st == 412 and b"$_ts" in body and b'r="m"' in body
    assert fetch(sim, "http://scjg.gansu.gov.cn/", headers=cookie_for("scjg.gansu.gov.cn"))[0] == 200
    assert {t["portal"] for t in truth if t["kind"] == "challenge"} == {"www.dongli.gov.cn", "scjg.gansu.gov.cn"}


# ---------------------------------------------------------------- truth against what is served

def test_truth_reports_are_served_with_title_and_cells(sim, truth):
    from opencc import OpenCC
    s2t = OpenCC("s2t.json")
    html_reports = reports(truth, "html")
    assert len(html_reports) > 60
    for t in html_reports[:HTML_REPORT_CHECK_LIMIT]:
        st, h, body = fetch(sim, t["url"], headers=cookie_for(t["portal"]))
        if st == 503:
            st, h, body = fetch(sim, t["url"], headers=cookie_for(t["portal"]))
        assert st == 200, t["url"]
        text = text_of(body, h["Content-Type"])
        if t["portal"].startswith("big5."):
            text = re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "", text)
            assert s2t.convert(t["title"]) in text
            continue
        assert t["title"] in text, t["url"]
        flat = re.sub(r"\s+", "", text)
        for table in ("active", "requests", "review"):
            for key, v in t["cells"][table].items():
                if v is not None:
                    assert data.fmt_num(v) in flat, (t["url"], key)


def test_truth_fields(truth):
    for t in reports(truth):
        assert t["format"] == data.form_for_year(t["year"])
        assert t["province_code"] == t["region_code"][:2] and len(t["region_code"]) == 6
        assert t["published_date"][:4] == str(t["year"] + 1)
        if t["format"] == "2021":
            assert len(t["cells"]["requests"]) == 25 * 7 and len(t["cells"]["review"]) == 15
            assert "rules.in_force" in t["cells"]["active"] and "fees.amount_10k_yuan" in t["cells"]["active"]
        elif t["format"] == "2019":
            assert len(t["cells"]["requests"]) == 23 * 7 and "other.total" in t["cells"]["requests"]
    kinds = {t.get("decoy_reason") for t in truth if t["kind"] == "decoy"}
    assert {"interpretation", "work_points", "guide", "rule_of_law", "higher_level_repost"} <= kinds
    assert any(t["publisher"] is None for t in reports(truth))
    assert any(t["publisher"] and t["publisher"] != t["agency"] for t in reports(truth))


def test_identities_hold_except_planted_breaks(truth):
    broken = 0
    for t in reports(truth):
        got = data.broken_identities(t["cells"])
        expected = [f for f in t["flags"] if f.startswith("identity_broken:")]
        assert got == expected, t["url"]
        broken += bool(got)
    assert broken >= 2
    assert any("injected_text" in t["flags"] for t in reports(truth))


def test_injected_spam_is_in_the_page(sim, truth):
    t = next(t for t in reports(truth) if "injected_text" in t["flags"])
    s = fetch(sim, t["url"], headers=cookie_for(t["portal"]))[2].decode()
    assert any(w in s for w in data.SPAM)


def test_request_log_records_every_hit(sim):
    n = len(sim.requests())
    fetch(sim, "http://rsj.sx.gov.cn/?x=1", headers={"User-Agent": "simtest/1.0", "If-None-Match": '"abc"'})
    fetch(sim, "http://nowhere.example.gov.cn/", headers={"User-Agent": "simtest/1.0"})
    log = sim.requests()[n:]
    assert [r["status"] for r in log] == [200, 502]
    assert log[0]["host"] == "rsj.sx.gov.cn" and log[0]["path"] == "/?x=1" and log[0]["user_agent"] == "simtest/1.0"
    assert log[0]["headers"]["If-None-Match"] == '"abc"' and log[0]["bytes"] > 0 and log[0]["method"] == "GET"


# ---------------------------------------------------------------- runtime controls

def test_controls_revise_redesign_reset():
    with PortalServer(seed=1, portals=["trs"]) as s:
        hosts = {p["host"] for p in s.control("portals")}
        assert hosts == {"rsj.quanzhou.gov.cn", "www.dongli.gov.cn"}
        t = next(t for t in reports(s.truth) if t["portal"] == "rsj.quanzhou.gov.cn" and "robots" not in t["url"])
        st, h, before = fetch(s, t["url"])
        if st == 503:
            st, h, before = fetch(s, t["url"])
        r = s.control("revise", url=t["url"], note="数据更正")
        st, h2, after = fetch(s, t["url"])
        assert after != before and h2["ETag"] != h["ETag"] and "数据更正" in after.decode()
        assert fetch(s, t["url"], headers={"If-None-Match": h["ETag"]})[0] == 200
        assert next(x for x in s.truth if x["url"] == t["url"])["revision"] == r["revision"] == 1

        col = "http://rsj.quanzhou.gov.cn/zfxxgk/zfxxgknb/index.html"
        assert "/t20" in fetch(s, col)[2].decode()
        s.control("redesign", portal="rsj.quanzhou.gov.cn")
        redesigned = fetch(s, col)[2].decode()
        assert "/t20" not in redesigned and "createPageHTML" not in redesigned
        s.control("reset")
        assert "/t20" in fetch(s, col)[2].decode() and fetch(s, t["url"])[2] == before


@pytest.mark.skipif(not shutil.which("chromium"), reason="needs chromium")
def test_chromium_runs_the_listing_scripts(sim):
    """Real JS in a real browser: the gkmlpt list and the Hanweb jpage list appear in the DOM."""
    def dom(url):
        out = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                              f"--proxy-server={sim.proxy_url}", "--proxy-bypass-list=<-loopback>",
                              "--virtual-time-budget=5000", "--dump-dom", url],
                             capture_output=True, text=True, timeout=60)
        return out.stdout
    assert "/gkmlpt/content/" in dom("http://hrss.foshan.gov.cn/gkmlpt/index#2890")
    assert re.search(r'<a[^>]+href="/art/', dom("http://rsj.sx.gov.cn/col/col1229430812/index.html"))
    assert "东丽区" in dom("http://www.dongli.gov.cn/")  # the 521 script sets the cookie and reloads


# ---------------------------------------------------------------- the CMS dialects of the discovery review

def portal_of(archetype):
    return next(p for p in build_web(1).portals if p.archetype == archetype)


def hrefs(text):
    return re.findall(r'<a[^>]*href="([^"]*)"', text)


def test_aspnet_gbk_pages_and_postback_pager(sim, truth):
    p = portal_of("aspnet")
    col = p.url("/InfoPublic.aspx?cid=23")
    st, h, body = fetch(sim, col)
    assert st == 200 and "gb2312" in h["Content-Type"] and b"charset=gb2312" in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    page1 = body.decode("gb18030")
    form = re.search(r'<form[^>]*method="post"[^>]*action="InfoPublic.aspx\?cid=23"[^>]*>(.*?)</form>', page1, re.S)
    assert form, "the list and its pager sit in the postback form"
    hidden = dict(re.findall(r'<input type="hidden" name="(__\w+)" id="__\w+" value="([^"]*)"', form.group(1)))
    assert {"__EVENTTARGET", "__EVENTARGUMENT", "__VIEWSTATE", "__EVENTVALIDATION"} <= set(hidden)
    pager = re.search(r'id="ctl00_ContentPlaceHolder1_AspNetPager1"[^>]*>(.*?)</div>', page1, re.S).group(1)
    links = re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', pager)
    assert links and all(h_.startswith("javascript:__doPostBack(&#39;ctl00$ContentPlaceHolder1$AspNetPager1&#39;,")
                         for h_, _ in links)
    assert {"2", "下一页"} <= {t for _, t in links}
    pages = len(p.listing_pages)
    assert pages >= 3 and f"页次：1/{pages}" in page1

    def ids(text):
        return set(re.findall(r'href="InfoPublicView.aspx\?id=(\d+)"', text))

    # A GET never pages: ?page=2 is page 1 again.
    assert ids(fetch(sim, col + "&page=2")[2].decode("gb18030")) == ids(page1)
    seen = set()
    for n in range(1, pages + 1):
        form_ = {**hidden, "__EVENTTARGET": "ctl00$ContentPlaceHolder1$AspNetPager1", "__EVENTARGUMENT": str(n)}
        st, _, got = fetch(sim, col, method="POST", data_=urllib.parse.urlencode(form_).encode(),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        text = got.decode("gb18030")
        assert st == 200 and f"页次：{n}/{pages}" in text
        assert not (ids(text) & seen)
        seen |= ids(text)
    column = {urllib.parse.urlsplit(t["url"]).query.split("=")[1] for t in truth
              if t["portal"] == p.host and t["kind"] in ("report", "decoy")}
    assert column <= seen
    # A postback without the page's hidden fields is ASP.NET's viewstate error.
    st, _, _ = fetch(sim, col, method="POST", data_=b"__EVENTTARGET=x&__EVENTARGUMENT=2",
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert st == 500
    t = next(t for t in reports(truth) if t["portal"] == p.host and "２" in t["title"])
    assert re.fullmatch(r"淇县人民政府[０-９]{4}年政务信息公开年度报告", t["title"])
    detail = fetch(sim, t["url"])[2]
    with pytest.raises(UnicodeDecodeError):
        detail.decode("gb2312")                         # GBK-only characters (喆 堃 镕)
    assert t["title"] in detail.decode("gb18030") and "InfoPublicView.aspx?id=" in t["url"]


def test_city_platform_reaches_departments_through_an_image(sim, truth):
    p = portal_of("city_platform")
    home = fetch(sim, p.home_url)[2].decode()
    assert re.search(r'<a href="/zfxxgk/"[^>]*><img [^>]*alt="政府信息公开"></a>', home)
    assert not re.search(r">[^<]*信息公开[^<]*</a>", home)          # no text link leads there
    area = fetch(sim, p.url("/zfxxgk/"))[2].decode()
    assert re.search(r'<a href="./bmzfxxgk/">部门信息公开</a>', area)
    depts = re.findall(r'<a href="\./(\w+)/zfxxgk/">([^<]+)</a>', fetch(sim, p.url("/zfxxgk/bmzfxxgk/"))[2].decode())
    assert len(depts) >= 3
    for slug, name in depts:
        hub = fetch(sim, p.url(f"/zfxxgk/bmzfxxgk/{slug}/zfxxgk/"))[2].decode()
        assert './zfxxgknb/' in hub and name in hub
        st, _, col = fetch(sim, p.url(f"/zfxxgk/bmzfxxgk/{slug}/zfxxgk/zfxxgknb/"))
        assert st == 200 and re.search(r'href="\./\d{6}/t\d{8}_\d+\.htm"', col.decode())
    mine = [t for t in truth if t["portal"] == p.host]
    repost = next(t for t in mine if t.get("decoy_reason") == "higher_level_repost")
    assert repost["title"].startswith("福建省人民政府") and "/bmzfxxgk/" in repost["url"]
    dept_reports = [t for t in reports(truth) if t["portal"] == p.host and "/bmzfxxgk/" in t["url"]]
    assert len({t["agency"] for t in dept_reports}) >= 3
    page_ = fetch(sim, dept_reports[0]["url"])[2].decode()
    assert "3507000001" in page_ and 'name="SiteName"' in page_        # the city's code on a department's page


def test_trs_variants_year_folders_and_pager_dialects(sim):
    p = portal_of("trs_variants")
    base = p.url("/zwgk/zfxxgknb/")
    top = fetch(sim, base)[2].decode()
    for folder, label in [("2024nb", "2024年度"), ("2022N", "2022年"), ("2018nyq", "2018年以前")]:
        assert f'<a href="./{folder}/">{label}</a>' in top
    dialects = {
        "2024nb": r'var countPage = (\d+);var currentPage = 0;\ncreatePageHTML\(countPage, currentPage, "index", "shtml"\)',
        "2020N": r"createPageHTML\('page_div',(\d+), 0,'index','shtml',\d+\)",
        "2022N": r'var countPage = (\d+)//共多少页',
        "2021N": r'createPageHTML\((\d+), 0, "index", "shtml"\)',
    }
    for folder, pattern in dialects.items():
        st, h, body = fetch(sim, base + folder + "/")            # a folder answers with its index.shtml
        text = body.decode()
        m = re.search(pattern, text)
        assert st == 200 and m, folder
        assert "index_1.shtml" not in " ".join(hrefs(text))     # the pager exists only when the script runs
        st, _, second = fetch(sim, base + folder + "/index_1.shtml")
        assert st == 200
        assert fetch(sim, base + folder + "/index_1.html")[0] == 404
        if folder in ("2024nb", "2021N"):                        # pagers that count one page too many
            stub = fetch(sim, base + folder + f"/index_{int(m.group(1)) - 1}.shtml")[2]
            assert len(stub) < 400 and b"t20" not in stub
    ordos = fetch(sim, base + "2022N/")[2].decode()
    assert '"index"+"_" + i + "."+"shtml' in ordos and "document.write" in ordos
    count = int(re.search(r"var countPage = (\d+)", fetch(sim, base + "2018nyq/")[2].decode()).group(1))
    stub = fetch(sim, base + f"2018nyq/index_{count - 1}.shtml")[2]
    assert len(stub) < 400 and b"t20" not in stub
    assert fetch(sim, base + f"2018nyq/index_{count}.shtml")[0] == 404


def test_gkmlpt_api_pages_of_100_without_per_page(sim):
    p = portal_of("gkmlpt")
    s = fetch(sim, p.url("/gkmlpt/index"))[2].decode()
    sid = re.search(r'"SID": "(\d+)"', s).group(1)
    assert "window._CONFIG" in s and "post_" not in s and "el-pager" in s
    api = lambda n: json.loads(fetch(sim, p.url(f"/gkmlpt/api/all/2890?page={n}&sid={sid}"))[2])  # noqa: E731
    first = api(1)
    assert set(first) == {"total", "page", "articles", "classify"}       # the real API never says per_page
    assert first["total"] > 100 and len(first["articles"]) == 100
    assert api(0) == first
    pages = -(-first["total"] // 100)
    every = [a["url"] for n in range(1, pages + 1) for a in api(n)["articles"]]
    assert len(every) == len(set(every)) == first["total"] and api(pages + 1)["articles"] == []
    withfiles = [a for n in range(1, pages + 1) for a in api(n)["articles"] if a["attachment"]]
    assert withfiles and all(isinstance(a["attachment"], list) for a in first["articles"])
    st, h, body = fetch(sim, withfiles[0]["attachment"][0]["url"])
    assert st == 200 and h["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")
    assert fetch(sim, p.url("/gkmlpt/api/all/2890?page=1&sid=0"))[0] == 400


def test_oldest_first_listing_mixes_news(sim, truth):
    p = portal_of("oldest_first")
    first = fetch(sim, p.url("/index.php?m=content&c=index&a=lists&catid=51"))[2].decode()
    assert first == fetch(sim, p.url("/index.php?m=content&c=index&a=lists&catid=51&page=1"))[2].decode()
    dates = []
    for path in p.listing_paths:
        text = fetch(sim, p.url(path))[2].decode()
        assert "page=" in text and "下一页" in text
        dates += re.findall(r'<span class="rt">(\d{4}-\d{2}-\d{2})</span>', text)
    assert dates == sorted(dates) and len(dates) > 20                    # oldest first, to the end
    mine = {t["url"]: t for t in truth if t["portal"] == p.host}
    on_first = [mine[p.url(h.replace("&amp;", "&"))] for h in re.findall(r'href="(/index.php\?m=content&amp;c=index&amp;a=show[^"]+)"', first)]
    assert {t["kind"] for t in on_first} == {"report", "decoy"} and max(t["year"] for t in on_first) < 2016
    assert any(t.get("decoy_reason") == "news" for t in on_first)


def test_file_only_downloads_without_extensions(sim, truth):
    import docx
    p = portal_of("file_only")
    mine = [t for t in reports(truth) if t["portal"] == p.host and t["source_type"] != "html"]
    kinds = {}
    for t in mine:
        path = urllib.parse.urlsplit(t["url"]).path
        kinds.setdefault(path.split("/")[1], t)
        assert not re.search(r"\.(pdf|docx?)$", path)
    assert set(kinds) == {"attach", "u", "files"}
    st, h, body = fetch(sim, kinds["attach"]["url"])
    assert st == 200 and h["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")
    assert "/attach/download?fileId=" in kinds["attach"]["url"]
    st, h, body = fetch(sim, kinds["u"]["url"])
    assert st == 200 and h["Content-Type"] == "application/octet-stream" and body[:2] == b"PK"
    name = urllib.parse.unquote(h["Content-Disposition"].split("filename*=UTF-8''")[1])
    assert name == kinds["u"]["title"] + ".docx" and len(docx.Document(io.BytesIO(body)).tables) == 3
    assert re.fullmatch(r"http://[^/]+/u/cms/file/[0-9a-f]+", kinds["u"]["url"])
    st, h, body = fetch(sim, kinds["files"]["url"])
    assert st == 200 and h["Content-Type"] == "application/pdf" and "/files/getfile.aspx?id=" in kinds["files"]["url"]
    # The article around an extensionless file names it by its link text; getfile.aspx hangs off the listing.
    web = build_web(1)
    pages = {t["links_to"]: t["url"] for t in web.truth() if t.get("links_to")}
    article = fetch(sim, pages[kinds["u"]["url"]])[2].decode()
    assert re.search(r'<a href="/u/cms/file/[0-9a-f]+"[^>]*>[^<]+年度报告\.docx</a>', article) and "详见附件" in article
    assert kinds["files"]["url"] not in pages
    listing = "".join(fetch(sim, p.url(x))[2].decode() for x in web.by_host[p.host].listing_paths)
    assert urllib.parse.urlsplit(kinds["files"]["url"]).path + "?" in listing


def test_unregistered_portal_left_out_of_the_registry(sim, truth):
    p = portal_of("snowflake")
    assert not p.spec.registered
    out = subprocess.run([sys.executable, "-m", "simportals", "registry"], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    assert p.host not in out
    assert out == (ROOT / "crawler" / "portals" / "simulated.tsv").read_text("utf-8")   # kept as generated
    home = fetch(sim, p.home_url)[2].decode()
    assert f"网站标识码：{p.spec.site_id_code}" in home and p.spec.site_id_code == "3204000018"
    t = next(t for t in reports(truth) if t["portal"] == p.host)
    assert 'content="3204000018"' in fetch(sim, t["url"])[2].decode()
    reposts = sorted(t["title"] for t in truth if t["portal"] == p.host and t.get("decoy_reason") == "higher_level_repost")
    assert len(reposts) == 2 and reposts[0].startswith("国务院办公厅") and reposts[1].startswith("江苏省人民政府")
