"""python -m simportals serve --port 0 [--seed 1] [--portals host,host|archetype] [--log FILE] [--latency S]
   python -m simportals truth [--seed 1] [--portals …] > truth.json
   python -m simportals registry > crawler/portals/simulated.tsv   (registered portals only)"""
from __future__ import annotations

import argparse
import json
import sys


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="simportals")
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("serve", "truth", "registry"):
        sp = sub.add_parser(name)
        sp.add_argument("--seed", type=int, default=1)
        sp.add_argument("--portals", default=None, help="comma-separated hosts or archetypes")
        if name == "serve":
            sp.add_argument("--port", type=int, default=0)
            sp.add_argument("--log", default=None)
            sp.add_argument("--latency", type=float, default=0.0, help="seconds added to every answer")
    a = ap.parse_args(argv)
    only = [x.strip() for x in a.portals.split(",") if x.strip()] if a.portals else None
    if a.cmd == "serve":
        from .server import main as serve
        serve(a.port, a.seed, only, a.log, a.latency)
    elif a.cmd == "truth":
        from .web import build_web
        json.dump(build_web(a.seed, only).truth(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        from .web import build_web
        sys.stdout.write("name\thome_url\tregion_code\tarchetype\n")
        for p in build_web(a.seed, only).portals:
            if not p.spec.registered:
                continue    # a portal the crawler is meant not to know
            sys.stdout.write(f"{p.name}\t{p.home_url}\t{p.region_code}\t{p.archetype}\n")


if __name__ == "__main__":
    main()
