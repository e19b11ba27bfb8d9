"""How much a text looks like Vietnamese: the page quality score and the garbled-layer test.

A scan's OCR layer made by a tool without a Vietnamese model, or a PDF text layer whose font
has no usable character map, gives words like ``Hcok xA HQI CHiJ`` or ``Dc 1p - Ty do``: the
letters are there but the words are not Vietnamese syllables, or every diacritic is lost
(``UBND THANH PHO DA NANG``). Vietnamese is written one syllable per word with a closed
syllable structure, so a word-level check is cheap and reliable:

- ``valid``: share of judged words that are well-formed Vietnamese syllables
  (onset, vowel nucleus, final consonant, at most one tone mark);
- ``marked``: share of those words that carry a diacritic (tone, ``ă â ê ô ơ ư`` or ``đ``);
  running Vietnamese prose has 85-95% of its syllables marked, a garbled layer under 45%.

Abbreviations (``UBND``, ``QĐ``) and single letters are not judged; numbers are ignored.
"""
from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

import regex

_TONE_MARKS = dict.fromkeys(map(ord, "\u0300\u0301\u0303\u0309\u0323"))
_VOWELS = "aăâeêioôơuưy"
_SYLLABLE = regex.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"[" + _VOWELS + r"]{1,3}"
    r"(?:ch|ng|nh|[cmnpt])?"
)
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
_MARKED = set("ăâêôơưđ")


@functools.lru_cache(maxsize=65536)
def _judge(word: str) -> int:
    """1: a Vietnamese syllable with a diacritic, 2: one without, 0: not a syllable, -1: not judged."""
    if word.isdigit():
        return -1
    letters = sum(1 for c in word if c.isalpha())
    if letters < len(word):
        # Letters mixed with digits: codes such as "QH13" are fine, "h9c" or "d6tig" are OCR noise.
        return -1 if word.upper() == word else 0
    if len(word) == 1:
        return -1
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for c in decomposed if ord(c) in _TONE_MARKS)
    base = unicodedata.normalize("NFC", decomposed.translate(_TONE_MARKS))
    if tones <= 1 and _SYLLABLE.fullmatch(base):
        return 1 if tones or any(c in _MARKED for c in base) else 2
    if word.isupper() and len(word) <= 8:
        return -1  # an abbreviation: UBND, SGDĐT, HĐND
    return 0


@dataclass(frozen=True)
class Quality:
    words: int  # words judged
    valid: float  # share of judged words that are Vietnamese syllables
    marked: float  # share of valid syllables carrying a diacritic

    @property
    def score(self) -> float:
        """0..1: share of words that look like Vietnamese, lowered when diacritics are missing."""
        if not self.words:
            return 0.0
        return round(self.valid * min(1.0, self.marked / 0.75), 3)

    @property
    def garbled(self) -> bool:
        """Enough words to judge, and too many are not Vietnamese or have lost their diacritics."""
        if self.words < 12:
            return False
        return self.valid < 0.85 or self.marked < 0.6


def measure(text: str) -> Quality:
    judged = valid = marked = 0
    for m in _WORD.finditer(text):
        verdict = _judge(m.group())
        if verdict < 0:
            continue
        judged += 1
        if verdict:
            valid += 1
            if verdict == 1:
                marked += 1
    if not judged:
        return Quality(0, 0.0, 0.0)
    return Quality(judged, valid / judged, marked / valid if valid else 0.0)
