"""Report metadata (title, publisher, agency, 索引号, dates, year, place) from a page's text and HTML.

Each field is a sequence of strategies tried in order, each with a one-line comment; label spellings
and selectors are named constants here. Pure: strings in, Metadata out.
"""
from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from pipelines.dates import find_date, parse_date
from pipelines.model import Metadata
from pipelines.places import is_central_body, region_candidates, resolve_region
from pipelines.readers.common import title_candidates
from pipelines.repair import to_simplified
from pipelines.titles import FULLWIDTH_DIGITS

# ---------------------------------------------------------------- label spellings and selectors
INDEX_LABELS = ("索引号",)
PUBLISHER_LABELS = ("发布机构", "发文机关", "发布单位", "发文单位", "发布机关")
GENERATED_LABELS = ("公文生成日期", "生成日期", "成文日期", "发文日期", "产生日期", "成文时间")
PUBLISHED_LABELS = ("发布日期", "发布时间", "公开日期", "发文时间", "日期", "时间")
TITLE_LABELS = ("标题", "名称", "文章标题", "题名", "信息名称")
SOURCE_LABELS = ("信息来源", "文章来源", "来源")
# Every info-box label: a value never runs into the next one.
ALL_LABELS = (INDEX_LABELS + PUBLISHER_LABELS + GENERATED_LABELS + PUBLISHED_LABELS + SOURCE_LABELS +
              ("所属机构", "主题分类", "组配分类", "体裁分类", "服务对象", "文号", "发文字号", "文件编号", "有效性",
               "关键字", "关键词", "主题词", "浏览次数", "点击数", "公开方式", "公开范围", "时效", "字号", "分类",
               "信息分类", "内容分类", "作者", "责任编辑", "编辑", "阅读量", "访问量", "浏览量", "阅读次数", "字体",
               "打印", "栏目", "所属栏目", "生效日期", "废止日期", "有效期", "统一编号", "登记号") + TITLE_LABELS)
PLACEHOLDERS = {"请选择", "本网", "本站", "原创", "无", "暂无", "-", "—", "null", "none", "未知"}
META_TITLE, META_PUBDATE, META_SOURCE, META_SITE_ID = "articletitle", "pubdate", "contentsource", "siteidcode"
# Other publish-date metas (gov.cn firstpublishedtime, Open Graph), used when PubDate is absent.
META_PUBDATE_OTHERS = ("firstpublishedtime", "publishdate", "pubtime", "article:published_time")
HEADING_TAGS = ("h1", "h2", "h3")
BLOCK_TAGS = {"p", "div", "br", "tr", "li", "dt", "dd", "dl", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5",
              "h6", "section", "article", "header", "footer", "title", "form", "center", "blockquote", "pre"}
CELL_TAGS = {"td", "th"}
DROP_TAGS = ("script", "style", "noscript", "template", "select", "option")

REPORT_TITLE = re.compile(r"(?:政府|政务)?信息公开.{0,8}(?:年度报告|年报)|年度报告|信息公开工作报告")
YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年|([〇○零一二三四五六七八九]{4})\s*年")
# "{机关}{YYYY}年…" or "{机关}政府信息公开工作{YYYY}年度报告" / "…年度报告（2022年）": the body is what comes
# before the year or before 政府信息公开, whichever is first.
TITLE_AGENCY = re.compile(r"^(.{2,40}?)(?:关于)?(?:(?:(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年|"
                          r"(?:政府|政务)?信息公开|政务公开)")
# "2022年度XX局政府信息公开工作年度报告": the year first, the body after it (never 政府信息公开 itself).
TITLE_AGENCY_AFTER_YEAR = re.compile(
    r"^(?:(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年度?+\s*(?!(?:政府|政务)?信息公开)(.{2,40}?)"
    r"(?:政府|政务)?信息公开")
COMPILED_BY = re.compile(r"由([\u4e00-\u9fff（）()]{2,30}?)(?:根据|按照|依据|依照|负责|组织|编制)")
GENERIC_NAMES = {"政府", "政务", "人民政府", "本局", "我局", "本机关", "本单位", "年度", "关于"}
# 【2023年度】XX局政府信息公开工作年度报告: a year set before the title in brackets.
BRACKETED_YEAR = re.compile(r"^[【\[（(]\s*(?:(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年度?\s*[】\]）)]")
BODY_NAME = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}(?:局|厅|委员会|委|办公室|办|院|政府|中心|部|署|所|站|处|会|馆|队|室)$")
MEDIA_BODY = re.compile(r"融媒体|媒体中心|报社|电视台|广播|新闻中心|新闻网|传媒|网站|信息中心$")
STATISTICS_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年\s*0?1\s*月\s*0?1\s*日\s*(?:起)?\s*[，,]?\s*(?:至|到|—|-)\s*"
                               r"(?:\1\s*年\s*)?12\s*月\s*31\s*日")
# "2023年，我局…" (what was done), not "2024年，我局将…" (the plan for the next year).
YEAR_WE_DID = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?\s*[，,]?\s*(?:我|本|全)(?:局|厅|委|办|市|县|区|院|中心|单位|部|署|会|镇|乡|旗)"
                         r"(?!将|要|拟|计划|继续|仍将)")
# A report title inside a sentence: "…要求，现公布XX局2021年政府信息公开工作年度报告。"; `before` is what
# precedes the year (the body, or a verb), trimmed by LEADING_VERB.
NAMED_REPORT = re.compile(r"(?P<before>[\u4e00-\u9fff（）()]{0,50}?)(?:(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年度?"
                          r"[\u4e00-\u9fff（）()]{0,40}?(?:政府|政务)?信息公开(?:工作)?(?:年度报告|年报|工作报告)")
LEADING_VERB = re.compile(r"^.*(?:公布|发布|公开|制定|编制|撰写|印发|形成|报送)(?:了|的)?|^.*(?:根据|按照).*?要求")
# "2023年，杭州市人力资源和社会保障局根据…" / "2022年以来，眉山市人力资源和社会保障局认真贯彻…": the year
# (group 1, also of 2023年度) and the body (group 2)
YEAR_THEN_BODY = re.compile(r"((?:19|20)\d{2})\s*年(?:度|以来)?\s*[，,]\s*(?!我|本|全)([\u4e00-\u9fff（）()]{2,30}?"
                            r"(?:局|厅|委员会|委|办公室|政府|中心|部|署))(?:根据|按照|依据|认真|坚持|深入|严格|紧紧|全面|围绕|以)")
SITE_ID_TEXT = re.compile(r"网站标识码\s*[:：]?\s*((?:bm)?\d{8,10})", re.I)
POLICE_TEXT = re.compile(r"[\u4e00-\u9fff]公网安备\s*\d{14}号?")
ICP_TEXT = re.compile(r"[\u4e00-\u9fff]ICP[备証证]\s*\d+号?(?:-\d+)?", re.I)
SITE_SUFFIX = re.compile(r"\s*(?:_|-{1,2}|——|\||｜)\s*")


def extract_metadata(*, text: str, html: str | None = None, url: str | None = None,
                     registry_region: str | None = None, title_hint: str | None = None) -> Metadata:
    """All metadata of one report page; fields the page does not state are None (never guessed).

    `title_hint`: the link text that led to a file with no title of its own (an image-only PDF).
    """
    page = _PageView(text, html)
    title = _title(page) or (title_hint.strip() if title_hint and title_hint.strip() else None)
    publisher = _publisher(page, _title_agency(title))
    agency = _agency(page, title, publisher)
    generated = _labelled_date(page, GENERATED_LABELS)
    published = _labelled_date(page, PUBLISHED_LABELS) or _meta_date(page)
    place = resolve_region(publisher=publisher, agency=agency, title=title, site_id_code=_site_id(page),
                           police_record=_first(POLICE_TEXT, page.all_text), icp=_first(ICP_TEXT, page.all_text),
                           registry_region=registry_region, domain=urlsplit(url).hostname if url else None)
    return Metadata(title=title, publisher=publisher, agency=agency, index_number=_index_number(page),
                    generated_date=generated, published_date=published,
                    year=_report_year(title, page.text, published, generated),
                    province_code=place.province_code, province_name=place.province_name,
                    region_code=place.region_code)


# ---------------------------------------------------------------- the page as text + meta

class _PageView:
    """The report text, the page flattened to text (cells joined by '|'), and its meta tags."""

    def __init__(self, text: str, html: str | None):
        self.text = text or ""
        self.tree = _parse_html(html)
        self.meta = _meta_tags(self.tree)
        self.html_text = _flatten(self.tree)
        self.all_text = self.html_text + "\n" + self.text


def _parse_html(html: str | None):
    """lxml tree of html, or None."""
    if not html or not html.strip():
        return None
    import lxml.html

    try:
        return lxml.html.document_fromstring(html)
    except (ValueError, TypeError, lxml.etree.ParserError):
        return None


def _meta_tags(tree) -> dict[str, str]:
    """<meta name=… content=…> by lower-case name; attribute order varies and UCAP even writes concent=."""
    if tree is None:
        return {}
    found = {}
    for meta in tree.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        content = (meta.get("content") or meta.get("concent") or "").strip()
        if name and content and name not in found:
            found[name] = content
    return found


def _flatten(tree) -> str:
    """Visible text of the page: block elements on their own lines, table cells separated by ' | '."""
    if tree is None:
        return ""
    for element in list(tree.iter(*DROP_TAGS)):
        element.drop_tree()
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
        elif element.tag in CELL_TAGS:
            element.tail = " | " + (element.tail or "")
    return re.sub(r"[ \t\xa0]+", " ", tree.text_content().replace("\r", ""))


# ---------------------------------------------------------------- labels

def _spaced(label: str) -> str:
    """Regex of a label whose characters may be padded (索 引 号, 标　　题)."""
    return r"[ \t\u3000\xa0]*".join(map(re.escape, label))


NEXT_LABEL = re.compile("|".join(_spaced(label) + r"\s*[:：]" for label in ALL_LABELS) +
                        # any short hanzi label after a space: "建宁县民政局 作者：办公室"
                        r"|(?:^|(?<=\s))[\u4e00-\u9fff](?:[ \u3000]?[\u4e00-\u9fff]){0,5}[ \u3000]*[:：]")
LABEL_ONLY = re.compile("^(?:" + "|".join(_spaced(label) for label in ALL_LABELS) + ")$")
_BLANK = r"[ \t\u3000\xa0]*"


def _label_values(source: str, labels: tuple[str, ...]) -> list[str]:
    """Values printed after a label (with colon, one cell bar or a line break), in reading order.

    After a colon the value may sit on the next line (dl/dd, label and value divs, a cell a line).
    A value that is itself a label belongs to an empty field (发布机构 | | 生成日期 | …).
    """
    pattern = re.compile(r"(?<![\u4e00-\u9fff])(?:" + "|".join(_spaced(l) for l in labels) +
                         rf"){_BLANK}(?:[:：][ \t\u3000\xa0|]*(?:\n[ \t\u3000\xa0|]*)?|\s*\|{_BLANK}|[ \t]*\n\s*)")
    values = []
    for match in pattern.finditer(source):
        value = re.split(r"[|\n\t\u3000]| {2,}", source[match.end():match.end() + 200], maxsplit=1)[0]
        value = NEXT_LABEL.split(value, maxsplit=1)[0].strip(" \xa0:：")
        if value and not LABEL_ONLY.match(value):
            values.append(value)
    return values


def _first_label_value(page: _PageView, labels: tuple[str, ...], accept=lambda v: True) -> str | None:
    """First acceptable labelled value, info box of the page first, then the report text."""
    for source in (page.html_text, page.text):
        for value in _label_values(source, labels):
            if value.lower() not in PLACEHOLDERS and accept(value):
                return value
    return None


def _labelled_date(page: _PageView, labels: tuple[str, ...]) -> date | None:
    """Date right after one of labels: the visible info box first, then the report text."""
    return find_date(page.html_text, labels) or find_date(page.text, labels)


def _meta_date(page: _PageView):
    """PubDate of the government meta set, else another publish-date meta."""
    for name in (META_PUBDATE,) + META_PUBDATE_OTHERS:
        day = parse_date(page.meta.get(name, ""))
        if day:
            return day
    return None


def _first(pattern: re.Pattern, source: str) -> str | None:
    """First match of pattern in source, or None."""
    match = pattern.search(source)
    return match.group(0) if match else None


# ---------------------------------------------------------------- fields

def _index_number(page: _PageView) -> str | None:
    """索引号 as printed, whitespace trimmed."""
    # a printed 索引号 has digits; anything else is a neighbouring label or placeholder
    return _first_label_value(page, INDEX_LABELS, accept=lambda v: bool(re.search(r"\d", v)))


def _is_body_name(value: str) -> bool:
    """A publisher value that names a body (not a date, not a sentence)."""
    return len(value) <= 40 and not re.search(r"\d{4}|[，。；、]", value)


def _publisher(page: _PageView, title_agency: str | None) -> str | None:
    """发布机构 as the page states it, in simplified Chinese; None if the page states none."""
    # the info box label (发布机构 / 发文机关 / 发布单位)
    value = _first_label_value(page, PUBLISHER_LABELS, _is_body_name)
    # the government meta set's ContentSource, else the visible 来源 line under the heading; a template's
    # copied ContentSource (the city's name on a bureau's page) loses to a visible 来源 naming the title's body
    meta = _non_placeholder(page.meta.get(META_SOURCE))
    visible = _first_label_value(page, SOURCE_LABELS, _is_body_name)
    if meta and visible and meta != visible and _same_body(visible, title_agency) \
            and not _same_body(meta, title_agency):
        meta = None
    value = value or meta or visible
    return to_simplified(value) if value else None


def _same_body(name: str | None, other: str | None) -> bool:
    """True when two body names are one (one contains the other: 莆田市应急管理局 / 应急管理局)."""
    return bool(name and other) and (name in other or other in name)


def _non_placeholder(value: str | None) -> str | None:
    """value unless it is empty or a placeholder like 请选择."""
    value = (value or "").strip()
    return value if value and value.lower() not in PLACEHOLDERS else None


def _title(page: _PageView) -> str | None:
    """The report title: the first source that reads like a report title, else the first that has one."""
    meta = _non_placeholder(page.meta.get(META_TITLE))
    html_title = _html_title(page.tree)
    candidates = (
        meta,                                               # the government meta set names the article
        _heading_title(page.tree),                          # a heading in the body
        html_title,                                         # <title> minus site and column names
        _first_label_value(page, TITLE_LABELS),             # the info box's 标题 / 名称
        _text_title(page.text),                             # plain text: a title-like line
    )
    # a template's ArticleTitle can be the column's name (政府信息公开年报): a title says whose and when
    title = next((c for c in candidates if c and _reads_like_title(c)), None)
    title = title or next((c for c in candidates if c), None) or _first_html_title_part(page.tree)
    return to_simplified(re.sub(r"\s+", "", title)) if title else None


def _title_parts(line: str) -> list[str]:
    """A line, or its space-separated parts when one of them is a whole title (a breadcrumb written with
    spaces: "XX市人民政府门户网站 XX局 政府信息公开年报 XX局2023年度…年度报告")."""
    parts = line.split()
    if len(parts) > 1 and any(REPORT_TITLE.search(p) and YEAR_IN_TITLE.search(p) and _title_agency(p) for p in parts):
        return parts
    return [line]


def _reads_like_title(text: str) -> bool:
    """A report title: names the report and a year, or at least the report and a body before it."""
    text = re.sub(r"\s+", "", text)
    return bool(REPORT_TITLE.search(text)) and (bool(YEAR_IN_TITLE.search(text)) or bool(_title_agency(text)))


def _heading_title(tree) -> str | None:
    """Text of the first h1-h3 that reads like a report title (else of the first h1)."""
    if tree is None:
        return None
    headings = [" ".join(h.text_content().split()) for tag in HEADING_TAGS for h in tree.iter(tag)]
    headings = [h for h in headings if h]
    return next((h for h in headings if REPORT_TITLE.search(h)), None)


def _html_title_parts(tree) -> list[str]:
    """<title> cut at site-name separators (_ - | ——) and, as Hanweb writes "站名 栏目 标题", at spaces."""
    element = tree.find(".//title") if tree is not None else None
    text = " ".join((element.text_content() if element is not None else "").split())
    return [part for part in re.split(SITE_SUFFIX.pattern + r"|\s+", text) if part]


def _html_title(tree) -> str | None:
    """The part of <title> that reads like a report title (the column's name 政府信息公开年报 only if none does)."""
    parts = [p for p in _html_title_parts(tree) if REPORT_TITLE.search(p)]
    return next((p for p in parts if _reads_like_title(p)), parts[0] if parts else None)


def _first_html_title_part(tree) -> str | None:
    """Whatever <title> says first, for a page with no report-like title anywhere."""
    parts = _html_title_parts(tree)
    return parts[0] if parts else None


TITLE_LABEL_PREFIX = re.compile(r"^(?:" + "|".join(_spaced(label) for label in TITLE_LABELS) + r")\s*[:：]\s*")
BREADCRUMB = re.compile(r"当前位置|您的位置|所在位置|首页\s*[>›»/]|[>›»]")


def _text_title(text: str) -> str | None:
    """First short line reading like a report title (a year in it preferred), or two lines joined where the
    title was wrapped or a body name stands on the line above (seed 004); a 标题: label is not part of
    it, a breadcrumb is none."""
    lines = [TITLE_LABEL_PREFIX.sub("", line.strip(" |?？\t\u3000")) for line in text.splitlines()[:40]]
    lines = [part for line in lines if line for part in _title_parts(line)]
    found = []
    # single lines, and titles wrapped over two lines; never a line in front of a title naming its own body
    for candidate in title_candidates(lines, joinable=lambda first, second: not _title_agency(second)):
        if len(candidate) <= 80 and REPORT_TITLE.search(candidate) and not re.search(r"[，。；,;、《〈]", candidate) \
                and not BREADCRUMB.search(candidate) and candidate not in found:
            found.append(candidate)
    return next((t for t in found if YEAR_IN_TITLE.search(t)), found[0] if found else None)


def _agency(page: _PageView, title: str | None, publisher: str | None) -> str | None:
    """The body whose report it is."""
    # the title names it: {机关}{YYYY}年(度)政府信息公开工作年度报告
    agency = _title_agency(title)
    # the text says who compiled it: 由XX编制
    agency = agency or _compiled_by(page.text)
    # the text names the report: 现公布XX2021年政府信息公开工作年度报告 / 特公布2022年XX信息公开…
    agency = agency or _title_agency(_named_report(page.text))
    # the text opens with the body: 2023年，XX局根据…编制 / 2022年以来，XX局认真贯彻… (a name with a place:
    # 市人社局 says less than the publisher)
    opening = YEAR_THEN_BODY.search(page.text[:3000])
    agency = agency or _placed(opening.group(2) if opening else None)
    # the report is signed: the body's name above the date, at the end
    agency = agency or _placed(_signature(page.text))
    # a body name on a line of its own near the top (above the title, or in the info box)
    agency = agency or _body_line(page.text)
    # the publisher, when it is a government body rather than a media centre
    agency = agency or (publisher if publisher and not MEDIA_BODY.search(publisher) else None)
    return to_simplified(agency) if agency else None


def _title_agency(title: str | None) -> str | None:
    """The body a report title names: before its year or 政府信息公开, or after a leading year."""
    if not title or not REPORT_TITLE.search(title):
        return None
    title = BRACKETED_YEAR.sub("", title.translate(FULLWIDTH_DIGITS))
    match = TITLE_AGENCY_AFTER_YEAR.match(title) or TITLE_AGENCY.match(title)
    name = match.group(1).strip(" ：:（(《“") if match else ""
    if name in GENERIC_NAMES or YEAR_IN_TITLE.search(name):   # 政府信息公开年报: a column, nobody's report
        return None
    return name if len(name) >= 2 else None


def _named_report(text: str) -> str | None:
    """The report's title as the text names it in a sentence near the top, the verb before it removed."""
    match = NAMED_REPORT.search(text[:3000])
    if not match:
        return None
    before, rest = match.group("before"), match.group(0)[len(match.group("before")):]
    return LEADING_VERB.sub("", before) + rest


def _placed(name: str | None) -> str | None:
    """name, if it says where the body is (a division name in it, or a central body)."""
    return name if name and (region_candidates(name) or is_central_body(name)) else None


def _signature(text: str) -> str | None:
    """The body signing the report: a body name on a line of its own, right above a date, at the end."""
    lines = [line.strip(" |?？\t\u3000") for line in text.splitlines()]
    lines = [line for line in lines if line][-8:]
    for name, below in zip(lines, lines[1:]):
        if BODY_NAME.match(name) and not MEDIA_BODY.search(name) and parse_date(below) and len(below) <= 20:
            return name
    return None


def _first_group(pattern: re.Pattern, source: str) -> str | None:
    """Group 1 of the first match, or None."""
    match = pattern.search(source)
    return match.group(1) if match else None


def _compiled_by(text: str) -> str | None:
    """XX in 由XX编制 / 由XX根据…编制而成, when XX is a body name (not 由局监察员负责…)."""
    for match in COMPILED_BY.finditer(text):
        name = match.group(1)
        if BODY_NAME.match(name) and "编制" in text[match.end() - 2:match.end() + 120]:
            return name
    return None


def _body_line(text: str) -> str | None:
    """A line (or table row) holding nothing but a government body name, among the first lines."""
    for line in text.splitlines()[:40]:
        cells = [cell.strip(" ?？\t\u3000\xa0") for cell in line.split("|")]
        cells = [cell for cell in cells if cell]
        if len(cells) == 1 and BODY_NAME.match(cells[0]) and not MEDIA_BODY.search(cells[0]):
            return cells[0]
    return None


def _site_id(page: _PageView) -> str | None:
    """SiteIDCode meta, else 网站标识码 in the footer."""
    return _non_placeholder(page.meta.get(META_SITE_ID)) or _first_group(SITE_ID_TEXT, page.all_text)


# ---------------------------------------------------------------- report year

def _report_year(title: str | None, text: str, published: date | None, generated: date | None) -> int | None:
    """The year the report covers."""
    # the title says it: 2023年度 / 2023年 / 二〇二三年度
    year = _year_in_title(title or "")
    # the statistics period: 统计期限为2022年1月1日至12月31日
    year = year or _int_group(STATISTICS_PERIOD, text)
    # the first thing the report says: "2023年，我局…" / "2023年，市人社局根据…"
    opening = YEAR_THEN_BODY.search(text[:3000])
    year = year or _int_group(YEAR_WE_DID, text) or (int(opening.group(1)) if opening else None)
    # the report as the text names it: 现发布XX局2018年政府信息公开工作年度报告
    year = year or _year_in_title(_named_report(text) or "")
    # reports appear in the first half of the next year
    return year or _year_before(published or generated)


def _year_in_title(title: str) -> int | None:
    """Arabic (also full-width) or Chinese-numeral year in a report title."""
    title = title.translate(FULLWIDTH_DIGITS)
    match = YEAR_IN_TITLE.search(title) if REPORT_TITLE.search(title) else None
    if not match:
        return None
    if match.group(1):
        return int(match.group(1))
    parsed = parse_date(match.group(2) + "年一月一日")
    return parsed.year if parsed else None


def _int_group(pattern: re.Pattern, source: str) -> int | None:
    """Group 1 of the first match as an int."""
    value = _first_group(pattern, source)
    return int(value) if value else None


def _year_before(published: date | None) -> int | None:
    """A report published in January-June of Y covers Y-1; later dates say nothing certain."""
    return published.year - 1 if published and published.month <= 6 else None
