"""HTML report pages → Document: find the body, drop junk, text as lines, tables as grids.

Grids: rowspan/colspan are expanded by repeating the spanned cell's text into every slot it
covers, so each row has one slot per grid column. The table mapper (pipelines.tables) reads a
value at the column position of its header (the first slot of a repeated run), so repeated
values from a colspan are never counted twice; labels repeated down a rowspan give every row
its group label (三、本年度办理结果 / (三)不予公开 …).
"""
from __future__ import annotations

import re
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from pipelines.model import Document, Grid
from pipelines.readers.common import clean_cell, clean_line, expand_spans, grid_lines, tidy_grid

# Where the report body lives, most specific first (TRS, Hanweb, UCAP, VSB, gov.cn, generic CMS).
BODY_XPATHS = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//*[contains(@class, 'TRS_UEDITOR')]",
    "//*[@id='zoom' or @id='Zoom']",
    "//*[@id='UCAP-CONTENT']",
    "//*[@id='PrintArea']",
    "//*[@id='ivs_content']",
    "//*[starts-with(@id, 'vsb_content')]",                                    # 博达 VSB
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' v_news_content ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' pages_content ')]",  # gov.cn
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' article ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' content ')]",
)
ZJEG_BODY = re.compile(r"<!--ZJEG_RSS\.content\.begin-->(.*?)<!--ZJEG_RSS\.content\.end-->", re.S)
XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
JUNK_TAGS = ("script", "style", "noscript", "iframe", "nav", "button", "select", "object", "embed", "head")
# Browser-extension overlays (sogou translate/search/copy) and hidden widgets pasted into bodies.
JUNK_ID_CLASS = re.compile(r"sogou|sougou|qb-|translate|share|qrcode|ewm", re.I)
# Hidden blocks (link farms of hacked pages hide this way): not part of what the page shows.
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|(?:left|top|text-indent)\s*:\s*-\d{3,}|"
                          r"font-size\s*:\s*0(?:px|pt)?\s*(?:;|$)", re.I)
_WS = re.compile(r"\s+")
BLOCK_TAGS = frozenset("p div br tr li ul ol h1 h2 h3 h4 h5 h6 table section article blockquote pre dd dt dl center".split())
LINE_BREAK_TAGS = ("br", "p", "div", "li")
ATTACHMENT_HREF = re.compile(r"\.(pdf|docx?|xlsx?|ofd|wps|et|rar|zip)$", re.I)
# Download handlers whose URL does not show the file type (Hanweb downfile.jsp, VSB download.jsp, fileId=…).
DOWNLOAD_HREF = re.compile(r"downfile\.jsp|download\.jsp|[?&](?:filename|fileid|file_id|attachid|attid)=|"
                           r"/(?:download|downloadfile|getfile)(?:\.\w+)?\?", re.I)
# A link whose text is a file name ("2023年度报告.pdf"), whatever its URL looks like.
FILE_NAME_TEXT = re.compile(r"\.(?:pdf|docx?|wps|ofd)\s*[)）]?\s*$", re.I)


def read_html(html: str, base_url: str | None = None) -> Document:
    """Turn one HTML page into a Document (body text, table grids, title, attachments)."""
    root = _parse(html)
    if root is None:
        return Document(text="", source_type="html", flags=["unparsable_html"])
    attachments = find_attachments(root, base_url)
    body = _zjeg_body(html)
    body = find_body(root) if body is None else body
    _drop_junk(body)
    grids = {t: _table_grid(t) for t in _leaf_tables(body)}
    tables = list(grids.values())
    text = "\n".join(_lines(body, grids))
    title = _title(root, body)
    return Document(text=text, tables=[t for t in tables if t], title=title,
                    source_type="html", attachments=attachments)


def _parse(html: str):
    """Parse markup leniently; None when there is nothing to parse."""
    html = XML_DECL.sub("", html or "")
    if not html.strip():
        return None
    try:
        return lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _zjeg_body(html: str):
    """The fragment between Hanweb ZJEG_RSS content markers, parsed, if present."""
    m = ZJEG_BODY.search(html or "")
    if not m or not m.group(1).strip():
        return None
    return lxml.html.fragment_fromstring(m.group(1), create_parent="div")


def find_body(root):
    """The element holding the report: known CMS containers first, else the largest text block."""
    for xp in BODY_XPATHS:
        found = [el for el in root.xpath(xp) if _text_len(el) > 20]
        if found:
            return max(found, key=_text_len)  # the outer one when they are nested
    return _largest_block(root)


def _text_len(el) -> int:
    """Length of an element's text, whitespace runs collapsed (computed in libxml2)."""
    return int(el.xpath("string-length(normalize-space(.))"))


def _largest_block(root):
    """The div/td/article whose own paragraphs hold the most text (body when none)."""
    best, best_len = root, 0
    for el in root.iter("div", "td", "article", "section"):
        own = sum(_text_len(p) for p in el if isinstance(p.tag, str) and p.tag in ("p", "table", "span", "font"))
        if own > best_len:
            best, best_len = el, own
    return best


def _drop_junk(body) -> None:
    """Remove scripts, styles, hidden widgets and extension overlays from the body in place."""
    for el in list(body.iter(etree.Comment, etree.ProcessingInstruction)):
        _drop(el)
    for el in list(body.iter(*JUNK_TAGS)):
        _drop(el)
    for el in body.xpath(".//*[@id or @class or @style]"):
        marks = (el.get("id") or "") + " " + (el.get("class") or "")
        if JUNK_ID_CLASS.search(marks) or HIDDEN_STYLE.search(el.get("style") or ""):
            _drop(el)


def _drop(el) -> None:
    """Remove an element but keep its tail text."""
    if el.getparent() is not None:
        el.drop_tree()


def _leaf_tables(body):
    """Tables that contain no other table (layout tables around them are skipped)."""
    return [t for t in body.iter("table") if not t.xpath(".//table")]


def _table_grid(table) -> Grid:
    """One <table> as a grid with spans expanded and ghost rows/columns removed."""
    for el in table.iter(*LINE_BREAK_TAGS):  # cell paragraphs and <br> become line breaks
        el.tail = "\n" + (el.tail or "")
    rows = []
    for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        cells = [(_cell_text(td), _span(td, "rowspan"), _span(td, "colspan")) for td in tr.xpath("./td|./th")]
        if _is_ghost(tr, cells):
            continue
        rows.append(cells)
    return tidy_grid(expand_spans(rows))


def _is_ghost(tr, cells) -> bool:
    """A zero-height or empty row that spans nothing (Word's layout rows)."""
    if any(rs > 1 for _, rs, _ in cells):
        return False
    zero = re.search(r"height\s*:\s*0(\D|$)", tr.get("style") or "") or tr.get("height") == "0"
    return bool(zero) or not any(text for text, _, _ in cells)


def _span(td, attr: str) -> int:
    """A rowspan/colspan attribute as a sane int."""
    try:
        return max(1, min(int(re.sub(r"\D", "", td.get(attr) or "1") or 1), 200))
    except ValueError:
        return 1


def _cell_text(td) -> str:
    """A cell's text (line breaks were added after its <p>/<br>), cleaned."""
    return clean_cell(td.text_content())


def _lines(body, grids: dict) -> list[str]:
    """Body text as lines; tables rendered row by row with ' | ' between cells."""
    out: list[str] = []
    buf: list[str] = []
    _walk_lines(body, out, buf, grids)
    _flush(out, buf)
    return out


def _walk_lines(el, out: list[str], buf: list[str], grids: dict) -> None:
    """Recursive helper of _lines: accumulate inline text, break at blocks and tables."""
    if not isinstance(el.tag, str):
        return
    if el in grids:
        _flush(out, buf)
        out.extend(grid_lines(grids[el]))
        return
    block = el.tag in BLOCK_TAGS
    if block:
        _flush(out, buf)
    buf.append(el.text or "")
    for child in el:
        _walk_lines(child, out, buf, grids)
        buf.append(child.tail or "")
    if block:
        _flush(out, buf)


def _flush(out: list[str], buf: list[str]) -> None:
    """Move the accumulated inline text into out as one cleaned line."""
    line = clean_line("".join(buf))
    buf.clear()
    if line:
        out.append(line)


def _title(root, body) -> str | None:
    """The body heading, else the ArticleTitle meta, else the page <h1>/<title>."""
    for xp in (".//h1", ".//h2", ".//h3"):
        for el in body.xpath(xp):
            text = clean_line(el.text_content())
            if text:
                return text
    meta = root.xpath("//meta[@name='ArticleTitle']/@content")
    if meta and meta[0].strip():
        return meta[0].strip()
    for el in root.xpath("//h1|//title"):
        text = clean_line(el.text_content())
        if text:
            return text
    return None


def find_attachments(root, base_url: str | None = None) -> list[str]:
    """Hrefs to document files or download handlers anywhere in the page, resolved, deduplicated."""
    seen: list[str] = []
    for anchor in root.xpath("//a[@href]"):
        href = anchor.get("href").strip()
        path = href.split("#")[0].split("?")[0]
        if href.startswith(("javascript:", "mailto:")) or not (
                ATTACHMENT_HREF.search(path) or DOWNLOAD_HREF.search(href)
                or FILE_NAME_TEXT.search(anchor.text_content() or "")):
            continue
        url = urljoin(base_url, href) if base_url else href
        if url not in seen:
            seen.append(url)
    return seen
