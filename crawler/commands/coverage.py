"""`scrapy coverage [--out FILE]`: draw the archive's province × year coverage as one HTML page."""
from __future__ import annotations

from scrapy.commands import ScrapyCommand

from archive.coverage import coverage_table, summary, write_coverage


class Command(ScrapyCommand):
    requires_project = True
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[--out FILE]"

    def short_desc(self) -> str:
        return "Write a heat map of reports archived per province and year (ARCHIVE_DIR/coverage.html)"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--out", metavar="FILE",
                            help="where to write the page (default: ARCHIVE_DIR/coverage.html)")
        parser.add_argument("--title", default="Coverage of the archive", help="the page's heading")

    def run(self, args, opts) -> None:
        root = self.settings.get("ARCHIVE_DIR", "data")
        rows = coverage_table(root)
        path = write_coverage(root, opts.out, title=opts.title, rows=rows)
        print(path)
        print(summary(rows))
