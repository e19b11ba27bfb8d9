"""File names as they are shown and stored: any bytes kept, nothing that reaches a terminal.

A file name on Linux is bytes; Python hands names that are not UTF-8 over with lone surrogates
(``\\udcff``), which cannot be written to a terminal, a JSON file or a database. :func:`shown_path`
gives the one form used everywhere a name leaves the program — messages, records, the archive:
UTF-8 names as they are, every byte that is not UTF-8 as ``\\xff``, control characters (the
terminal's escape sequences, line breaks) as ``\\x1b``, ``\\n`` and ``\\u2028``, and the backslash
itself doubled, so the form is lossless: :func:`real_path` gives the name back, byte for byte.
"""
from __future__ import annotations

import os
import re
import unicodedata

_SIMPLE = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}
_ESCAPE = re.compile(r"\\(\\|n|r|t|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})")


def _needs_escape(char: str) -> bool:
    # Control characters (C0, DEL, C1), line and paragraph separators, and the bidirectional
    # controls that make a name read other than it is.
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def shown_path(path: str | os.PathLike | bytes) -> str:
    """The name of a file in its printable, lossless form (see the module's doc)."""
    if isinstance(path, bytes):
        raw = path
    else:
        raw = os.fsencode(os.fspath(path))
    text = raw.decode("utf-8", errors="surrogateescape")
    if text.isprintable() and "\\" not in text:
        return text
    return escape_text(text, backslash=True)


def escape_text(text: str, *, backslash: bool = False) -> str:
    """``text`` with bytes that were not UTF-8 (lone surrogates) and control characters written
    as escapes; with ``backslash`` the backslash is doubled too (a lossless form)."""
    out = []
    for char in text:
        code = ord(char)
        if char == "\\":
            out.append("\\\\" if backslash else char)
        elif 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as surrogateescape keeps it
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        elif char in _SIMPLE and char != "\\":
            out.append(_SIMPLE[char])
        elif _needs_escape(char):
            # \xNN only below 0x80: above, \xNN is a raw byte that was not UTF-8.
            out.append(f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def real_path(shown: str) -> str:
    """The file name (as Python's ``os`` functions take it) of a name in its shown form."""
    if "\\" not in shown:
        return shown
    raw = bytearray()

    def flush(text: str) -> None:
        raw.extend(text.encode("utf-8", errors="surrogateescape"))

    last = 0
    for match in _ESCAPE.finditer(shown):
        flush(shown[last:match.start()])
        token = match.group(1)
        if token == "\\":
            raw.extend(b"\\")
        elif token in ("n", "r", "t"):
            raw.extend({"n": b"\n", "r": b"\r", "t": b"\t"}[token])
        elif token[0] == "x":
            value = int(token[1:], 16)
            # \xNN is a raw byte when it stood for one (>= 0x80), else the control character.
            if value >= 0x80:  # a raw byte that was not UTF-8
                raw.append(value)
            else:
                flush(chr(value))
        else:
            flush(chr(int(token[1:], 16)))
        last = match.end()
    flush(shown[last:])
    return os.fsdecode(bytes(raw))


__all__ = ["escape_text", "real_path", "shown_path"]
