"""The shape of a document's prose: sentences, paragraphs, parentheses.

One layout is built per document, on its normalised text (the pipeline does it once); the
reconciler reads claims within its sentences and paragraphs, and the same boundaries, mapped to
the document text, give a fact its ``sentence`` and a finding the sentence its evidence quotes.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import regex

from .lines import split_lines
from .model import Sentence
from .outline import split_sentences

if TYPE_CHECKING:
    from ..normalize import NormalizedText

# A parenthesis longer than this is a stray bracket's match, not an aside of the sentence.
LONGEST_PARENTHESIS = 400
_PARAGRAPH_END = regex.compile(r"\n[ \t]*\n|\n(?=[ \t]*[\-+*•])")


@dataclass(frozen=True)
class Paren:
    start: int  # offset of "("
    end: int  # offset just after ")"


class Layout:
    """Sentence, paragraph and parenthesis lookups over a document text.

    Sentences are the structure's: logical lines (a wrapped line joined to the one before),
    split by underthesea where a line holds several. A sentence runs to the next one's start.
    """

    def __init__(self, text: str):
        self.text = text
        self.sentences: list[Sentence] = split_sentences(text, split_lines(text))
        self._sentence_starts = [s.start for s in self.sentences]
        self._paragraph_starts = [0] + [m.end() for m in _PARAGRAPH_END.finditer(text)]
        self.parens = _parentheses(text)
        self._paren_starts = [p.start for p in self.parens]

    def in_source(self, norm: "NormalizedText") -> "Layout":
        """The same boundaries over ``norm.source``, the text this layout's text was normalised
        from (offsets mapped through ``norm``)."""
        if norm.is_identity and norm.source == self.text:
            return self
        mapped = object.__new__(Layout)
        mapped.text = norm.source
        mapped.sentences = [Sentence(s.index, *norm.source_span(s.start, s.end)) for s in self.sentences]
        mapped._sentence_starts = [s.start for s in mapped.sentences]
        mapped._paragraph_starts = [norm.source_offset(s) for s in self._paragraph_starts]
        mapped.parens = [replace(p, start=norm.source_offset(p.start), end=norm.source_span(p.start, p.end)[1])
                         for p in self.parens]
        mapped._paren_starts = [p.start for p in mapped.parens]
        return mapped


    def sentence(self, offset: int) -> int:
        """The index of the sentence ``offset`` is in (text before the first sentence counts
        as part of it)."""
        return max(0, bisect.bisect_right(self._sentence_starts, offset) - 1)

    def sentence_span(self, offset: int) -> tuple[int, int]:
        """From the start of ``offset``'s sentence to the start of the next."""
        starts = self._sentence_starts
        if not starts:
            return 0, len(self.text)
        i = self.sentence(offset)
        start = starts[i] if starts[i] <= offset else 0
        return start, starts[i + 1] if i + 1 < len(starts) else len(self.text)

    def paragraph(self, offset: int) -> int:
        return bisect.bisect_right(self._paragraph_starts, offset) - 1

    def paragraph_start(self, offset: int) -> int:
        start = self._paragraph_starts[self.paragraph(offset)]
        while start < len(self.text) and self.text[start] in " \t\n-+*•":
            start += 1
        return start

    def enclosing_paren(self, offset: int) -> Paren | None:
        """The innermost parenthesis around ``offset``, if any."""
        i = bisect.bisect_right(self._paren_starts, offset) - 1
        best = None
        while i >= 0:
            paren = self.parens[i]
            if paren.start < offset < paren.end and (best is None or paren.start > best.start):
                best = paren
                break
            i -= 1
        return best

    def paren_at(self, offset: int) -> Paren | None:
        i = bisect.bisect_left(self._paren_starts, offset)
        if i < len(self.parens) and self.parens[i].start == offset:
            return self.parens[i]
        return None


def _parentheses(text: str, limit: int = LONGEST_PARENTHESIS) -> list[Paren]:
    """Matched parentheses no longer than ``limit`` characters, sorted by start."""
    stack: list[int] = []
    found: list[Paren] = []
    for m in regex.finditer(r"[()]", text):
        if m.group() == "(":
            stack.append(m.start())
        elif stack:
            start = stack.pop()
            if m.end() - start <= limit:
                found.append(Paren(start, m.end()))
    found.sort(key=lambda p: p.start)
    return found
