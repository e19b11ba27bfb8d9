"""People and their positions.

A person is looked for only where one is likely: after a cue word ("đồng chí", "ông", "bà"), next
to a title ("Giám đốc Sở", "PGĐ") and in the signature block. What is a name is decided by rules:
two to five capitalised syllables, not a title, a body or a province, starting with a family name
of surnames.yaml. A capitalised run whose first syllable is not in that list is a name only when
underthesea's CRF NER tags it as a person: the model is slow (about 10 KB/s here) and tags most of
a report as locations, so it is asked about those few candidates only.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

import regex

from .data import Title, bodies, fold, places, positions, surnames, casefold_vi

_SYLLABLE = regex.compile(r"\p{Lu}\p{Ll}*(?![\p{L}\p{N}])")
_BLANK = regex.compile(r"[ \t]+")
_GAP_LINES = regex.compile(r"[ \t]+|[ \t]*\n[ \t]*")
_COMMA = regex.compile(r"[ \t]*,[ \t]*")
_UNIT_PHRASE_STOP = regex.compile(r"[,;.:()\[\]\n]|[ \t]+(?:và|tại|về|đã|đang|cho|của|phát|chủ|báo|cùng|dự)\b")


@dataclass
class Position:
    start: int
    end: int
    title: Title
    text: str                 # as the document gives it, the title spelt canonically
    qualifier: str = ""       # what it is a title of, as written ("Sở", "UBND tỉnh")
    abbreviated: bool = False


@dataclass
class PersonMention:
    start: int
    end: int
    name: str
    positions: list[Position] = field(default_factory=list)
    how: str = "cue"          # cue, title, signature
    cue: str | None = None


@functools.lru_cache(maxsize=1)
def _head_words() -> regex.Pattern:
    heads = {b.head for b in bodies().bodies} | {"Sở", "Bộ", "Cục", "Vụ", "Chi cục", "Phòng", "Ban"}
    alt = "|".join(regex.escape(h) for h in sorted(heads, key=len, reverse=True))
    return regex.compile(r"(?i:" + alt + r")(?![\p{L}\p{N}])")


@functools.lru_cache(maxsize=1)
def _ner():
    from underthesea import ner  # a 1-second import: only when a candidate needs it

    return ner


@functools.lru_cache(maxsize=512)
def ner_says_person(window: str, name: str) -> bool:
    """Whether underthesea's NER tags ``name`` inside ``window`` as a person."""
    try:
        tagged = _ner()(window)
    except Exception:  # the model failing on odd input must not stop extraction
        return False
    words: list[str] = []
    current: list[str] = []
    for token, _pos, _chunk, tag in tagged:
        if tag.endswith("PER"):
            if tag.startswith("B-") and current:
                words.append(" ".join(current))
                current = []
            current.append(token)
        elif current:
            words.append(" ".join(current))
            current = []
    if current:
        words.append(" ".join(current))
    return any(name in w or w in name and len(w.split()) >= 2 for w in words)


class PeopleFinder:
    """Finds people in the (normalised) document text; ``folded`` is ``fold(text)``."""

    def __init__(self, text: str, folded: str, context_head: str | None = None,
                 context_kind: str | None = None):
        self.text = text
        self.folded = folded
        self.context_head = context_head
        self.context_kind = context_kind
        self.data = positions()
        self.surnames = surnames()["surnames"]

    # --- names -----------------------------------------------------------------------------

    def name_at(self, pos: int, *, allow_newline: bool = False, ner_window: tuple[int, int] | None = None,
                limit: int | None = None) -> tuple[int, int, str] | None:
        """The name that starts at ``pos``: (start, end, name with single spaces)."""
        text, folded = self.text, self.folded
        limit = len(text) if limit is None else limit
        syllables: list[tuple[int, int]] = []
        p = pos
        while len(syllables) < 5:
            m = _SYLLABLE.match(text, p, limit)
            if not m:
                break
            if syllables and (self._title_at(p) or bodies().mention_re.match(folded, p)):
                break
            syllables.append((m.start(), m.end()))
            gap = (_GAP_LINES if allow_newline else _BLANK).match(text, m.end(), m.end() + 8)
            if not gap:
                break
            p = gap.end()
        if len(syllables) < 2:
            return None
        start, end = syllables[0][0], syllables[-1][1]
        name = " ".join(text[s:e] for s, e in syllables)
        if not self.is_name(name, ner_window):
            return None
        return start, end, name

    def is_name(self, name: str, ner_window: tuple[int, int] | None = None) -> bool:
        words = name.split()
        if not 2 <= len(words) <= 5:
            return False
        if places().get(name) is not None or fold(name) in bodies().form_of:
            return False
        if fold(name) in positions().by_folded:  # "PHÓ CHỦ TỊCH" is a position, not a name
            return False
        if words[0] in self.surnames:
            return True
        if ner_window is None:
            return False
        return ner_says_person(self.text[ner_window[0]:ner_window[1]], name)

    # --- positions -------------------------------------------------------------------------

    def _title_at(self, pos: int) -> Title | None:
        m = self.data.title_re.match(self.folded, pos)
        if m:
            return self.data.by_folded.get(" ".join(m.group().split()))
        return None

    def position_at(self, pos: int, *, capitalised: bool = False) -> Position | None:
        """A title (or its abbreviation) at ``pos`` and what it is a title of."""
        text = self.text
        abbreviated = False
        m = self.data.title_re.match(self.folded, pos)
        if m:
            title = self.data.by_folded[" ".join(m.group().split())]
            if capitalised and not text[pos].isupper():
                return None
        else:
            m = self.data.abbr_re.match(text, pos)
            if not m:
                return None
            title = self.data.by_folded[fold(self.data.abbr[m.group()])]
            abbreviated = True
        end = m.end()
        qualifier_start = end
        q_end = self._qualifier(end, title)
        qualifier = " ".join(text[qualifier_start:q_end].split()) if q_end > end else ""
        shown = title.title
        if qualifier:
            shown += " " + qualifier
        elif abbreviated and self.context_head and self.context_kind in title.heads:
            shown += " " + self.context_head
        return Position(pos, q_end if q_end > end else end, title, shown, qualifier, abbreviated)

    def _qualifier(self, pos: int, title: Title) -> int:
        """End of what follows a title as the body it heads, or ``pos`` when nothing does."""
        text = self.text
        gap = _BLANK.match(text, pos)
        if not gap:
            return pos
        q = gap.end()
        if q >= len(text):
            return pos
        # A name right after the title: no qualifier.
        if self._starts_name(q):
            return pos
        m = bodies().mention_re.match(self.folded, q)
        if m:
            from .orgs import read_qualifier  # noqa: PLC0415 (orgs imports nothing from here)

            end = m.end()
            qual = read_qualifier(text, end)
            if qual is not None:
                end = qual[1]
            return end
        from .orgs import read_qualifier  # noqa: PLC0415

        unit = read_qualifier(text, pos)
        if unit is not None:  # "Phó Chánh Thanh tra tỉnh", "Chủ tịch xã Tân Lập"
            return unit[1]
        if title.unit_phrase and text[q].isupper():
            stop = _UNIT_PHRASE_STOP.search(text, q, min(len(text), q + 80))
            end = stop.start() if stop else min(len(text), q + 80)
            words = list(regex.finditer(r"\S+", text[q:end]))
            # Stop before a name that follows the unit ("Trưởng phòng Tổng hợp Lê Văn A").
            for i, w in enumerate(words):
                if i and self._starts_name(q + w.start()):
                    end = q + words[i - 1].end()
                    break
            return end if end > q else pos
        h = _head_words().match(text, q)
        if h:
            end = h.end()
            qual = None
            if bodies().mention_re.match(self.folded, q) is None:
                from .orgs import read_qualifier  # noqa: PLC0415

                qual = read_qualifier(text, end)
            return qual[1] if qual else end
        return pos

    def _starts_name(self, pos: int) -> bool:
        m = _SYLLABLE.match(self.text, pos)
        if not m or m.group() not in self.surnames:
            return False
        nxt = _SYLLABLE.match(self.text, m.end() + 1) if m.end() < len(self.text) and self.text[m.end()] == " " else None
        return nxt is not None and not self._title_at(m.end() + 1)

    def _chain(self, pos: int, *, capitalised: bool) -> tuple[list[Position], int]:
        """Positions separated by commas from ``pos``; returns them and where they end."""
        found: list[Position] = []
        p = pos
        while True:
            position = self.position_at(p, capitalised=capitalised or bool(found))
            if position is None:
                break
            found.append(position)
            comma = _COMMA.match(self.text, position.end)
            blank = _BLANK.match(self.text, position.end)
            if comma and self.position_at(comma.end(), capitalised=True):
                p = comma.end()
                continue
            p = position.end + (blank.end() - position.end if blank else 0)
            break
        return found, p

    # --- people ----------------------------------------------------------------------------

    def person_at(self, pos: int, cue: str | None = None) -> PersonMention | None:
        """A person whose mention starts at ``pos`` (after the cue word, if one was given)."""
        text = self.text
        pre, p = self._chain(pos, capitalised=cue is None)
        if pre and p == pre[-1].end:
            return None  # a title with nothing after it
        window = (max(0, pos - 60), min(len(text), pos + 80)) if cue else None
        got = self.name_at(p, ner_window=window)
        if got is None:
            return None
        start, end, name = got
        post: list[Position] = []
        comma = _COMMA.match(text, end)
        blank = _BLANK.match(text, end)
        if comma:
            post, _ = self._chain(comma.end(), capitalised=True)
        elif blank:
            post, _ = self._chain(blank.end(), capitalised=True)
        how = "cue" if cue else "title"
        return PersonMention(start, end, name, pre + post, how, cue)

    def find(self) -> list[PersonMention]:
        text, folded = self.text, self.folded
        anchors: list[tuple[int, int, str | None]] = []   # (position, after anchor, cue)
        for m in self.data.cue_re.finditer(text):
            after = _BLANK.match(text, m.end())
            if after:
                anchors.append((m.start(), after.end(), m.group()))
        for m in self.data.title_re.finditer(folded):
            if text[m.start()].isupper():
                anchors.append((m.start(), m.start(), None))
        for m in self.data.abbr_re.finditer(text):
            anchors.append((m.start(), m.start(), None))
        anchors.sort()
        found: list[PersonMention] = []
        covered = -1
        for start, at, cue in anchors:
            if start < covered:
                continue
            person = self.person_at(at, cue)
            if person is None:
                continue
            found.append(person)
            covered = max([person.end] + [p.end for p in person.positions])
        return found


def signature_title(position_line: str) -> str:
    """'PHÓ GIÁM ĐỐC' → 'Phó Giám đốc' (the title's own spelling; sentence case otherwise)."""
    key = fold(position_line)
    title = positions().by_folded.get(key)
    if title is not None:
        return title.title
    words = position_line.split()
    if not words:
        return position_line
    return " ".join([words[0].capitalize()] + [w.lower() for w in words[1:]])


def qualified(position: str, context_kind: str | None, context_short: str | None,
              context_head: str | None) -> str:
    """A position with the body it is a position of: 'Giám đốc Sở' in a Sở Y tế document is
    'Giám đốc Sở Y tế'; a signer's 'Phó Chủ tịch' of an UBND tỉnh is 'Phó Chủ tịch UBND tỉnh'."""
    if not context_short:
        return position
    data = positions()
    m = data.title_re.match(fold(position))
    if not m or m.end() > len(position):
        return position
    title = data.by_folded[" ".join(m.group().split())]
    rest = position[m.end():].strip()
    if rest and context_head and casefold_vi(rest) == casefold_vi(context_head):
        return f"{title.title} {context_short}"
    if not rest and context_kind in title.heads:
        return f"{title.title} {context_short}"
    return position
