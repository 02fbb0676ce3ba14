"""CDXJ lines (`surt timestamp {json}`), as pywb writes and reads them, for the WARC directory."""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote, urlsplit

from ._fs import flocked

INDEX_NAME = "index.cdxj"
_SAFE = "/%;:@&=+$,!~*'()?#[]"  # keep ASCII as it is; percent-encode the rest (UTF-8)


def surt(url: str) -> str:
    """Sort-friendly URI Reordering Transform, canonicalised like the `surt` package's default.

    http://www.Example.com:80/a/B?z=1&a=2 -> com,example)/a/b?a=2&z=1
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().strip(".")
    labels = host.split(".")
    if len(labels) > 2 and re.fullmatch(r"www\d*", labels[0]):
        labels = labels[1:]  # www, www2 … are the same site to a wayback index
    key = ",".join(reversed(labels))
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    if parts.port and parts.port != default:
        key += f":{parts.port}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = "?" + "&".join(sorted(parts.query.split("&"))) if parts.query else ""
    return quote(key + ")" + path + query, safe=_SAFE).lower()


def timestamp14(warc_date: str) -> str:
    """2024-01-26T08:00:00Z -> 20240126080000."""
    return "".join(ch for ch in warc_date if ch.isdigit())[:14]


def cdxj_line(url, warc_date, *, mime, status, digest, length, offset, filename) -> str:
    """One index line; the digest without its `sha1:` prefix and numbers as strings, like pywb."""
    fields = {"url": url, "mime": mime, "status": str(status),
              "digest": (digest or "").split(":", 1)[-1], "length": str(length),
              "offset": str(offset), "filename": filename}
    if mime == "warc/revisit":
        del fields["status"]  # pywb's indexer leaves it out of revisit lines
    return f"{surt(url)} {timestamp14(warc_date)} {json.dumps(fields, ensure_ascii=False)}\n"


def parse_line(line: str) -> dict:
    """The JSON of a line plus `surt`, `timestamp`, `date` (ISO) and a `sha1:` digest."""
    key, ts, js = line.rstrip("\n").split(" ", 2)
    e = json.loads(js)
    e["surt"], e["timestamp"] = key, ts
    e["date"] = f"{ts[0:4]}-{ts[4:6]}-{ts[6:8]}T{ts[8:10]}:{ts[10:12]}:{ts[12:14]}Z"
    if e.get("digest") and ":" not in e["digest"]:
        e["digest"] = "sha1:" + e["digest"]
    return e


def read_index(directory) -> list[dict]:
    """All entries of `<directory>/index.cdxj` (empty if there is none)."""
    path = Path(directory) / INDEX_NAME
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as f:
        return [parse_line(line) for line in f if line.strip()]


def index_lock(directory):
    """Lock serialising appends to and rewrites of the index between writers."""
    return flocked(Path(directory) / ".index.lock")
