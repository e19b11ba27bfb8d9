"""The tables of a document, read as a person reads them: which rows are the header, what each
column's header says, and the unit the table states for its numbers (a caption line above it,
a unit in a column header, or a unit column).

Tables come from the readers (DOCX, DOC, PDF, HTML: cells with their offsets) and, when a reader
gave none, from lines of ``|``-separated cells in the text (Markdown and crawled pages) and from
tables a crawl flattened to one cell per block of lines (:mod:`.flattened`).
"""
from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

import regex

from ..document import Cell, Table
from .flattened import flattened_tables
from ..patterns import _load_yaml, patterns_dir

if TYPE_CHECKING:
    from ..normalize import NormalizedText

# A caption line giving the unit stands at most this many lines above the table ...
CAPTION_LINES = 3
# ... and within this many characters of it.
CAPTION_CHARS = 300
# A table is a header, a row and a total at the least: fewer lines written with '|' are a
# menu or a layout line.
MIN_MARKDOWN_ROWS = 3
# A header row numbering this many columns or more (1, 2, 3 …) is told from a row of figures.
MIN_NUMBERED_COLUMNS = 3


@dataclass(frozen=True)
class TableGrammar:
    unit_caption: regex.Pattern
    header_unit: regex.Pattern
    unit_column: regex.Pattern
    index_column: regex.Pattern
    percent_header: regex.Pattern
    number_cell: regex.Pattern
    money_abbreviations: dict[str, int]
    data: dict[str, Any]


@functools.lru_cache(maxsize=1)
def grammar() -> TableGrammar:
    data = _load_yaml(patterns_dir() / "tables.yaml")

    def compiled(key: str) -> regex.Pattern:
        return regex.compile(data[key]["regex"], regex.IGNORECASE)

    abbreviations = {" ".join(form.lower().split()): entry["scale"]
                     for entry in data["money_units"]["abbreviations"] for form in entry["forms"]}
    return TableGrammar(compiled("unit_caption"), compiled("header_unit"), compiled("unit_column"),
                        compiled("index_column"), compiled("percent_header"), compiled("number_cell"),
                        abbreviations, data)


@dataclass(frozen=True)
class UnitNote:
    """A unit as the table states it, and where."""

    text: str
    source: str  # caption | header | unit_column
    start: int | None
    end: int | None


@dataclass
class TableView:
    """A table with its header rows told apart from its data rows."""

    table: Table
    rows: list[list[Cell]]
    header_rows: int
    column_headers: list[str]
    caption_unit: UnitNote | None
    unit_column: int | None
    index_columns: frozenset[int]

    def data_rows(self) -> list[list[Cell]]:
        return self.rows[self.header_rows:]

    def row_label(self, row: list[Cell]) -> str:
        """The words naming a row: its first cells that are not a number or an index."""
        cell = self.row_label_cell(row)
        return cell.text if cell is not None else ""

    def row_label_cell(self, row: list[Cell]) -> Cell | None:
        for j, cell in enumerate(row):
            if j in self.index_columns or j == self.unit_column or not cell.text:
                continue
            if grammar().number_cell.match(cell.text):
                continue
            return cell
        return None


_SEPARATOR_ROW = regex.compile(r"[|:\-\s]+")
_CELL = regex.compile(r"(?<=\|)[^|\n]*(?=\|)")


def markdown_tables(text: str) -> list[Table]:
    """Tables written as lines of '|'-separated cells, with each cell's offsets.

    Only the lines with two '|' or more are visited one by one (found, and the lines' offsets
    summed, without a Python step per line): the lines between two of them matter only while a
    table is open, and the first that is blank or prose ends it (a separator row does not)."""
    if "|" not in text:
        return []
    lines = text.splitlines(keepends=True)
    ends = list(itertools.accumulate(map(len, lines)))
    piped = itertools.compress(range(len(lines)), map((2).__le__, map(str.count, lines, itertools.repeat("|"))))
    tables: list[Table] = []
    rows: list[list[Cell]] = []
    previous = -1
    for i in piped:
        if rows and i > previous + 1:
            for k in range(previous + 1, i):
                stripped = lines[k].strip()
                if not stripped or not _SEPARATOR_ROW.fullmatch(stripped):
                    if len(rows) >= MIN_MARKDOWN_ROWS:
                        tables.append(Table(None, rows))
                    rows = []
                    break
        previous = i
        line = lines[i]
        if _SEPARATOR_ROW.fullmatch(line.strip()):
            continue
        # The cells are what stands between two '|' (``_CELL``; a line holds no line break but
        # its last character).
        pieces = line.split("|")
        at = ends[i] - len(line) + len(pieces[0]) + 1
        cells = []
        for raw in pieces[1:-1]:
            content = raw.strip()
            start = at + len(raw) - len(raw.lstrip())
            cells.append(Cell(content, start, start + len(content)))
            at += len(raw) + 1
        if cells:
            rows.append(cells)
    if len(rows) >= MIN_MARKDOWN_ROWS:
        tables.append(Table(None, rows))
    return tables


def table_in(norm: "NormalizedText", table: Table) -> Table:
    """A reader's table with its cells' offsets in the normalised text."""
    if norm.is_identity and norm.text == norm.source:
        return table

    def moved(cell: Cell) -> Cell:
        if cell.start is None or cell.end is None:
            return cell
        start, end = norm.normalized_span(cell.start, cell.end)
        return Cell(norm.text[start:end], start, end)

    return Table(table.page, [[moved(c) for c in row] for row in table.rows])


def table_views(text: str, tables: Sequence[Table]) -> list[TableView]:
    """The document's tables (the reader's, else the text's Markdown tables), each read once."""
    return [view_table(text, table) for table in document_tables(text, tables)]


def document_tables(text: str, tables: Sequence[Table]) -> list[Table]:
    """The reader's tables, or the tables of the text when the reader gave none: Markdown
    tables, and tables a crawl flattened to one cell per block of lines, in text order."""
    if tables:
        return list(tables)
    found = markdown_tables(text) + flattened_tables(text)
    return sorted(found, key=_first_offset)


def _first_offset(table: Table) -> int:
    return next((c.start for row in table.rows for c in row if c.start is not None), 0)


def _is_number(cell: Cell) -> bool:
    return bool(cell.text) and grammar().number_cell.match(cell.text) is not None


def view_table(text: str, table: Table) -> TableView:
    """Split a table into header and data rows and read what its header and caption say."""
    g = grammar()
    rows = [row for row in table.rows if any(c.text for c in row)]
    header_rows = next((i for i, row in enumerate(rows)
                        if any(_is_number(c) for c in row[1:]) and not _numbers_columns(row)), len(rows))
    width = max((len(r) for r in rows), default=0)
    headers = []
    for j in range(width):
        words = []
        for row in rows[:header_rows]:
            cell_text = _spanning_text(row, j)
            if cell_text and cell_text not in words:
                words.append(cell_text)
        headers.append(" ".join(words))
    unit_column = next((j for j, h in enumerate(headers) if h and g.unit_column.match(h)), None)
    index_columns = frozenset(j for j, h in enumerate(headers) if h and g.index_column.match(h))
    if 0 not in index_columns and _numbers_rows(rows[header_rows:]):
        index_columns |= {0}
    caption = _caption_unit(text, rows, header_rows)
    return TableView(table, rows, header_rows, headers, caption, unit_column, index_columns)


def _spanning_text(row: list[Cell], j: int) -> str:
    """The header text over column ``j`` of one header row: a merged cell left empty by the
    reader stands under the nearest written cell to its left."""
    if j >= len(row):
        return ""
    if row[j].text:
        return row[j].text
    for k in range(j - 1, -1, -1):
        if row[k].text:
            return row[k].text if k > 0 else ""
    return ""


def _numbers_columns(row: list[Cell]) -> bool:
    """Whether a row numbers the columns ("1 | 2 | 3 | 4", or "A | B | 1 | 2 | 3=1+2"): part
    of the header, not figures."""
    values = [c.text.strip(" ()") for c in row if c.text]
    numbers = [int(v) for v in values if v.isdigit()]
    return len(numbers) >= MIN_NUMBERED_COLUMNS and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _numbers_rows(rows: list[list[Cell]]) -> bool:
    """Whether the first column counts the rows (1, 2, 3 … without a header saying so)."""
    values = [r[0].text.strip(" .") for r in rows if r and r[0].text]
    numbers = [int(v) for v in values if v.isdigit()]
    return len(numbers) >= 2 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _caption_unit(text: str, rows: list[list[Cell]], header_rows: int) -> UnitNote | None:
    """A unit stated for the whole table: in a row of its own, or on a line just above it."""
    g = grammar()
    for row in rows[:max(header_rows, 1)]:
        written = [c for c in row if c.text]
        if len(set(c.text for c in written)) == 1:
            m = g.unit_caption.search(written[0].text)
            if m and written[0].start is not None:
                return UnitNote(m["unit"], "caption", written[0].start + m.start("unit"),
                                written[0].start + m.end("unit"))
    first = next((c.start for row in rows for c in row if c.start is not None), None)
    if first is None:
        return None
    window_start = max(0, first - CAPTION_CHARS)
    lines = text[window_start:first].split("\n")
    offset = first
    for line in reversed(lines[-(CAPTION_LINES + 1):]):
        offset -= len(line) + 1
        m = g.unit_caption.search(line)
        if m:
            start = offset + 1 + m.start("unit")
            return UnitNote(m["unit"], "caption", start, start + len(m["unit"]))
    return None


def column_units(view: TableView, column: int) -> list[UnitNote]:
    """The units a column header may state, in the order written: "(triệu đồng)", "(%)"
    (column numbers such as "(1)" are among them: the caller keeps the first it knows), else
    "%" for a share header ("Tỷ lệ")."""
    header = view.column_headers[column] if column < len(view.column_headers) else ""
    return label_units(header, "header")


def label_units(label: str, source: str, start: int | None = None) -> list[UnitNote]:
    """The units a column header or a row label may state, in the order written (with their
    offsets when the label's own, ``start``, is known)."""
    if not label:
        return []
    g = grammar()
    notes = [UnitNote(m["unit"], source, *((start + m.start("unit"), start + m.end("unit")) if start is not None
                                           else (None, None)))
             for m in g.header_unit.finditer(label)]
    if "%" in label or g.percent_header.search(label):
        notes.append(UnitNote("%", source, None, None))
    return notes
