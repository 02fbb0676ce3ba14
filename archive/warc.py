"""Raw captures as WARC (ISO 28500, WARC/1.0) with warcio, plus a CDXJ index beside them.

Files: `<prefix>-<UTC start>-<pid>-<random>-<serial>.warc.gz`, one gzip member per record, a warcinfo record
first. A file being written is named `….warc.gz.open` and holds an fcntl lock; it is renamed when it
is closed (rollover or close()). A writer killed mid-record leaves a `.open` file whose last member may
be torn: the next WarcWriter on the directory finds it unlocked, truncates it after its last whole
record, indexes what the index lacks and renames it. Records are written with one write() each.

Bodies: the payload is stored as the caller got it. Scrapy has already removed transfer chunking and
(HttpCompressionMiddleware) the Content-Encoding; so the HTTP headers are rewritten to describe the
stored bytes, keeping the received values under `X-Archive-Orig-<Name>` — the prefix Wayback and pywb
use for original headers that no longer apply (`Content-Encoding`, `Transfer-Encoding`,
`Content-Length` when it differs). Nothing else in the status line or headers is touched.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import socket
import time
import uuid
import fcntl
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ._fs import atomic_write_bytes
from .cdxj import INDEX_NAME, cdxj_line, index_lock, read_index

OPEN_SUFFIX = ".open"


@dataclass(frozen=True)
class WarcRef:
    """Where a capture sits: file name (relative to the WARC directory), offset, length."""
    file: str
    offset: int
    length: int
    payload_digest: str
    revisit: bool
    # For a revisit: the response record holding the payload (what a row points at, so that any WARC
    # reader finds the bytes behind its content_sha256 there).
    payload_file: str | None = None
    payload_offset: int | None = None


@dataclass
class Capture:
    """One response read back: the payload of a revisit is that of the record it refers to."""
    url: str
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: datetime
    file: str
    offset: int
    revisit: bool
    payload_digest: str
    notes: dict = field(default_factory=dict)


def payload_digest(body: bytes) -> str:
    """The WARC-Payload-Digest warcio writes: sha1, base32."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()


def warc_date(dt: datetime) -> str:
    """WARC/1.0 date: UTC, whole seconds."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def honest_headers(headers, body: bytes, decoded: str | None) -> list[tuple[str, str]]:
    """Headers describing the stored body; values that no longer apply kept as X-Archive-Orig-*."""
    out = []
    for name, value in headers:
        low = name.lower()
        if low == "transfer-encoding" or (low == "content-encoding" and decoded):
            out.append(("X-Archive-Orig-" + name, value))
        elif low == "content-length":
            if value.strip() != str(len(body)):
                out.append(("X-Archive-Orig-" + name, value))
        else:
            out.append((name, value))
    if decoded and not any(n.lower() == "x-archive-orig-content-encoding" for n, _ in out):
        out.append(("X-Archive-Orig-Content-Encoding", decoded))
    out.append(("Content-Length", str(len(body))))
    return out


class WarcWriter:
    """Append request/response pairs to rolling .warc.gz files, deduplicating identical payloads."""

    def __init__(self, directory, *, max_bytes: int = 1 << 30, prefix: str = "govreports",
                 fsync: bool = False):
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self.prefix = prefix
        self.fsync = fsync
        self._serial = 0
        # start time, pid and a random token: two writers never pick the same name
        self._stem = f"{prefix}-{time.strftime('%Y%m%d%H%M%S', time.gmtime())}-{os.getpid()}-" \
                     f"{uuid.uuid4().hex[:6]}"
        self._f = None
        self._name: str | None = None
        self._records_in_file = 0
        self.recovered = recover(self.dir)
        # (url, digest) -> (url, warc date, file, offset) of the stored copy, from this and earlier runs
        self.known = {(e["url"], e["digest"]): (e["url"], e["date"], e.get("filename"), int(e.get("offset", 0)))
                      for e in read_index(self.dir) if e.get("mime") != "warc/revisit"}
        self._warc = WARCWriter(None, gzip=True, warc_version="1.0")

    # -- files -------------------------------------------------------------------------------
    def _open_next(self) -> None:
        """Start the next file with its warcinfo record."""
        self._name = f"{self._stem}-{self._serial:05d}.warc.gz"
        self._serial += 1
        path = self.dir / (self._name + OPEN_SUFFIX)
        self._f = open(path, "xb")
        fcntl.flock(self._f.fileno(), fcntl.LOCK_EX)  # tells recover() this file is alive
        info = {"software": "govreports archive (warcio)", "hostname": socket.gethostname(),
                "format": "WARC File Format 1.0", "isPartOf": self.prefix}
        buf = io.BytesIO()
        WARCWriter(buf, gzip=True).write_record(
            self._warc.create_warcinfo_record(self._name, info))
        self._f.write(buf.getvalue())
        self._f.flush()
        self._records_in_file = 0

    def _close_file(self) -> None:
        """Flush, rename `.open` away, release."""
        if self._f is None:
            return
        self._f.flush()
        os.fsync(self._f.fileno())
        os.replace(self.dir / (self._name + OPEN_SUFFIX), self.dir / self._name)
        self._f.close()
        self._f = None

    # -- records -----------------------------------------------------------------------------
    def write_response(self, *, url: str, status: int, reason: str = "",
                       response_headers=(), body: bytes, request_method: str = "GET",
                       request_headers=(), fetched_at: datetime, notes: dict | None = None,
                       decoded_content_encoding: str | None = None) -> WarcRef:
        """Archive one fetch (response or revisit, then its request); return where it sits.

        `decoded_content_encoding`: the Content-Encoding the body was already decoded from
        (e.g. "gzip" when Scrapy decompressed it), recorded as X-Archive-Orig-Content-Encoding.
        """
        digest = payload_digest(body)
        date = warc_date(fetched_at)
        http = StatusAndHeaders(f"{int(status)} {reason}".rstrip(),
                                honest_headers(response_headers, body, decoded_content_encoding),
                                protocol="HTTP/1.1")
        extra = {"WARC-Date": date}
        if notes:
            extra["Govreports-Notes"] = json.dumps(notes, ensure_ascii=True, sort_keys=True,
                                                   default=str)
        original = self.known.get((url, digest))
        if original:
            resp = self._warc.create_revisit_record(url, digest, original[0], original[1],
                                                    http_headers=http, warc_headers_dict=extra)
        else:
            resp = self._warc.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                 length=len(body), http_headers=http,
                                                 warc_headers_dict=extra)
        req = self._request_record(url, request_method, request_headers, date)
        req.rec_headers.add_header("WARC-Concurrent-To",
                                   resp.rec_headers.get_header("WARC-Record-ID"))
        buf = io.BytesIO()
        w = WARCWriter(buf, gzip=True, warc_version="1.0")
        w.write_record(resp)
        resp_len = buf.tell()
        w.write_record(req)
        offset = self._append(buf.getvalue())
        mime = "warc/revisit" if original else _mime(response_headers)
        self._index(url, date, mime, status, digest, resp_len, offset)
        if not original:
            self.known[(url, digest)] = (url, date, self._name, offset)
            return WarcRef(self._name, offset, resp_len, digest, False)
        return WarcRef(self._name, offset, resp_len, digest, True, original[2], original[3])

    def _request_record(self, url, method, headers, date):
        """The request record: request line and headers as sent."""
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = list(headers)
        if not any(n.lower() == "host" for n, _ in headers):
            headers.insert(0, ("Host", parts.netloc))
        http = StatusAndHeaders(f"{method} {target} HTTP/1.1", headers, is_http_request=True)
        return self._warc.create_warc_record(url, "request", payload=io.BytesIO(b""), length=0,
                                             http_headers=http,
                                             warc_headers_dict={"WARC-Date": date})

    def _append(self, data: bytes) -> int:
        """Write the records of one fetch in one go, rolling over first if they would not fit."""
        if self._f is None:
            self._open_next()
        elif self._records_in_file and self._f.tell() + len(data) > self.max_bytes:
            self._close_file()
            self._open_next()
        offset = self._f.tell()
        self._f.write(data)
        self._f.flush()
        if self.fsync:
            os.fsync(self._f.fileno())
        self._records_in_file += 1
        return offset

    def _index(self, url, date, mime, status, digest, length, offset) -> None:
        """Append the CDXJ line of a response/revisit (the WARC bytes are already written)."""
        line = cdxj_line(url, date, mime=mime, status=status, digest=digest, length=length,
                         offset=offset, filename=self._name)
        with index_lock(self.dir):
            with open(self.dir / INDEX_NAME, "a", encoding="utf-8") as f:
                f.write(line)

    def close(self) -> None:
        """Close the current file and leave the index sorted."""
        self._close_file()
        sort_index(self.dir)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _mime(headers) -> str:
    """Content-Type without parameters, as CDX indexes keep it."""
    for name, value in headers:
        if name.lower() == "content-type":
            return value.split(";")[0].strip().lower() or "unk"
    return "unk"


# -- recovery and index maintenance ---------------------------------------------------------

def _whole_records(path: Path) -> list[tuple[int, int]]:
    """(offset, length) of every complete record in a WARC file; a torn tail is left out."""
    spans = []
    with open(path, "rb") as f:
        it = ArchiveIterator(f)
        try:
            for rec in it:
                rec.raw_stream.read()
                spans.append((it.get_record_offset(), it.get_record_length()))
        except Exception:  # torn gzip member or header: everything before it is whole
            pass
    return spans


def recover(directory) -> list[str]:
    """Close the `.open` files of dead writers: truncate after the last whole record, index, rename."""
    directory = Path(directory)
    done = []
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".warc.gz" + OPEN_SUFFIX):
            continue
        path = directory / name
        with open(path, "r+b") as f:
            try:
                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a live writer's file
            spans = _whole_records(path)
            end = spans[-1][0] + spans[-1][1] if spans else 0
            f.truncate(end)
            os.fsync(f.fileno())
        final = name[: -len(OPEN_SUFFIX)]
        if not spans:  # died before its warcinfo was whole: nothing to keep
            os.unlink(path)
            done.append(f"{final}: empty, removed")
            continue
        _index_missing(directory, path, final)
        os.replace(path, directory / final)
        done.append(f"{final}: kept {len(spans)} records, truncated at {end}")
    return done


def _index_missing(directory: Path, path: Path, filename: str) -> None:
    """Add CDXJ lines for response/revisit records of `path` the index lacks."""
    have = {(e["filename"], int(e["offset"])) for e in read_index(directory)}
    lines = [line for line in index_file(path, filename) if
             (filename, int(json.loads(line.split(" ", 2)[2])["offset"])) not in have]
    if lines:
        with index_lock(directory):
            with open(directory / INDEX_NAME, "a", encoding="utf-8") as f:
                f.writelines(lines)


def index_file(path: Path, filename: str | None = None) -> list[str]:
    """CDXJ lines for the response and revisit records of one WARC file."""
    lines = []
    with open(path, "rb") as f:
        it = ArchiveIterator(f)
        try:
            for rec in it:
                if rec.rec_type not in ("response", "revisit"):
                    continue
                h = rec.rec_headers
                status = rec.http_headers.get_statuscode() if rec.http_headers else "-"
                mime = ("warc/revisit" if rec.rec_type == "revisit"
                        else _mime(rec.http_headers.headers if rec.http_headers else []))
                rec.raw_stream.read()
                lines.append(cdxj_line(h.get_header("WARC-Target-URI"), h.get_header("WARC-Date"),
                                       mime=mime, status=status,
                                       digest=h.get_header("WARC-Payload-Digest"),
                                       length=it.get_record_length(),
                                       offset=it.get_record_offset(),
                                       filename=filename or path.name))
        except Exception:
            pass  # a torn tail of an .open file
    return lines


def settle(directory) -> list[str]:
    """What a crawl does on start, for the maintenance commands (which hold the run lock too): the files
    of a writer that died closed and named as the rows say, the index sorted for binary search."""
    if not Path(directory).is_dir():
        return []
    done = recover(directory)
    sort_index(directory)
    return done


def sort_index(directory) -> int:
    """Rewrite index.cdxj SURT-sorted and without duplicate lines; return the line count."""
    directory = Path(directory)
    with index_lock(directory):
        path = directory / INDEX_NAME
        lines = path.read_text(encoding="utf-8").splitlines(True) if path.exists() else []
        lines = sorted(set(lines))
        atomic_write_bytes(path, "".join(lines).encode("utf-8"))
    return len(lines)


def rebuild_index(directory) -> int:
    """Re-derive index.cdxj from the WARC files themselves (finished and open ones)."""
    directory = Path(directory)
    lines = []
    for name in sorted(os.listdir(directory)):
        if name.endswith(".warc.gz") or name.endswith(".warc.gz" + OPEN_SUFFIX):
            lines += index_file(directory / name, name.removesuffix(OPEN_SUFFIX))
    with index_lock(directory):
        atomic_write_bytes(directory / INDEX_NAME, "".join(sorted(set(lines))).encode("utf-8"))
    return len(lines)


# -- reading -------------------------------------------------------------------------------

def _resolve(path) -> Path:
    """A finished file, or its `.open` twin while it is still being written."""
    path = Path(path)
    if not path.exists() and Path(str(path) + OPEN_SUFFIX).exists():
        return Path(str(path) + OPEN_SUFFIX)
    return path


def _capture(rec, file: str, offset: int) -> Capture:
    """A Capture from a response or revisit record (revisit body left empty)."""
    h = rec.rec_headers
    status_line = rec.http_headers.statusline if rec.http_headers else ""
    code, _, reason = status_line.partition(" ")
    notes = h.get_header("Govreports-Notes")
    body = rec.raw_stream.read() if rec.rec_type == "response" else b""
    when = datetime.strptime(h.get_header("WARC-Date")[:19], "%Y-%m-%dT%H:%M:%S")
    return Capture(url=h.get_header("WARC-Target-URI"), status=int(code or 0), reason=reason,
                   headers=list(rec.http_headers.headers) if rec.http_headers else [],
                   body=body, fetched_at=when.replace(tzinfo=timezone.utc),
                   file=file, offset=offset, revisit=rec.rec_type == "revisit",
                   payload_digest=h.get_header("WARC-Payload-Digest") or "",
                   notes=json.loads(notes) if notes else {})


def _refers_to(rec) -> tuple[str, str]:
    """(target URI, payload digest) a revisit record points back to."""
    h = rec.rec_headers
    return h.get_header("WARC-Refers-To-Target-URI"), h.get_header("WARC-Payload-Digest")


def read_record(file, offset: int, *, warc_dir=None) -> Capture:
    """The capture at `offset` of `file` (a path, or a name inside `warc_dir`), revisits resolved."""
    path = Path(warc_dir) / file if warc_dir and not Path(file).is_absolute() else Path(file)
    with open(_resolve(path), "rb") as f:
        f.seek(offset)
        rec = next(iter(ArchiveIterator(f)))
        cap = _capture(rec, path.name, offset)
        key = _refers_to(rec) if cap.revisit else None
    if key:
        orig = _lookup_original(path.parent, *key)
        cap.body = read_record(path.parent / orig[0], orig[1]).body
    return cap


def _lookup_original(directory: Path, url: str, digest: str) -> tuple[str, int]:
    """Find the response record holding `digest` for `url` through the CDXJ index."""
    for e in read_index(directory):
        if e["url"] == url and e["digest"] == digest and e.get("mime") != "warc/revisit":
            return e["filename"], int(e["offset"])
    raise LookupError(f"no stored payload {digest} for {url} in {directory}")


def warc_files(directory) -> list[Path]:
    """WARC files of the directory in name order (open ones included)."""
    directory = Path(directory)
    return [directory / n for n in sorted(os.listdir(directory))
            if n.endswith(".warc.gz") or n.endswith(".warc.gz" + OPEN_SUFFIX)]


def iter_records(warc_dir):
    """Every response/revisit in the directory, in file order, with bodies (revisits resolved)."""
    warc_dir = Path(warc_dir)
    originals: dict[tuple[str, str], tuple[str, int]] = {}
    for path in warc_files(warc_dir):
        name = path.name.removesuffix(OPEN_SUFFIX)
        with open(path, "rb") as f:
            it = ArchiveIterator(f)
            try:
                for rec in it:
                    if rec.rec_type not in ("response", "revisit"):
                        continue
                    cap = _capture(rec, name, -1)  # reads the body first: the offset
                    cap.offset = it.get_record_offset()  # call would skip it otherwise
                    if cap.revisit:
                        key = _refers_to(rec)
                        loc = originals.get(key) or _lookup_original(warc_dir, *key)
                        cap.body = read_record(warc_dir / loc[0], loc[1]).body
                    else:
                        originals[(cap.url, cap.payload_digest)] = (name, cap.offset)
                    yield cap
            except Exception:
                if not path.name.endswith(OPEN_SUFFIX):
                    raise
                # else: the torn tail of a file still being written (or not yet recovered)
