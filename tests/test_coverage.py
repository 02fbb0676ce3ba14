"""The coverage page: counts from a real dataset, drawn in headless Chromium, and `scrapy coverage`."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from archive.coverage import coverage_table, render_html, summary, write_coverage
from archive.dataset import DatasetWriter

PROJECT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
YEARS = [2020, 2021, 2022, 2023, 2024]   # 2023 has no reports: the column must still be there


def report(report_id, year, province, flags=(), *, sha=None, day=1):
    """A minimal reports row (the writer fills the rest with nulls)."""
    return {"report_id": report_id, "content_sha256": sha or f"sha-{report_id}", "year": year,
            "province_code": province, "flags": list(flags), "title": f"{report_id} 年度报告",
            "fetched_at": datetime(2024, 3, day, tzinfo=timezone.utc)}


@pytest.fixture(scope="module")
def archive_root(tmp_path_factory) -> Path:
    """Fujian thick, Beijing with a report in two versions, central, Guangdong, an unknown place."""
    root = tmp_path_factory.mktemp("archive")
    with DatasetWriter(root, fsync=False, batch_size=5) as writer:
        for i in range(9):
            writer.add(report(f"fj22-{i}", 2022, "35", ["no_tables"] if i < 3 else []))
        for i in range(2):
            writer.add(report(f"fj21-{i}", 2021, "35"))
        writer.add(report("bj", 2020, "11", sha="v1", day=1))
        writer.add(report("bj", 2020, "11", ["image_only", "image_only"], sha="v2", day=2))
        writer.add(report("gov", 2021, "00", ["identity_broken:requests.total"]))
        writer.add(report("gd", 2024, "44"))
        writer.add(report("lost", 2022, None, ["injected_text"]))
    return root


@pytest.fixture(scope="module")
def rows(archive_root) -> list[dict]:
    """The coverage table of the module's archive."""
    return coverage_table(archive_root)


def by_cell(rows) -> dict[tuple[str, int], tuple[int, int]]:
    """(province, year) -> (reports, flagged)."""
    return {(r["province"], r["year"]): (r["reports"], r["flagged"]) for r in rows}


def test_counts_latest_version_once_and_flags(rows):
    assert by_cell(rows) == {("00", 2021): (1, 1), ("11", 2020): (1, 1), ("35", 2021): (2, 0),
                             ("35", 2022): (9, 3), ("44", 2024): (1, 0), ("unknown", 2022): (1, 1)}
    beijing = next(r for r in rows if r["province"] == "11")
    assert beijing["province_name"] == "北京市"
    assert beijing["top_flags"] == [("image_only", 1)]   # the later version's flags, counted once
    assert next(r for r in rows if r["province"] == "35" and r["year"] == 2022)["share_flagged"] == 3 / 9
    assert summary(rows) == "15 reports, 3/34 provinces, years 2020–2024, 6 flagged (40.0%)"


def test_page_is_self_contained_and_escaped():
    page = render_html([{"province": "35", "province_name": "福建省", "year": 2023, "reports": 2,
                         "flagged": 1, "share_flagged": 0.5, "top_flags": [('<b>"x"</b>', 1)]}],
                       title="<script>alert(1)</script>")
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert "&lt;b&gt;&quot;x&quot;&lt;/b&gt;: 1" in page
    assert "新疆维吾尔自治区" in page and "中央" in page and "unknown" in page


def test_write_coverage_is_atomic_and_honours_out(archive_root, tmp_path):
    path = write_coverage(archive_root)
    assert path == archive_root / "coverage.html" and "福建省" in path.read_text("utf-8")
    assert not [p for p in archive_root.iterdir() if p.name.endswith(".tmp")]
    other = write_coverage(archive_root, tmp_path / "sub" / "c.html")
    assert other.is_file() and oct(other.stat().st_mode & 0o777) == "0o644"


def test_empty_archive_gives_an_empty_map(tmp_path):
    rows = coverage_table(tmp_path / "nothing")
    assert rows == []
    page = render_html(rows)
    assert 'data-year="' not in page.split("<tbody>")[1].split("<tfoot>")[0]
    assert "0 reports, 0/34 provinces" in page


# --- in the browser ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser_page(archive_root):
    """The written page opened in headless Chromium."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("no Chromium at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    path = write_coverage(archive_root)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 900, "height": 700})
        # Offline by construction: any request other than the file itself fails the test.
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        yield page
        assert requests == [path.as_uri()]
        browser.close()


def dom_cells(page) -> list[dict]:
    """Every heat-map cell as the DOM has it."""
    return page.eval_on_selector_all("td.cell", """tds => tds.map(td => ({
        province: td.dataset.province, year: +td.dataset.year, count: +td.dataset.count,
        flagged: +td.dataset.flagged, share: +td.dataset.shareFlagged, text: td.innerText.trim(),
        cls: td.className, title: td.title, bg: getComputedStyle(td).backgroundColor}))""")


def test_browser_shows_the_cells(browser_page, rows):
    cells = dom_cells(browser_page)
    headers = browser_page.eval_on_selector_all("thead th.year", "ths => ths.map(th => th.innerText)")
    assert headers == [str(y) for y in YEARS]
    assert len(cells) == 36 * len(YEARS)   # 00, the 34 provinces, unknown: every year each
    provinces = browser_page.eval_on_selector_all("tbody tr", "trs => trs.map(tr => tr.dataset.province)")
    assert provinces[0] == "00" and provinces[1] == "11" and provinces[-1] == "unknown"
    assert provinces[-2] == "82"
    filled = {(c["province"], c["year"]): (c["count"], c["flagged"]) for c in cells if c["count"]}
    assert filled == by_cell(rows)
    fujian = next(c for c in cells if (c["province"], c["year"]) == ("35", 2022))
    assert fujian["count"] == 9 and fujian["flagged"] == 3 and abs(fujian["share"] - 1 / 3) < 1e-3
    assert fujian["text"].split() == ["9", "33%"]
    assert "9 reports, 3 flagged" in fujian["title"] and "no_tables: 3" in fujian["title"]
    beijing = next(c for c in cells if (c["province"], c["year"]) == ("11", 2020))
    assert (beijing["count"], beijing["flagged"], beijing["text"].split()) == (1, 1, ["1", "100%"])
    quiet = next(c for c in cells if (c["province"], c["year"]) == ("35", 2021))
    assert quiet["text"] == "2" and quiet["flagged"] == 0   # no flag marker when nothing is flagged


def test_browser_empty_cells_are_empty(browser_page):
    cells = dom_cells(browser_page)
    gap_year = [c for c in cells if c["year"] == 2023]
    assert gap_year and all(c["count"] == 0 and c["text"] == "" and "empty" in c["cls"] for c in gap_year)
    tibet = next(c for c in cells if (c["province"], c["year"]) == ("54", 2022))
    assert tibet["text"] == "" and tibet["count"] == 0 and "no reports" in tibet["title"]
    assert tibet["bg"] == "rgb(243, 243, 243)"
    fujian = next(c for c in cells if (c["province"], c["year"]) == ("35", 2022))
    assert fujian["bg"] != tibet["bg"]
    grand = browser_page.inner_text("td.total.grand")
    assert grand == "15"


def pixel(page, selector) -> tuple[int, int, int]:
    """Colour a screenshot shows at the left middle of an element (clear of its text and flag bar)."""
    box = page.locator(selector).bounding_box()
    png = page.screenshot(full_page=True, clip={"x": box["x"] + 3, "y": box["y"] + box["height"] / 2 - 2,
                                "width": 4, "height": 4})
    from PIL import Image  # Pillow comes with pdfplumber
    return Image.open(io.BytesIO(png)).convert("RGB").getpixel((2, 2))


def test_screenshot_colours_high_count_apart_from_zero(browser_page, tmp_path):
    shot = tmp_path / "coverage.png"
    browser_page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0
    high = pixel(browser_page, 'td.cell[data-province="35"][data-year="2022"]')
    low = pixel(browser_page, 'td.cell[data-province="35"][data-year="2021"]')
    zero = pixel(browser_page, 'td.cell[data-province="54"][data-year="2022"]')
    assert zero == (243, 243, 243)
    assert high != zero and low != zero and high != low
    assert sum(high) < sum(low) < sum(zero)   # more reports, deeper colour


# --- the command ------------------------------------------------------------------------------------

SUMMARY = "15 reports, 3/34 provinces, years 2020–2024, 6 flagged (40.0%)"


def test_scrapy_coverage_command(archive_root):
    page = archive_root / "coverage.html"
    page.unlink(missing_ok=True)
    scrapy = Path(sys.executable).with_name("scrapy")
    done = subprocess.run([str(scrapy), "coverage", "-s", f"ARCHIVE_DIR={archive_root}"],
                          cwd=PROJECT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines() == [str(page), SUMMARY]
    assert page.is_file() and 'data-province="35"' in page.read_text("utf-8")


def test_coverage_command_out_option(archive_root, tmp_path, capsys):
    """--out, in process (a second scrapy start-up would cost seconds)."""
    import argparse

    from scrapy.settings import Settings

    from crawler.commands.coverage import Command

    command = Command()
    command.settings = Settings({"ARCHIVE_DIR": str(archive_root)})
    parser = argparse.ArgumentParser()
    command.add_options(parser)
    out = tmp_path / "elsewhere" / "page.html"
    command.run([], parser.parse_args(["--out", str(out)]))
    assert capsys.readouterr().out.splitlines() == [str(out), SUMMARY]
    assert "福建省" in out.read_text("utf-8")
