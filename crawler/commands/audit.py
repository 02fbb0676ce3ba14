"""`scrapy audit`: list year-to-year breaks of each agency's statistics (report, don't judge)."""
from scrapy.commands import ScrapyCommand

from archive.audit import audit, summary


class Command(ScrapyCommand):
    requires_project = True
    default_settings = {"LOG_ENABLED": False}

    def short_desc(self):
        return "Write audit/breaks.parquet and .csv for the archive (ARCHIVE_DIR) and summarise"

    def run(self, args, opts):
        root = self.settings.get("ARCHIVE_DIR", "data")
        print(summary(audit(root)))
        print(f"written: {root}/audit/breaks.parquet, {root}/audit/breaks.csv")
