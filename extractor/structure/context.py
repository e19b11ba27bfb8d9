"""The document every step of the analysis reads, built once: its normalised text and lines, its
facts, and the maps from normalised offsets back to the document text and its pages; and the
record the steps' results are written into.

Steps read and match on the normalised text (``text``); what they report is mapped back with
``source_span``/``span``, so every value's ``text`` is ``source[start:end]``.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence

from ..facts import Fact
from ..normalize import NormalizedText
from .data import fold
from .lines import Line, clean, content_span, split_lines
from .model import StructureProblem

Span = tuple[int, int]     # offsets in the normalised text


@dataclass(frozen=True)
class Spanned:
    """A value read from the document, with the normalised span it was read from."""
    value: Any
    span: Span


class DocumentContext:
    def __init__(self, source: str, norm: NormalizedText, facts: Sequence[Fact],
                 pages: Sequence[tuple[int, int, int]]):
        self.source = source
        self.norm = norm
        self.text = norm.text
        self.folded = fold(self.text)
        self.lines = split_lines(self.text)
        self._line_starts = [ln.start for ln in self.lines]
        self._page_starts = [p[1] for p in pages]
        self.pages = list(pages)
        self.facts = sorted(facts, key=lambda f: f.start)
        self._fact_norm = [(self.to_norm(f.start), self.to_norm(f.end), f) for f in self.facts]
        self._clean: dict[tuple[int, int], str] = {}

    def clean_line(self, line: Line) -> str:
        """The line's words without markup (cached: every step asks for the header's lines)."""
        key = (line.start, line.end)  # a column of a two-column header line is a line of its own
        got = self._clean.get(key)
        if got is None:
            got = self._clean[key] = clean(line.text)
        return got

    def content(self, line: Line) -> Span:
        """The line's span without blanks and markup at its ends."""
        return content_span(self.text, line.start, line.end)

    def dash_items(self, first: int, items: list[Span], wraps: Callable[[Span, str], bool]) -> tuple[list[Span], int]:
        """A list of dash-led items on the lines from line ``first`` on, after ``items`` already
        read (blank lines before the first item are passed over, one after an item ends the
        list); a line that ``wraps(last item, line words)`` continues the last item. Returns the
        items and the index of the line after the last one looked at."""
        items = list(items)
        i = first
        while i < len(self.lines):
            line = self.lines[i]
            words = self.clean_line(line)
            if not words:
                if items:
                    break
                i += 1
                continue
            if words.startswith("-"):
                items.append(self.content(line))
            elif items and wraps(items[-1], words):
                items[-1] = (items[-1][0], self.content(line)[1])
            else:
                break
            i += 1
        return items, i

    def line_at(self, offset: int) -> Line:
        return self.lines[max(0, bisect.bisect_right(self._line_starts, offset) - 1)]

    def facts_between(self, start: int, end: int, kind: str | None = None) -> Iterator[tuple[int, int, Fact]]:
        """The facts starting in ``[start, end)`` of the normalised text, with their normalised span."""
        for s, e, f in self._fact_norm:
            if s >= end:
                break
            if s >= start and (kind is None or f.kind == kind):
                yield s, e, f

    # --- offsets ---------------------------------------------------------------------------

    def to_norm(self, offset: int) -> int:
        """The normalised offset of a document-text offset (facts come in document offsets)."""
        norm = self.norm
        if norm.is_identity:
            return offset
        srcs = norm._src_starts
        i = bisect.bisect_right(srcs, offset) - 1
        if i < 0:
            return offset
        if norm._copied[i]:
            return norm._norm_starts[i] + (offset - srcs[i])
        return norm._norm_starts[i]

    def source_span(self, start: int, end: int) -> Span:
        return self.norm.source_span(start, end)

    def span(self, start: int, end: int) -> dict[str, Any]:
        """A normalised span as reported: the document text it covers and its offsets."""
        s, e = self.source_span(start, end)
        return {"text": self.source[s:e], "start": s, "end": e}

    def page_of(self, offset: int) -> int | None:
        if not self.pages:
            return None
        i = bisect.bisect_right(self._page_starts, offset) - 1
        return self.pages[max(i, 0)][0]

    # --- results ---------------------------------------------------------------------------

    def problem(self, code: str, start: int, end: int, **detail: Any) -> StructureProblem:
        s, e = self.source_span(start, end)
        return StructureProblem(code, self.source[s:e], s, e, detail, self.page_of(s))

    def fact(self, kind: str, start: int, end: int, pattern: str, value: dict) -> Fact:
        s, e = self.source_span(start, end)
        return Fact(kind, self.source[s:e], s, e, pattern, value, self.page_of(s))


class DocumentRecord:
    """The document metadata being written: values, and under ``spans`` where each was read."""

    def __init__(self, context: DocumentContext):
        self._context = context
        self.values: dict[str, Any] = {}
        self.spans: dict[str, Any] = {}

    def set(self, key: str, value: Any, span: Span | None = None) -> None:
        self.values[key] = value
        if span is not None:
            self.spans[key] = self._context.span(*span)

    def set_list(self, key: str, items: Sequence[tuple[str, int, int]]) -> None:
        """A list value whose items each have their own span."""
        self.values[key] = [text for text, _, _ in items]
        self.spans[key] = [self._context.span(a, b) for _, a, b in items]

    def set_fields(self, key: str, fields: dict[str, tuple[Any, Span]]) -> None:
        """A value made of named fields, each with its own span."""
        self.values[key] = {name: value for name, (value, _) in fields.items()}
        self.spans[key] = {name: self._context.span(*span) for name, (_, span) in fields.items()}

    def document(self) -> dict[str, Any]:
        self.values["spans"] = self.spans
        return self.values
