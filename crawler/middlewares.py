"""Downloader middlewares: retries that back off, conditional requests, challenge pages, WARC capture."""
from __future__ import annotations

import asyncio
import http.client
import logging
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from scrapy import Request, signals
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import IgnoreRequest, NotConfigured

from archive.state import CrawlState, reconcile
from archive.warc import WarcWriter
from crawler.discover import is_challenge

logger = logging.getLogger(__name__)

# Roles whose bytes may be reports: these get conditional requests on later runs.
REPORT_ROLES = ("report", "attachment")


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, but waiting 1, 2, 4 … × RETRY_BACKOFF_BASE seconds (Retry-After wins) first."""

    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    async def process_response(self, request, response, spider=None):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        reason = f"{response.status} {http.client.responses.get(response.status, '')}".strip()
        retry = get_retry_request(request, spider=self.crawler.spider, reason=reason, max_retry_times=self.max_retry_times)
        if retry is None:
            return response
        await asyncio.sleep(self._delay(request, response))
        return retry

    def _delay(self, request, response) -> float:
        """Exponential in the number of earlier tries, or what Retry-After asks (capped)."""
        retry_after = response.headers.get("Retry-After")
        if retry_after and retry_after.isdigit():
            return min(float(retry_after), self.cap)
        return min(self.base * 2 ** request.meta.get("retry_times", 0), self.cap)


class RedirectLoopMiddleware(RedirectMiddleware):
    """Scrapy's redirects, with loops named. A redirect back into its own chain (A -> A, A -> B -> A) would
    be dropped without a word by the dupefilter, and an endless chain ends at REDIRECT_MAX_TIMES; both end
    the request here and count against the portal (errors/redirect_loop, errors/too_many_redirects).
    One step back is allowed when the redirect sets a cookie: a WAF's way to hand one out."""

    def process_response(self, request, response, spider=None):
        try:
            result = super().process_response(request, response)
        except IgnoreRequest:                      # REDIRECT_MAX_TIMES reached
            count_error(self.crawler.stats, request, "too_many_redirects")
            raise
        if isinstance(result, Request):
            chain = {urldefrag(u).url for u in result.meta.get("redirect_urls", [])}
            if urldefrag(result.url).url in chain:
                if "Set-Cookie" in response.headers and not request.meta.get("cookie_redirect"):
                    result.meta["cookie_redirect"] = True
                    return result.replace(dont_filter=True)
                count_error(self.crawler.stats, request, "redirect_loop")
                raise IgnoreRequest(f"redirect loop: {request.url} -> {result.url}")
        return result


class DataLossMiddleware:
    """A body shorter than its Content-Length, let through only when DOWNLOAD_FAIL_ON_DATALOSS is off (or
    a request's download_fail_on_dataloss meta): retried like a failed download, else counted
    (errors/dataloss) and dropped. Before decompression and WARC capture, so a cut body is never kept."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.max_retry_times = crawler.settings.getint("RETRY_TIMES")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response, spider=None):
        if "dataloss" not in response.flags:
            return response
        retry = get_retry_request(request, spider=self.crawler.spider, reason="dataloss",
                                  max_retry_times=self.max_retry_times)
        if retry is not None:
            return retry
        count_error(self.crawler.stats, request, "dataloss")
        raise IgnoreRequest(f"body cut short ({len(response.body)} bytes): {request.url}")


def count_error(stats, request, kind: str) -> None:
    """An error of this kind against the request's portal, for the run summary."""
    host = request.meta.get("start_host") or urlsplit(request.url).hostname
    stats.inc_value(f"portal/{host}/errors/{kind}")


class ConditionalRequestMiddleware:
    """Ask for a known report only if it changed (ETag / Last-Modified stored with the archive)."""

    def __init__(self, crawler):
        self.crawler = crawler
        root = Path(crawler.settings.get("ARCHIVE_DIR", "data"))
        if (root / "reports").exists():
            crawler.stats.set_value("state/reconciled_from_warc", reconcile(root))
        self.state = CrawlState(root)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("CONDITIONAL_REQUESTS", True):
            raise NotConfigured
        return cls(crawler)

    def process_request(self, request, spider=None):
        if request.meta.get("role") not in REPORT_ROLES or request.meta.get("playwright"):
            return None
        known = self.state.get(request.url)
        if not known:
            return None
        if known.get("etag"):
            request.headers.setdefault("If-None-Match", known["etag"])
        if known.get("last_modified"):
            request.headers.setdefault("If-Modified-Since", known["last_modified"])
        request.meta["known_state"] = known
        return None

    def process_response(self, request, response, spider=None):
        known = request.meta.get("known_state")
        if response.status == 304 and known:
            # A known report counts as found and unchanged; a known decoy only as a page not read again.
            what = "not_modified" if known.get("status") == "report" else "not_report_not_modified"
            self.crawler.stats.inc_value(f"reports/{what}")
            self.crawler.stats.inc_value(f"portal/{request.meta.get('start_host')}/{what}")
            raise IgnoreRequest(f"not modified: {request.url}")
        return response


class ChallengeMiddleware:
    """Anti-bot challenges (瑞数 412, 加速乐 521): solved once per host in the browser, never archived.

    The browser runs the challenge script and gets its cookie; the same URL is then fetched again over
    plain HTTP with that cookie, so what is archived is the portal's own response, status and bytes.
    Later requests to the host carry the cookie from the start.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.browser = crawler.settings.getbool("BROWSER_ENABLED", True)
        self.cookies: dict[str, dict[str, str]] = {}     # host -> cookies the browser earned

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        earned = self.cookies.get(urlsplit(request.url).hostname)
        if earned and not request.meta.get("playwright") and isinstance(request.cookies, dict):
            for name, value in earned.items():
                request.cookies.setdefault(name, value)
        return None

    async def process_response(self, request, response, spider=None):
        if request.meta.get("challenge_solving"):
            return await self._solved(request, response)
        if not is_challenge(response.status, response.body):
            return response
        host = urlsplit(request.url).hostname
        self.crawler.stats.inc_value(f"portal/{request.meta.get('start_host') or host}/challenges")
        if self.browser and not request.meta.get("challenge_solved") and not request.meta.get("playwright"):
            logger.info("challenge page (%s) at %s: solving it in the browser", response.status, request.url)
            meta = request.meta | {"playwright": True, "playwright_include_page": True, "challenge_solving": True,
                                   "playwright_page_goto_kwargs": {"wait_until": "networkidle"}}
            return request.replace(meta=meta, dont_filter=True)
        self.crawler.stats.inc_value(f"portal/{request.meta.get('start_host') or host}/errors/challenge_unsolved")
        raise IgnoreRequest(f"challenge page {response.status} at {request.url}")

    async def _solved(self, request, response):
        """Take the cookies the challenge script set, close the page, fetch the URL again without the browser."""
        page = response.meta.get("playwright_page")
        cookies = {}
        if page is not None:
            for _ in range(20):       # the script sets its cookie, then reloads: wait for the cookie
                cookies = {c["name"]: c["value"] for c in await page.context.cookies()}
                if cookies:
                    break
                await asyncio.sleep(0.25)
            await page.close()
        host = urlsplit(request.url).hostname
        self.cookies.setdefault(host, {}).update(cookies)
        meta = {k: v for k, v in request.meta.items() if not k.startswith(("playwright", "challenge_solving"))}
        return request.replace(meta=meta | {"challenge_solved": True}, cookies=dict(cookies), dont_filter=True)


class ReceivedEncodingMiddleware:
    """Notes the Content-Encoding a response arrived with, before Scrapy decompresses it."""

    def process_response(self, request, response, spider=None):
        encoding = response.headers.get("Content-Encoding")
        if encoding:
            request.meta["received_content_encoding"] = encoding.decode("latin-1")
        return response


class WarcCaptureMiddleware:
    """Every successful response into the WARC archive (status and headers as received, payload decompressed,
    the received Content-Encoding kept as X-Archive-Orig-Content-Encoding); its place goes into request.meta."""

    def __init__(self, crawler):
        settings = crawler.settings
        self.crawler = crawler
        directory = Path(settings.get("ARCHIVE_DIR", "data")) / "warc"
        self.writer = WarcWriter(directory, max_bytes=settings.getint("WARC_MAX_BYTES"))
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("WARC_ENABLED", True):
            raise NotConfigured
        return cls(crawler)

    def process_response(self, request, response, spider=None):
        if not 200 <= response.status < 300 or is_challenge(response.status, response.body):
            return response
        notes = {"role": request.meta.get("role")}
        if request.meta.get("playwright"):
            notes["rendered"] = "chromium"    # the body is the DOM after scripts ran, not the bytes sent
        # What the crawl knew beside the bytes, so a re-parse from the archive knows it too.
        for key in ("page_url", "link_title", "listing_date", "start_host"):
            if request.meta.get(key):
                notes[key] = request.meta[key]
        ref = self.writer.write_response(
            url=response.url,
            status=response.status,
            reason=http.client.responses.get(response.status, ""),
            response_headers=_header_pairs(response.headers),
            body=response.body,
            request_method=request.method,
            request_headers=_header_pairs(request.headers),
            fetched_at=datetime.now(timezone.utc),
            notes=notes,
            decoded_content_encoding=request.meta.get("received_content_encoding"),
        )
        # a row points at the record holding its bytes: for a revisit, the stored copy it refers to
        stored = (ref.payload_file, ref.payload_offset) if ref.revisit and ref.payload_file else (ref.file, ref.offset)
        request.meta["warc"] = {"file": stored[0], "offset": stored[1], "revisit": ref.revisit}
        self.crawler.stats.inc_value("warc/revisits" if ref.revisit else "warc/records")
        return response

    def close(self, spider=None):
        self.writer.close()


def _header_pairs(headers) -> list[tuple[str, str]]:
    """Scrapy's Headers as (name, value) text pairs, one per value."""
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, values in headers.items() for v in values]


class PortalStatsMiddleware:
    """Per-portal counts of responses and errors by kind, for the run summary."""

    def __init__(self, crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response, spider=None):
        host = request.meta.get("start_host") or urlsplit(request.url).hostname
        self.stats.inc_value(f"portal/{host}/pages")
        if response.status >= 400 and response.status not in (404, 410):
            self.stats.inc_value(f"portal/{host}/errors/http_{response.status}")
        elif response.status in (404, 410):
            self.stats.inc_value(f"portal/{host}/dead_links")
        return response

    def process_exception(self, request, exception, spider=None):
        host = request.meta.get("start_host") or urlsplit(request.url).hostname
        if isinstance(exception, IgnoreRequest):   # robots.txt, not modified, a handled challenge: on purpose
            self.stats.inc_value(f"portal/{host}/skipped")
        else:
            self.stats.inc_value(f"portal/{host}/errors/{type(exception).__name__}")
        return None


class SpiderErrorsMiddleware:
    """A callback that raised (a page the spider could not read) counts against its portal, by kind."""

    def __init__(self, crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_spider_exception(self, response, exception, spider=None):
        host = response.meta.get("start_host") or urlsplit(response.url).hostname
        self.stats.inc_value(f"portal/{host}/errors/spider_{type(exception).__name__}")
        return None       # Scrapy logs it as usual
