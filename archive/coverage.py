"""A picture of coverage: reports archived per province × year, as one self-contained HTML page.

`coverage_table(root)` counts the latest version of every report per (province, year) and how many of
those carry flags; `render_html(rows)` draws them as a heat map a maintainer can read at a glance
(thin provinces and years are pale or empty, broken ones carry a red flag marker); `write_coverage`
publishes it as `<root>/coverage.html`. No JavaScript, no network: the page is one file.
"""
from __future__ import annotations

import html
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from . import reader
from .schema import UNKNOWN_PROVINCE, UNKNOWN_YEAR

CENTRAL = "00"
CENTRAL_NAME = "中央"
UNKNOWN_NAME = "未知"

# GB/T 2260 province-level divisions (the standard 34), by two-digit code.
PROVINCE_NAMES = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
    "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省",
    "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
    "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
    "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}

# Latest version of each report_id (by fetched_at, then sha so ties are stable), then counted per
# cell. A report whose year or province changed between versions is counted where its latest is.
_COVERAGE_SQL = """
WITH latest AS (
    SELECT report_id, year, province, flags
    FROM reports
    QUALIFY row_number() OVER (PARTITION BY report_id
                               ORDER BY fetched_at DESC NULLS LAST, content_sha256 DESC) = 1
)
SELECT province, year, count(*) AS reports,
       count(*) FILTER (WHERE len(coalesce(flags, [])) > 0) AS flagged
FROM latest
GROUP BY province, year
"""

_TOP_FLAGS_SQL = """
WITH latest AS (
    SELECT report_id, year, province, flags
    FROM reports
    QUALIFY row_number() OVER (PARTITION BY report_id
                               ORDER BY fetched_at DESC NULLS LAST, content_sha256 DESC) = 1
),
one_per_report AS (  -- a flag repeated within one report counts once
    SELECT DISTINCT report_id, province, year, unnest(flags) AS flag FROM latest
)
SELECT province, year, flag, count(*) AS n
FROM one_per_report
GROUP BY province, year, flag
ORDER BY province, year, n DESC, flag
"""

TOP_FLAGS_SHOWN = 3


def province_label(code: str) -> str:
    """Chinese name of a province partition value (中央 for 00, 未知 for unknown)."""
    if code == CENTRAL:
        return CENTRAL_NAME
    if code == UNKNOWN_PROVINCE:
        return UNKNOWN_NAME
    return PROVINCE_NAMES.get(code, code)


def coverage_table(root) -> list[dict]:
    """Per (province, year): reports archived (latest version each), how many flagged, and the share."""
    con = reader.open(root)
    try:
        counts = con.execute(_COVERAGE_SQL).fetchall()
        top_flags = _top_flags(con.execute(_TOP_FLAGS_SQL).fetchall())
    finally:
        con.close()
    rows = [{"province": prov, "province_name": province_label(prov), "year": int(year),
             "reports": n, "flagged": flagged, "share_flagged": flagged / n if n else 0.0,
             "top_flags": top_flags.get((prov, int(year)), [])}
            for prov, year, n, flagged in counts]
    return sorted(rows, key=lambda r: (_province_order(r["province"]), r["year"]))


def _top_flags(rows) -> dict[tuple[str, int], list[tuple[str, int]]]:
    """The few most frequent flags per cell, for the tooltip (rows arrive sorted by count)."""
    out: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for prov, year, flag, n in rows:
        shown = out.setdefault((prov, int(year)), [])
        if len(shown) < TOP_FLAGS_SHOWN:
            shown.append((flag, n))
    return out


def _province_order(code: str) -> tuple[int, str]:
    """00 first, then codes ascending, unknown last."""
    return (2, code) if code == UNKNOWN_PROVINCE else (0 if code == CENTRAL else 1, code)


def province_rows(rows: list[dict]) -> list[str]:
    """Every row of the map: 00, the 34 provinces and unknown always (an absent one is news), plus any
    other code the data holds."""
    codes = {CENTRAL, UNKNOWN_PROVINCE, *PROVINCE_NAMES, *(r["province"] for r in rows)}
    return sorted(codes, key=_province_order)


def year_columns(rows: list[dict]) -> list[int]:
    """Years from the first to the last present, with no gaps (a missing year is a blank column);
    the unknown year (0) last, only if present."""
    known = [r["year"] for r in rows if r["year"] != UNKNOWN_YEAR]
    years = list(range(min(known), max(known) + 1)) if known else []
    if any(r["year"] == UNKNOWN_YEAR for r in rows):
        years.append(UNKNOWN_YEAR)
    return years


def summary(rows: list[dict]) -> str:
    """One line: totals, spread and share flagged."""
    total = sum(r["reports"] for r in rows)
    flagged = sum(r["flagged"] for r in rows)
    provinces = {r["province"] for r in rows if r["province"] in PROVINCE_NAMES}
    known = sorted({r["year"] for r in rows if r["year"] != UNKNOWN_YEAR})
    span = f"{known[0]}–{known[-1]}" if known else "no years"
    share = f"{flagged / total:.1%}" if total else "0%"
    return (f"{total} reports, {len(provinces)}/{len(PROVINCE_NAMES)} provinces, years {span}, "
            f"{flagged} flagged ({share})")


# --- rendering --------------------------------------------------------------------------------------

_CSS = """
body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei",
       sans-serif; margin: 16px; color: #222; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; }
p.summary { margin: 0 0 12px; color: #444; }
table.coverage { border-collapse: separate; border-spacing: 2px; font-size: 12px; }
table.coverage th { font-weight: normal; padding: 2px 6px; white-space: nowrap; }
table.coverage thead th { text-align: center; }
table.coverage th.province { text-align: left; }
table.coverage th.province .code { color: #888; margin-right: 4px; font-family: monospace; }
td.cell { position: relative; width: 60px; height: 32px; padding: 0 0 3px; text-align: center;
          vertical-align: middle; border-radius: 3px; font-variant-numeric: tabular-nums; }
td.cell.empty { background: #f3f3f3; }
td.cell .count { display: block; line-height: 15px; }
td.cell .flag { position: absolute; left: 0; bottom: 0; height: 4px; background: #d7191c;
                border-radius: 0 2px 0 3px; }
td.cell .share { display: block; font-size: 9px; line-height: 10px; color: #d7191c; font-weight: bold; }
td.cell.dark .share { color: #ffd0d0; }
td.total, th.total { font-weight: bold; text-align: right; padding: 2px 6px; background: #fafafa; }
tr.totals th, tr.totals td { border-top: 1px solid #ccc; }
.legend { margin: 14px 0; display: flex; gap: 28px; align-items: center; flex-wrap: wrap;
          font-size: 12px; }
.legend .scale { display: flex; align-items: center; gap: 2px; }
.legend .swatch { width: 40px; height: 18px; border-radius: 3px; text-align: center;
                  line-height: 18px; font-size: 10px; }
.legend .flagkey { display: inline-block; width: 40px; height: 4px; background: #d7191c;
                   vertical-align: middle; margin-right: 4px; }
footer { color: #888; font-size: 11px; margin-top: 12px; }
"""

_LIGHTEST, _DARKEST = 90.0, 28.0   # HSL lightness of the smallest and the largest count


def cell_colour(count: int, max_count: int) -> str | None:
    """Background of a cell: None when empty, else a blue whose depth grows with the count (square-root
    scale, so one province with thousands does not wash out the rest)."""
    if count <= 0 or max_count <= 0:
        return None
    depth = (count / max_count) ** 0.5
    return f"hsl(210, 70%, {_LIGHTEST - depth * (_LIGHTEST - _DARKEST):.1f}%)"


def _is_dark(count: int, max_count: int) -> bool:
    """Whether the cell's text must be white to stay readable."""
    return count > 0 and max_count > 0 and (count / max_count) ** 0.5 > 0.55


def _esc(value) -> str:
    """HTML-escaped text, quotes included (it also goes into attributes)."""
    return html.escape(str(value), quote=True)


def _year_label(year: int) -> str:
    """Column heading of a year (the unknown-year partition is 0)."""
    return "未知年份" if year == UNKNOWN_YEAR else str(year)


def _tooltip(province: str, year: int, cell: dict | None) -> str:
    """What a hover tells: place, year, counts and the commonest flags."""
    head = f"{province} {province_label(province)} · {_year_label(year)}"
    if not cell:
        return f"{head}: no reports"
    text = (f"{head}: {cell['reports']} reports, {cell['flagged']} flagged "
            f"({cell['share_flagged']:.0%})")
    if cell.get("top_flags"):
        text += "\n" + "\n".join(f"{flag}: {n}" for flag, n in cell["top_flags"])
    return text


def _cell_html(province: str, year: int, cell: dict | None, max_count: int) -> str:
    """One heat-map cell with its data attributes, count and flag marker."""
    count = cell["reports"] if cell else 0
    flagged = cell["flagged"] if cell else 0
    share = cell["share_flagged"] if cell else 0.0
    attrs = (f'data-province="{_esc(province)}" data-year="{year}" data-count="{count}" '
             f'data-flagged="{flagged}" data-share-flagged="{share:.4f}" '
             f'title="{_esc(_tooltip(province, year, cell))}"')
    if not count:
        return f'<td class="cell empty" {attrs}></td>'
    classes = "cell dark" if _is_dark(count, max_count) else "cell"
    style = f"background:{cell_colour(count, max_count)};" + ("color:#fff;" if "dark" in classes else "")
    marker = ""
    if flagged:  # bar width = share flagged; the percentage, so a small share is not missed
        marker = (f'<span class="flag" style="width:{share * 100:.0f}%"></span>'
                  f'<span class="share">{share:.0%}</span>')
    return f'<td class="{classes}" style="{style}" {attrs}><span class="count">{count}</span>{marker}</td>'


def _header_html(years: list[int]) -> str:
    """The year headings and the totals column."""
    cols = "".join(f'<th class="year" data-year="{y}">{_year_label(y)}</th>' for y in years)
    return f'<thead><tr><th class="province">省份</th>{cols}<th class="total">合计</th></tr></thead>'


def _province_row_html(code: str, years: list[int], cells: dict, max_count: int) -> str:
    """One province's row: its cells and its total."""
    tds = "".join(_cell_html(code, y, cells.get((code, y)), max_count) for y in years)
    total = sum(cells[(code, y)]["reports"] for y in years if (code, y) in cells)
    flagged = sum(cells[(code, y)]["flagged"] for y in years if (code, y) in cells)
    return (f'<tr data-province="{_esc(code)}"><th class="province"><span class="code">{_esc(code)}'
            f'</span>{_esc(province_label(code))}</th>{tds}'
            f'<td class="total" data-count="{total}" data-flagged="{flagged}">{total or ""}</td></tr>')


def _totals_row_html(years: list[int], rows: list[dict]) -> str:
    """Reports per year, and the grand total."""
    def year_total(y):
        """Reports in one year column."""
        return sum(r["reports"] for r in rows if r["year"] == y)
    tds = "".join(f'<td class="total" data-year="{y}" data-count="{year_total(y)}">{year_total(y)}</td>'
                  for y in years)
    grand = sum(r["reports"] for r in rows)
    return (f'<tr class="totals"><th class="province">合计</th>{tds}'
            f'<td class="total grand" data-count="{grand}">{grand}</td></tr>')


def _legend_html(max_count: int) -> str:
    """Colour scale with sample counts, and the flag marker's meaning."""
    samples = sorted({max(1, round(max_count * f * f)) for f in (0.0, 0.25, 0.5, 0.75, 1.0)}) if max_count else []
    swatches = ['<span class="swatch" style="background:#f3f3f3" title="no reports">0</span>']
    for n in samples:
        colour = "#fff" if _is_dark(n, max_count) else "#222"
        swatches.append(f'<span class="swatch" style="background:{cell_colour(n, max_count)};'
                        f'color:{colour}">{n}</span>')
    return ('<div class="legend"><div class="scale"><span>reports archived:&nbsp;</span>'
            + "".join(swatches) + '</div><div><span class="flagkey"></span>red bar and % = share of '
            'reports with flags (latest version)</div><div>hover a cell for its commonest flags</div></div>')


def render_html(rows: list[dict], *, title: str = "Coverage of the archive") -> str:
    """The whole page: heat map of reports per province × year with flag markers, legend and totals."""
    years = year_columns(rows)
    cells = {(r["province"], r["year"]): r for r in rows}
    max_count = max((r["reports"] for r in rows), default=0)
    body = "".join(_province_row_html(code, years, cells, max_count) for code in province_rows(rows))
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{_esc(title)}</title>'
        f'<style>{_CSS}</style></head><body>'
        f'<h1>{_esc(title)}</h1><p class="summary">{_esc(summary(rows))}</p>'
        + _legend_html(max_count)
        + f'<table class="coverage">{_header_html(years)}<tbody>{body}</tbody>'
        f'<tfoot>{_totals_row_html(years, rows)}</tfoot></table>'
        f'<footer>Counts the latest version of each report_id. Generated {generated}.</footer>'
        '</body></html>\n'
    )


def _write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` so readers see the old page or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # A unique hidden temp name in the same directory: os.replace is atomic only within a file
    # system, and two concurrent writers must not share a temp file.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the page is meant to be read
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_coverage(root, out=None, *, title: str = "Coverage of the archive",
                   rows: list[dict] | None = None) -> Path:
    """Render the archive's coverage (or `rows` already counted) and publish it (default
    `<root>/coverage.html`)."""
    path = Path(out) if out else Path(root) / "coverage.html"
    rows = coverage_table(root) if rows is None else rows
    _write_atomically(path, render_html(rows, title=title))
    return path
