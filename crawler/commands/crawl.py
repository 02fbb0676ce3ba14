"""`scrapy crawl`, plus what a scheduled run needs: one run at a time per archive, and an honest exit code.

Exit codes: 0 every portal fine; 1 a portal broke (named in the summary) or errors passed the threshold;
2 wrong usage; 3 another run holds the archive.
"""
from __future__ import annotations

import sys
from pathlib import Path

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from archive.state import ArchiveBusy, RunLock
from crawler.runreport import EXIT_BROKEN, EXIT_BUSY


class Command(ScrapyCrawl):
    def short_desc(self) -> str:
        return "Run a spider; refuses to overlap another run on the same archive; exits 1 if a portal broke"

    def run(self, args, opts) -> None:
        root = Path(self.settings.get("ARCHIVE_DIR", "data"))
        try:
            with RunLock(root, name=self.settings.get("RUN_LOCK_NAME", "run")):
                self._crawl(args, opts)
        except ArchiveBusy as busy:
            print(f"refusing to start: {busy}", file=sys.stderr)
            self.exitcode = EXIT_BUSY

    def _crawl(self, args, opts) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name")
        crawler = self._create_crawler(args[0])
        check = getattr(crawler.spidercls, "check_arguments", None)
        try:
            if check:
                check(**opts.spargs)
        except ValueError as exc:
            raise UsageError(str(exc), print_help=False) from None
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        summary = getattr(crawler, "run_summary", None)
        if self.crawler_process.bootstrap_failed or summary is None:
            self.exitcode = EXIT_BROKEN      # the run died before it could summarise itself
        else:
            self.exitcode = summary["exit_code"]
