"""HTML for report bodies: the three tables as real portals print them.

Two styles seen on real pages: "word" (pasted from Word: MsoNormalTable, mso-* styles, <o:p>, numbers
split across spans, &nbsp;) and "plain" (the Fujian platform's editor tables with rowspan/colspan).
Both keep the real merged-cell shapes: the corner note colspan=3 rowspan=3, 三、本年度办理结果 spanning
all result rows, （三）…（六） spanning their items.
"""
from __future__ import annotations

import html
import random

from . import data

SPAN = 'style="font-family:仿宋_GB2312;font-size:12.0000pt;mso-font-kerning:1.0000pt;"'
TD_STYLE = ("border-left:1.0000pt outset windowtext;mso-border-left-alt:0.7500pt outset windowtext;"
            "border-right:1.0000pt outset windowtext;border-top:none;border-bottom:1.0000pt outset windowtext;")


class CellWriter:
    """Writes one <td>; the style decides the Word noise."""

    def __init__(self, style: str, rng: random.Random, empty: str = ""):
        self.style, self.rng, self.empty = style, rng, empty

    def text(self, s: str) -> str:
        if self.style != "word":
            return html.escape(s)
        if s and s.replace(".", "").isdigit() and len(s) > 1 and self.rng.random() < 0.5:
            # Word splits runs at random places, numbers included.
            k = self.rng.randint(1, len(s) - 1)
            return f'<span {SPAN}>{s[:k]}</span><span {SPAN}>{s[k:]}</span>'
        nb = "&nbsp;" if self.rng.random() < 0.3 else ""
        return f'<span {SPAN}><font face="仿宋_GB2312">{html.escape(s)}</font>{nb}</span>'

    def td(self, s: str, rowspan: int = 1, colspan: int = 1, width: int = 52) -> str:
        attrs = f' width="{width}" valign="center"'
        if colspan > 1:
            attrs += f' colspan="{colspan}"'
        if rowspan > 1:
            attrs += f' rowspan="{rowspan}"'
        if self.style == "word":
            attrs += f' style="width:{width * 0.75:.4f}pt;padding:0.0000pt 0.0000pt 0.0000pt 0.0000pt ;{TD_STYLE}"'
            shown = self.text(s) if s else (self.empty or "")
            return (f'<td{attrs}>\n<p class="MsoNormal" align="center" style="text-align:center;">{shown}'
                    f'<span {SPAN}><o:p></o:p></span></p>\n</td>')
        shown = html.escape(s) if s else (self.empty or "")
        return f'<td{attrs.replace("center", "middle")}>\n<p align="center">{shown}</p>\n</td>'


def table_open(style: str) -> str:
    if style == "word":
        return ('<div align="center"><table class="MsoNormalTable" border="1" cellspacing="0" style="border-collapse:collapse;'
                'width:451.9500pt;border:none;mso-border-left-alt:0.7500pt outset windowtext;mso-padding-alt:0.0000pt 0.0000pt 0.0000pt 0.0000pt ;">\n<tbody>')
    return '<table width="100%" border="1" bordercolor="#000000" cellpadding="2" cellspacing="0">\n<tbody>'


def table_close(style: str) -> str:
    return "</tbody>\n</table></div>" if style == "word" else "</tbody>\n</table>"


def num(v, w: CellWriter) -> str:
    if v is None:
        return w.rng.choice(["", "—", "/", "-"]) if w.style == "word" else ""
    return data.fmt_num(v)


def active_table(cells: dict, form: str, w: CellWriter) -> str:
    out = [table_open(w.style)]
    ncols = 4
    for group, col_labels, rows in data.active_layout(form):
        out.append("<tr>" + w.td(group, colspan=ncols, width=614) + "</tr>")
        # A one-value column spans the rest, as on the real pages.
        span = 3 // len(col_labels) if len(col_labels) < 3 else 1
        head = [w.td("信息内容", width=152)] + [w.td(c, colspan=span if len(col_labels) == 1 else 1) for c in col_labels]
        if len(col_labels) == 2:
            head[-1] = w.td(col_labels[-1], colspan=2)
        out.append("<tr>" + "".join(head) + "</tr>")
        for row, label, cols in rows:
            tds = [w.td(label, width=152)]
            for i, c in enumerate(cols):
                v = num(cells.get(f"{row}.{c}"), w)
                cs = 3 if len(cols) == 1 else (2 if len(cols) == 2 and i == 1 else 1)
                tds.append(w.td(v, colspan=cs))
            out.append("<tr>" + "".join(tds) + "</tr>")
    out.append(table_close(w.style))
    return "\n".join(out)


def requests_table(cells: dict, form: str, w: CellWriter) -> str:
    labels = data.REQ_HEAD_LABELS["2021" if form == "2021" else "2019"]
    out = [table_open(w.style)]
    out.append("<tr>" + w.td(data.CORNER_NOTE, rowspan=3, colspan=3, width=299)
               + w.td("申请人情况", colspan=7, width=303) + "</tr>")
    out.append("<tr>" + w.td("自然人", rowspan=2) + w.td("法人或其他组织", colspan=5, width=214)
               + w.td("总计", rowspan=2) + "</tr>")
    out.append("<tr>" + "".join(w.td(lab) for lab in data.APPLICANT_LABELS[1:6]) + "</tr>")

    def values(row: str) -> str:
        return "".join(w.td(num(cells.get(f"{row}.{c}"), w)) for c in data.REQ_COLS)

    out.append("<tr>" + w.td(labels["new"], colspan=3, width=299) + values("new") + "</tr>")
    out.append("<tr>" + w.td(labels["carried_over"], colspan=3, width=299) + values("carried_over") + "</tr>")
    results = data.result_rows(form) + ["total"]
    seen_groups: set[str] = set()
    for i, row in enumerate(results):
        group, sub = data.REQ_LABELS[row]
        tds = ""
        if i == 0:
            tds += w.td("三、本年度办理结果", rowspan=len(results), width=42)
        if group:
            if group not in seen_groups:
                seen_groups.add(group)
                n = sum(1 for r in results if data.REQ_LABELS[r][0] == group)
                tds += w.td(group, rowspan=n, width=60)
            tds += w.td(sub, width=197)
        else:
            tds += w.td(sub, colspan=2, width=257)
        out.append("<tr>" + tds + values(row) + "</tr>")
    out.append("<tr>" + w.td(labels["carried_forward"], colspan=3, width=299) + values("carried_forward") + "</tr>")
    out.append(table_close(w.style))
    return "\n".join(out)


def review_table(cells: dict, w: CellWriter) -> str:
    out = [table_open(w.style)]
    out.append("<tr>" + w.td("行政复议", colspan=5, width=229) + w.td("行政诉讼", colspan=10, width=460) + "</tr>")
    out.append("<tr>" + "".join(w.td(lab, rowspan=2, width=45) for lab in data.REVIEW_PART_LABELS)
               + w.td("未经复议直接起诉", colspan=5, width=230) + w.td("复议后起诉", colspan=5, width=230) + "</tr>")
    out.append("<tr>" + "".join(w.td(lab, width=45) for lab in data.REVIEW_PART_LABELS * 2) + "</tr>")
    vals = [cells.get(f"all.{g}.{p}") for g in data.REVIEW_GROUPS for p in data.REVIEW_PARTS]
    out.append("<tr>" + "".join(w.td(num(v, w), width=45) for v in vals) + "</tr>")
    out.append(table_close(w.style))
    return "\n".join(out)


def appendix_table(rows: list[list[str]], w: CellWriter) -> str:
    out = [table_open(w.style)]
    for r in rows:
        out.append("<tr>" + "".join(w.td(c, width=150) for c in r) + "</tr>")
    out.append(table_close(w.style))
    return "\n".join(out)


def paragraph(text: str, style: str, heading: bool = False) -> str:
    t = html.escape(text)
    if style == "word":
        font = "黑体" if heading else "仿宋_GB2312"
        return (f'<p class="MsoNormal" style="text-indent:32.0000pt;mso-char-indent-count:2.0000;line-height:30.0000pt;">'
                f'<span style="mso-spacerun:\'yes\';font-family:{font};font-size:16.0000pt;mso-font-kerning:1.0000pt;">'
                f'<font face="{font}">{t}</font></span><span style="font-family:{font};font-size:16.0000pt;"><o:p></o:p></span></p>')
    return f"<p>{'<b>' + t + '</b>' if heading else '　　' + t}</p>"


def is_heading(text: str) -> bool:
    return len(text) < 30 and text[:2] in {f"{c}、" for c in "一二三四五六七八九"}


def report_body(rep: data.Report, style: str, rng: random.Random, empty: str = "",
                spam: str | None = None) -> str:
    """Body HTML of a report: paragraphs with the tables where the form puts them."""
    w = CellWriter(style, rng, empty)
    parts = []
    for i, p in enumerate(rep.paragraphs):
        if p.startswith("##TABLE:"):
            which = p[8:-2]
            if which == "active":
                parts.append(active_table(rep.cells["active"], rep.form, w))
            elif which == "requests":
                parts.append(requests_table(rep.cells["requests"], rep.form, w))
            else:
                parts.append(review_table(rep.cells["review"], w))
            continue
        parts.append(paragraph(p, style, is_heading(p)))
        if spam and i == 2:
            # Injected by a compromised CMS: a hidden link farm inside the body.
            parts.append(f'<p style="display:none"><a href="http://www.example-bet.com/">{spam}</a>，'
                         f'{data.SPAM[(data.SPAM.index(spam) + 1) % len(data.SPAM)]}，网上赌场开户送彩金</p>')
    if rep.appendix:
        parts.append(paragraph("附表：政府信息公开指标统计表", style, True))
        parts.append(appendix_table(rep.appendix, w))
    return "\n".join(parts)
