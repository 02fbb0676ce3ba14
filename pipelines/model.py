"""Plain data passed between the extraction steps. No Scrapy here."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

Grid = list[list[str]]  # one table: rows of cell texts, rowspan/colspan already expanded


@dataclass(frozen=True)
class Decoded:
    """Bytes turned into text: what charset was really used and what was repaired."""
    text: str
    charset: str
    repairs: tuple[str, ...] = ()


@dataclass
class Document:
    """What a reader (HTML, PDF, DOCX, plain text) gets out of one file."""
    text: str                      # the report as plain text, one block per line
    tables: list[Grid] = field(default_factory=list)
    title: str | None = None       # <title>/<h1>/ArticleTitle or the first heading line
    source_type: str = "html"      # html, pdf, docx, doc, txt
    flags: list[str] = field(default_factory=list)   # e.g. image_only
    attachments: list[str] = field(default_factory=list)  # absolute or relative hrefs of PDF/DOC(X) files
    loose_tables: bool = False     # grids rebuilt from flattened text: a row may have lost cells


@dataclass
class Metadata:
    title: str | None = None
    publisher: str | None = None
    agency: str | None = None
    index_number: str | None = None
    generated_date: date | None = None
    published_date: date | None = None
    year: int | None = None
    province_code: str = "unknown"
    province_name: str | None = None
    region_code: str | None = None


@dataclass(frozen=True)
class Cell:
    table: str        # active, requests, review
    row: str          # canonical row key (spec/tables.md)
    col: str          # canonical column key
    value: Decimal | None
    raw: str
