"""Search text for Vietnamese: folding, the indexed copy, queries, hits and snippets.

Search is insensitive to tone marks, to ``đ``/``d`` and to case. SQLite's FTS5 tokenizer folds
tone marks but not ``đ``, and PostgreSQL's parser splits ``74/QĐ-SGTVT`` unlike FTS5 does, so
both backends index the same *folded copy* made here: the text normalised
(:func:`extractor.normalize.normalize`: NFC, zero-width characters removed, old tone placement),
each letter reduced to its base letter in lower case (``Kế hoạch`` → ``ke hoach``,
``Đồng`` → ``dong``), and every character that is not a letter or digit turned into a space. A
query goes through the same folding, so ``ke hoach`` finds ``Kế hoạch`` and ``nghi dinh``
finds ``Nghị định`` on both backends.

Query language (:func:`parse_query`):

- words are all required: ``ke hoach giao thong``;
- ``"..."`` is an exact phrase: ``"cải cách hành chính"``;
- a word with inner punctuation is a phrase of its parts, so a document number is searched as a
  unit: ``862/KH-SGTVT`` finds ``862/KH-SGTVT`` (and ``862/KH- SGTVT`` written with a stray
  space), not a document that merely contains 862 and KH somewhere;
- ``OR`` between words or phrases gives alternatives: ``"dich vu cong" OR "mot cua"``;
- a trailing ``*`` matches word prefixes: ``chuyen doi so*``.

Hits are found again in the original text by :func:`find_hits` (offsets into the document
text, like facts), and :func:`make_snippet` cuts a snippet around the densest hits.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Sequence

import regex

from ..normalize import fold, fold_variants, normalize


_NON_TOKEN = regex.compile(r"[^\p{L}\p{N}\p{M}]+")
_MARKS = regex.compile(r"\p{M}+")
_TOKEN = regex.compile(r"[\p{L}\p{N}]+")
# Characters that may separate the words of a phrase: anything but letters and digits.
_SEPARATOR = r"[^\p{L}\p{N}]+"
_WORD_CHAR = r"[\p{L}\p{N}\p{M}]"
_SPACES = regex.compile(r"\s+")


def index_text(text: str) -> str:
    """The folded copy of ``text`` that the search index holds: words separated by spaces."""
    if not text:
        return ""
    folded = fold(normalize(text).text)
    return _MARKS.sub("", _NON_TOKEN.sub(" ", folded)).strip()


def words(text: str) -> list[str]:
    """The folded words of ``text``, as the index sees them."""
    return _TOKEN.findall(index_text(text))


def key(text: str) -> str:
    """A folded lookup key for names and codes: folded, inner whitespace collapsed."""
    return " ".join(fold(normalize(text).text).split())


@dataclass(frozen=True)
class Term:
    """A word or an exact phrase (words in a row); ``prefix``: the last word may continue."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Query:
    """Alternatives (OR) of groups of terms that must all be present (AND)."""

    groups: tuple[tuple[Term, ...], ...]

    @property
    def terms(self) -> list[Term]:
        return [term for group in self.groups for term in group]

    def fts5(self, heading: Sequence[Sequence[tuple[str, ...]]] = ()) -> str:
        """The query in SQLite FTS5 syntax. ``heading``: groups of alternative phrases, one of
        each group required in the heading column (``title``)."""
        def term(t: Term) -> str:
            return '"' + " ".join(t.words) + '"' + ("*" if t.prefix else "")
        groups = [" AND ".join(term(t) for t in group) for group in self.groups]
        text = " OR ".join(f"({g})" for g in groups) if len(groups) > 1 else groups[0]
        for alternatives in heading:
            phrases = " OR ".join('"' + " ".join(words) + '"' for words in alternatives)
            text = f"({text}) AND title : ({phrases})"
        return text

    def tsquery(self, heading: Sequence[Sequence[tuple[str, ...]]] = ()) -> str:
        """The query in PostgreSQL ``to_tsquery`` syntax; ``heading`` as for :meth:`fts5`
        (the heading has weight A)."""
        def term(t: Term) -> str:
            parts = list(t.words)
            if t.prefix:
                parts[-1] += ":*"
            return "(" + " <-> ".join(parts) + ")" if len(parts) > 1 else parts[0]
        groups = [" & ".join(term(t) for t in group) for group in self.groups]
        text = " | ".join(f"({g})" for g in groups) if len(groups) > 1 else groups[0]
        for alternatives in heading:
            phrases = " | ".join("(" + " <-> ".join(f"{w}:A" for w in words) + ")"
                                 for words in alternatives)
            text = f"({text}) & ({phrases})"
        return text


_QUERY_PIECE = regex.compile(r'"([^"]*)"?(\*?)|“([^”]*)”?(\*?)|(\S+)')


def parse_query(text: str) -> Query | None:
    """Parse a search query; ``None`` when it has no word to search for."""
    groups: list[list[Term]] = [[]]
    for m in _QUERY_PIECE.finditer(text or ""):
        if m.group(5) == "OR":
            if groups[-1]:
                groups.append([])
            continue
        if m.group(5) is not None:
            raw = m.group(5)
            prefix = raw.endswith("*")
        else:
            raw = m.group(1) if m.group(1) is not None else m.group(3)
            prefix = bool(m.group(2) or m.group(4))
        found = tuple(words(raw))
        if found:
            groups[-1].append(Term(found, prefix and _ends_with_word(raw.rstrip("*"))))
    groups = [g for g in groups if g]
    if not groups:
        return None
    return Query(tuple(tuple(g) for g in groups))


def _ends_with_word(raw: str) -> bool:
    return bool(raw) and (raw[-1].isalnum())


def _unfolded(word: str) -> str:
    """A pattern matching ``word`` in text that is not folded: each letter as the class of the
    characters that fold to it. Matching the text as it is costs one pass; folding the whole
    text first cost more than the match itself."""
    variants = fold_variants()
    return "".join(f"[{regex.escape(variants[c])}]" if c in variants else regex.escape(c) for c in word)


@functools.lru_cache(maxsize=256)
def _hit_pattern(query: Query) -> regex.Pattern:
    alternatives = []
    for i, term in enumerate(query.terms):
        parts = [_unfolded(w) for w in term.words]
        body = _SEPARATOR.join(parts)
        tail = _WORD_CHAR + "*" if term.prefix else f"(?!{_WORD_CHAR})"
        alternatives.append(f"(?P<t{i}>(?<!{_WORD_CHAR}){body}{tail})")
    return regex.compile("|".join(alternatives))


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    term: int  # index of the query term it matches


def find_hits(text: str, query: Query, limit: int | None = None) -> list[Hit]:
    """Where the query's words and phrases occur in ``text`` (offsets into ``text``)."""
    if not text:
        return []
    norm = normalize(text)
    hits = []
    for m in _hit_pattern(query).finditer(norm.text):
        term = int(m.lastgroup[1:])
        start, end = norm.source_span(m.start(), m.end())
        hits.append(Hit(start, end, term))
        if limit is not None and len(hits) >= limit:
            break
    return hits


@dataclass(frozen=True)
class Snippet:
    """A slice of the document text around hits: ``text`` is ``document[start:end]``."""

    start: int
    end: int
    text: str
    hits: tuple[tuple[int, int], ...]  # hit offsets in the document text
    doc_length: int = 0

    def marked(self, before: str = "«", after: str = "»") -> str:
        """The snippet on one line, each hit wrapped in markers."""
        out = []
        pos = self.start
        for s, e in self.hits:
            out.append(self._plain(pos, s))
            out.append(before + self._plain(s, e) + after)
            pos = e
        out.append(self._plain(pos, self.end))
        prefix = "…" if self.start > 0 else ""
        suffix = "…" if self.end < self.doc_length else ""
        return prefix + "".join(out).strip() + suffix

    def _plain(self, s: int, e: int) -> str:
        return _SPACES.sub(" ", self.text[s - self.start:e - self.start]) if e > s else ""


def make_snippet(text: str, hits: list[Hit], width: int = 220) -> Snippet:
    """The ``width`` characters of ``text`` holding the most distinct query terms."""
    if not text:
        return Snippet(0, 0, "", (), 0)
    if not hits:
        end = _cut_end(text, min(len(text), width))
        return Snippet(0, end, text[:end], (), len(text))
    best_start, best_score = hits[0].start, -1
    for i, first in enumerate(hits[:200]):
        terms = set()
        count = 0
        for h in hits[i:i + 50]:
            if h.end > first.start + width - 40:
                break
            terms.add(h.term)
            count += 1
        score = len(terms) * 1000 + count
        if score > best_score:
            best_start, best_score = first.start, score
    start = _cut_start(text, max(0, best_start - 40))
    end = _cut_end(text, min(len(text), start + width))
    inside = tuple((h.start, h.end) for h in hits if h.start >= start and h.end <= end)
    return Snippet(start, end, text[start:end], _merged(text, inside), len(text))


def _merged(text: str, spans: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """Overlapping hits, and hits separated only by spaces, become one."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and (s <= out[-1][1] or text[out[-1][1]:s].isspace()):
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return tuple(out)


def _cut_start(text: str, pos: int) -> int:
    """Move ``pos`` forward to the start of a word (a snippet does not begin mid-word)."""
    if pos == 0:
        return 0
    limit = min(len(text), pos + 20)
    while pos < limit and not text[pos - 1].isspace():
        pos += 1
    return pos


def _cut_end(text: str, pos: int) -> int:
    if pos >= len(text):
        return len(text)
    limit = max(0, pos - 20)
    while pos > limit and not text[pos].isspace():
        pos -= 1
    return pos
