"""The quality gate: extraction scores over seeds, real pages and simulated portals may only go up.

Floors live in tests/quality_floor.json; raise them with `python -m tests.quality --pin ARCHIVE`."""
from __future__ import annotations

import json

import pytest

import simportals
from tests import quality

FLOOR = json.loads(quality.FLOOR.read_text())


@pytest.fixture(scope="module")
def scores(full_crawl):
    archive, _ = full_crawl
    return {**quality.seed_scores(), **quality.putian_scores(),
            **quality.simulated_scores(archive, simportals.build_web(seed=1).truth())}


@pytest.mark.parametrize("name", sorted(FLOOR))
def test_score_not_below_its_floor(scores, name):
    assert scores[name] >= FLOOR[name], f"{name} fell to {scores[name]} (floor {FLOOR[name]})"


def test_every_score_has_a_floor(scores):
    assert sorted(scores) == sorted(FLOOR)


def test_another_seeds_web_scores_as_well(tmp_path):
    """The same archetypes drawn from another seed (other reports, layouts, numbers): nothing tuned to seed 1."""
    from simportals.testing import PortalServer
    from tests.crawling import run_crawl

    web = simportals.build_web(seed=4)
    with PortalServer(seed=4) as server:
        assert run_crawl(server, tmp_path, start_urls=[p.home_url for p in web.portals]).returncode == 0
    assert quality.simulated_scores(tmp_path, web.truth()) == {
        "simulated.recall": 1.0, "simulated.decoys_kept_out": 1.0, "simulated.fields": 1.0, "simulated.cells": 1.0}
