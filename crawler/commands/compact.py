"""`scrapy compact`: merge the archive's small Parquet files, partition by partition."""
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from archive.compact import compact
from archive.state import ArchiveBusy, RunLock
from archive.warc import settle
from crawler.runreport import EXIT_BUSY


class Command(ScrapyCommand):
    requires_project = True
    default_settings = {"LOG_ENABLED": False}

    def short_desc(self):
        return "Rewrite each partition of the archive (ARCHIVE_DIR) into few large files"

    def run(self, args, opts):
        root = self.settings.get("ARCHIVE_DIR", "data")
        if not (Path(root) / "reports").is_dir():
            raise UsageError(f"no archive at {root} (set -s ARCHIVE_DIR=…)", print_help=False)
        try:
            with RunLock(root):  # not while a crawl is adding to the archive
                settle(Path(root) / "warc")
                stats = compact(root)
        except ArchiveBusy as busy:
            print(f"refusing to start: {busy}", file=sys.stderr)
            self.exitcode = EXIT_BUSY
            return
        print(f"compacted {root}: {stats['files_before']} files -> {stats['files_after']}, "
              f"{stats['rows_rewritten']} rows rewritten")
