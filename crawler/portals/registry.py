"""The portal registry: data files beside this module, one portal a line (name, home URL, GB/T 2260 code).

`hrss_2018.tsv` holds the real provincial HRSS portals (from the ministry's links, March 2018; many have
moved since, so expect redirects and dead roots); `simulated.tsv` the bundled simulated portals.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).parent
REAL = HERE / "hrss_2018.tsv"
SIMULATED = HERE / "simulated.tsv"


@dataclass(frozen=True)
class Portal:
    name: str
    home_url: str
    region_code: str
    archetype: str = "real"

    @property
    def host(self) -> str:
        return urlsplit(self.home_url).hostname or ""


def load(path: Path = REAL) -> list[Portal]:
    """Portals of one registry file."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return [Portal(r["name"], r["home_url"], r["region_code"], r.get("archetype") or "real")
                for r in csv.DictReader(f, delimiter="\t")]


def by_host() -> dict[str, Portal]:
    """Every known portal by host name, real and simulated."""
    return {p.host: p for path in (REAL, SIMULATED) for p in load(path)}
