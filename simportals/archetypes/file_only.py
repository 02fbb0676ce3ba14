"""A provincial department whose recent reports exist only as files behind download URLs with no extension:
the type is told only by the response headers, or by the link text that names the file.
  attach        article "详见附件" -> /attach/download?fileId=N (Content-Type application/pdf), link text the title
  attach_intro  the same behind a short introduction (well under a page of text)
  cms           article "详见附件" -> /u/cms/file/<hex> whose link text is the file name (….docx); the answer is
                application/octet-stream with Content-Disposition: attachment; filename*=UTF-8''….docx
  getfile       the listing links straight to /files/getfile.aspx?id=N, which answers a PDF
Reports before 2019 are HTML articles. TRS-style listing (createPageHTML). Options: province_body."""
from __future__ import annotations

import hashlib
import html
from urllib.parse import quote

from .. import files, html_tables
from ..site import Portal, Resource, SiteSpec, footer, meta_set, page, page_time, report_truth, stub_home
from . import common
from .trs import list_item, list_page

PER_PAGE = 8
COLUMN = "政府信息公开年报"
MODES = ["attach", "cms", "getfile", "attach_intro"]
DOCX_NAME = "{title}.docx"
INTRO = ("根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息公开办公室有关要求，现将{a}{y}年政府信息公开工作"
         "年度报告予以公布，报告全文见附件。如对本报告有任何疑问，请与{a}办公室联系。")


def build(spec: SiteSpec, seed: int) -> Portal:
    p = Portal(spec, seed)
    rng = p.rng
    o = spec.options
    col = "/zwgk/zfxxgk/zfxxgknb/"
    agency = spec.agencies[0][0]
    entries = common.plan_column(rng, spec, range(2012, 2025), repost=False)
    entries.append(common.repost(rng, o["province_body"], 2021))
    entries.sort(key=lambda e: (e.rep.published_date, e.id), reverse=True)
    modern = [e for e in entries if e.kind == "report" and e.rep.form != "pre2019"]
    modes = {e.id: MODES[i % len(MODES)] for i, e in enumerate(modern)}

    p.add("/", Resource(stub_home(spec, [("/", "首页"), ("/xwzx/", "新闻中心"), ("/zwgk/zfxxgk/", "政府信息公开"),
                                         ("/hdjl/", "互动交流")]).encode()))
    p.add("/zwgk/zfxxgk/index.html", Resource(page(f"政府信息公开_{spec.site_name}", "", (
        '<ul class="xxgk"><li><a href="./zfxxgkzn/">政府信息公开指南</a></li>'
        f'<li><a href="./zfxxgknb/">{COLUMN}</a></li></ul>{footer(spec)}')).encode()), {"kind": "listing"})
    file_id = rng.randint(60000, 90000)
    items = []
    for e in entries:
        rep = e.rep
        d = rep.published_date
        when = page_time(d, rng)
        apath = f"{col}{d:%Y%m}/t{d:%Y%m%d}_{e.id}.html"
        mode = modes.get(e.id)
        file_id += rng.randint(3, 40)
        if mode == "getfile":
            fpath = f"/files/getfile.aspx?id={file_id}"
            p.add(fpath, Resource(None, "application/pdf", make=lambda rep=rep: files.report_pdf(rep), last_modified=when),
                  report_truth(rep, spec, source_type="pdf"))
            items.append(list_item(fpath, rep.title, d.isoformat()))
            continue
        if mode in ("attach", "attach_intro"):
            fpath = f"/attach/download?fileId={file_id}"
            p.add(fpath, Resource(None, "application/pdf", make=lambda rep=rep: files.report_pdf(rep), last_modified=when),
                  report_truth(rep, spec, source_type="pdf"))
            link_text = rep.title
        elif mode == "cms":
            fpath = "/u/cms/file/" + hashlib.md5(f"{seed}:{e.id}".encode()).hexdigest()[:24]
            link_text = DOCX_NAME.format(title=rep.title)
            p.add(fpath, Resource(None, "application/octet-stream", make=lambda rep=rep: files.report_docx(rep),
                                  last_modified=when,
                                  headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(link_text)}"}),
                  report_truth(rep, spec, source_type="docx"))
        if mode:
            intro = INTRO.format(a=agency, y=rep.year) if mode == "attach_intro" else "详见附件。"
            content = f"<p>　　{html.escape(intro)}</p>"
            attached = (f'<div class="fj"><h5>附件：</h5><p><a href="{fpath}" target="_blank">{html.escape(link_text)}</a>'
                        '</p></div>')
            truth = {"kind": "listing", "links_to": p.url(fpath)}
        else:
            content = html_tables.report_body(rep, rng.choice(["word", "plain"]), rng)
            attached = ""
            truth = report_truth(rep, spec, source_type="html") if e.kind == "report" else common.decoy_truth(e)
        head = meta_set(spec, rng, title=rep.title, column=COLUMN, pubdate=when.strftime("%Y-%m-%d %H:%M"),
                        source=rep.publisher, url=p.url(apath))
        src = f'<span>来源：{html.escape(rep.publisher)}</span>' if rep.publisher else ""
        body = (f'<div class="xl"><h1>{html.escape(rep.title)}</h1><div class="info"><span>发布时间：{when:%Y-%m-%d %H:%M}</span>'
                f'{src}</div><div class="TRS_Editor">{content}</div>{attached}</div>{footer(spec)}')
        p.add(apath, Resource(page(f"{rep.title}_{spec.site_name}", head, body).encode(), last_modified=when), truth)
        items.append(list_item(f"./{d:%Y%m}/t{d:%Y%m%d}_{e.id}.html", rep.title, d.isoformat()))
    chunks = [items[i:i + PER_PAGE] for i in range(0, len(items), PER_PAGE)]
    crumbs = f'<a href="/">首页</a> &gt; <a href="/zwgk/zfxxgk/">政府信息公开</a> &gt; {COLUMN}'
    for i, chunk in enumerate(chunks):
        path = col + ("index.html" if i == 0 else f"index_{i}.html")
        p.add(path, Resource(list_page(spec, COLUMN, chunk, len(chunks), i, crumbs).encode()), {"kind": "listing"})
        p.listing_paths.append(path)
    return p
