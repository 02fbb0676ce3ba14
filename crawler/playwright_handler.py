"""scrapy-playwright's download handler, counting browsers lost mid-crawl.

When Chromium dies (crashed, killed, out of memory), scrapy-playwright sees the disconnection, drops the
browser and launches a new one for the next page (PLAYWRIGHT_RESTART_DISCONNECTED_BROWSER); a page that
was rendering fails with TargetClosedError and is tried again, by scrapy-playwright itself (3 times) and
then by the retry middleware (RETRY_EXCEPTIONS). This subclass only makes the loss visible: a warning in
the log and browser/crashed in the stats (browser_crashed in the run summary).
"""
from __future__ import annotations

import logging

from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

logger = logging.getLogger(__name__)


class LostBrowserNoise(logging.Filter):
    """Playwright logs, with a traceback, every event listener that still ran when its browser died (a
    response whose headers can no longer be read). The loss is already counted and warned about once:
    those records become one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and type(record.exc_info[1]).__name__ == "TargetClosedError":
            record.msg, record.args, record.exc_info, record.exc_text = (
                "a page event of a browser that went away was dropped", (), None, None)
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


logging.getLogger("playwright").addFilter(LostBrowserNoise())


class CrashCountingPlaywrightHandler(ScrapyPlaywrightDownloadHandler):
    closing = False      # set when the crawl closes the browser itself: that disconnection is no crash

    async def _browser_disconnected_callback(self) -> None:   # the listener scrapy-playwright 0.0.48 registers
        if not self.closing:
            self.stats.inc_value("browser/crashed")
            logger.warning("the browser went away mid-crawl (crashed or killed)%s",
                           "; a new one starts with the next page" if self.config.restart_disconnected_browser else "")
        await super()._browser_disconnected_callback()
