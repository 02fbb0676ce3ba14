"""Several workers, one frontier: the request queue and the seen-set live in Redis (scrapy-redis).

Run the same `scrapy crawl reports …` on each worker with SCRAPY_SETTINGS_MODULE=settings.distributed,
REDIS_URL pointing at the shared server, GOVREPORTS_RUN_ID naming tonight's run (its queues and seen-set
are keyed by it, so tomorrow's run starts fresh) and GOVREPORTS_WORKER=i/N (this is worker i of N; each
host belongs to one worker, so politeness holds across them). Workers may share one ARCHIVE_DIR: the
dataset, WARC and state writers are safe across processes.
"""
import os

from .base import *  # noqa: F401,F403

SCHEDULER = "crawler.distributed.HostShardedScheduler"
WORKER_INDEX, WORKERS = (int(x) for x in os.environ.get("GOVREPORTS_WORKER", "0/1").split("/"))
DUPEFILTER_CLASS = "scrapy_redis.dupefilter.RFPDupeFilter"
SCHEDULER_PERSIST = True                   # a worker that stops leaves the rest of the frontier to the others
SCHEDULER_IDLE_BEFORE_CLOSE = 2
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
RUN_ID = os.environ.get("GOVREPORTS_RUN_ID", "default")
SCHEDULER_QUEUE_KEY = f"govreports:{RUN_ID}:%(spider)s:requests"
SCHEDULER_DUPEFILTER_KEY = f"govreports:{RUN_ID}:%(spider)s:dupefilter"

EXTENSIONS = {**EXTENSIONS, "crawler.distributed.SharedFrontierExtension": 30}  # noqa: F405

# One run lock per worker (they share the archive on purpose). Each worker's summary judges the portals
# it owns (crawler.extensions.RunSummaryExtension), so a broken portal fails its owner's exit code.
RUN_LOCK_NAME = f"run-{WORKER_INDEX}"
