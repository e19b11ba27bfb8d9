"""Readers: turn a file into a :class:`~extractor.document.Document`.

The format is chosen by content (magic bytes), not by the file's extension.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..document import Document
from ..messages import message
from .text import decode_text

MAX_BYTES = 200 * 1024 * 1024

# Leading bytes of formats that are not plain text.
_MAGIC = [
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP/DOCX"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "DOC/OLE"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\x1f\x8b", "GZIP"),
    (b"{\\rtf", "RTF"),
]


class ReadError(Exception):
    """A file that cannot be read as a document; ``str()`` is a one-line message naming it."""

    def __init__(self, code: str, path: str, **detail: object):
        self.code = code
        self.path = path
        self.detail = detail
        super().__init__(message(code, "vi", path=path, **detail))

    def message(self, lang: str = "vi") -> str:
        return message(self.code, lang, path=self.path, **self.detail)


def sniff_format(head: bytes) -> str:
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    return "text"


def read_document(path: str | Path) -> Document:
    """Read one file; raise :class:`ReadError` with a clear reason when it cannot be read."""
    p = Path(path)
    shown = str(path)
    if not p.exists():
        raise ReadError("file_not_found", shown)
    if not p.is_file():
        raise ReadError("not_a_file", shown)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise ReadError("too_large", shown, size=size, limit=MAX_BYTES)
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError("unreadable", shown, reason=exc.strerror or type(exc).__name__) from exc
    kind = sniff_format(data[:16])
    if kind != "text":
        raise ReadError("binary_file", shown, format=kind)
    decoded = decode_text(data)
    if decoded is None:
        raise ReadError("binary_file", shown, format="?")
    text, encoding = decoded
    fmt = "markdown" if p.suffix.lower() in (".md", ".markdown") else "text"
    return Document(
        path=shown,
        sha256=hashlib.sha256(data).hexdigest(),
        format=fmt,
        text=text,
        notes=[f"encoding: {encoding}"],
    )
