"""Scrapy settings for the archive crawl. Layered: other modules start with `from .base import *`."""
import os
import shutil

import scrapy.settings.default_settings as scrapy_defaults

BOT_NAME = "govreports"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"

# Where everything is stored (spec/dataset.md); `-s ARCHIVE_DIR=…` moves it.
ARCHIVE_DIR = "data"
WARC_MAX_BYTES = 1_000_000_000

# Polite by default: robots.txt, one request at a time per host, a delay, AutoThrottle.
USER_AGENT = "govreports-archiver/0.1 (+https://github.com/govreports/govreports; archive of public annual reports)"
ROBOTSTXT_OBEY = True
# Many portals at once, one request at a time each: the global cap only bounds memory and sockets, and
# the downloader-aware queue hands out requests of the hosts with the fewest in flight, so one portal's
# backlog (waiting out its delay) never holds the slots the other portals could use (Scrapy's broad crawls).
CONCURRENT_REQUESTS = 64
CONCURRENT_REQUESTS_PER_DOMAIN = 1
SCHEDULER_PRIORITY_QUEUE = "scrapy.pqueues.DownloaderAwarePriorityQueue"
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5              # each delay varies by ±50%
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024      # a report PDF is rarely over a few MB; bombs stop here
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
# Hub pages (政务公开 → 政府信息公开 → 部门信息公开 → a department) followed from a home page to find columns.
DISCOVERY_HUB_DEPTH = 3
# A listing stops paging after this many pages in a row bring no new report link, or at this many pages.
LISTING_PATIENCE = 10
LISTING_MAX_PAGES = 1000
# A body shorter than its Content-Length fails (and is retried) rather than being stored cut short.
DOWNLOAD_FAIL_ON_DATALOSS = True
COOKIES_ENABLED = True                   # WAF pages set a cookie and redirect to themselves

# Retries with exponential backoff on 5xx/429 (crawler.middlewares.BackoffRetryMiddleware).
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 60.0
# A page whose browser died under it is tried again (after scrapy-playwright's own 3 tries).
RETRY_EXCEPTIONS = [*scrapy_defaults.RETRY_EXCEPTIONS, "playwright._impl._errors.TargetClosedError"]

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    "crawler.middlewares.ConditionalRequestMiddleware": 560,
    "crawler.middlewares.ChallengeMiddleware": 570,
    # After decompression (590), so a payload's digest is stable across runs and revisits are found;
    # the Content-Encoding it arrived with is noted closer to the network (950) and kept in the record.
    "crawler.middlewares.WarcCaptureMiddleware": 580,
    "crawler.middlewares.ReceivedEncodingMiddleware": 950,
    # Redirect loops named per portal; a body cut short never reaches decompression (590) or the WARC.
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.RedirectLoopMiddleware": 600,
    "crawler.middlewares.DataLossMiddleware": 595,
    # Outcomes per portal after retries and challenges are settled (a retried 503 is not an error).
    "crawler.middlewares.PortalStatsMiddleware": 540,
}
SPIDER_MIDDLEWARES = {"crawler.middlewares.SpiderErrorsMiddleware": 50}
DUPEFILTER_CLASS = "crawler.dupefilter.RunDupeFilter"   # a JOBDIR resumes a queue, not a seen-set
LOG_FORMATTER = "crawler.logformat.QuietDrops"

# The data flow, in order: bytes -> repaired text -> report fields and cells -> flags -> scope -> storage.
ITEM_PIPELINES = {
    "crawler.item_pipelines.RepairPipeline": 100,
    "crawler.item_pipelines.ExtractPipeline": 200,
    "crawler.item_pipelines.ValidatePipeline": 300,
    "crawler.item_pipelines.ScopePipeline": 400,
    "crawler.item_pipelines.ArchivePipeline": 900,
}

# Extraction runs in this many worker processes, off the reactor (0: in the crawl process itself).
EXTRACTION_PROCESSES = os.cpu_count() or 1

EXTENSIONS = {
    "scrapy.extensions.telnet.TelnetConsole": None,
    "crawler.extensions.RunSummaryExtension": 10,
    "crawler.extensions.ProgressExtension": 20,
}
PROGRESS_INTERVAL = 60.0
# A run fails (exit 1) when errors exceed this share of requests.
RUN_MAX_ERROR_RATE = 0.2

# JavaScript listings: rendered in Debian's chromium through scrapy-playwright, only when needed.
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
DOWNLOAD_HANDLERS = {
    "http": "crawler.browser.LazyPlaywrightHandler",
    "https": "crawler.browser.LazyPlaywrightHandler",
}
PLAYWRIGHT_BROWSER_TYPE = "chromium"
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": CHROMIUM_PATH,
    "headless": True,
    # Without these, chromium keeps calling home and, offline, stalls on each call.
    "args": ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
             # Nothing but the portal: no updater, sign-in, field trials or phishing checks through the proxy.
             "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--no-pings",
             "--disable-default-apps", "--disable-extensions", "--disable-field-trial-config",
             "--disable-features=OptimizationHints,Translate,MediaRouter,DialMediaRouteProvider,"
             "AutofillServerCommunication,CertificateTransparencyComponentUpdater,SigninInterception,"
             "AccountConsistency,ChromeWhatsNewUI,InterestFeedContentSuggestions,HttpsUpgrades,HttpsFirstBalancedModeAutoEnable",
             "--google-base-url=http://0.0.0.0", "--gaia-url=http://0.0.0.0", "--lso-url=http://0.0.0.0"],
}
# Bounded: a few contexts of a few pages each, recycled by scrapy-playwright as requests finish.
PLAYWRIGHT_MAX_CONTEXTS = 2
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000
# A browser that crashed or was killed is replaced on the next page (crawler.playwright_handler counts it).
PLAYWRIGHT_RESTART_DISCONNECTED_BROWSER = True
BROWSER_ENABLED = True

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
