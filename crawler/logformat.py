"""Log lines for dropped items that say why and where, without dumping the report's bytes."""
from scrapy import logformatter


class QuietDrops(logformatter.LogFormatter):
    def dropped(self, item, exception, response, spider=None):
        # A decoy, a repost or a year outside a backfill is routine: INFO, one line, no item body.
        return {"level": logformatter.logging.INFO, "msg": "not archived: %(reason)s",
                "args": {"reason": str(exception)}}
