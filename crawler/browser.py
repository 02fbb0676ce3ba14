"""Chromium only when a page needs it.

Plain requests go through Scrapy's HTTP/1.1 handler. The first request with `meta["playwright"]`
creates one scrapy-playwright handler per crawl (shared by http and https, so one driver), points
it at Debian's chromium and at the same proxy as every other request, and launches it then.
A crawl of static portals therefore starts neither the Playwright driver nor a browser.
"""
from __future__ import annotations

import asyncio
import os

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler


def proxy_from_env(scheme: str = "http") -> dict | None:
    """Playwright's proxy option from http_proxy/https_proxy, as Scrapy's HttpProxyMiddleware reads them."""
    server = os.environ.get(f"{scheme}_proxy") or os.environ.get(f"{scheme.upper()}_PROXY")
    server = server or os.environ.get("http_proxy") or os.environ.get("HTTP_PROXY")
    if not server:
        return None
    bypass = os.environ.get("no_proxy") or os.environ.get("NO_PROXY") or ""
    return {"server": server, "bypass": bypass} if bypass else {"server": server}


class LazyPlaywrightHandler(HTTP11DownloadHandler):
    lazy = False
    _shared_key = "_govreports_playwright"

    async def download_request(self, request):
        if not request.meta.get("playwright"):
            return await super().download_request(request)
        handler = await self._playwright()
        return await handler.download_request(request)

    async def _playwright(self):
        """The crawl's single Playwright handler, launched on first use."""
        crawler = self._crawler
        lock = crawler.__dict__.setdefault("_govreports_playwright_lock", asyncio.Lock())
        async with lock:
            handler = getattr(crawler, self._shared_key, None)
            if handler is None:
                from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

                handler = ScrapyPlaywrightDownloadHandler(crawler)
                proxy = proxy_from_env()
                if proxy:
                    handler.config.launch_options["proxy"] = proxy
                # engine_started has already fired, so launch the way the handler would have then.
                await handler._maybe_launch_in_thread()
                crawler.stats.inc_value("browser/launched")
                setattr(crawler, self._shared_key, handler)
        return handler

    async def close(self):
        handler = getattr(self._crawler, self._shared_key, None)
        if handler is not None:
            setattr(self._crawler, self._shared_key, None)
            await handler.close()
        await super().close()
