"""Discovery on real listing markup (shared/real/markup): which links are reports, columns, pages."""
import json
from pathlib import Path

import pytest

from crawler import discover
from crawler.years import YearRange

MARKUP = Path(__file__).resolve().parents[2] / "shared" / "real" / "markup"
ORDOS_URL = "http://www.ordos.gov.cn/egb/xxgk/xxgknb/index.html"


def ordos():
    return discover.classify_links((MARKUP / "trs_list_ordos_engebei.html").read_text("utf-8"), ORDOS_URL, "column")


def test_trs_listing_reports_are_found_and_news_is_not():
    reports = sorted(l.text for l in ordos().links if l.role == "report")
    assert reports == [
        "内蒙古自治区2018年政府信息公开工作年度报告",
        "鄂尔多斯市2018年政府信息公开年度报告",
        "鄂尔多斯市2019年政府信息公开工作年度报告",
        "鄂尔多斯市人民政府办公室2019年政府信息公开工作年度报告",
    ]


def test_trs_inline_countpage_pager_gives_zero_based_index_pages():
    pages = [l.url for l in ordos().links if l.role == "page"]
    assert "http://www.ordos.gov.cn/egb/xxgk/xxgknb/index_1.html" in pages
    assert not any(p.endswith("index_2.html") for p in pages)   # countPage = 2: index, index_1


@pytest.mark.parametrize("current, following", [(0, ["index_1"]), (3, ["index_4"]), (4, [])])
def test_create_page_html_gives_the_next_page_only(current, following):
    html = f'<script>createPageHTML(5, {current},"index", "shtml");</script>'
    pages = [l.url for l in discover.classify_links(html, "http://a.gov.cn/zfxxgknb/index.shtml", "listing").links]
    assert pages == [f"http://a.gov.cn/zfxxgknb/{name}.shtml" for name in following]


@pytest.mark.parametrize("title, expected", [
    ("泉州市人力资源和社会保障局2023年政府信息公开工作年度报告", True),
    ("2019年度政府信息公开工作年度报告", True),
    ("莆田市审计局2010年政务信息公开年度报告", True),
    ("关于《2022年政府信息公开工作年度报告》的解读", False),
    ("2023年政务公开工作要点", False),
    ("政府信息公开指南", False),
    ("泉州市2022年法治政府建设年度报告", False),
    ("2021年度政府网站年度工作报表", False),
])
def test_report_titles(title, expected):
    assert discover.looks_like_report_title(title) is expected


def test_hanweb_datastore_and_dataproxy_posts():
    html = """<div id="div1"></div><script type="text/xml"><datastore><recordset>
    <record><![CDATA[<li><a href='/art/2024/1/20/art_1229_5.html' title='定西市人社局2023年政府信息公开工作年度报告'>定西市人社局2023年政府信息公开...</a></li>]]></record>
    <record><![CDATA[<li><a href='/art/2024/1/2/art_1229_4.html' title='春节倡议书'>春节倡议书</a></li>]]></record>
    </recordset></datastore></script>
    <script>$('#div1').jpage({totalRecord:40,perPage:2,proxyUrl:'/module/web/jpage/dataproxy.jsp',
    ajaxParam:{col:1,appid:'1',webid:110,path:'/',columnid:1229,unitid:'38486',webname:'定西',permissiontype:0}});</script>"""
    found = discover.classify_links(html, "http://rsj.dingxi.gov.cn/col/col1229/index.html", "column")
    assert [(l.url, l.role, l.year) for l in found.links] == [
        ("http://rsj.dingxi.gov.cn/art/2024/1/20/art_1229_5.html", "report", 2023)]
    assert found.posts[0].url.endswith("dataproxy.jsp?startrecord=3&endrecord=8&perpage=2")
    assert found.posts[-1].url.endswith("startrecord=39&endrecord=40&perpage=2")
    assert found.posts[0].formdata["columnid"] == "1229" and found.posts[0].formdata["unitid"] == "38486"


def test_js_listing_needs_browser_only_without_links():
    html = "<div id='app'></div><script>window._CONFIG={SID:'1'};fetch('/gkmlpt/api/all/5?page=1')</script>"
    assert discover.classify_links(html, "http://a.gov.cn/gkmlpt/index", "column").needs_browser
    with_hub = html + "<a href='/zfxxgk/'>政府信息公开</a>"
    assert not discover.classify_links(with_hub, "http://a.gov.cn/", "home").needs_browser
    assert not discover.classify_links(html, "http://a.gov.cn/gkmlpt/index", "column", rendered=True).needs_browser


def test_rendered_app_hash_route_to_the_report_column():
    html = "<ul class='tree'><li><a href='#2881'>机构职能</a></li><li><a href='#2890'>政府信息公开年报</a></li></ul>"
    plain = discover.classify_links(html, "http://a.gov.cn/gkmlpt/index", "hub")
    rendered = discover.classify_links(html, "http://a.gov.cn/gkmlpt/index", "hub", rendered=True)
    assert [l.url for l in plain.links if l.role == "column"] == []
    assert [l.url for l in rendered.links if l.role == "column"] == ["http://a.gov.cn/gkmlpt/index#2890"]


def test_listing_date_travels_with_the_report_link():
    html = "<ul><li><a href='./202501/P020250120.pdf'>福建省人社厅2024年度政府信息公开工作年度报告</a><span>2025-01-20</span></li></ul>"
    [link] = discover.classify_links(html, "http://a.gov.cn/zfxxgknb/index.html", "column").links
    assert (link.role, link.year, link.date) == ("attachment", 2024, "2025-01-20")


@pytest.mark.parametrize("name", ["ruishu_challenge_home.html", "ruishu_challenge_detail.html"])
def test_ruishu_challenge_recognised(name):
    assert discover.is_challenge(412, (MARKUP / name).read_bytes())


def test_a_report_page_is_not_a_challenge():
    assert not discover.is_challenge(200, b"<html><script>document.cookie='a=1'</script>report</html>")


@pytest.mark.parametrize("text, start, end", [("2008-2018", 2008, 2018), ("2015", 2015, 2015),
                                              ("2019-", 2019, None), ("-2012", None, 2012), ("", None, None)])
def test_year_ranges(text, start, end):
    years = YearRange.parse(text)
    assert (years.start, years.end) == (start, end)


def test_pagination_stops_only_on_newest_first_pages_before_the_range():
    years = YearRange.parse("2015-2018")
    assert years.is_past([2013, 2012, 2012])
    assert not years.is_past([2012, 2013, 2014])        # oldest first: keep going
    assert not years.is_past([2016, 2014])


def test_jpaas_pager_gives_the_json_pages_and_their_links_are_read():
    html = ("<ul><li><a href='/art/2024/1/9/art_1_2.html'>某局2023年政府信息公开工作年度报告</a></li></ul>"
            "<div class=\"pagination\" count=\"40\" rows=\"15\" pageNo=\"1\" "
            "queryData=\"{'webId':'3185','pageId':'1229','tagId':'列表','tplSetId':'52'}\"></div>")
    found = discover.classify_links(html, "http://rsj.zj.gov.cn/col/col1229/index.html", "column")
    pages = [l.url for l in found.links if l.role == "api"]
    assert pages == [f"http://rsj.zj.gov.cn{discover.JPAAS_API}?webId=3185&pageId=1229&tagId=列表&tplSetId=52"
                     f"&parseType=bulidstatic&pageType=column&rows=15&pageNo={n}" for n in (2, 3)]
    answer = '{"success":true,"data":{"html":"<li><a href=\\"/art/2023/1/5/art_1_1.html\\">某局2022年政府信息公开工作年度报告</a><span>2023-01-05</span></li>"}}'
    links = discover.classify_links(discover.html_from_json(answer), pages[0], "listing").links
    assert [(l.url, l.role, l.year, l.date) for l in links] == [
        ("http://rsj.zj.gov.cn/art/2023/1/5/art_1_1.html", "report", 2022, "2023-01-05")]


def test_json_records_with_title_and_url_become_links():
    answer = ('{"page":1,"data":[{"doctitle":"三明市人社局2023年政府信息公开工作年度报告",'
              '"docpuburl":"https://www.sm.gov.cn/zfxxgknb/202401/t20240120_1.htm","pubdate":"2024.01.20 00:00:00"}]}')
    [link] = discover.classify_links(discover.html_from_json(answer), "https://www.sm.gov.cn/fjdzapp/search", "listing").links
    assert (link.url, link.role, link.year, link.date) == (
        "https://www.sm.gov.cn/zfxxgknb/202401/t20240120_1.htm", "report", 2023, "2024-01-20")


def test_browser_pac_routes_only_the_crawl_hosts():
    from crawler.browser import NOWHERE, pac_script
    pac = pac_script(["rsj.sx.gov.cn"], "http://127.0.0.1:8899")
    assert '"PROXY 127.0.0.1:8899"' in pac and f'"{NOWHERE}"' in pac and '["rsj.sx.gov.cn"]' in pac
    assert '"DIRECT"' in pac_script(["rsj.sx.gov.cn"], None)


def test_rendered_pager_buttons_become_clicks_and_plain_links_do_not():
    base = "http://a.gov.cn/gkmlpt/index#2890"
    html = ("<table><tr><td><a href='/gkmlpt/content/1/2/post_3.html'>某局2023年政府信息公开工作年度报告</a></td></tr></table>"
            "<div class='pager'><a href='#2890' data-page='1'>1</a> <a href='#2890' data-page='2'>2</a> "
            "<a href='javascript:void(0)'>3</a></div>")
    clicks = [(l.url, l.text) for l in discover.classify_links(html, base, "listing", rendered=True).links if l.role == "click"]
    assert clicks == [(base, "2"), (base, "3")]
    assert not [l for l in discover.classify_links(html, base, "listing").links if l.role == "click"]


def test_json_list_pages_follow_until_a_short_page():
    """gkmlpt answers {total, page, articles} without its page size: the first page's length is it."""
    url = "http://a.gov.cn/gkmlpt/api/all/2890?page={}&sid=1"
    full = json.dumps({"total": 110, "page": 1, "articles": [{}] * 100})
    links, size = discover.json_pages(full, url.format(1))
    assert ([l.url for l in links], size) == ([url.format(2)], 100)
    last = json.dumps({"total": 110, "page": 2, "articles": [{}] * 10})
    assert discover.json_pages(last, url.format(2), size) == ([], 100)
    stated = json.dumps({"total": 12, "page": 2, "per_page": 5, "articles": [{}] * 5})
    assert [l.url for l in discover.json_pages(stated, url.format(2))[0]] == [url.format(3)]


def test_aspnet_pager_buttons_are_posts_of_the_page_form():
    html = ('<form method="post" action="InfoPublic.aspx?cid=23"><input type="hidden" name="__VIEWSTATE" value="vs1">'
            '<input type="hidden" name="__EVENTVALIDATION" value="ev1"><input type="submit" name="go" value="GO">'
            '<a href="javascript:__doPostBack(\'ctl00$Pager\',\'2\')">2</a>'
            '<a href="javascript:__doPostBack(\'ctl00$Pager\',\'2\')">下一页</a>'
            '<a href="javascript:__doPostBack(\'ctl00$Other\',\'x\')">打印</a></form>')
    found = discover.classify_links(html, "http://www.qixian.gov.cn/InfoPublic.aspx?cid=23", "listing")
    assert [(p.url, p.formdata) for p in found.postbacks] == [(
        "http://www.qixian.gov.cn/InfoPublic.aspx?cid=23",
        {"__VIEWSTATE": "vs1", "__EVENTVALIDATION": "ev1", "__EVENTTARGET": "ctl00$Pager", "__EVENTARGUMENT": "2"})]
