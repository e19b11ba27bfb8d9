"""Plain text and Markdown: detect the character encoding and blank out site chrome.

Encodings: UTF-8 (with or without BOM), UTF-16 (with a BOM, or guessed from its zero bytes),
the legacy font encodings TCVN3 and VNI (see :mod:`.legacy`), and Windows-1258.

Site chrome of crawled pages (visitor counters, copyright banners and cookie notices, lines
holding only a table pipe ``|``) is not the document: it is replaced by spaces of the same
length, so no fact comes from it while every offset still points at the same character of
the file as decoded.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from ..document import Document
from . import legacy
from .errors import ReadError


def decode_text(data: bytes) -> tuple[str, str] | None:
    """Decode ``data`` as text; ``None`` when it is binary. Line breaks become ``\\n``."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _lines(data.decode(encoding, errors="replace")), encoding
    head = data[:4096]
    if b"\x00" in head:
        utf16 = _bomless_utf16(data)
        return (_lines(utf16[0]), utf16[1]) if utf16 else None
    try:
        return _lines(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    # An 8-bit file: a legacy Vietnamese font encoding, or the Windows-1258 code page.
    surface = _cp1252(data)
    found = legacy.detect(surface)
    if found:
        return _lines(legacy.convert(surface, found)), legacy.NAMES[found]
    # Windows-1258 decodes every byte but a few and writes tones as combining marks.
    return _lines(unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))), "cp1258"


def _cp1252(data: bytes) -> str:
    """Bytes as the Windows-1252 characters a legacy font draws (Latin-1 for the 5 holes)."""
    return "".join(
        chunk.decode("cp1252", errors="strict") if i % 2 == 0 else chunk.decode("latin-1")
        for i, chunk in enumerate(re.split(rb"([\x81\x8d\x8f\x90\x9d]+)", data))
    )


def _bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: mostly-ASCII text has a zero byte in every other position."""
    sample = data[:4096]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) / 2 or 1
    for encoding, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
        if zeros / half > 0.3 and len(data) % 2 == 0:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            printable = sum(1 for c in text[:2048] if c.isprintable() or c in "\r\n\t")
            if printable / max(1, len(text[:2048])) > 0.95:
                return text, encoding
    return None


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- site chrome -------------------------------------------------------------------------

_COUNTER = (r"(?:Đang truy cập|Đang trực tuyến|Đang online|Trực tuyến|Online|Hôm nay|Hôm qua|"
            r"Tuần này|Tuần trước|Tháng này|Tháng trước|Năm nay|Tổng truy cập|"
            r"Tổng lượt truy cập|Tổng số lượt truy cập|Lượt truy cập|Số lượt truy cập|Lượt xem)")
# Lines that are page chrome wherever they are.
_CHROME_LINES = [
    # "Đang truy cập: 1", "Đang trực tuyến: 27 | Lượt truy cập: 123.456"
    re.compile(r"(?im)^[ \t*_]*" + _COUNTER + r"[ \t*_]*:[ \t*_]*[\d.,]+[ \t*_]*"
               r"(?:[|•·,;-][ \t*_]*" + _COUNTER + r"[ \t*_]*:[ \t*_]*[\d.,]+[ \t*_]*)*$"),
    # a table cell border left alone on its line by an HTML-to-Markdown converter
    re.compile(r"(?m)^[ \t]*\|[ \t|]*$"),
]
# Blocks of chrome: from a start line to an end line (or to the end of the file).
_CHROME_BLOCKS = [
    # thuvienphapluat.vn copyright banner on its translations
    (re.compile(r"(?m)^Bản dịch này thuộc quyền sở hữu của"),
     re.compile(r"(?m)Law on Intellectual Property\.?[ \t]*$")),
    # thuvienphapluat.vn trailer: the Covid letter, the personal-data cookie notice, log-out box
    (re.compile(r"(?m)^(?:.*ngày \d{1,2}/\d{1,2}/\d{4}[ \t]*\n)?Thưa Quý khách,[ \t]*$"), None),
    (re.compile(r"(?m)^\**THÔNG BÁO[ \t*]*\n\**về Lưu trữ, Sử dụng Thông tin Khách hàng"), None),
]
_TRAILER_WINDOW = 120  # lines: a to-the-end block must start this close to the end


def blank_chrome(text: str) -> tuple[str, int]:
    """``text`` with chrome replaced by spaces (line breaks kept), and the number of lines blanked."""
    spans: list[tuple[int, int]] = []
    for pattern in _CHROME_LINES:
        spans.extend(m.span() for m in pattern.finditer(text))
    line_count = text.count("\n")
    for start_re, end_re in _CHROME_BLOCKS:
        for m in start_re.finditer(text):
            if end_re is None:
                if line_count - text.count("\n", 0, m.start()) <= _TRAILER_WINDOW:
                    spans.append((m.start(), len(text)))
                break
            end = end_re.search(text, m.end())
            if end and text.count("\n", m.start(), end.end()) <= 12:
                spans.append((m.start(), end.end()))
    if not spans:
        return text, 0
    chars = list(text)
    blanked_lines = 0
    for start, end in spans:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
        blanked_lines += text.count("\n", start, end) + 1
    return "".join(chars), blanked_lines


def read_text(data: bytes, path: str) -> Document:
    """A plain-text or Markdown document."""
    decoded = decode_text(data)
    if decoded is None:
        raise ReadError("binary_file", path, format="?")
    text, encoding = decoded
    notes = [f"encoding: {encoding}"]
    if encoding in ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"):
        found = legacy.detect(text)
        if found:
            text = legacy.convert(text, found)
            notes.append(f"legacy font encoding {legacy.NAMES[found]} converted to Unicode")
    elif encoding in legacy.NAMES.values():
        notes.append(f"legacy font encoding {encoding} converted to Unicode")
    text, blanked = blank_chrome(text)
    if blanked:
        notes.append(f"site chrome blanked: {blanked} lines")
    markdown = path.lower().endswith((".md", ".markdown"))
    return Document(path=path, sha256="", format="markdown" if markdown else "text", text=text,
                    notes=notes)

