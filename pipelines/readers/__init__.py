"""Readers: one file (HTML, PDF, DOCX, old DOC, plain text) → pipelines.model.Document.

read_html(html, base_url=None), read_pdf(body), read_docx(body), read_doc(body), read_text(text),
sniff_type(body, content_type=None, url=None) and read_document(body, content_type=, url=).
Grids repeat a spanned cell's text into every slot it covers (see readers.common.Slot).
"""
from pipelines.readers.doc import read_doc
from pipelines.readers.docx import read_docx
from pipelines.readers.html import find_attachments, read_html
from pipelines.readers.pdf import read_pdf
from pipelines.readers.sniff import decode_html, read_document, sniff_type
from pipelines.readers.text import read_text

__all__ = ["read_html", "read_pdf", "read_docx", "read_doc", "read_text", "read_document", "sniff_type",
           "find_attachments", "decode_html"]
