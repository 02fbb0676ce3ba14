"""Default settings module (scrapy.cfg points here): production defaults from base."""
from .base import *  # noqa: F401,F403
