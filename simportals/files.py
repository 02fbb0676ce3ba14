"""Report files as portals attach them: PDF with a real CJK text layer and drawn grid tables, DOCX with
Word tables and merged cells, and an image-only PDF (a scan: no text layer at all)."""
from __future__ import annotations

import io
from datetime import datetime
import zipfile

from . import data

FONT_FILE = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
A4 = (595, 842)
MARGIN = 60
BOTTOM = 842 - 70


# ---------------------------------------------------------------- tables as merged-cell grids

def table_grids(rep: data.Report) -> list[tuple[str, list[float], list[list[tuple[str, int, int]]]]]:
    """(heading, column widths, rows of (text, rowspan, colspan)) for the three tables."""
    c = rep.cells
    n = lambda v: data.fmt_num(v)  # noqa: E731
    out = []
    # Table 2: 4 columns.
    rows = []
    for group, col_labels, rr in data.active_layout(rep.form):
        rows.append([(group, 1, 4)])
        if len(col_labels) == 1:
            rows.append([("信息内容", 1, 1), (col_labels[0], 1, 3)])
        elif len(col_labels) == 2:
            rows.append([("信息内容", 1, 1), (col_labels[0], 1, 1), (col_labels[1], 1, 2)])
        else:
            rows.append([("信息内容", 1, 1)] + [(x, 1, 1) for x in col_labels])
        for row, label, cols in rr:
            vals = [n(c["active"].get(f"{row}.{k}")) for k in cols]
            if len(vals) == 1:
                rows.append([(label, 1, 1), (vals[0], 1, 3)])
            elif len(vals) == 2:
                rows.append([(label, 1, 1), (vals[0], 1, 1), (vals[1], 1, 2)])
            else:
                rows.append([(label, 1, 1)] + [(v, 1, 1) for v in vals])
    out.append(("二、主动公开政府信息情况", [155, 107, 107, 106], rows))

    # Table 3: label block of 3 columns + 7 values.
    labels = data.REQ_HEAD_LABELS["2021" if rep.form == "2021" else "2019"]
    req = c["requests"]
    vals = lambda r: [(n(req.get(f"{r}.{k}")), 1, 1) for k in data.REQ_COLS]  # noqa: E731
    rows = [[(data.CORNER_NOTE, 3, 3), ("申请人情况", 1, 7)],
            [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
            [(x, 1, 1) for x in data.APPLICANT_LABELS[1:6]],
            [(labels["new"], 1, 3)] + vals("new"), [(labels["carried_over"], 1, 3)] + vals("carried_over")]
    results = data.result_rows(rep.form) + ["total"]
    seen: set[str] = set()
    for i, r in enumerate(results):
        group, sub = data.REQ_LABELS[r]
        row = [("三、本年度办理结果", len(results), 1)] if i == 0 else []
        if group:
            if group not in seen:
                seen.add(group)
                row.append((group, sum(1 for x in results if data.REQ_LABELS[x][0] == group), 1))
            row.append((sub, 1, 1))
        else:
            row.append((sub, 1, 2))
        rows.append(row + vals(r))
    rows.append([(labels["carried_forward"], 1, 3)] + vals("carried_forward"))
    out.append(("三、收到和处理政府信息公开申请情况", [22, 50, 150] + [36] * 7, rows))

    rev = c["review"]
    rows = [[("行政复议", 1, 5), ("行政诉讼", 1, 10)],
            [(x, 2, 1) for x in data.REVIEW_PART_LABELS] + [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
            [(x, 1, 1) for x in data.REVIEW_PART_LABELS * 2],
            [(n(rev.get(f"all.{g}.{p}")), 1, 1) for g in data.REVIEW_GROUPS for p in data.REVIEW_PARTS]]
    out.append(("四、政府信息公开行政复议、行政诉讼情况", [31.6] * 15, rows))
    return out


def place(rows: list[list[tuple[str, int, int]]]) -> list[tuple[int, int, str, int, int]]:
    """HTML table placement: (row, col, text, rowspan, colspan) honouring earlier rowspans."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(rows):
        col = 0
        for text, rs, cs in row:
            while (r, col) in taken:
                col += 1
            out.append((r, col, text, rs, cs))
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((r + dr, col + dc))
            col += cs
    return out


# ---------------------------------------------------------------- PDF

_FONT = None


def cjk_font():
    global _FONT
    if _FONT is None:
        import pymupdf
        _FONT = pymupdf.Font(fontfile=FONT_FILE)
    return _FONT


class PdfWriter:
    """Flows paragraphs and grid tables over A4 pages with page markers like `- 3 -`."""

    def __init__(self):
        import pymupdf
        self.pymupdf = pymupdf
        self.doc = pymupdf.open()
        self.writers: dict[int, object] = {}   # one TextWriter per page: far faster than insert_text
        self.rects: dict[int, list] = {}       # grid lines, drawn with one Shape per page at the end
        self.page = None
        self.y = 0.0
        self.new_page()

    def new_page(self):
        if self.page is not None:
            self._marker()
        self.page = self.doc.new_page(width=A4[0], height=A4[1])
        self.y = MARGIN

    def _marker(self):
        n = len(self.doc)
        self.text_at(A4[0] / 2 - 12, A4[1] - 40, f"- {n} -", 10)

    def text_at(self, x, y, s, size, pno: int | None = None):
        pno = len(self.doc) - 1 if pno is None else pno
        if pno not in self.writers:
            self.writers[pno] = self.pymupdf.TextWriter(self.doc[pno].rect)
        self.writers[pno].append((x, y), s, font=cjk_font(), fontsize=size)

    def paragraph(self, s: str, size: float = 12, indent: bool = True, center: bool = False):
        width = A4[0] - 2 * MARGIN
        per_line = int(width // size)
        s = ("　　" if indent and not center else "") + s
        lines = [s[i:i + per_line] for i in range(0, len(s), per_line)] or [""]
        for ln in lines:
            if self.y + size * 1.6 > BOTTOM:
                self.new_page()
            self.y += size * 1.6
            x = (A4[0] - len(ln) * size) / 2 if center else MARGIN
            self.text_at(x, self.y, ln, size)
        self.y += size * 0.4

    @staticmethod
    def _wrap(text: str, width: float, size: float) -> list[str]:
        per = max(1, int((width - 4) // size))
        return [text[i:i + per] for i in range(0, len(text), per)] or [""]

    def table(self, widths: list[float], rows, size: float = 8):
        placed = place(rows)
        xs = [MARGIN]
        for w in widths:
            xs.append(xs[-1] + w)
        n = len(rows)
        heights = [size * 1.9] * n
        for r, c, text, rs, cs in placed:
            if rs == 1:
                lines = self._wrap(text, xs[c + cs] - xs[c], size)
                heights[r] = max(heights[r], len(lines) * size * 1.3 + 6)
        # Assign rows to pages: a table runs on over the page break, as in real PDFs.
        tops: list[tuple[int, float]] = []
        for r in range(n):
            if self.y + heights[r] > BOTTOM:
                self.new_page()
            tops.append((len(self.doc) - 1, self.y))
            self.y += heights[r]
        shape_pages = {}
        for r, c, text, rs, cs in placed:
            first_page = tops[r][0]
            segs = {}
            for rr in range(r, r + rs):
                pg, top = tops[rr]
                lo, hi = segs.get(pg, (top, top))
                segs[pg] = (min(lo, top), max(hi, top + heights[rr]))
            for k, (pg, (y0, y1)) in enumerate(sorted(segs.items())):
                self.rects.setdefault(pg, []).append((xs[c], y0, xs[c + cs], y1))
                if pg != first_page:
                    continue  # the label is printed once, in the first part of a split cell
                w = xs[c + cs] - xs[c]
                if rs > 2 and w < size * 3.2 and len(text) > 1:
                    lines = list(text)  # vertical label: one character per line
                else:
                    lines = self._wrap(text, w, size)
                block = len(lines) * size * 1.3
                yy = y0 + max(2, ((y1 - y0) - block) / 2) + size
                for ln in lines:
                    x = xs[c] + max(2, (w - len(ln) * size * (0.55 if ln.isascii() else 1)) / 2)
                    self.text_at(x, yy, ln, size, pg)
                    yy += size * 1.3
            shape_pages[first_page] = True
        self.y += 8

    def finish(self) -> bytes:
        self._marker()
        for pno, rects in self.rects.items():
            page = self.doc[pno]
            shape = page.new_shape()
            for r in rects:
                shape.draw_rect(self.pymupdf.Rect(*r))
            shape.finish(color=(0, 0, 0), width=0.6)
            shape.commit()
        for pno, tw in self.writers.items():
            tw.write_text(self.doc[pno])
        self.doc.subset_fonts()  # embed only the glyphs used: 2 MB -> tens of KB
        out = _fixed_pdf_bytes(self.doc)
        self.doc.close()
        return out


def report_pdf(rep: data.Report) -> bytes:
    w = PdfWriter()
    w.paragraph(rep.title, 13, center=True)
    grids = {g[0]: g for g in table_grids(rep)} if rep.form != "pre2019" else {}
    for p in rep.paragraphs:
        if p.startswith("##TABLE:"):
            key = {"active": "二", "requests": "三", "review": "四"}[p[8:-2]]
            heading, widths, rows = next(g for h, g in ((h[:1], g) for h, g in grids.items()) if h == key)
            w.table(widths, rows)
            continue
        w.paragraph(p, 12, indent=not html_heading(p))
    if rep.appendix:
        w.paragraph("附表：政府信息公开指标统计表", 12, indent=False)
        w.table([200, 100, 175], [[(c, 1, 1) for c in r] for r in rep.appendix], size=9)
    return w.finish()


def html_heading(p: str) -> bool:
    return len(p) < 30 and p[1:2] == "、"


def image_only_pdf(pdf_bytes: bytes, dpi: int = 110) -> bytes:
    """A scanned report: each page only a picture of the text, no text layer."""
    import pymupdf
    src = pymupdf.open(stream=pdf_bytes, filetype="pdf")
    out = pymupdf.open()
    for pg in src:
        pix = pg.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
        new = out.new_page(width=pg.rect.width, height=pg.rect.height)
        new.insert_image(new.rect, stream=pix.tobytes("png"))
    data_ = _fixed_pdf_bytes(out)
    out.close()
    src.close()
    return data_


def _fixed_pdf_bytes(doc) -> bytes:
    """The same report gives the same bytes on every server start, as a file on a real portal does:
    fixed creation dates and no fresh /ID (otherwise every nightly run would see a "changed" report)."""
    doc.set_metadata({"creationDate": "D:20240101000000Z", "modDate": "D:20240101000000Z",
                      "producer": "govreports simportals", "creator": ""})
    return doc.tobytes(garbage=3, deflate=True, no_new_id=True)


# ---------------------------------------------------------------- DOCX

def report_docx(rep: data.Report) -> bytes:
    import docx
    from docx.shared import Pt

    d = docx.Document()
    style = d.styles["Normal"]
    style.font.name = "仿宋_GB2312"
    style.font.size = Pt(12)
    d.add_heading(rep.title, level=1)
    grids = {h[:1]: (wd, rows) for h, wd, rows in table_grids(rep)} if rep.form != "pre2019" else {}
    for p in rep.paragraphs:
        if p.startswith("##TABLE:"):
            key = {"active": "二", "requests": "三", "review": "四"}[p[8:-2]]
            _docx_table(d, *grids[key])
            continue
        d.add_paragraph(p)
    if rep.appendix:
        d.add_paragraph("附表：政府信息公开指标统计表")
        _docx_table(d, [1, 1, 1], [[(c, 1, 1) for c in r] for r in rep.appendix])
    d.core_properties.created = d.core_properties.modified = datetime(2024, 1, 1)
    buf = io.BytesIO()
    d.save(buf)
    return _fixed_zip(buf.getvalue())


def _fixed_zip(body: bytes) -> bytes:
    """A DOCX re-zipped with fixed entry times: the same document gives the same bytes every time."""
    src, out = zipfile.ZipFile(io.BytesIO(body)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0)), src.read(info.filename),
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _docx_table(d, widths, rows):
    placed = place(rows)
    t = d.add_table(rows=len(rows), cols=len(widths))
    t.style = "Table Grid"
    ncols = len(widths)
    grid = t._cells  # fetched once: t.cell() recomputes the whole grid on every call
    for r, c, text, rs, cs in placed:
        cell = grid[r * ncols + c]
        if rs > 1 or cs > 1:
            cell = cell.merge(grid[(r + rs - 1) * ncols + c + cs - 1])
        cell.text = text
