"""One report from bytes to a `reports` row and its `cells`, in three pure steps.

    repair(body, …)        -> Repaired    decode, undo mojibake/traditional/pinyin/lost spaces, read the file
    extract(repaired, …)   -> Extracted   metadata (title, bodies, dates, year, place) and table cells
    validate(repaired, …)  -> flags       identities, missing tables, image-only, injected text

`extract_report` runs all three; the item pipelines run them one per stage (crawler/item_pipelines.py).
"""
from __future__ import annotations

import hashlib
import html as html_lib
import re
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timezone
from urllib.parse import urlsplit, urlunsplit

from pipelines import metadata as metadata_mod
from pipelines import readers, spam, tables, validate as validate_mod
from pipelines.model import Cell, Document, Metadata
from pipelines.dates import parse_date
from pipelines.readers.sniff import mime_html
from pipelines.repair import decode, repair_text
from pipelines.tables.forms import form_from_year


BINARY_READERS = {"pdf": readers.read_pdf, "docx": readers.read_docx, "doc": readers.read_doc}


@dataclass
class Repaired:
    source_type: str                 # html, txt, pdf, docx, doc
    document: Document
    html: str | None = None          # the repaired page, for metadata in the markup
    charset: str | None = None
    repairs: list[str] = field(default_factory=list)


@dataclass
class Extracted:
    metadata: Metadata
    format: str
    cells: list[Cell]
    unread_rows: list[str] = field(default_factory=list)   # rows of flattened text whose cells were left out


def report_id_for(url: str) -> str:
    """Stable id of a report: its URL without scheme, fragment or default port, hashed."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    path = parts.path or "/"
    canonical = urlunsplit(("", host, path, parts.query, ""))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:24]


def repair(body: bytes, *, url: str = "", content_type: str | None = None,
           content_disposition: str | None = None, charset: str | None = None) -> Repaired:
    """Bytes of a page or file -> repaired text and table grids (step 1)."""
    archived_page = mime_html(body)        # a Word web page archive: its HTML part is the report
    if archived_page:
        body, part_charset = archived_page
        content_type, charset = "text/html", charset or part_charset
    kind = readers.sniff_type(body, content_type=content_type, url=url, content_disposition=content_disposition)
    if kind in ("html", "txt"):
        decoded = decode(body, header_charset=charset_of(content_type), override=charset)   # repairs too
        text = decoded.text
        document = readers.read_html(text, url) if kind == "html" else readers.read_text(text)
        return Repaired(kind, document, text if kind == "html" else None, decoded.charset, list(decoded.repairs))
    if kind in BINARY_READERS:
        document = BINARY_READERS[kind](body)
    else:   # whatever else: the reader says what it could not read in the flags
        document = readers.read_document(body, content_type=content_type, url=url)
    document, repairs = _repair_document(document)
    return Repaired(kind, document, None, None, repairs)


def _repair_document(document: Document) -> tuple[Document, list[str]]:
    """Text repairs inside a PDF/DOCX: its text and every table cell.

    A spanned cell is one object repeated in every slot it covers (readers.common.Slot); the table
    mapper relies on that identity, so an unchanged cell is kept as the very same object.
    """
    text, repairs = repair_text(document.text)
    found = set(repairs)
    fixed_by_id: dict[int, str] = {}

    def fix(cell):
        if id(cell) not in fixed_by_id:
            fixed, cell_repairs = repair_text(cell)
            found.update(cell_repairs)
            fixed_by_id[id(cell)] = cell if fixed == cell else type(cell)(fixed)
        return fixed_by_id[id(cell)]

    grids = [[[fix(cell) for cell in row] for row in grid] for grid in document.tables]
    return replace(document, text=text, tables=grids), sorted(found)


def extract(repaired: Repaired, *, url: str = "", registry_region: str | None = None,
            page_html: str | None = None, page_url: str | None = None, link_title: str | None = None,
            listing_date: str | None = None) -> Extracted:
    """Metadata and cells of a repaired report (step 2).

    For a file: `page_html` is the article around it (its info box wins), `link_title` and `listing_date`
    what the link that led to it said (the only statement about a file linked straight from a listing).
    """
    doc = repaired.document
    meta = metadata_mod.extract_metadata(text=doc.text, html=repaired.html, url=url, registry_region=registry_region,
                                         title_hint=doc.title or link_title)
    if page_html:
        page_text = page_html        # already decoded and repaired by the spider
        page_meta = metadata_mod.extract_metadata(text=readers.read_html(page_text, page_url).text, html=page_text,
                                                  url=page_url or url, registry_region=registry_region,
                                                  title_hint=link_title)
        meta = _prefer(page_meta, meta)
    elif repaired.source_type not in ("html", "txt") and meta.published_date is None and listing_date:
        meta.published_date = parse_date(listing_date)
    form, cells, unread = tables.read_tables(doc)
    if form == "none" and "image_only" in doc.flags:
        form = form_from_year(meta.year, "")     # no text to read: the form the law set for that year
    return Extracted(meta, form, cells, unread)


def _prefer(first: Metadata, second: Metadata) -> Metadata:
    """Field by field: the first's value where it has one, else the second's."""
    merged = {}
    for f in fields(Metadata):
        a, b = getattr(first, f.name), getattr(second, f.name)
        merged[f.name] = b if a is None or a == "unknown" else a
    return Metadata(**merged)


def validate(repaired: Repaired, extracted: Extracted) -> list[str]:
    """What a reader of the row should know (step 3): identity breaks, no tables, image-only, spam."""
    flags = list(validate_mod.validate(extracted.format, extracted.cells, repaired.document.text,
                                       list(repaired.document.flags), extracted.unread_rows))
    if _injected(repaired) and "injected_text" not in flags:
        flags.append("injected_text")
    return flags


TAG = re.compile(r"<[^>]+>")


def _injected(repaired: Repaired) -> list[str]:
    """Spam in the report text, or hidden in the page around it (link farms in display:none blocks)."""
    found = spam.find_injected_text(repaired.document.text)
    if not found and repaired.html:
        found = spam.find_injected_text(html_lib.unescape(TAG.sub(" ", repaired.html)))
    return found


def to_row(*, url: str, body: bytes, repaired: Repaired, extracted: Extracted, flags: list[str],
           fetched_at: datetime | None = None, warc_file: str | None = None, warc_offset: int | None = None) -> dict:
    """The `reports` row (spec/dataset.md), every column present."""
    meta = extracted.metadata
    return {
        "report_id": report_id_for(url),
        "url": url,
        "title": meta.title,
        "publisher": meta.publisher,
        "agency": meta.agency,
        "index_number": meta.index_number,
        "generated_date": meta.generated_date,
        "published_date": meta.published_date,
        "year": meta.year,
        "province_code": meta.province_code or "unknown",
        "province_name": meta.province_name,
        "region_code": meta.region_code,
        "format": extracted.format,
        "source_type": repaired.source_type,
        "text": repaired.document.text,
        "content_sha256": hashlib.sha256(body).hexdigest(),
        "fetched_at": fetched_at or datetime.now(timezone.utc),
        "charset": repaired.charset,
        "repairs": list(repaired.repairs),
        "flags": list(flags),
        "warc_file": warc_file,
        "warc_offset": warc_offset,
    }


def cell_rows(cells: list[Cell]) -> list[dict]:
    """`cells` rows of one report (without the report's keys, which the archive adds)."""
    return [{"table": c.table, "row": c.row, "col": c.col, "value": c.value, "raw": c.raw} for c in cells]


def extract_report(body: bytes, *, url: str = "", content_type: str | None = None, charset: str | None = None,
                   registry_region: str | None = None, content_disposition: str | None = None,
                   page_html: str | None = None, page_url: str | None = None, link_title: str | None = None,
                   listing_date: str | None = None) -> tuple[dict, list[Cell]]:
    """All three steps: the `reports` row and the cells of one report."""
    repaired = repair(body, url=url, content_type=content_type, content_disposition=content_disposition, charset=charset)
    extracted = extract(repaired, url=url, registry_region=registry_region, page_html=page_html, page_url=page_url,
                        link_title=link_title, listing_date=listing_date)
    flags = validate(repaired, extracted)
    return to_row(url=url, body=body, repaired=repaired, extracted=extracted, flags=flags), extracted.cells


def charset_of(content_type: str | None) -> str | None:
    match = re.search(r"charset=[\"']?([\w-]+)", content_type or "", re.I)
    return match.group(1) if match else None
