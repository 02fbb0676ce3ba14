"""Readers: HTML body/grids/attachments, PDF geometry tables, DOCX merges, sniffing."""
from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.extract import extract_report
from pipelines.readers import read_docx, read_document, read_html, read_pdf, read_text, sniff_type
from pipelines.tables import extract_cells
from pipelines.validate import check_identities

DOCS = Path(__file__).parent / "fixtures" / "docs"
PUTIAN = Path("/work/shared/real/putian")
SOGOU_PAGE = PUTIAN / "zfxxgk_bmzfxxgk_ptsjj_zfxxgk_zfxxgknb_202501_1967650.html"
ENTITY_PAGE = PUTIAN / "zfxxgk_bmzfxxgk_ptcg_zfxxgk_zfxxgknb_202301_1794760.html"
SPLIT_SPAN_PAGE = PUTIAN / "zfxxgk_bmzfxxgk_ptsjj_zfxxgk_zfxxgknb_202101_1558558.html"
YUHANG = Path("/work/shared/real/markup/trs_detail_yuhang_word_table.html")

# Non-zero cells of the generated fixtures (make_fixtures.py); every other cell is 0.
FIXTURE_2021_PDF = {
    ("active", "normative_docs", "issued"): 5, ("active", "normative_docs", "repealed"): 1,
    ("active", "normative_docs", "in_force"): 30, ("active", "licensing", "decisions"): 120,
    ("active", "punishment", "decisions"): 15, ("active", "enforcement", "decisions"): 2,
    ("active", "fees", "amount_10k_yuan"): Decimal("12.5"),
    ("requests", "new", "natural_person"): 10, ("requests", "new", "enterprise"): 2, ("requests", "new", "total"): 12,
    ("requests", "carried_over", "natural_person"): 1, ("requests", "carried_over", "total"): 1,
    ("requests", "granted", "natural_person"): 5, ("requests", "granted", "enterprise"): 1,
    ("requests", "granted", "total"): 6, ("requests", "partly_granted", "natural_person"): 1,
    ("requests", "partly_granted", "total"): 1, ("requests", "withheld.third_party", "natural_person"): 1,
    ("requests", "withheld.third_party", "total"): 1, ("requests", "unavailable.not_held", "natural_person"): 2,
    ("requests", "unavailable.not_held", "enterprise"): 1, ("requests", "unavailable.not_held", "total"): 3,
    ("requests", "other.no_correction", "natural_person"): 1, ("requests", "other.no_correction", "total"): 1,
    ("requests", "total", "natural_person"): 10, ("requests", "total", "enterprise"): 2,
    ("requests", "total", "total"): 12, ("requests", "carried_forward", "natural_person"): 1,
    ("requests", "carried_forward", "total"): 1,
    ("review", "all", "review.upheld"): 1, ("review", "all", "review.total"): 1,
    ("review", "all", "suit_direct.pending"): 1, ("review", "all", "suit_direct.total"): 1,
}
FIXTURE_2019_DOCX = {
    ("active", "normative_docs", "made"): 3, ("active", "normative_docs", "published"): 3,
    ("active", "normative_docs", "total_public"): 10, ("active", "licensing", "items_last_year"): 40,
    ("active", "licensing", "items_change"): 2, ("active", "licensing", "decisions"): 64,
    ("active", "punishment", "items_last_year"): 16, ("active", "punishment", "decisions"): 1,
    ("active", "enforcement", "items_last_year"): 1, ("active", "enforcement", "items_change"): 1,
    ("active", "fees", "items_last_year"): 2, ("active", "fees", "items_change"): None,
    ("active", "procurement", "count"): 3, ("active", "procurement", "amount_10k_yuan"): Decimal("12.5"),
    ("requests", "new", "natural_person"): 4, ("requests", "new", "total"): 4,
    ("requests", "granted", "natural_person"): 3, ("requests", "granted", "total"): 3,
    ("requests", "not_processed.duplicate", "natural_person"): 1, ("requests", "not_processed.duplicate", "total"): 1,
    ("requests", "total", "natural_person"): 4, ("requests", "total", "total"): 4,
}


def _values(cells):
    return {(c.table, c.row, c.col): c.value for c in cells}


# ------------------------------------------------------------------ HTML
def test_html_drops_extension_junk_and_finds_attachment():
    doc = read_html(SOGOU_PAGE.read_text(encoding="utf-8"), "https://www.putian.gov.cn/a/b/t1.htm")
    assert "翻译" not in doc.text and "复制" not in doc.text
    assert "TRS_Editor" not in doc.text  # the nested <style> is gone
    assert doc.attachments == ["https://www.putian.gov.cn/a/b/P020260327418610121088.pdf"]
    assert doc.title == "莆田市审计局2024年政府信息公开工作年度报告"
    assert [len(g) for g in doc.tables] == [14, 28, 4]


def test_html_entities_decoded():
    doc = read_html(ENTITY_PAGE.read_text(encoding="utf-8"))
    assert "&lt;" not in doc.text and "&nbsp;" not in doc.text and "\xa0" not in doc.text
    assert "<" in doc.text or "《" in doc.text


def test_html_split_spans_and_spans_repeated():
    doc = read_html(SPLIT_SPAN_PAGE.read_text(encoding="utf-8"))
    active = doc.tables[0]
    assert active[0] == ["第二十条第（一）项"] * 5  # colspan repeated
    assert active[10][1:] == ["16", "16", "0", "0"]  # &nbsp; + 0 in two spans → "0"
    assert all(" " not in c for row in active for c in row if c[:1].isdigit())


def test_html_rowspan_labels_repeated_and_ghost_rows_dropped():
    html = """<div class=TRS_Editor><h2>某局2022年度报告</h2><table>
      <tr><td rowspan=2>三、办理结果</td><td>（一）予以公开</td><td>1<span>2</span></td></tr>
      <tr style="height:0pt"><td></td><td></td></tr>
      <tr><td>（二）部分公开</td><td>&nbsp;3</td></tr><tr height=0><td></td></tr></table>
      <p>附件：<a href="/up/报告.pdf">报告</a> <a href="down.jsp?filename=a.doc">a</a>
      <a href="/x.html">x</a></p><script>var a=1;</script></div>"""
    doc = read_html(html, "http://gov.cn/dir/page.html")
    assert doc.tables == [[["三、办理结果", "（一）予以公开", "12"], ["三、办理结果", "（二）部分公开", "3"]]]
    assert doc.title == "某局2022年度报告"
    assert doc.attachments == ["http://gov.cn/up/报告.pdf", "http://gov.cn/dir/down.jsp?filename=a.doc"]
    assert "var a" not in doc.text


@pytest.mark.parametrize("html,marker", [
    ("<div id=zoom><p>正文甲</p><p>第二段正文内容足够长用于判断</p></div><div>导航</div>", "正文甲"),
    ("<div class='view TRS_UEDITOR trs_paper_default'><p>正文乙 第二段正文内容足够长用于判断</p></div>", "正文乙"),
    ("<div id=UCAP-CONTENT><p>正文丙 第二段正文内容足够长用于判断</p></div><div class=nav>导航</div>", "正文丙"),
    ("<div id=PrintArea><p>正文丁 第二段正文内容足够长用于判断</p></div>", "正文丁"),
    ("<div>页头</div><!--ZJEG_RSS.content.begin--><p>正文戊</p><!--ZJEG_RSS.content.end-->", "正文戊"),
])
def test_html_body_containers(html, marker):
    doc = read_html(f"<html><body><div>网站导航 首页</div>{html}</body></html>")
    assert doc.text.startswith(marker)
    assert "网站导航" not in doc.text


def test_html_yuhang_word_table():
    doc = read_html(YUHANG.read_text(encoding="utf-8"))
    assert doc.tables and "function" not in doc.text
    assert all(len(set(map(len, g))) == 1 for g in doc.tables)


def test_html_empty_never_raises():
    assert read_html("").flags == ["unparsable_html"]


# ------------------------------------------------------------------ PDF / DOCX fixtures
def test_pdf_fixture_cells_exact():
    doc = read_pdf((DOCS / "report_2021.pdf").read_bytes())
    form, cells = extract_cells(doc)
    assert form == "2021" and len(cells) == 200
    got = _values(cells)
    assert {k: v for k, v in got.items() if v != 0} == FIXTURE_2021_PDF
    assert check_identities(cells) == []


def test_unruled_pdf_tables_read_from_the_layout():
    doc = read_pdf((DOCS / "report_2021_unruled.pdf").read_bytes())
    assert doc.flags == ["tables_from_layout"]
    form, cells = extract_cells(doc)
    assert form == "2021" and len(cells) == 200
    got = _values(cells)
    assert {k: v for k, v in got.items() if v != 0} == FIXTURE_2021_PDF
    # a label wrapped over two lines, the group label centred beside its second line
    assert ["（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"] in \
        [row[:2] for grid in doc.tables for row in grid]


def test_layout_tables_flag_only_with_cells():
    row, _ = extract_report((DOCS / "report_2021_unruled.pdf").read_bytes(), url="http://a.gov.cn/nb/P0.pdf")
    assert "tables_from_layout" in row["flags"] and "no_tables" not in row["flags"]
    assert read_pdf((DOCS / "report_2021.pdf").read_bytes()).flags == []      # ruled: read from the ruling


def test_pdf_fixture_geometry():
    doc = read_pdf((DOCS / "report_2021.pdf").read_bytes())
    assert [len(g) for g in doc.tables] == [14, 28, 4]  # table 三 joined across pages 2-3
    assert doc.tables[1][5][0] == "三、本年度办理结果" or doc.tables[1][5][0].replace(" ", "") == "三、本年度办理结果"
    assert "- 1 -" not in doc.text and "- 3 -" not in doc.text
    assert doc.title == "示例市示例局2023年度政府信息公开工作年度报告"
    assert "不予处理" in doc.text  # compatibility ideograph U+F967 folded to 不
    assert doc.flags == []


def test_pdf_image_only_flag():
    doc = read_pdf((DOCS / "image_only.pdf").read_bytes())
    assert (doc.text, doc.tables, doc.flags) == ("", [], ["image_only"])


def test_pdf_garbage_flag():
    assert read_pdf(b"%PDF-1.4 not really").flags == ["unreadable_pdf"]


def test_docx_fixture_cells_exact():
    doc = read_docx((DOCS / "report_2019.docx").read_bytes())
    form, cells = extract_cells(doc)
    assert form == "2019" and len(cells) == 195
    got = _values(cells)
    assert {k: v for k, v in got.items() if v != 0} == FIXTURE_2019_DOCX
    assert ("requests", "other", "total") in got
    assert check_identities(cells) == []


def test_docx_merges_expanded():
    doc = read_docx((DOCS / "report_2019.docx").read_bytes())
    requests = doc.tables[1]
    assert {len(r) for r in requests} == {10}
    assert [r[0] for r in requests[5:25]] == ["三、本年度办理结果"] * 20  # vMerge repeated down
    assert doc.text.index("二、主动公开") < doc.text.index("信息内容") < doc.text.index("三、收到和处理")


def test_docx_garbage_flag():
    assert read_docx(b"PK\x03\x04junk").flags == ["unreadable_docx"]


# ------------------------------------------------------------------ text, sniffing
def test_read_text_rows():
    doc = read_text("前言\n信息内容 |\n本年制发件数 |\n规章 |\n1 |\n||\n规范性文件 | 2 | ||\n结尾")
    # " |" after a value may be a blank cell or padding: kept, the loose table mapper drops it if extra
    assert doc.tables == [[["信息内容", "本年制发件数", "规章", "1"], ["规范性文件", "2", ""]]]
    assert doc.source_type == "txt" and doc.loose_tables


def _docx_bytes():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize("body,ctype,url,kind", [
    (b"%PDF-1.7\n", None, "http://a/x.html", "pdf"),
    (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 8, "text/html", None, "doc"),
    (None, None, "http://a/x.pdf", "docx"),
    (b"plain", "application/pdf", None, "pdf"),
    (b"plain", None, "http://a/b/file.DOC?x=1", "doc"),
    (b"<html><body>err</body></html>", "application/pdf", "http://a/x.pdf", "html"),
    (b"hello", None, "http://a/x", "txt"),
    (b"<!DOCTYPE html><html>", None, None, "html"),
])
def test_sniff_type(body, ctype, url, kind):
    assert sniff_type(_docx_bytes() if body is None else body, ctype, url) == kind


def test_read_document_broken_doc_flag():
    doc = read_document(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 64, url="http://a/x.doc")
    assert (doc.source_type, doc.flags, doc.text) == ("doc", ["unreadable_doc"], "")


def test_read_document_dispatches():
    assert read_document((DOCS / "report_2021.pdf").read_bytes()).source_type == "pdf"
    assert read_document((DOCS / "report_2019.docx").read_bytes()).source_type == "docx"
    html = "<meta charset=gbk><div id=zoom><p>年度报告正文内容</p></div>".encode("gbk")
    assert "年度报告" in read_document(html, content_type="text/html").text


# ------------------------------------------------------------------ PDF ruling quirks (table 四)
FIXTURE_ONEPATH_REVIEW = dict(zip(
    [("review", "all", f"{g}.{p}") for g in ("review", "suit_direct", "suit_after_review")
     for p in ("upheld", "corrected", "other", "pending", "total")],
    [0, 1, 0, 3, 4, 0, 0, 0, 2, 2, 0, 2, 0, 0, 2]))


def test_pdf_one_path_ruling_and_misaligned_header_cells_exact():
    """All of a page's grid lines stroked as one path (the finder must not box 三 and 四 together),
    header lines of 四 a few points off its value row: every cell of the three tables exact."""
    doc = read_pdf((DOCS / "report_2021_onepath.pdf").read_bytes())
    assert [len(g) for g in doc.tables] == [14, 28, 4] and len(doc.tables[2][-1]) == 15
    form, cells = extract_cells(doc)
    assert form == "2021" and len(cells) == 200
    want = {k: v for k, v in FIXTURE_2021_PDF.items() if k[0] != "review"}
    want.update({k: v for k, v in FIXTURE_ONEPATH_REVIEW.items() if v})
    assert {k: v for k, v in _values(cells).items() if v != 0} == want
    assert check_identities(cells) == []


def _simulated_report_pdf(seed: int, fill: int, before: str):
    """A simulated portal report (simportals.files.report_pdf), `fill` paragraphs put before a heading
    to move the page breaks (table 四 right after 三, or 四 split over two pages)."""
    import random

    from simportals import data, files
    rng = random.Random(seed)
    rep = data.make_report(rng, "示例市示例局", 2023 if seed % 2 else 2020, publisher=None, index_prefix=None,
                           serial=1)
    at = rep.paragraphs.index(before)
    rep.paragraphs[at:at] = ["本年度工作情况说明。" * 4] * fill
    return rep, files.report_pdf(rep)


@pytest.mark.parametrize("seed,fill,before", [
    (7, 0, "四、政府信息公开行政复议、行政诉讼情况"),   # 四 on the page of 三's end, all ruled in one path
    (8, 0, "四、政府信息公开行政复议、行政诉讼情况"),   # same, 2019 form
    (7, 9, "四、政府信息公开行政复议、行政诉讼情况"),   # 四's first header row alone on its page
    (8, 8, "三、收到和处理政府信息公开申请情况"),       # 四's value row alone on the next page
    (8, 9, "三、收到和处理政府信息公开申请情况"),
])
def test_pdf_simulated_report_all_tables_exact(seed, fill, before):
    rep, body = _simulated_report_pdf(seed, fill, before)
    form, cells = extract_cells(read_pdf(body))
    assert form == rep.form
    got = {(c.table, f"{c.row}.{c.col}"): c.value for c in cells}
    for table in ("active", "requests", "review"):
        want = {k: (None if v is None else Decimal(str(v))) for k, v in rep.cells[table].items()
                if not k.startswith("other_services.")}  # a 2019 row without a canonical key
        assert {k: got.get((table, k), "missing") for k in want} == want, table


@pytest.mark.parametrize("container", ['<div id="vsb_content_2"><div class="v_news_content">{}</div></div>',
                                       '<div class="pages_content" id="UCAP-CONTENT">{}</div>',
                                       '<div id="Zoom">{}</div>'])
def test_html_body_of_other_cms(container):
    """博达 VSB, gov.cn and upper-case Zoom bodies: the body only, never the long menu or footer beside it."""
    body = "<p>一、总体情况</p><p>2022年，我局认真落实政务公开工作要求，全年主动公开政府信息120条。</p>"
    menu = "<div class='nav'>" + "".join(f"<a href='/{i}'>栏目{i}信息公开</a>" for i in range(40)) + "</div>"
    page = f"<html><body>{menu}<div class='main'><h1>某局2022年政府信息公开工作年度报告</h1>" \
           f"{container.format(body)}</div><div class='footer'>{'<p>版权所有 示例县人民政府办公室 网站标识码3303810001</p>' * 5}" \
           "</div></body></html>"
    doc = read_html(page, "http://www.example.gov.cn/info/1001/2345.htm")
    assert doc.text == "一、总体情况\n2022年，我局认真落实政务公开工作要求，全年主动公开政府信息120条。"
