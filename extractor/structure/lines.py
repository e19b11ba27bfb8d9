"""Lines of a document and their content without Markdown emphasis or table pipes.

Crawled pages (thuvienphapluat Markdown) wrap header lines and mark bold runs with ``**``;
plain-text documents do neither. Everything here keeps offsets into the text it was given.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

_MARKS = "*|#_"
_MARKUP_RUN = regex.compile(r"[*|#_]+")
_LIST_DASH = regex.compile(r"-\s*")
_LIST_ITEM_END = ";,. "


@dataclass(frozen=True, slots=True)
class Line:
    index: int
    start: int
    end: int       # end of the line, without its line break
    text: str


def split_lines(text: str) -> list[Line]:
    lines = []
    pos = 0
    for i, raw in enumerate(text.split("\n")):
        lines.append(Line(i, pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return lines


def clean(text: str) -> str:
    """The words of a line: emphasis marks, pipes and heading marks removed, blanks collapsed."""
    if any(c in text for c in _MARKS):
        text = _MARKUP_RUN.sub(" ", text)
    return " ".join(text.split())


def content_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` narrowed past blanks and markup at both ends."""
    while start < end and (text[start].isspace() or text[start] in _MARKS):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _MARKS):
        end -= 1
    return start, end


class Cleaned:
    """A stretch of text (possibly several lines) with markup removed and blanks collapsed, and
    the map from each character of the cleaned string back to the text."""

    def __init__(self, text: str, start: int, end: int, leave_out: tuple[tuple[int, int], ...] = ()):
        """``leave_out``: ranges inside the stretch that are not part of it (the other column of
        a two-column header line), read as a blank."""
        chars: list[str] = []
        where: list[int] = []
        blank = True
        for i in range(start, end):
            ch = text[i]
            if ch.isspace() or ch in _MARKS or any(a <= i < b for a, b in leave_out):
                if not blank:
                    chars.append(" ")
                    where.append(i)
                    blank = True
                continue
            chars.append(ch)
            where.append(i)
            blank = False
        while chars and chars[-1] == " ":
            chars.pop()
            where.pop()
        self.text = "".join(chars)
        self._where = where
        self._end = end

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the original text of the cleaned ``[start, end)``."""
        if start >= end:
            pos = self._where[start] if start < len(self._where) else self._end
            return pos, pos
        return self._where[start], self._where[end - 1] + 1



def list_item_values(text: str, items: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """The values of listed items ("- Như trên;"): each item's words without its dash and end
    punctuation, with their span in ``text``."""
    values = []
    for a, b in items:
        cleaned = Cleaned(text, a, b)
        words = cleaned.text
        m = _LIST_DASH.match(words)
        s = m.end() if m else 0
        e = len(words)
        while e > s and words[e - 1] in _LIST_ITEM_END:
            e -= 1
        if e > s:
            values.append((words[s:e], *cleaned.span(s, e)))
    return values
