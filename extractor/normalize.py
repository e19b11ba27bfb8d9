"""Normalise document text for matching while keeping every offset traceable to the source.

Patterns run on ``NormalizedText.text``; every span found there is mapped back to the document
text with :meth:`NormalizedText.source_span`, so a fact's ``text`` is always an exact slice of
what the reader produced.

Two kinds of edit are made:

* length-changing edits, recorded in an offset map: decomposed characters composed to NFC,
  zero-width characters and soft hyphens removed;
* same-length substitutions, which need no map: look-alike letters (``Ð`` U+00D0 → ``Đ``),
  exotic spaces and hyphens, the old tone-mark placement (``hoá`` → ``hóa``,
  ``thuỷ`` → ``thủy``) unified to one form, and Markdown emphasis inside a reference or a
  date (``ngày* *27/10/2025``, ``số** 203**/2025/QH15``) blanked.

Line breaks and stray spaces inside references and dates are not edited away: the patterns
tolerate them, so offsets never have to be re-threaded through joined lines.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import unicodedata
from dataclasses import dataclass, field

import regex

from .multiscan import AVAILABLE, MultiScan, utf8

_SAME_LENGTH = str.maketrans(
    {
        "\u00d0": "Đ",  # Latin capital eth, typed for Đ by legacy keyboards and OCR
        "\u00f0": "đ",
        "\u0189": "Đ",  # African D
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u3000": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",  # en dash, as in ranges "2021–2025" and "15/6/2023 – 14/9/2023"
        "\u2014": "-",
        "\u2212": "-",
        "\u2215": "/",
        "\uff0f": "/",
    }
)

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# Zero-width characters and soft hyphens carry no text; runs of combining marks get composed
# with the character before them.
_LENGTH_CHANGING = regex.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]|\p{M}+")
_SAME_LENGTH_CHARS = "".join(chr(c) for c in _SAME_LENGTH)
_SAME_LENGTH_RE = regex.compile("[" + regex.escape(_SAME_LENGTH_CHARS) + "]")


# Markdown emphasis a crawl left inside a reference or a date: marks (runs of * or _, possibly
# several apart) between a number, the end of a ký hiệu or one of the words of a date, and a
# number, a "/" or a word of a date (on the next line too). A mark hugs the word it emphasises,
# so marks with blanks on both sides ("209.929 * 5.000", a product) are left alone.
_EMPHASIS = regex.compile(
    r"(?<=(?P<left>\d|[A-ZĐ]|(?<!\p{L})(?i:ngày|tháng|năm|số))(?P<gap>[ \t]*))"
    r"[*_]{1,3}(?:[ \t]*[*_]{1,3})*"
    r"(?=(?P<gap2>[ \t]*)(?:\r?\n[ \t]*)?(?:\d|/|(?i:ngày|tháng|năm)(?!\p{L})))")


def _blank_emphasis(text: str) -> str:
    if "*" not in text and "_" not in text:
        return text

    def blank(m: regex.Match) -> str:
        if m["gap"] and m["gap2"]:
            return m.group()
        # An underscore inside a word is no emphasis (CommonMark): "2024_12_10" in a link.
        if "_" in m.group() and not m["gap"] and not m["gap2"] and m.end() < len(text) \
                and text[m.end()].isalnum():
            return m.group()
        return " " * len(m.group())

    return _EMPHASIS.sub(blank, text)


def _contains_any(text: str, chars: str) -> bool:
    # str.__contains__ per character is far faster than one regex class scan.
    return any(c in text for c in chars)


_TONES = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")


def _tone_placement_table() -> dict[str, str]:
    """Map old-style 'oá', 'oé', 'uý' (tone on the second vowel of an open syllable) to 'óa'..."""
    table = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for f, s in ((first, second), (first.upper(), second), (first.upper(), second.upper())):
            for tone in _TONES:
                old = f + unicodedata.normalize("NFC", s + tone)
                new = unicodedata.normalize("NFC", f + tone) + s
                table[old] = new
    return table


_TONE_TABLE = _tone_placement_table()
# 'qu' is one consonant, so 'quý' is already right in both styles and must stay as it is.
_OLD_TONE_PLACEMENT = regex.compile(
    "[oOuU](?<![qQ].)[" + "".join(sorted({k[1] for k in _TONE_TABLE})) + r"](?!\p{L})"
)


_TONE_KEYS, _LOOK_ALIKES = 0, 1


@functools.lru_cache(maxsize=1)
def _same_length_scan() -> MultiScan | None:
    """One Hyperscan pass for what the same-length edits look for; the regexes above would try
    every o and u, and every look-alike character separately."""
    if not AVAILABLE:
        return None
    # Letters of Latin scripts; the final "not a letter" test is made in Python (str.isalpha).
    latin_letters = "".join(chr(c) for c in range(0xC0, 0x24F) if chr(c).isalpha())
    latin_letters += "".join(chr(c) for c in range(0x1E00, 0x1F00) if chr(c).isalpha())
    return MultiScan(
        ["(?:" + "|".join(sorted(_TONE_TABLE)) + ")(?:[^a-zA-Z" + latin_letters + "]|$)",
         "[" + _SAME_LENGTH_CHARS.replace("\\", "\\\\").replace("-", "\\-").replace("]", "\\]") + "]"],
        [_TONE_KEYS, _LOOK_ALIKES])


def _same_length_edits(text: str) -> tuple[str, bytes | None]:
    """``text`` with look-alikes replaced and the new tone placement, and its UTF-8 bytes when
    they come for free (nothing changed)."""
    scan = _same_length_scan()
    data = utf8(text) if scan is not None else None
    if data is None:
        if _contains_any(text, _SAME_LENGTH_CHARS):
            text = _SAME_LENGTH_RE.sub(lambda m: m.group().translate(_SAME_LENGTH), text)
        return _OLD_TONE_PLACEMENT.sub(lambda m: _TONE_TABLE.get(m.group(), m.group()), text), None
    found = scan.starts(text, data)
    # Look-alikes are never o, u, a toned vowel or a q, so the tone tests hold after them too.
    edits = [(start, 1, text[start].translate(_SAME_LENGTH)) for start in found.get(_LOOK_ALIKES, [])]
    edits += [(start, 2, _TONE_TABLE[text[start:start + 2]]) for start in found.get(_TONE_KEYS, [])
              if (start == 0 or text[start - 1] not in "qQ")
              and not (start + 2 < len(text) and text[start + 2].isalpha())]
    if not edits:
        return text, data
    pieces, previous = [], 0
    for start, length, replacement in sorted(edits):
        pieces += [text[previous:start], replacement]
        previous = start + length
    pieces.append(text[previous:])
    return "".join(pieces), None


@dataclass
class NormalizedText:
    """Text for matching plus the map back to the source text it came from."""

    source: str
    text: str
    # Sorted starts (in ``text``) of segments and the matching starts in ``source``; a segment
    # is either copied verbatim (same length) or the result of one length-changing edit.
    _norm_starts: list[int] = field(default_factory=list, repr=False)
    _src_starts: list[int] = field(default_factory=list, repr=False)
    _copied: list[bool] = field(default_factory=list, repr=False)
    # ``text`` in UTF-8 when normalising produced it anyway (for the extraction prefilter).
    encoded: bytes | None = field(default=None, repr=False)

    @property
    def is_identity(self) -> bool:
        return not self._norm_starts

    def _segment_of(self, pos: int) -> int:
        """Index of the last segment starting at or before ``pos`` (empty edits are skipped)."""
        return bisect.bisect_right(self._norm_starts, pos) - 1

    def _next_src(self, i: int) -> int:
        return self._src_starts[i + 1] if i + 1 < len(self._src_starts) else len(self.source)

    def _start_to_source(self, pos: int) -> int:
        i = self._segment_of(pos)
        if i < 0:
            return pos
        if self._copied[i] or pos == self._norm_starts[i]:
            return self._src_starts[i] + (pos - self._norm_starts[i])
        # Inside an edited segment: widen to the whole edit so no source character is split.
        return self._src_starts[i]

    def _end_to_source(self, pos: int) -> int:
        if pos == 0:
            return 0
        i = self._segment_of(pos - 1)
        if i < 0:
            return pos
        if self._copied[i]:
            return self._src_starts[i] + (pos - self._norm_starts[i])
        return self._next_src(i)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``text`` to the span of ``source`` it was made from."""
        if not self._norm_starts:
            return start, end
        return self._start_to_source(start), self._end_to_source(end)

    def source_offset(self, offset: int) -> int:
        """The offset of ``source`` where the character at ``offset`` of ``text`` came from."""
        return self._start_to_source(offset) if self._norm_starts else offset

    def normalized_offset(self, offset: int) -> int:
        """The offset of ``text`` that the character at ``offset`` of ``source`` became (the
        start of its edit, for a character an edit merged or removed)."""
        if not self._norm_starts:
            return offset
        i = bisect.bisect_right(self._src_starts, offset) - 1
        if i < 0:
            return offset
        if self._copied[i]:
            return self._norm_starts[i] + (offset - self._src_starts[i])
        return self._norm_starts[i]

    def normalized_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``source`` to the span of ``text`` made from it."""
        if not self._norm_starts:
            return start, end
        if end <= start:
            return (self.normalized_offset(start),) * 2
        # The end is just past the edit holding the span's last character.
        last = end - 1
        i = bisect.bisect_right(self._src_starts, last) - 1
        if i < 0:
            return self.normalized_offset(start), end
        if self._copied[i]:
            return self.normalized_offset(start), self._norm_starts[i] + (end - self._src_starts[i])
        following = self._norm_starts[i + 1] if i + 1 < len(self._norm_starts) else len(self.text)
        return self.normalized_offset(start), following


def normalize(source: str) -> NormalizedText:
    """Return the matching text for ``source`` with its offset map."""
    pieces: list[str] = []
    norm_starts: list[int] = []
    src_starts: list[int] = []
    copied: list[bool] = []
    norm_pos = 0
    src_pos = 0
    # Most documents are already NFC and free of zero-width characters: skip the edit scan.
    needs_edits = not unicodedata.is_normalized("NFC", source) or _contains_any(source, _ZERO_WIDTH)
    for m in _LENGTH_CHANGING.finditer(source) if needs_edits else ():
        if m.group()[0] in _ZERO_WIDTH:
            edit_start, replacement = m.start(), ""
        else:
            edit_start = m.start() - 1 if m.start() > src_pos else m.start()
            original = source[edit_start : m.end()]
            replacement = unicodedata.normalize("NFC", original)
            if replacement == original:
                continue
        if edit_start > src_pos:
            norm_starts.append(norm_pos)
            src_starts.append(src_pos)
            copied.append(True)
            pieces.append(source[src_pos:edit_start])
            norm_pos += edit_start - src_pos
        norm_starts.append(norm_pos)
        src_starts.append(edit_start)
        copied.append(False)
        pieces.append(replacement)
        norm_pos += len(replacement)
        src_pos = m.end()
    if norm_starts:
        if src_pos < len(source):
            norm_starts.append(norm_pos)
            src_starts.append(src_pos)
            copied.append(True)
            pieces.append(source[src_pos:])
        text = "".join(pieces)
    else:
        text = source
    text, encoded = _same_length_edits(text)
    blanked = _blank_emphasis(text)
    if blanked != text:
        text, encoded = blanked, None
    return NormalizedText(source, text, norm_starts, src_starts, copied, encoded)


@functools.lru_cache(maxsize=4096)
def fold_tone_placement(word: str) -> str:
    """Return ``word`` with the tone-mark placement used for matching (``hoá`` → ``hóa``)."""
    return normalize(word).text


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in itertools.chain(range(0x41, 0x5B), range(0xC0, 0x250), range(0x1E00, 0x1F00)):
        char = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        base = base.lower()
        if len(base) == 1 and base != char:
            table[cp] = base
    for char in "đĐðÐƉɖ":
        table[ord(char)] = "d"
    return table


_FOLD = _fold_table()


@functools.lru_cache(maxsize=1)
def fold_variants() -> dict[str, str]:
    """Each folded letter with every character :func:`fold` turns into it ('d' → 'dDđĐ…')."""
    out: dict[str, set[str]] = {}
    for cp, base in _FOLD.items():
        out.setdefault(base, {base}).add(chr(cp))
    return {base: "".join(sorted(chars)) for base, chars in out.items()}


def fold(text: str) -> str:
    """Lower case without tone marks, ``đ`` → ``d``, one character for one (offsets kept):
    'Hưng Yên' → 'hung yen'. The key for search, gazetteers and comparing names."""
    return text.translate(_FOLD)
