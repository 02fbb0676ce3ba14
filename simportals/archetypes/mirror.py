"""A traditional-Chinese mirror (big5.* hosts, like seed 001): every page converted to traditional
characters, some with tone-marked pinyin after them (號(hào)), and spaces lost as '?' in label padding and
empty cells. The truth stays in simplified Chinese: that is what the archive must hold after repair."""
from __future__ import annotations

import html
import re
from datetime import date
from functools import lru_cache

from .. import html_tables
from ..site import Portal, Resource, SiteSpec, footer, meta_set, page, page_time, report_truth
from . import common

PER_PAGE = 10


@lru_cache(maxsize=1)
def _s2t():
    import opencc
    return opencc.OpenCC("s2t.json")


@lru_cache(maxsize=4096)
def _tone(ch: str) -> str:
    from pypinyin import Style, pinyin
    return pinyin(ch, style=Style.TONE)[0][0]


def to_mirror(text: str) -> str:
    """s2t on text nodes; pinyin after a deterministic share of the converted characters."""
    conv = _s2t()
    parts = re.split(r"(<[^>]+>)", text)
    out = []
    for part in parts:
        if part.startswith("<"):
            out.append(conv.convert(part) if part.startswith("<meta") or part.startswith("<a ") else part)
            continue
        trad = conv.convert(part)
        buf = []
        for s, t in zip(part, trad) if len(part) == len(trad) else ((c, c) for c in trad):
            buf.append(t)
            if s != t and ord(t) % 3 != 0:
                buf.append(f"({_tone(s)})")
        out.append("".join(buf))
    return "".join(out)


def lost_spaces(label: str) -> str:
    """索 引 号 → 索??引??号: the mirror's encoder turned each padding space into '?'."""
    return "??".join(label)


def build(spec: SiteSpec, seed: int) -> Portal:
    p = Portal(spec, seed)
    rng = p.rng
    entries = common.plan_column(rng, spec, range(2011, 2025))
    common.plant(entries, rng)
    # One report carries the broken 索引号 seen on the real site (a year from a zero timestamp).
    olds = [e for e in entries if e.kind == "report" and e.rep.index_number]
    if olds:
        olds[-1].rep.index_number = olds[-1].rep.index_number.split("/")[0] + "/1970-172822"
    col = "/zwgk/zfxxgknb/"

    def res(text: str, **kw) -> Resource:
        return Resource(to_mirror(text).encode("utf-8"), **kw)

    p.add("/", res(page(spec.site_name, "", f'<h1>{spec.site_name}</h1><ul class="nav"><li><a href="/">首页</a></li>'
                        f'<li><a href="/zwgk/">政府信息公开</a></li></ul>{footer(spec)}')))
    p.add("/zwgk/index.html", res(page("政府信息公开", "", f'<ul><li><a href="/zwgk/zfxxgkzn/">政府信息公开指南</a></li>'
                                     f'<li><a href="{col}">政府信息公开年报</a></li></ul>{footer(spec)}')),
          {"kind": "listing"})
    items = []
    for e in entries:
        rep = e.rep
        d = rep.published_date
        path = f"{col}{d:%Y%m}/t{d:%Y%m%d}_{e.id}.html"
        url = p.url(path)
        when = page_time(d, rng)
        info = [("索引号", rep.index_number or "", "生成日期", rep.generated_date.isoformat() if rep.generated_date else ""),
                ("文号", "", "关键字", "公开,信息,政府,工作,情况"),
                ("所属机构", rep.publisher or "", "发布机构", rep.publisher or "")]
        rows = "".join(f"<tr><td>{lost_spaces(a) if len(a) == 3 else a}:</td><td>{html.escape(b) or '?'}</td>"
                       f"<td>{c}:</td><td>{html.escape(dd) or '?'}</td></tr>" for a, b, c, dd in info)
        head = meta_set(spec, rng, title=rep.title, column="政府信息公开年报", pubdate=when.strftime("%Y-%m-%d %H:%M"),
                        source=rep.publisher, url=url)
        body = (f'<table class="xxgk">{rows}</table><h1>{html.escape(rep.title)}</h1>'
                f'<div class="time">信息来源:请选择 发布时间:{when:%Y-%m-%d %H:%M} 浏览次数:</div>'
                f'<div id="UCAP-CONTENT">{html_tables.report_body(rep, "plain", rng, empty="?", spam=e.spam)}</div>'
                f'{footer(spec)}')
        if e.kind == "report":
            truth = report_truth(rep, spec, source_type="html")
            truth["expected_repairs"] = ["traditional_to_simplified", "pinyin_annotations", "lost_spaces"]
        else:
            truth = common.decoy_truth(e)
        p.add(path, res(page(rep.title, head, body), last_modified=when), truth)
        items.append(f'<li><a href="./{d:%Y%m}/t{d:%Y%m%d}_{e.id}.html">{html.escape(rep.title)}</a>'
                     f'<span>{d.isoformat()}</span></li>')
    pages = [items[i:i + PER_PAGE] for i in range(0, len(items), PER_PAGE)]
    for i, chunk in enumerate(pages):
        nxt = f'<a href="index_{i + 1}.html">下一页</a>' if i + 1 < len(pages) else ""
        prv = (f'<a href="{"index.html" if i == 1 else f"index_{i - 1}.html"}">上一页</a>' if i else "")
        name = "index.html" if i == 0 else f"index_{i}.html"
        p.add(col + name, res(page("政府信息公开年报", "", f'<ul class="list">{"".join(chunk)}</ul>'
                                  f'<div class="page">{prv} {nxt}</div>{footer(spec)}')), {"kind": "listing"})
        p.listing_paths.append(col + name)
    return p


_ = date  # dates come from the report data
