"""`scrapy reparse [--years 2019-2021] [--provinces 35,44]`: extraction again over the WARC archive, no network."""
from __future__ import annotations

import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.runreport import EXIT_BUSY


class Command(ScrapyCommand):
    requires_project = True
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[--years Y1-Y2] [--provinces 35,44]"

    def short_desc(self) -> str:
        return "Re-extract every stored report from its WARC record and rewrite the dataset (no network)"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--years", help="only report years in this range (2019-2021, 2015, 2019-)")
        parser.add_argument("--provinces", help="only these province codes, comma-separated (35,44,unknown)")

    def run(self, args, opts) -> None:
        from archive.state import ArchiveBusy, RunLock
        from archive.warc import settle
        from crawler.reparse import reparse

        root = Path(self.settings.get("ARCHIVE_DIR", "data"))
        _check_usage(root, opts)
        try:
            with RunLock(root):
                settle(root / "warc")
                stats = reparse(root, years=opts.years, provinces=opts.provinces,
                                report=lambda line: print(line, file=sys.stderr, flush=True))
        except ArchiveBusy as busy:
            print(f"refusing to start: {busy}", file=sys.stderr)
            self.exitcode = EXIT_BUSY
            return
        print(f"reparsed {stats['replaced']} of {stats['records']} stored report versions")


def _check_usage(root: Path, opts) -> None:
    """Arguments the command cannot run with: exit 2 with the reason, before anything is touched."""
    import re

    from crawler.years import YearRange

    if not (root / "reports").is_dir():
        raise UsageError(f"no archive at {root} (set -s ARCHIVE_DIR=…)", print_help=False)
    try:
        YearRange.parse(opts.years)
    except ValueError as exc:
        raise UsageError(str(exc), print_help=False) from None
    for code in (opts.provinces or "").split(","):
        if code.strip() and not re.fullmatch(r"\d\d|unknown", code.strip()):
            raise UsageError(f"provinces: {code.strip()!r} is not a two-digit code or unknown", print_help=False)
