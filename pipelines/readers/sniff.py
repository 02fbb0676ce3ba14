"""What kind of file a body is (magic bytes, then headers, then URL), and reading it accordingly."""
from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import unquote, urlparse

from pipelines.model import Document

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGIC = b"PK\x03\x04"
HTML_MARKERS = re.compile(rb"<(?:!doctype\s+html|html|head|body|div|table|p|meta)[\s>/]", re.I)
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)
CONTENT_TYPES = (("pdf", "pdf"), ("wordprocessingml", "docx"), ("msword", "doc"),
                 ("html", "html"), ("xml", "html"), ("text/plain", "txt"))
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "doc": "doc", "wps": "doc", "html": "html", "htm": "html",
              "shtml": "html", "jsp": "html", "php": "html", "asp": "html", "aspx": "html", "txt": "txt"}
FILENAME = re.compile(r"""filename\*?=(?:UTF-8'')?["']?([^"';]+)""", re.I)
BINARY = ("pdf", "doc", "docx")


def sniff_type(body: bytes, content_type: str | None = None, url: str | None = None,
               content_disposition: str | None = None) -> str:
    """'pdf', 'docx', 'doc', 'html' or 'txt': magic bytes, then Content-Type/-Disposition, then URL."""
    magic = _by_magic(body or b"")
    if magic:
        return magic
    claimed = _by_content_type(content_type) or _by_extension(_disposition_name(content_disposition))
    claimed = claimed or _by_extension(urlparse(url or "").path)
    if claimed in BINARY and not _looks_html(body):
        return claimed
    # Markup or not is told by the bytes: an error page served for a file is HTML, a text saved as .html is text.
    return "html" if _looks_html(body) else "txt"


def _by_magic(body: bytes) -> str | None:
    """Type from the first bytes: %PDF, an OLE compound file, a zip holding word/document.xml."""
    if b"%PDF-" in body[:1024]:
        return "pdf"
    if body[:8] == OLE_MAGIC:
        return "doc"
    if body[:4] == ZIP_MAGIC:
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as z:
                return "docx" if "word/document.xml" in z.namelist() else None
        except zipfile.BadZipFile:
            return None
    return None


def _by_content_type(content_type: str | None) -> str | None:
    """Type from a Content-Type header."""
    value = (content_type or "").lower()
    return next((kind for key, kind in CONTENT_TYPES if key in value), None)


def _disposition_name(header: str | None) -> str:
    """The filename a Content-Disposition header names ('' if none)."""
    m = FILENAME.search(header or "")
    return unquote(m.group(1)) if m else ""


def _by_extension(path: str) -> str | None:
    """Type from a path's extension."""
    ext = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    return EXTENSIONS.get(ext)


MIME_HEAD = re.compile(rb"^\s*MIME-Version:\s*1\.0.{0,400}?multipart/related", re.I | re.S)


def mime_html(body: bytes) -> tuple[bytes, str | None] | None:
    """The HTML part of a MIME web archive (Word's 单个文件网页 .mht, often served renamed to .doc), decoded
    from its transfer encoding, with the charset its part header names; None for any other body."""
    if not MIME_HEAD.match(body[:1024]):
        return None
    import email
    from email import policy

    message = email.message_from_bytes(body, policy=policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            return (payload, part.get_content_charset()) if payload else None
    return None


def _looks_html(body: bytes) -> bool:
    """True when the opening of a body is markup."""
    return bool(HTML_MARKERS.search((body or b"")[:4096]))


def decode_html(body: bytes) -> str:
    """Bytes of a page as text: declared charset, else UTF-8, else GB18030 (a superset of GBK)."""
    m = META_CHARSET.search(body[:4096])
    declared = m.group(1).decode("ascii", "ignore").lower() if m else ""
    if declared in ("gb2312", "gbk", "cp936"):
        declared = "gb18030"
    for charset in filter(None, (declared, "utf-8")):
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("gb18030", errors="replace")


def read_document(body: bytes, *, content_type: str | None = None, url: str | None = None) -> Document:
    """Sniff a body and read it with the matching reader."""
    from pipelines.readers import read_doc, read_docx, read_html, read_pdf, read_text
    kind = sniff_type(body, content_type, url)
    if kind == "pdf":
        return read_pdf(body)
    if kind == "docx":
        return read_docx(body)
    if kind == "doc":
        return read_doc(body)
    text = decode_html(body)
    return read_html(text, url) if kind == "html" else read_text(text)
