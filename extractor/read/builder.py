"""Assemble a document's text from paragraphs and tables, recording pages and cell offsets."""
from __future__ import annotations

from ..document import Cell, Page, Table

CELL_SEPARATOR = " | "


class TextBuilder:
    """Text grows by whole blocks; pages are contiguous ranges that cover all of it.

    A table is written into the text in reading order as one line per row,
    ``| cell | cell |``, so facts inside cells are found with offsets; each :class:`Cell`
    records its own range.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._pos = 0
        self._pages: list[tuple[int, int, bool, float | None]] = []  # number, start, ocr, quality
        self.tables: list[Table] = []

    @property
    def position(self) -> int:
        return self._pos

    def _write(self, text: str) -> None:
        self._parts.append(text)
        self._pos += len(text)

    def start_page(self, number: int, ocr: bool = False, quality: float | None = None,
                   at: int | None = None) -> None:
        """Start page ``number`` here (or at offset ``at``, already written)."""
        start = self._pos if at is None else at
        if self._pages and self._pages[-1][1] == start:
            self._pages.pop()  # an empty page gives way to the one that follows
        self._pages.append((number, start, ocr, quality))

    def set_page_quality(self, ocr: bool, quality: float | None) -> None:
        number, start, _, _ = self._pages[-1]
        self._pages[-1] = (number, start, ocr, quality)

    @property
    def page_number(self) -> int | None:
        return self._pages[-1][0] if self._pages else None

    def add_paragraph(self, text: str, breaks: list[int] = ()) -> None:
        """A paragraph on its own line. ``breaks``: offsets inside it where a new page starts."""
        text = text.strip("\n")
        if not text.strip():
            for _ in breaks:
                self.start_page((self.page_number or 1) + 1)
            return
        start = self._pos
        self._write(text + "\n")
        for offset in breaks:
            self.start_page((self.page_number or 1) + 1, at=start + min(offset, len(text)))

    def add_table(self, rows: list[list[str]], page: int | None = None) -> Table | None:
        """Write a table row by row; return it with its cells' offsets."""
        rows = [[" ".join(c.split()) for c in row] for row in rows]
        rows = [row for row in rows if any(row)]
        if not rows:
            return None
        table_rows: list[list[Cell]] = []
        for row in rows:
            cells: list[Cell] = []
            self._write("|")
            for text in row:
                self._write(" ")
                start = self._pos
                self._write(text)
                cells.append(Cell(text, start, self._pos))
                self._write(" |")
            self._write("\n")
            table_rows.append(cells)
        table = Table(page if page is not None else self.page_number, table_rows)
        self.tables.append(table)
        return table

    def text(self) -> str:
        return "".join(self._parts)

    def pages(self) -> list[Page]:
        pages: list[Page] = []
        for i, (number, start, ocr, quality) in enumerate(self._pages):
            end = self._pages[i + 1][1] if i + 1 < len(self._pages) else self._pos
            pages.append(Page(number, start, end, ocr, quality))
        return pages
