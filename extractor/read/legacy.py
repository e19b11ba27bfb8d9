"""Legacy Vietnamese font encodings (TCVN3/ABC ``.VnTime``, VNI ``VNI-Times``) to Unicode.

Before Unicode was mandated (around 2010) Vietnamese documents were typed with 8-bit fonts:
the bytes are ordinary Windows-1252 characters (``Céng hoµ x· héi``) that the font draws as
Vietnamese letters. Conversion uses the tables of viparse (a maintained converter on PyPI).
The font name is the strongest signal (``.Vn*`` is TCVN3, ``VNI*`` is VNI); without one the
text itself is scored.

TCVN3 puts ``ư`` on byte 0xAD, the soft hyphen: every reader must keep U+00AD in legacy runs
(DOCX ``<w:softHyphen/>`` included), or the letter silently disappears.
"""
from __future__ import annotations

import functools
import re

TCVN3 = "tcvn3"
VNI = "vni"
NAMES = {TCVN3: "TCVN3", VNI: "VNI"}

# Characters a legacy font's bytes surface as that never occur in Unicode Vietnamese text.
_FOREIGN = re.compile("[\u00a1-\u00bf\u00c4-\u00c7\u00cb\u00ce-\u00d1\u00d6-\u00d8\u00db\u00dc"
                      "\u00de-\u00df\u00e4-\u00e7\u00eb\u00ee-\u00f1\u00f6-\u00f8\u00fb-\u00fe\u2212]")
_LETTER = re.compile(r"[^\W\d_]")


def font_encoding(font: str | None) -> str | None:
    """The legacy encoding a font name implies: ``.VnTime`` → tcvn3, ``VNI-Times`` → vni."""
    if not font:
        return None
    name = re.sub(r"^[A-Z]{6}\+", "", font).strip().upper()
    if name.startswith(".VN") or name.startswith("VN") and name[2:6] in ("TIME", "ARIA", "AVAN", "HELV"):
        return TCVN3
    if name.startswith("VNI"):
        return VNI
    return None


def looks_legacy(text: str) -> bool:
    """Cheap test: enough characters that Unicode Vietnamese never uses to be worth scoring."""
    sample = text[:200_000]
    foreign = len(_FOREIGN.findall(sample))
    if foreign < 4:
        return False
    letters = len(_LETTER.findall(sample)) or 1
    return foreign / letters >= 0.02


def detect(text: str) -> str | None:
    """``tcvn3``, ``vni`` or ``None`` (Unicode, not Vietnamese, or too little to tell)."""
    if not looks_legacy(text):
        return None
    import viparse

    found = viparse.detect_text_encoding(text[:200_000])
    return found if found in (TCVN3, VNI) else None


@functools.lru_cache(maxsize=8192)
def _convert_short(text: str, encoding: str) -> str:
    import viparse

    return viparse.fix(text, encoding=encoding)


def convert(text: str, encoding: str | None) -> str:
    """``text`` converted from ``encoding`` to NFC Unicode (unchanged when ``encoding`` is None)."""
    if not encoding or not text:
        return text
    if len(text) < 256:
        return _convert_short(text, encoding)
    import viparse

    return viparse.fix(text, encoding=encoding)
