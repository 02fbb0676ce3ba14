"""extract_metadata on the five seeds and the thirty real 莆田 pages, one assertion per field."""
import csv
import json
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest

from pipelines.metadata import extract_metadata
from pipelines.repair import decode, repair_text
from pipelines.spam import find_injected_text

SEEDS = Path("/work/shared/seeds")
PUTIAN = Path("/work/shared/real/putian")
EXPECTED = {name: fields for name, fields in json.loads((SEEDS / "expected.json").read_text()).items()
            if not name.startswith("_")}
FIELDS = ("index_number", "publisher", "agency", "generated_date", "published_date", "year",
          "province_code", "region_code")
PUTIAN_ROWS = list(csv.DictReader((PUTIAN / "index.tsv").open(encoding="utf-8"), delimiter="\t"))


@lru_cache(maxsize=None)
def seed_metadata(name):
    text, _ = repair_text((SEEDS / name).read_text(encoding="utf-8"))
    return extract_metadata(text=text)


@lru_cache(maxsize=None)
def putian_metadata(file):
    decoded = decode((PUTIAN / file).read_bytes())  # bytes, never re-encoded text
    text = (PUTIAN / file.replace(".html", ".txt")).read_text(encoding="utf-8")
    return extract_metadata(text=text, html=decoded.text, url=_row(file)["url"])


def _row(file):
    return next(row for row in PUTIAN_ROWS if row["file"] == file)


def _as_printed(value):
    return value.isoformat() if isinstance(value, date) else value


@pytest.mark.parametrize("name, field", [(n, f) for n, e in EXPECTED.items() for f in FIELDS if f in e])
def test_seed_field(name, field):
    assert _as_printed(getattr(seed_metadata(name), field)) == EXPECTED[name][field]


@pytest.mark.parametrize("name", [n for n, e in EXPECTED.items() if "publisher_any" in e])
def test_seed_publisher_any(name):
    assert seed_metadata(name).publisher in EXPECTED[name]["publisher_any"]


def test_seed_004_title_joins_body_line_and_title_line():
    assert seed_metadata("004_3c155908ceb5ee0f.txt").title == "天津市东丽区人力资源和社会保障局2021年政府信息公开工作年度报告"


def test_seed_004_spam_found():
    assert find_injected_text((SEEDS / "004_3c155908ceb5ee0f.txt").read_text(encoding="utf-8")) == ["中国足彩网"]


@pytest.mark.parametrize("name", [n for n in EXPECTED if not n.startswith("004")])
def test_clean_seeds_have_no_spam(name):
    assert find_injected_text((SEEDS / name).read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("text", ["本年度福利彩票公益金使用情况", "体育彩票销售网点", "中国人民银行网站 www.pbc.gov.cn"])
def test_legitimate_lottery_mentions_are_not_spam(text):
    assert find_injected_text(text) == []


def test_spam_phrases_found():
    assert find_injected_text("澳门新葡京娱乐城 代开发票 http://www.365bet.com 时时彩") == [
        "葡京娱乐城", "代开发票", "http://www.365bet.com", "时时彩"]


FILES = [row["file"] for row in PUTIAN_ROWS]


@pytest.mark.parametrize("file", FILES)
def test_putian_year(file):
    assert putian_metadata(file).year == int(_row(file)["report_year"])


@pytest.mark.parametrize("file", FILES)
def test_putian_publisher(file):
    # where index.tsv has no puborg the page states no ContentSource / 来源 / 发布机构: publisher is None
    assert putian_metadata(file).publisher == (_row(file)["puborg"] or None)


@pytest.mark.parametrize("file", FILES)
def test_putian_published_date(file):
    assert putian_metadata(file).published_date.isoformat() == _row(file)["pubdate"][:10]


@pytest.mark.parametrize("file", FILES)
def test_putian_title(file):
    assert putian_metadata(file).title == _row(file)["title"]


@pytest.mark.parametrize("file", FILES)
def test_putian_place(file):
    place = putian_metadata(file)
    assert (place.province_code, place.province_name, place.region_code) == ("35", "福建省", "350300")


@pytest.mark.parametrize("file", FILES)
def test_putian_agency_from_title(file):
    assert putian_metadata(file).agency == _row(file)["title"].split("20")[0]


INFO_BOX_PAGE = """<html><head><meta content="2023-04-18 15:24:29" name="PubDate">
<meta name="SiteIDCode" content="3505000001"><title>某某公开_泉州市人民政府</title></head><body>
<h1>泉州市人力资源和社会保障局二〇二三年度政府信息公开工作年度报告</h1>
<table><tr><td>索 引 号：</td><td> 000014349/2024-00123 </td><td>发布机构：</td><td>泉州市人力资源和社会保障局</td></tr>
<tr><td>成文日期：</td><td>2024年01月20日</td><td>发布日期：</td><td>2024年01月26日</td></tr></table>
<dl><dt>标　　题</dt><dd>泉州市人力资源和社会保障局二〇二三年度政府信息公开工作年度报告</dd></dl>
<div><span>发布时间：</span>2024-01-26 09:00</div></body></html>"""


@pytest.mark.parametrize("field, expected", [
    ("title", "泉州市人力资源和社会保障局二〇二三年度政府信息公开工作年度报告"),
    ("index_number", "000014349/2024-00123"), ("publisher", "泉州市人力资源和社会保障局"),
    ("agency", "泉州市人力资源和社会保障局"), ("generated_date", date(2024, 1, 20)),
    ("published_date", date(2024, 1, 26)),  # the visible date wins over the page-generation PubDate
    ("year", 2023), ("province_code", "35"), ("region_code", "350500"),
])
def test_info_box_table_layout(field, expected):
    assert getattr(extract_metadata(text="", html=INFO_BOX_PAGE), field) == expected


def test_dl_and_label_divs_layout():
    html = """<html><body><dl><dt>索引号</dt><dd>SM00100-0200-2026-00071</dd><dt>发文机关</dt><dd>三明市统计局</dd>
    <dt>产生日期</dt><dd>2026-01-05</dd></dl><div class="label">公开日期</div><div class="value">2026-01-08</div>
    </body></html>"""
    meta = extract_metadata(text="", html=html)
    assert (meta.index_number, meta.publisher, meta.generated_date, meta.year, meta.region_code) == (
        "SM00100-0200-2026-00071", "三明市统计局", date(2026, 1, 5), 2025, "350400")


def test_placeholder_source_is_no_publisher():
    assert extract_metadata(text="信息来源:请选择\n发布时间:2017-01-06 19:37").publisher is None


def test_media_centre_publisher_is_not_the_agency():
    meta = extract_metadata(text="发布机构：靖远县融媒体中心\n一、概述 2016年，我局…")
    assert (meta.publisher, meta.agency, meta.year, meta.region_code) == ("靖远县融媒体中心", None, 2016, "620421")
