"""Place names against the province gazetteer: exact, without tone marks, then fuzzily.

``Hung Yên`` is ``Hưng Yên`` written without its horn: it resolves, and the mismatch is a
spelling problem of the document. A name the gazetteer does not hold (a district, a fictional
province of the test corpus) resolves to nothing and is kept as written.
"""
from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import regex
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .data import Province, casefold_vi, fold, places, title_case

# One edit is tolerated in names of at least this many letters (folded); shorter names would
# collide (Hà Nam / Hà Nội differ by two).
_FUZZY_MIN_LENGTH = 6
_CAPITALISED = regex.compile(r"\p{Lu}\p{L}*(?:[ \t]+\p{Lu}\p{L}*)?(?![\p{L}])")
_NAME_WINDOW = 400  # characters: far more than five syllables of a place name
_WORD = regex.compile(r"\p{L}+(?:[ \t]*-[ \t]*\p{L}+)?")


@dataclass(frozen=True)
class PlaceMatch:
    written: str
    province: Province | None
    how: str             # "exact", "tone_marks", "fuzzy" or "unknown"

    @property
    def corrected(self) -> str:
        """The gazetteer's name (an alias such as "Thừa Thiên Huế" gives "Huế"), else as written."""
        return self.province.name if self.province else self.written

    @property
    def misspelt(self) -> bool:
        return self.how in ("tone_marks", "fuzzy")


@functools.lru_cache(maxsize=1)
def _folded_names() -> list[str]:
    return list(places().by_folded)


@functools.lru_cache(maxsize=4096)
def resolve_place(written: str) -> PlaceMatch:
    """Match a place name as written (any case) against the gazetteer."""
    name = " ".join(written.split())
    if name.isupper():
        name = title_case(name)
    gaz = places()
    province = gaz.by_name.get(casefold_vi(name))
    if province is not None:
        return PlaceMatch(name, province, "exact")
    key = fold(name)
    province = gaz.by_folded.get(key)
    if province is not None:
        return PlaceMatch(name, province, "tone_marks")
    if len(key.replace(" ", "")) >= _FUZZY_MIN_LENGTH:
        close = process.extract(key, _folded_names(), scorer=Levenshtein.distance, score_cutoff=1, limit=2)
        if len(close) == 1 and len(close[0][0].split()) == len(key.split()):
            return PlaceMatch(name, gaz.by_folded[close[0][0]], "fuzzy")
    return PlaceMatch(name, None, "unknown")


# A unit word and the capitalised syllables of the name after it: "tỉnh Quảng Trị", "TỈNH AN HÒA",
# "TP. Hồ Chí Minh", "Thành phố Hà Nội". Up to four syllables; "Bà Rịa - Vũng Tàu" keeps its dash.
_SYLLABLE = r"\p{Lu}[\p{L}]*"
PLACE_MENTION = regex.compile(
    r"(?<![\p{L}])(?P<unit>tỉnh|Tỉnh|TỈNH|thành\s+phố|Thành\s+phố|THÀNH\s+PHỐ|TP\.?|Tp\.)[ \t]*"
    r"(?P<name>" + _SYLLABLE + r"(?:(?:[ \t]+|[ \t]*-[ \t]*)\p{L}+){0,4})")


@dataclass(frozen=True)
class PlaceMention:
    start: int           # of the name
    end: int
    unit: str
    match: PlaceMatch


def _unit_of(word: str) -> str:
    return "tỉnh" if fold(word).startswith("tinh") else "thành phố"


def read_place_name(text: str, start: int, end: int) -> tuple[int, PlaceMatch] | None:
    """The longest run of syllables from ``start`` (at most to ``end``) that names a province,
    or else the first two syllables as an unknown place. Returns (end offset, match)."""
    # The first five words are all that is read: a window of the text, not the rest of its line
    # (a one-line megabyte of text made this quadratic).
    words = list(itertools.islice(_WORD.finditer(text[start:min(end, start + _NAME_WINDOW)]), 5))
    if not words:
        return None
    for n in range(min(len(words), 5), 0, -1):
        stop = start + words[n - 1].end()
        match = resolve_place(text[start:stop])
        if match.province is not None:
            return stop, match
    # Not in the gazetteer: the capitalised syllables (at most two, on one line, blanks between
    # them) are the name as written.
    m = _CAPITALISED.match(text, start, end)
    if m is None:
        return None
    return m.end(), resolve_place(m.group())


def find_place_mentions(text: str) -> list[PlaceMention]:
    found = []
    for m in PLACE_MENTION.finditer(text):
        got = read_place_name(text, m.start("name"), m.end("name"))
        if got is None:
            continue
        stop, match = got
        found.append(PlaceMention(m.start("name"), stop, _unit_of(m["unit"]), match))
    return found
