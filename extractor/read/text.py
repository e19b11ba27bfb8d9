"""Plain text and Markdown: detect the character encoding."""
from __future__ import annotations

import codecs


def decode_text(data: bytes) -> tuple[str, str] | None:
    """Decode ``data`` as text; ``None`` when it is binary. Line breaks become ``\\n``."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _lines(data.decode(encoding, errors="replace")), encoding
    if b"\x00" in data[:4096]:
        return None
    try:
        return _lines(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    # Windows-1258 is the legacy Vietnamese Windows code page: it decodes every byte but a few.
    return _lines(data.decode("cp1258", errors="replace")), "cp1258"


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
