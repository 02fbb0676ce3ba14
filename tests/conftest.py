"""Shared fixtures: the simulated portals on a real socket, and one full crawl of them."""
from __future__ import annotations

import pytest

from simportals.testing import PortalServer
from tests.crawling import run_crawl


@pytest.fixture(scope="session")
def portal_server():
    """All simulated portals, served for the whole session (tests that change state use their own)."""
    with PortalServer(seed=1) as server:
        yield server


@pytest.fixture(scope="session")
def full_crawl(portal_server, tmp_path_factory):
    """One crawl of every simulated portal from its home page, as the demo does."""
    archive = tmp_path_factory.mktemp("full-crawl")
    hosts = [p.home_url for p in portal_server.web.portals] if hasattr(portal_server, "web") else None
    result = run_crawl(portal_server, archive, start_urls=hosts or _home_urls(portal_server))
    return archive, result


def _home_urls(server) -> list[str]:
    import simportals
    return [p.home_url for p in simportals.build_web(seed=server.seed).portals]
