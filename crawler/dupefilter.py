"""The seen-set of one run, even with a JOBDIR.

Scrapy keeps `requests.seen` in the JOBDIR, and a request seen once is never asked for again in that
JOBDIR. A run killed with -9 loses the requests that were in flight or in memory (already seen, so never
retried), and a later night with the same JOBDIR would skip even its start pages. Forgetting the seen-set
between runs costs nothing here: pages already archived are asked for conditionally (crawl state) and
answer 304; the JOBDIR's queue still carries what the killed run had left to do.
"""
from __future__ import annotations

from scrapy.dupefilters import RFPDupeFilter


class RunDupeFilter(RFPDupeFilter):
    @classmethod
    def from_crawler(cls, crawler):
        return cls(None, crawler.settings.getbool("DUPEFILTER_DEBUG"), fingerprinter=crawler.request_fingerprinter)
