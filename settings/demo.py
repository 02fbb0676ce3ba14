"""The demo crawl of the bundled simulated portals: polite delay kept small, progress every few seconds."""
from .base import *  # noqa: F401,F403

DOWNLOAD_DELAY = 0.05
AUTOTHROTTLE_ENABLED = False
RETRY_BACKOFF_BASE = 0.2
PROGRESS_INTERVAL = 10.0
