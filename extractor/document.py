"""The document a reader produces: its text, where it came from, and its pages."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    number: int
    start: int
    end: int


@dataclass
class Document:
    """Text that facts' offsets index into, with its source and page ranges (none for text)."""

    path: str
    sha256: str
    format: str
    text: str
    pages: list[Page] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def page_ranges(self) -> list[tuple[int, int, int]]:
        return [(p.number, p.start, p.end) for p in self.pages]
