"""Simulated government portals: a local web that behaves like the real one (see web.py for the list)."""
from .web import Web, build_web  # noqa: F401
