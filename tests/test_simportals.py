"""The simulated web, exercised over real sockets through its proxy interface."""
from __future__ import annotations

import gzip
import io
import json
import re
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest

from simportals import build_web, data
from simportals.server import jsl_token, ruishu_token
from simportals.testing import PortalServer

HTML_REPORT_CHECK_LIMIT = 200


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
