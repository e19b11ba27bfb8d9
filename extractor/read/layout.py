"""From positioned words (a PDF text layer or OCR) to lines, paragraphs and clean pages.

Coordinates are in points from the top-left corner of the page. The rules are those of
printed Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP layout):

- a paragraph goes on to the next line only when its line is full (reaches the right
  margin), the next line is close below, in the same font size, and not a new list item;
- a document number broken after a hyphen (``123/QĐ-`` / ``UBND``) is joined back;
- a line of two columns far apart (the header's issuer and motto) keeps them apart with a tab;
- page numbers at the top or bottom of a page, and lines repeated at the top or bottom of most
  pages (running headers and footers), are not document text.
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field


@dataclass(eq=False)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    font: str | None = None
    apart: bool = False  # never one word with a touching neighbour (a value written into a blank)


@dataclass(eq=False)
class Line:
    columns: int  # far-apart segments on the line, joined by tabs in ``text``
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str = ""

    @property
    def single(self) -> bool:
        return self.columns == 1


@dataclass
class Block:
    """A paragraph or a table placed on its page, in reading order by ``top``."""

    top: float
    text: str = ""
    rows: list[list[str]] | None = None
    lines: list[Line] = field(default_factory=list)


# Points between two words of a text layer that touch: one word the PDF drew in two runs (a
# stacked diacritic drawn apart, "CỘ" + "NG"), not two words (a space is wider), when both are
# of one size (a typist's initials in small print after "KGVX" are another word).
TOUCHING = 0.5
TOUCHING_SIZE = 0.2  # share of the larger height by which the two may differ


def group_lines(words: list[Word], join=None, *, join_touching: bool = False) -> list[Line]:
    """Cluster words into visual lines (top to bottom), split into far-apart segments; with
    ``join_touching``, words that touch are one word."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines:
            current = lines[-1]
            bottom = max(w.bottom for w in current)
            top = min(w.top for w in current)
            height = min(bottom - top, word.bottom - word.top) or 1.0
            overlap = min(bottom, word.bottom) - max(top, word.top)
            if overlap >= 0.5 * height:
                current.append(word)
                continue
        lines.append([word])
    result = []
    for words_in_line in lines:
        words_in_line.sort(key=lambda w: w.x0)
        size = statistics.median(w.bottom - w.top for w in words_in_line) or 1.0
        segments: list[list[Word]] = [[words_in_line[0]]]
        for prev, word in zip(words_in_line, words_in_line[1:]):
            if word.x0 - prev.x1 > max(2.5 * size, 24.0):
                segments.append([word])
            else:
                segments[-1].append(word)
        line = Line(len(segments), words_in_line[0].x0, max(w.x1 for w in words_in_line),
                    min(w.top for w in words_in_line), max(w.bottom for w in words_in_line), size)
        line.text = "\t".join(_segment_text(seg, join or _plain, join_touching) for seg in segments)
        result.append(line)
    return result


def _plain(word: Word) -> str:
    return word.text


def _touching(prev: Word, word: Word) -> bool:
    if prev.apart or word.apart or word.x0 - prev.x1 >= TOUCHING:
        return False
    heights = (prev.bottom - prev.top, word.bottom - word.top)
    return abs(heights[0] - heights[1]) <= TOUCHING_SIZE * max(heights)


def _segment_text(words: list[Word], join, join_touching: bool) -> str:
    parts = [join(words[0])]
    for prev, word in zip(words, words[1:]):
        if not (join_touching and _touching(prev, word)):
            parts.append(" ")
        parts.append(join(word))
    return "".join(parts)


_PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:(?:Trang|trang|Page)\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?[-–—\s]*$")
_LIST_START = re.compile(
    r"^(?:[-–+•*▪◦]\s|\d{1,3}(?:\.\d{1,3})*[.)]\s|[a-zđ][)]\s|[IVXLC]{1,6}[.)]\s|"
    r"(?:Điều|Chương|Mục|Phần|Phụ lục|Căn cứ|Nơi nhận|Kính gửi)\b)")
# The end of a line that breaks inside a document number: "123/QĐ-", "/UBND-".
_NUMBER_BREAK = re.compile(r"[\w.]*/[\wĐđ.&-]*-$")
_NUMBER_CONTINUES = re.compile(r"^[A-ZĐ0-9]")


def join_lines(previous: str, following: str) -> str:
    """Join two wrapped lines: a space, or nothing inside a broken document number."""
    tail = previous.rstrip()
    if _NUMBER_BREAK.search(tail) and _NUMBER_CONTINUES.match(following):
        return tail + following.lstrip()
    if tail.endswith("\u00ad"):
        return tail[:-1] + following.lstrip()
    return tail + " " + following.lstrip()


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))


def paragraphs(lines: list[Line], left: float, right: float) -> list[Block]:
    """Join visual lines into paragraphs (see the module's rules)."""
    blocks: list[Block] = []
    if not lines:
        return blocks
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:]) if 0 < b.top - a.top < 3 * a.size]
    pitch = statistics.median(pitches) if pitches else 1.5 * lines[0].size
    width = max(right - left, 1.0)
    for line in lines:
        if blocks:
            prev = blocks[-1].lines[-1]
            gap = line.top - prev.top
            continues = (
                prev.single and line.single
                and 0 < gap <= 1.35 * max(pitch, prev.size)
                and abs(line.size - prev.size) <= 0.25 * prev.size
                and not _LIST_START.match(line.text)
                and (prev.x1 >= right - 0.1 * width
                     or (_NUMBER_BREAK.search(prev.text.rstrip()) and _NUMBER_CONTINUES.match(line.text)))
            )
            if continues:
                block = blocks[-1]
                block.text = join_lines(block.text, line.text)
                block.lines.append(line)
                continue
        blocks.append(Block(line.top, line.text, lines=[line]))
    return blocks


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


class Furniture:
    """Running headers, footers and page numbers across the pages of one document."""

    def __init__(self, pages: int):
        self.pages = pages
        self._counts: Counter[str] = Counter()

    @staticmethod
    def edge_lines(lines: list[Line], height: float) -> list[Line]:
        """The first two lines if near the top, the last two if near the bottom."""
        top = [line for line in lines[:2] if line.bottom <= 0.12 * height]
        bottom = [line for line in lines[-2:] if line.top >= 0.88 * height]
        return top + [line for line in bottom if line not in top]

    def observe(self, lines: list[Line], height: float) -> None:
        for key in {_furniture_key(line.text) for line in self.edge_lines(lines, height)}:
            self._counts[key] += 1

    def repeated(self, text: str) -> bool:
        return self.pages >= 3 and self._counts[_furniture_key(text)] >= max(3, 0.5 * self.pages)

    def split(self, lines: list[Line], height: float) -> tuple[list[Line], list[str]]:
        """The page's lines without its furniture, and the furniture's text."""
        edges = self.edge_lines(lines, height)
        dropped = [line for line in edges if is_page_number(line.text) or self.repeated(line.text)]
        kept = [line for line in lines if line not in dropped]
        return kept, [line.text for line in dropped if not is_page_number(line.text)]
