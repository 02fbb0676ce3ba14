"""Chromium only when a page needs it.

Plain requests go through Scrapy's HTTP/1.1 handler. The first request with `meta["playwright"]`
creates one scrapy-playwright handler per crawl (shared by http and https, so one driver), points
it at Debian's chromium and at the same proxy as every other request, and launches it then. A PAC
script lets the browser reach the crawl's hosts only, so nothing else leaves the machine.
A crawl of static portals therefore starts neither the Playwright driver nor a browser.
"""
from __future__ import annotations

import asyncio
import base64
import json
import os
from urllib.parse import urlsplit

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler


# Where the browser sends a request for a host outside the crawl: a closed local port, so it fails on
# this machine (Chromium's own updater and sign-in calls included, which no flag fully silences).
NOWHERE = "PROXY 127.0.0.1:9"


def proxy_from_env() -> str | None:
    """The proxy every fetch goes through (http_proxy / https_proxy, as Scrapy's HttpProxyMiddleware reads them)."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        if os.environ.get(name):
            return os.environ[name]
    return None


def pac_script(hosts: list[str], proxy: str | None) -> str:
    """A proxy auto-config letting the browser reach only the crawl's hosts (through `proxy`, if any)."""
    route = f"PROXY {urlsplit(proxy).netloc}" if proxy else "DIRECT"
    return ("function FindProxyForURL(url, host) {\n"
            f"  var allowed = {json.dumps(sorted(hosts))};\n"
            "  for (var i = 0; i < allowed.length; i++) {\n"
            "    if (host == allowed[i] || dnsDomainIs(host, '.' + allowed[i])) return " + json.dumps(route) + ";\n"
            "  }\n"
            f"  return {json.dumps(NOWHERE)};\n}}\n")


def pac_argument(hosts: list[str], proxy: str | None) -> str:
    """The chromium switch that installs the PAC script (a data: URL, nothing on disk)."""
    encoded = base64.b64encode(pac_script(hosts, proxy).encode()).decode()
    return f"--proxy-pac-url=data:application/x-ns-proxy-autoconfig;base64,{encoded}"


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
                from crawler.playwright_handler import CrashCountingPlaywrightHandler

                handler = CrashCountingPlaywrightHandler(crawler)
                hosts = list(getattr(crawler.spider, "allowed_domains", None) or [])
                options = handler.config.launch_options
                options["args"] = [*options.get("args", []), pac_argument(hosts, proxy_from_env())]
                # engine_started has already fired, so launch the way the handler would have then.
                await handler._maybe_launch_in_thread()
                crawler.stats.inc_value("browser/launched")
                setattr(crawler, self._shared_key, handler)
        return handler

    async def close(self):
        handler = getattr(self._crawler, self._shared_key, None)
        if handler is not None:
            setattr(self._crawler, self._shared_key, None)
            handler.closing = True
            await handler.close()
        await super().close()
