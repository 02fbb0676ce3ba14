"""`scrapy extract PATH_OR_URL [--url URL] [--charset C]`: one report through repair, extract and validate, as JSON."""
from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError


class Command(ScrapyCommand):
    requires_project = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "PATH_OR_URL [--url URL] [--charset C] [--content-type T]"

    def short_desc(self) -> str:
        return "Extract one saved file or URL and print the report as JSON"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", help="the URL the file was fetched from (for ids, places and links)")
        parser.add_argument("--charset", help="decode with this charset, whatever the bytes claim")
        parser.add_argument("--content-type", dest="content_type", help="the Content-Type it was served with")

    def run(self, args, opts) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one PATH_OR_URL")
        from pipelines.extract import extract_report   # here, so every other command starts without it

        try:
            body, url, content_type = _load(args[0], opts.url, opts.content_type)
        except (OSError, ValueError) as exc:       # URLError, HTTPError, timeouts, unreadable files
            print(f"extract: cannot read {args[0]}: {_reason(exc)}", file=sys.stderr)
            self.exitcode = 1
            return
        row, cells = extract_report(body, url=url, content_type=content_type, charset=opts.charset)
        row["cells"] = _nested(cells)
        try:
            json.dump(row, sys.stdout, ensure_ascii=False, indent=1, default=_jsonable)
            sys.stdout.write("\n")
            sys.stdout.flush()
        except BrokenPipeError:                    # `| head`: the reader left, nothing to report
            sys.stderr.close()


def _load(target: str, url: str | None, content_type: str | None) -> tuple[bytes, str, str | None]:
    """Bytes of a local file or of a URL (fetched once, honouring http_proxy)."""
    path = Path(target)
    if path.exists():
        return path.read_bytes(), url or path.resolve().as_uri(), content_type
    if "://" not in target:
        raise UsageError(f"no such file: {target}")
    with urllib.request.urlopen(target, timeout=60) as response:
        return response.read(), url or target, content_type or response.headers.get("Content-Type")


def _reason(exc: Exception) -> str:
    """What went wrong, in one line (an HTTP status, or the socket error behind a URLError)."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    return str(getattr(exc, "reason", None) or exc)


def _nested(cells) -> dict:
    """{table: {"row.col": value}} as the issue asks."""
    out: dict[str, dict] = {}
    for c in cells:
        out.setdefault(c.table, {})[f"{c.row}.{c.col}"] = c.value
    return out


def _jsonable(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value)}")
