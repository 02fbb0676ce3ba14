"""A provincial department (Fujian platform style) that publishes recent reports only as files: a PDF with a
text layer, a DOCX, a scanned (image-only) PDF, linked from the listing directly or from an article that
holds nothing but the attachment. Older reports stay HTML."""
from __future__ import annotations

import html

from .. import files, html_tables
from ..site import Portal, Resource, SiteSpec, footer, meta_set, p0_name, page, page_time, report_truth, stub_home
from . import common
from .trs import list_item, list_page

PER_PAGE = 10
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MODES = ["pdf", "docx", "pdf_image", "article_pdf"]


def build(spec: SiteSpec, seed: int) -> Portal:
    p = Portal(spec, seed)
    rng = p.rng
    col = "/zwgk/zfxxgkzl/zfxxgknb/"
    entries = common.plan_column(rng, spec, range(2014, 2025))
    modern = [e for e in entries if e.kind == "report" and e.rep.form != "pre2019"]
    for i, e in enumerate(modern):
        e.attachment_only = MODES[i % len(MODES)]

    p.add("/", Resource(stub_home(spec, [("/", "首页"), ("/zwgk/", "政务公开"), ("/zwgk/zfxxgkzl/", "政府信息公开")]).encode()))
    p.add("/zwgk/zfxxgkzl/index.html", Resource(page("政府信息公开", "", (
        f'<ul><li><a href="/zwgk/zfxxgkzl/zfxxgkzn/">政府信息公开指南</a></li>'
        f'<li><a href="{col}">政府信息公开年报</a></li></ul>{footer(spec)}')).encode()), {"kind": "listing"})
    items = []
    for e in entries:
        rep = e.rep
        d = rep.published_date
        month = f"{d:%Y%m}/"
        when = page_time(d, rng)
        mode = e.attachment_only
        if mode in ("pdf", "docx", "pdf_image", "article_pdf"):
            ext = "docx" if mode == "docx" else "pdf"
            fname = p0_name(d, rng, ext)
            fpath = col + month + fname
            if mode == "docx":
                r = Resource(None, DOCX_TYPE, make=lambda rep=rep: files.report_docx(rep), last_modified=when)
            elif mode == "pdf_image":
                r = Resource(None, "application/pdf", make=lambda rep=rep: files.image_only_pdf(files.report_pdf(rep)),
                             last_modified=when)
            else:
                r = Resource(None, "application/pdf", make=lambda rep=rep: files.report_pdf(rep), last_modified=when)
            flags = ["image_only"] if mode == "pdf_image" else []
            p.add(fpath, r, report_truth(rep, spec, source_type=ext, flags=flags))
            if mode == "article_pdf":
                # The article holds nothing but the attachment link.
                apath = col + month + f"t{d:%Y%m%d}_{e.id}.html"
                head = meta_set(spec, rng, title=rep.title, column="政府信息公开年报",
                                pubdate=when.strftime("%Y-%m-%d %H:%M"), source=rep.publisher, url=p.url(apath))
                body = (f'<div class="xl-top"><h1>{html.escape(rep.title)}</h1><span>发布时间：{when:%Y-%m-%d %H:%M}</span></div>'
                        f'<div class="TRS_Editor"><p>　　详见附件。</p></div><div class="fj"><h5>附件下载：</h5>'
                        f'<p><a href="./{fname}">{html.escape(rep.title)}.pdf</a></p></div>{footer(spec)}')
                p.add(apath, Resource(page(rep.title, head, body).encode(), last_modified=when),
                      {"kind": "listing", "links_to": p.url(fpath)})
                items.append(list_item(f"./{month}t{d:%Y%m%d}_{e.id}.html", rep.title, d.isoformat()))
            else:
                items.append(list_item(f"./{month}{fname}", rep.title, d.isoformat()))
            continue
        apath = col + month + f"t{d:%Y%m%d}_{e.id}.html"
        head = meta_set(spec, rng, title=rep.title, column="政府信息公开年报", pubdate=when.strftime("%Y-%m-%d %H:%M"),
                        source=rep.publisher, url=p.url(apath))
        body = (f'<div class="xl-top"><h1>{html.escape(rep.title)}</h1><span>发布时间：{when:%Y-%m-%d %H:%M}</span>'
                f'<span>来源：{html.escape(rep.publisher or "")}</span></div>'
                f'<div class="TRS_Editor">{html_tables.report_body(rep, "word", rng)}</div>{footer(spec)}')
        truth = report_truth(rep, spec, source_type="html") if e.kind == "report" else common.decoy_truth(e)
        p.add(apath, Resource(page(rep.title, head, body).encode(), last_modified=when), truth)
        items.append(list_item(f"./{month}t{d:%Y%m%d}_{e.id}.html", rep.title, d.isoformat()))
    pages = [items[i:i + PER_PAGE] for i in range(0, len(items), PER_PAGE)]
    crumbs = '<a href="/">首页</a> &gt; <a href="/zwgk/zfxxgkzl/">政府信息公开</a> &gt; 政府信息公开年报'
    for i, chunk in enumerate(pages):
        name = "index.html" if i == 0 else f"index_{i}.html"
        p.add(col + name, Resource(list_page(spec, "政府信息公开年报", chunk, len(pages), i, crumbs).encode()),
              {"kind": "listing"})
        p.listing_paths.append(col + name)
    return p
