"""`scrapy compact`: merge the archive's small Parquet files, partition by partition."""
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from archive.compact import compact
from archive.state import ArchiveBusy, RunLock


class Command(ScrapyCommand):
    requires_project = True
    default_settings = {"LOG_ENABLED": False}

    def short_desc(self):
        return "Rewrite each partition of the archive (ARCHIVE_DIR) into few large files"

    def run(self, args, opts):
        root = self.settings.get("ARCHIVE_DIR", "data")
        try:
            with RunLock(root):  # not while a crawl is adding to the archive
                stats = compact(root)
        except ArchiveBusy as exc:
            raise UsageError(str(exc), print_help=False) from exc
        print(f"compacted {root}: {stats['files_before']} files -> {stats['files_after']}, "
              f"{stats['rows_rewritten']} rows rewritten")
