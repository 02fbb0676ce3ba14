"""Find the way to annual reports on a portal: pure functions over HTML, no Scrapy.

A portal is walked in roles: home -> hub (政府信息公开) -> column (年报栏目, maybe year sub-columns)
-> listing pages (pagination) -> report pages -> attachments. Each function here looks at one page
and says which links play which role; the spider only schedules them.
"""
from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

from pipelines.metadata import SITE_ID_TEXT
from pipelines.titles import (DECOY_TITLE, TRUNCATED, looks_like_report_title,  # noqa: F401 (re-exported)
                              looks_like_truncated_report_title, title_year)

# The annual-report column, by link text or URL slug.
COLUMN_TEXT = re.compile(r"(信息公开|政务公开).{0,4}(年报|年度报告)|^年度报告$|^年报$|工作年度报告$")
COLUMN_SLUG = re.compile(r"(^|/)(zfxxgknb|zfxxgkndbg|xxgknb|xxgkndbg|gknb|ndbg|zwgknb|nb|\d{4}nb)(/|$|_|\.)", re.I)
# Year sub-columns inside a report column: "2021年", "2019年度", "2018年以前", zfxxgknb/2021N/.
YEAR_COLUMN_TEXT = re.compile(r"^(19|20)\d{2}\s*年(度)?(报告|年报)?(以前|及以前|之前)?$")
YEAR_COLUMN_SLUG = re.compile(r"/(19|20)\d{2}(n|nb|nd)?/?$", re.I)
# Hubs on the way from the home page to the column.
HUB_TEXT = re.compile(r"政府信息公开|信息公开|政务公开|法定主动公开|主动公开|公开目录")
HUB_SLUG = re.compile(r"(^|/)(zfxxgk|xxgk|zwgk|gkml|gkmlpt|openness|zfxxgkzl)(/|$|\.|_)", re.I)
# A hub link is a menu entry (政府信息公开, 部门信息公开, 莆田市人力资源和社会保障局), not an article title.
MAX_HUB_TEXT = 16
# Files that can hold a report.
ATTACHMENT_EXT = re.compile(r"\.(pdf|docx?|wps|ofd)(\?|$)", re.I)
ATTACHMENT_HANDLER = re.compile(r"downfile\.jsp|download\.jsp|/download\b|[?&](filename|fileid|attachid)=", re.I)
NEXT_TEXT = re.compile(r"^\s*(下一页|下页|后一页|>|›|»)\s*$")
PAGE_PARAM = re.compile(r"[?&](page|pageNo|pageno|pageIndex|curpage|currentPage|p|pn)=(\d+)", re.I)
INDEX_PAGE = re.compile(r"index_(\d+)\.(s?html?)$", re.I)
LISTING_DATE = re.compile(r"(20\d{2})[-./年](\d{1,2})[-./月](\d{1,2})")
# TRS pagers: createPageHTML(count, current, "index", "html"), also with variables for the numbers
# (countPage, currentPage), a leading element id ('page_div', …) or trailing extras, or only the inline
# var countPage / currentPage of a hand-written pager script.
TRS_CALL = re.compile(r"create(?:Page|PageHTML)\s*\(([^()]*)\)")
TRS_VAR = re.compile(r"var\s+(\w+)\s*=\s*['\"]?(\d+)['\"]?")
TRS_COUNT = re.compile(r"var\s+countPage\s*=\s*['\"]?(\d+)")
TRS_CURRENT = re.compile(r"var\s+currentPage\s*=\s*['\"]?(\d+)")
# The extension a pager script writes its page names with: "index_1.shtml", "."+"shtml".
PAGE_NAME_EXT = re.compile(r"""index(?:_\d+)?\.(s?html?)\b|\.["']?\s*\+?\s*["']?(s?html?)["']""")
# ASP.NET WebForms pagers: javascript:__doPostBack('ctl00$…$AspNetPager1','2').
POSTBACK = re.compile(r"__doPostBack\(\s*['\"]([^'\"]+)['\"]\s*,\s*['\"](\d+)['\"]\s*\)")
# Guangdong gkmlpt: the app's site id; its lists come from /gkmlpt/api/all/{category}?page=N&sid=SID.
GKMLPT_SID = re.compile(r"window\._CONFIG\s*=\s*\{.*?['\"]?SID['\"]?\s*:\s*['\"]?([\w-]+)", re.S)
# Hanweb: the first page lives in <script type="text/xml">, the rest behind jpage's dataproxy.jsp.
HANWEB_DATASTORE = re.compile(r"<script[^>]*type=['\"]text/xml['\"][^>]*>(.*?)</script>", re.S | re.I)
CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
HANWEB_TOTAL = re.compile(r"totalRecord\s*[:=]\s*['\"]?(\d+)|<totalrecord>\s*(\d+)", re.I)
HANWEB_PERPAGE = re.compile(r"perPage\s*[:=]\s*['\"]?(\d+)", re.I)
HANWEB_PROXY = re.compile(r"proxyUrl\s*:\s*['\"]([^'\"]+)['\"]")
HANWEB_PARAMS = re.compile(r"ajaxParam\s*:\s*\{([^}]*)\}")
HANWEB_PARAM = re.compile(r"['\"]?(\w+)['\"]?\s*:\s*['\"]?([^,'\"}]*)['\"]?")   # keys bare or quoted
# Zhejiang jpaas: the pager div says how many records there are; later pages are JSON {data: {html}}.
JPAAS_PAGER = re.compile(r"<div[^>]*\bcount=['\"](\d+)['\"][^>]*>", re.I)
JPAAS_ATTR = re.compile(r"\b(rows|queryData)=(?:\"([^\"]*)\"|'([^']*)')", re.I)
JPAAS_API = "/api-gateway/jpaas-publish-server/front/page/build/unit"
# Signs that a page draws its list with JavaScript from an API.
JS_LISTING = re.compile(r"window\._CONFIG|\bfetch\s*\(|XMLHttpRequest|\$\.(ajax|get|post|getJSON)\s*\(|axios\.|new\s+Vue\s*\(|createApp\s*\(|/api/", re.I)


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    role: str            # hub, column, report, attachment, page, api (a page of a JSON list: never rendered),
                         # click (a pager button of a rendered page)
    year: int | None = None
    date: str | None = None   # the date the listing prints beside a report link (YYYY-MM-DD)


@dataclass
class Post:
    """A POST the listing needs (Hanweb dataproxy.jsp)."""
    url: str
    formdata: dict[str, str]


@dataclass
class PageLinks:
    links: list[Link] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    postbacks: list[Post] = field(default_factory=list)   # ASP.NET pager buttons as the form posts they make
    listing_years: list[int] = field(default_factory=list)   # dates seen beside report links, in page order
    needs_browser: bool = False


def is_attachment_url(url: str) -> bool:
    """A file link (by extension or a download handler)."""
    path = urlsplit(url).path + ("?" + urlsplit(url).query if urlsplit(url).query else "")
    return bool(ATTACHMENT_EXT.search(path) or ATTACHMENT_HANDLER.search(url))


def _anchors(root, base_url: str, hash_routes: bool = False):
    """(absolute url, visible text or title attribute, raw text) of every usable <a>.

    `hash_routes`: in a page drawn by JavaScript, `#2890` is a route of the app, not a jump in the page.
    """
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if hash_routes and href.startswith("javascript:") and (a.text_content() or "").strip().isdigit():
            href = ""                # a scripted pager button: it stands for the page itself
        elif not href or href.startswith(("javascript:", "mailto:", "tel:")) or href == "#":
            continue
        if href.startswith("#") and not hash_routes:
            continue
        text = re.sub(r"\s+", "", a.text_content() or "") or _image_text(a)
        title = re.sub(r"\s+", "", a.get("title") or "")
        # The title attribute holds the full title where the text is cut ("…").
        best = title if title and (not text or TRUNCATED.search(text) or len(title) > len(text)) else text
        yield urljoin(base_url, htmllib.unescape(href)), best, text, _row_date(a)


def _image_text(anchor) -> str:
    """What a link drawn as a picture says: aria-label, or the alt/title of its image."""
    label = anchor.get("aria-label") or next((img.get("alt") or img.get("title") or "" for img in anchor.iter("img")), "")
    return re.sub(r"\s+", "", label)


def _row_date(anchor) -> str | None:
    """The date printed in the listing row (li, tr, dd, p) that holds a link."""
    row = anchor.getparent()
    while row is not None and row.tag not in ("li", "tr", "dd", "p", "div", "record"):
        row = row.getparent()
    match = LISTING_DATE.search(row.text_content()[:300]) if row is not None else None
    return f"{match.group(1)}-{int(match.group(2)):02d}-{int(match.group(3)):02d}" if match else None


def _parse(html: str):
    """lxml tree of a page, tolerant of broken markup and encoding declarations."""
    try:
        return lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return lxml_html.fromstring(html.encode("utf-8", "replace"))


def classify_links(html: str, base_url: str, role: str, rendered: bool = False) -> PageLinks:
    """Links of one page by role; `role` is the page's own (home, hub, column, listing).

    `rendered`: the HTML is a browser's DOM after scripts ran (hash routes then count as links).
    """
    found = PageLinks()
    if not html.strip():
        return found
    root = _parse(html)
    for url, text, raw, date in _anchors(root, base_url, hash_routes=rendered):
        link = _classify_anchor(url, text, raw, role, base_url, date)
        if link:
            found.links.append(link)
    found.links.extend(_hanweb_datastore_links(html, base_url))
    found.links.extend(_pager_links(html, base_url))
    found.links.extend(_jpaas_pages(html, base_url))
    if role in ("column", "listing"):
        found.links.extend(_gkmlpt_api(html, base_url))
        found.postbacks = _postbacks(root, base_url)
    found.posts.extend(_hanweb_posts(html, base_url, found))
    found.listing_years = [int(m.group(1)) for m in LISTING_DATE.finditer(root.text_content() or "")]
    leads = [l for l in found.links if l.role in ("report", "attachment", "column")]
    if role in ("home", "hub"):
        leads += [l for l in found.links if l.role == "hub"]
    found.needs_browser = not rendered and not leads and bool(JS_LISTING.search(html))
    return found


def _classify_anchor(url: str, text: str, raw: str, role: str, base_url: str, date: str | None = None) -> Link | None:
    """The role of one link as seen from a page of the given role."""
    year = title_year(text)
    if looks_like_report_title(text) or looks_like_truncated_report_title(text):
        return Link(url, text, "attachment" if is_attachment_url(url) else "report", year, date)
    if role in ("column", "listing") and _is_next_page(url, raw, base_url):
        return Link(url, text, "page")
    if role in ("column", "listing") and raw.isdigit() and int(raw) > 1 and _same_page(url, base_url):
        return Link(base_url, raw, "click")    # a numbered pager button that only a script acts on
    if COLUMN_TEXT.search(text) or (COLUMN_SLUG.search(urlsplit(url).path) and _plausible_column_text(text)):
        return Link(url, text, "column")
    if role in ("column", "listing") and (YEAR_COLUMN_TEXT.match(text) or YEAR_COLUMN_SLUG.search(url)):
        # "2018年以前" holds every year up to 2018: no single year to judge it by
        return Link(url, text, "column", None if re.search(r"以前|之前", text) else year)
    if role in ("home", "hub") and (HUB_TEXT.search(text) or HUB_SLUG.search(urlsplit(url).path)):
        if not DECOY_TITLE.search(text) and len(text) <= MAX_HUB_TEXT:
            return Link(url, text, "hub")
    return None


def _same_page(url: str, base_url: str) -> bool:
    """A link back to the page itself (a hash or an empty target): a button, not a page of its own."""
    a, b = urlsplit(url), urlsplit(base_url)
    return (a.netloc, a.path, a.query) == (b.netloc, b.path, b.query)


def _plausible_column_text(text: str) -> bool:
    """A slug like /ndbg/ counts only behind a short menu label, not behind an article title."""
    return 0 < len(text) <= 14 and not DECOY_TITLE.search(text)


def _is_next_page(url: str, raw_text: str, base_url: str) -> bool:
    """A pagination link of the same listing: 下一页, or a page number in the URL."""
    if urlsplit(url).netloc != urlsplit(base_url).netloc:
        return False
    if NEXT_TEXT.match(raw_text) or raw_text in ("尾页", "末页", "最后一页"):
        return True
    same_path = urlsplit(url).path.rsplit("/", 1)[0] == urlsplit(base_url).path.rsplit("/", 1)[0]
    return same_path and raw_text.isdigit() and bool(PAGE_PARAM.search(url) or INDEX_PAGE.search(url))


def _pager_links(html: str, base_url: str) -> list[Link]:
    """TRS listings write their pager with JavaScript: the next page, index_{current+1}, if there is one.

    One page after another (not all at once from page 0), so that a backfill can stop a deep listing
    as soon as it has passed the wanted years.
    """
    pager = _trs_pager(html)
    if pager is None:
        return []
    count, current, stem, ext = pager
    ext = ext or _page_ext(html, base_url)
    following = current + 1
    return [Link(urljoin(base_url, f"{stem}_{following}.{ext}"), "", "page")] if following < count else []


def _trs_pager(html: str) -> tuple[int, int, str, str | None] | None:
    """(page count, current page, page stem, extension or None) of a TRS pager, from its createPage call
    (literal or variable arguments) or from inline var countPage/currentPage."""
    variables = {name: int(value) for name, value in TRS_VAR.findall(html)}
    for call in TRS_CALL.finditer(html):
        args = [a.strip().strip("'\"") for a in call.group(1).split(",")]
        while len(args) > 4 and _pager_number(args[0], variables) is None:
            args = args[1:]                                   # a leading element id: 'page_div'
        if len(args) >= 3:
            count, current = _pager_number(args[0], variables), _pager_number(args[1], variables)
            if count is not None and current is not None and re.fullmatch(r"[\w-]+", args[2]):
                ext = args[3] if len(args) > 3 and re.fullmatch(r"s?html?", args[3]) else None
                return count, current, args[2], ext
    count_match, current_match = TRS_COUNT.search(html), TRS_CURRENT.search(html)
    if not count_match:
        return None
    return int(count_match.group(1)), int(current_match.group(1)) if current_match else 0, "index", None


def _pager_number(arg: str, variables: dict[str, int]) -> int | None:
    """A pager argument as a number: a literal, or a variable the page sets (var countPage = 3)."""
    if arg.isdigit():
        return int(arg)
    return variables.get(arg)


def _page_ext(html: str, base_url: str) -> str:
    """The extension of the listing's own pages: from its URL (index.shtml), else from the page names its
    pager script or links write (a column linked as a folder, …/2024nb/), else html."""
    match = re.search(r"\.(s?html?)$", urlsplit(base_url).path)
    if match:
        return match.group(1)
    found = [a or b for a, b in PAGE_NAME_EXT.findall(html)]
    return max(set(found), key=found.count) if found else "html"


def _postbacks(root, base_url: str) -> list[Post]:
    """ASP.NET pager buttons (numbers, 下一页) that post the page's form back: the form's own fields (its
    __VIEWSTATE and the rest), with the button's event target and argument. None without a form."""
    forms = root.xpath("//form")
    if not forms:
        return []
    form = next((f for f in forms if f.xpath(".//input[@name='__VIEWSTATE']")), forms[0])
    action = urljoin(base_url, htmllib.unescape(form.get("action") or "")) or base_url
    fields = {i.get("name"): i.get("value") or "" for i in form.iter("input")
              if i.get("name") and (i.get("type") or "text").lower() in ("hidden", "text")}
    out = []
    for a in root.iter("a"):
        match = POSTBACK.search(a.get("href") or "")
        text = re.sub(r"\s+", "", a.text_content() or "")
        if match and (text.isdigit() or NEXT_TEXT.match(text)):
            formdata = fields | {"__EVENTTARGET": match.group(1), "__EVENTARGUMENT": match.group(2)}
            if all(formdata != p.formdata for p in out):
                out.append(Post(action, formdata))
    return out


def _gkmlpt_api(html: str, base_url: str) -> list[Link]:
    """A gkmlpt category page (…/gkmlpt/index#2890, rendered): its list's first API page, whose answer
    says how many pages follow (json_pages)."""
    category = urlsplit(base_url).fragment
    sid = GKMLPT_SID.search(html)
    if not sid or not category.isdigit():
        return []
    return [Link(urljoin(base_url, f"/gkmlpt/api/all/{category}?page=1&sid={sid.group(1)}"), "", "api")]


JSON_ITEM_KEYS = ("articles", "items", "list", "records", "rows", "data")


def json_pages(text: str, base_url: str, page_size: int | None = None) -> tuple[list[Link], int | None]:
    """The next page of a paged JSON list answer ({total, page[, per_page]}: gkmlpt and its like), and the
    page size to judge the pages after it by. gkmlpt does not say its size (100): the first page's length
    is it (`page_size`, carried from page to page), so a short last page is known to be the last."""
    import json
    try:
        data = json.loads(text)
    except ValueError:
        return [], page_size
    if not isinstance(data, dict):
        return [], page_size
    total, page = data.get("total"), data.get("page")
    items = next((v for k in JSON_ITEM_KEYS if isinstance(v := data.get(k), list)), [])
    per_page = data.get("per_page") or page_size or len(items)
    if not all(isinstance(v, int) for v in (total, page, per_page)) or per_page <= 0 or page * per_page >= total \
            or len(items) < per_page:
        return [], per_page
    parts = urlsplit(base_url)
    query = re.sub(r"(^|&)page=\d+", lambda m: f"{m.group(1)}page={page + 1}", parts.query)
    return ([Link(parts._replace(query=query).geturl(), "", "api")] if query != parts.query else []), per_page


def _jpaas_pages(html: str, base_url: str) -> list[Link]:
    """jpaas columns: pages 2…N from the API the pager div describes (count, rows, queryData)."""
    pager = JPAAS_PAGER.search(html)
    if not pager or "queryData" not in pager.group(0):
        return []
    attrs = {k.lower(): a or b for k, a, b in JPAAS_ATTR.findall(pager.group(0))}
    query = dict(re.findall(r"'(\w+)'\s*:\s*'([^']*)'", htmllib.unescape(attrs.get("querydata", ""))))
    rows = int(attrs.get("rows") or 15)
    pages = -(-int(pager.group(1)) // max(rows, 1))
    base = urljoin(base_url, JPAAS_API)
    params = "&".join(f"{k}={v}" for k, v in query.items())
    return [Link(f"{base}?{params}&parseType=bulidstatic&pageType=column&rows={rows}&pageNo={n}", "", "api")
            for n in range(2, min(pages, 2000) + 1)]


def html_from_json(text: str) -> str:
    """The links a JSON listing answer carries, as HTML: embedded HTML strings ({data: {html}}), and
    records with a title and a URL (gkmlpt `title`/`url`, Fujian `doctitle`/`docpuburl`) as <a> elements."""
    import json
    try:
        data = json.loads(text)
    except ValueError:
        return ""
    parts: list[str] = []
    _walk_json(data, parts)
    return "\n".join(parts)


TITLE_KEYS = ("title", "doctitle", "name", "subject")
URL_KEYS = ("url", "post_url", "docpuburl", "chnldocurl", "link", "href")
ATTACHMENT_KEYS = {"attachment", "attachments", "files", "appendix", "fujian"}
DATE_KEYS = ("date", "pubdate", "publish_date", "docreltime", "created_at")


def _walk_json(node, parts: list[str]) -> None:
    """Collect HTML fragments and (title, url, date) records anywhere in a JSON value."""
    if isinstance(node, dict):
        title = next((node[k] for k in TITLE_KEYS if isinstance(node.get(k), str)), None)
        url = next((node[k] for k in URL_KEYS if isinstance(node.get(k), str)), None)
        if title and url:
            date = next((str(node[k]) for k in DATE_KEYS if node.get(k)), "")
            parts.append(f'<li><a href="{htmllib.escape(url)}" title="{htmllib.escape(title)}">'
                         f"{htmllib.escape(title)}</a><span>{htmllib.escape(date)}</span></li>")
        for key, value in node.items():
            if not (title and url and key.lower() in ATTACHMENT_KEYS):   # a listed article's own files stay with it
                _walk_json(value, parts)
    elif isinstance(node, list):
        for value in node:
            _walk_json(value, parts)
    elif isinstance(node, str) and "<a" in node:
        parts.append(node)


def _hanweb_datastore_links(html: str, base_url: str) -> list[Link]:
    """Links inside Hanweb's <script type="text/xml"> datastore, invisible to an HTML parser."""
    links = []
    for block in HANWEB_DATASTORE.findall(html):
        for fragment in CDATA.findall(block):
            if "<a" not in fragment:
                continue
            root = _parse(f"<div>{fragment}</div>")
            for url, text, raw, date in _anchors(root, base_url):
                if "dataproxy" in url:
                    continue
                if looks_like_report_title(text) or looks_like_truncated_report_title(text):
                    kind = "attachment" if is_attachment_url(url) else "report"
                    links.append(Link(url, text, kind, title_year(text), date))
    return links


def hanweb_records(xml: str, base_url: str) -> PageLinks:
    """Report links in a dataproxy.jsp XML answer."""
    found = PageLinks(links=_hanweb_datastore_links(f"<script type='text/xml'>{xml}</script>", base_url))
    found.listing_years = [int(m.group(1)) for m in LISTING_DATE.finditer(xml)]
    return found


def _hanweb_posts(html: str, base_url: str, found: PageLinks) -> list[Post]:
    """The dataproxy.jsp POSTs that fetch the records after the first page of a jpage column."""
    params_match = HANWEB_PARAMS.search(html)
    if not params_match:
        return []
    params = {k: v for k, v in HANWEB_PARAM.findall(params_match.group(1))}
    total_match = HANWEB_TOTAL.search(html)
    total = int(next(g for g in total_match.groups() if g)) if total_match else 0
    per_page = int(HANWEB_PERPAGE.search(html).group(1)) if HANWEB_PERPAGE.search(html) else 15
    proxy = HANWEB_PROXY.search(html)
    proxy_url = urljoin(base_url, proxy.group(1) if proxy else "/module/web/jpage/dataproxy.jsp")
    first = _count_datastore_records(html) + 1
    step = per_page * 3
    return [
        Post(f"{proxy_url}?startrecord={start}&endrecord={min(start + step - 1, total)}&perpage={per_page}", params)
        for start in range(first, total + 1, step)
    ]


def _count_datastore_records(html: str) -> int:
    """How many records the embedded first page already holds."""
    return sum(len(re.findall(r"<record[\s>]", block)) for block in HANWEB_DATASTORE.findall(html))


# A site named after a department, not a government: 福建省人力资源和社会保障厅, 三明市人力资源和社会保障局.
DEPARTMENT_NAME = re.compile(r"^(?!.*政府)[\u4e00-\u9fff]{2,30}(?:局|厅|委员会|委|办公室|办)$")
SITE_META = re.compile(r"<meta\b[^>]*>", re.I)
PAGE_TITLE = re.compile(r"<title[^>]*>([^<]*)</title>", re.I)
META_ATTR = re.compile(r"""\b(name|content)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def site_identity(html: str) -> tuple[str | None, str | None]:
    """(SiteIDCode, name) a portal states about itself: the government meta set, else 网站标识码 in the
    footer; the name is a department's found in SiteName or <title>, else SiteName. Where the portal's
    owner sits decides which reports in its columns are reposts from above."""
    metas = {}
    for tag in SITE_META.findall(html[:200_000]):
        attrs = {k.lower(): a or b for k, a, b in META_ATTR.findall(tag)}
        if attrs.get("name") and attrs.get("content"):
            metas.setdefault(attrs["name"].lower(), attrs["content"].strip())
    code = metas.get("siteidcode") or next(iter(SITE_ID_TEXT.findall(html)), None)
    title = PAGE_TITLE.search(html[:50_000])
    names = [metas.get("sitename") or ""] + (re.split(r"\s*(?:_|-|—|\||｜)\s*", title.group(1)) if title else [])
    return code, next((n.strip() for n in names if DEPARTMENT_NAME.match(n.strip())), metas.get("sitename"))


def is_challenge(status: int, body: bytes) -> bool:
    """An anti-bot challenge (瑞数 412, 加速乐 521/512, WAF cookie pages): never a report."""
    head = body[:20000]
    if status in (412, 521, 512) and (b"<script" in head.lower() or not head.strip()):
        return True
    markers = (b"$_ts", b"__jsl_clearance", b'r="m"', b"r='m'", b"document.cookie")
    return status >= 400 and any(m in head for m in markers)
