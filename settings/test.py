"""Settings for tests and the demo against the simulated portals on 127.0.0.1: fast, still polite per host."""
from .base import *  # noqa: F401,F403

DOWNLOAD_DELAY = 0.0
AUTOTHROTTLE_ENABLED = False
RETRY_BACKOFF_BASE = 0.05
PROGRESS_INTERVAL = 5.0
LOG_LEVEL = "INFO"
