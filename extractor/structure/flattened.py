"""Tables a crawl flattened: each cell's text written as lines of its own, and each cell border
left alone on its line (legal portals' pages converted to Markdown). The text reader blanks the
border lines to one space, so the text keeps the layout while no fact comes from a border.

In that layout a border line closes a cell, two in a row close a row and open the next, and each
further one closes an empty cell::

    |                      <- the table opens
    **STT**
    |
    **Tên thủ tục**
    |
    |                      <- the header row ends
    1
    |
    Cấp giấy phép …
    |

Nothing marks where a table ends: the text after it runs to the border that opens the next
table, so that text and the next table's header read as more cells of the previous table's last
row (a "junction" row). The widths tell them apart: a table's rows have as many cells as its
body has columns (a group row or a total row fewer), and a junction row has more cells than the
table after it. Its first cells finish the previous table's last row, its last cells are the
next table's header, and what lies between is the text between the tables.

A table is kept only where this is unambiguous: a header of one row (a short row under it that
is no group row, the second row of a header, drops the table), at least two body rows, and no
cell that reads as running text.
"""
from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass

import regex

from ..document import Cell, Table
from ..patterns import _load_yaml, patterns_dir

# The rows after a row that tell the width of the table they belong to.
WIDTH_LOOKAHEAD_ROWS = 8
# A table is a header and at least this many rows.
MIN_BODY_ROWS = 2
MIN_COLUMNS = 2
# A cell this long is the text between two tables (a decision's articles), never a cell.
RUNNING_TEXT_CHARS = 2000
# A header cell is a label: longer than this, it is text before the table.
HEADER_CELL_CHARS = 300
# At least one row in this many has a cell for every column of the header (the others are
# group rows, total rows, rows under a merged cell).
FULL_ROWS_SHARE = 2
# A header cell names its column with a word ("STT", "Nội dung"), not a figure, a mark or a
# blank ("100", "X", "** **").
_VISIBLE = regex.compile(r"\p{L}{2}")


@dataclass(frozen=True)
class _Grammar:
    border: regex.Pattern
    group_index: regex.Pattern
    figure_cell: regex.Pattern


@functools.lru_cache(maxsize=1)
def grammar() -> _Grammar:
    data = _load_yaml(patterns_dir() / "tables.yaml")

    def compiled(key: str, flags: int = regex.IGNORECASE) -> regex.Pattern:
        return regex.compile(data[key]["regex"], flags)

    return _Grammar(compiled("flattened_border", regex.MULTILINE), compiled("flattened_group_index"),
                    compiled("flattened_figure_cell"))


@dataclass
class _Run:
    """The cells between two row borders, and the empty cells closed after them."""

    cells: list[Cell]
    empties_after: int = 0


def flattened_tables(text: str) -> list[Table]:
    """The tables of ``text`` written in the flattened layout, with each cell's offsets."""
    runs = _runs(text)
    if len(runs) < MIN_BODY_ROWS + 1:
        return []
    widths = [len(r.cells) + r.empties_after for r in runs]
    # Junctions are found from the end: the rows that tell a run's width are the ones up to the
    # next junction, never those of a table further on.
    splits: dict[int, tuple[int, int]] = {}
    following = len(runs)
    for i in range(len(runs) - 1, 0, -1):
        split = _junction(runs[i].cells, widths[i + 1:min(following, i + 1 + WIDTH_LOOKAHEAD_ROWS)],
                          widths[max(0, i - WIDTH_LOOKAHEAD_ROWS):i])
        if split is not None:
            splits[i], following = split, i
    tables: list[Table] = []
    start, header = 0, runs[0].cells  # the first run opens the first table
    for i in range(1, len(runs) + 1):
        split = splits.get(i)
        if split is None and i < len(runs) and header and len(runs[i].cells) > len(header) + runs[start].empties_after:
            # Wider than its table's header: the table's last row, then the text after it.
            split = (len(header), len(runs[i].cells))
        if i < len(runs) and split is None:
            continue
        body = runs[start + 1:i]
        tail: list[Cell] = []
        if split is not None:
            tail = _last_row(runs[i].cells[:split[0]])
        table = _table(header, body, tail)
        if table is not None:
            tables.append(table)
        if split is not None:
            start, header = i, runs[i].cells[split[1]:]
    return tables


def _runs(text: str) -> list[_Run]:
    """The cells between borders, cut into runs where two borders or more stand together.
    The text before the first border and after the last is no cell."""
    runs: list[_Run] = []
    cells: list[Cell] = []
    borders, previous_end = 0, None
    for border in grammar().border.finditer(text):
        if previous_end is not None:
            start, end = previous_end, border.start()
            content = text[start:end]
            if content:  # a blank line between two borders is an empty cell
                if borders > 1 and (cells or runs):
                    runs.append(_Run(cells, borders - 2))
                    cells = []
                stripped = content.strip()
                offset = start + len(content) - len(content.lstrip())
                cells.append(Cell(stripped, offset, offset + len(stripped)))
                borders = 0
        borders += 1
        previous_end = border.end() + 1
    if cells:  # no row opens after the last: each border after its first closes an empty cell
        runs.append(_Run(cells, max(borders - 1, 0)))
    return runs


def _modal_width(widths: list[int]) -> int:
    """The most common width (the larger on a tie): the width of a table's body."""
    if not widths:
        return 0
    counts = Counter(widths)
    return max(counts, key=lambda w: (counts[w], w))


def _junction(cells: list[Cell], after_widths: list[int], before_widths: list[int]) -> tuple[int, int] | None:
    """Where a run ends the table before it and opens the next, as (cells that finish the
    previous table's last row, index of the next table's first header cell); None when it is a
    row like the others. A junction holds more cells than the rows after it have (their header
    and the text before it), or a cell of running text."""
    after, before = _modal_width(after_widths), _modal_width(before_widths)
    long = next((j for j, c in enumerate(cells) if len(c.text) > RUNNING_TEXT_CHARS), None)
    # The rows after tell a width only when there are enough of them to be a table's body.
    opens = len(after_widths) >= MIN_BODY_ROWS and after >= MIN_COLUMNS and len(cells) > after
    if long is None and not opens:
        return None
    header = len(cells) - after if opens else len(cells)
    if long is not None:
        header = max(long + 1, header)
    finish = min(before, header - 1) if long is None else min(before, long, header - 1)
    return max(finish, 0), header


def _last_row(cells: list[Cell]) -> list[Cell]:
    """A table's last row out of the first cells of a junction: a label and the figures after
    it (a total row, "Tổng cộng | 15 | 20", merged across the first columns) end with the
    figures; the cells after them are the text after the table."""
    figure = grammar().figure_cell
    if len(cells) < MIN_COLUMNS or figure.match(cells[0].text) or not figure.match(cells[1].text):
        return cells
    end = next((j for j in range(1, len(cells)) if not figure.match(cells[j].text)), len(cells))
    return cells[:end]


def _table(header: list[Cell], body: list[_Run], tail: list[Cell]) -> Table | None:
    """A table from its header row, its rows and the cells that finish its last row, or None
    when its layout is not unambiguous."""
    runs = list(body) + ([_Run(tail)] if tail else [])
    width = len(header)
    if width < MIN_COLUMNS or len(runs) < MIN_BODY_ROWS:
        return None
    if any(len(c.text) > HEADER_CELL_CHARS or not _VISIBLE.search(c.text) for c in header):
        return None
    if any(len(c.text) > RUNNING_TEXT_CHARS for r in runs for c in r.cells):
        return None
    if any(len(r.cells) > width for r in runs):
        return None
    first = runs[0].cells
    if len(first) < width and len(first) > 1 and not grammar().group_index.match(first[0].text):
        return None  # the second row of a header: which columns it divides is not written
    placed = _placed(runs, width)
    if sum(len(cells) == width for cells in placed) * FULL_ROWS_SHARE < len(placed):
        return None  # most rows narrower than the header: cells the borders do not place
    return Table(None, [header] + [_aligned(cells, width) for cells in placed])


def _placed(runs: list[_Run], width: int) -> list[list[Cell]]:
    """Each run's cells with its empty cells: the empties after a run end it up to the table's
    width, or open the next run, whichever gives more rows of the full width (ending the run on
    a tie: an empty last column is the commonest)."""
    # best[lead] = (full rows so far, rows) for the rows before run i, with ``lead`` empties
    # opening run i.
    best: dict[int, tuple[int, list[list[Cell]]]] = {0: (0, [])}
    for run in runs:
        following: dict[int, tuple[int, list[list[Cell]]]] = {}
        for lead, (full, rows) in best.items():
            for trailing in range(run.empties_after, -1, -1):
                cells = [Cell("")] * lead + run.cells + [Cell("")] * trailing
                if len(cells) > width:
                    continue
                score = full + (len(cells) == width)
                nxt = run.empties_after - trailing
                if nxt not in following or following[nxt][0] < score:
                    following[nxt] = (score, rows + [cells])
        if not following:  # nothing fits: the run as written
            following = {0: (max(f for f, _ in best.values()), best[min(best)][1] + [run.cells])}
        best = following
    return max(best.values(), key=lambda item: item[0])[1]


def _aligned(cells: list[Cell], width: int) -> list[Cell]:
    """A short row whose last cells are figures: those in the table's last columns, its labels
    in the first."""
    if len(cells) >= width:
        return cells
    figure = grammar().figure_cell
    at = next((j for j, c in enumerate(cells) if j > 0 and c.text and figure.match(c.text)), None)
    if at is None or not all(c.text and figure.match(c.text) for c in cells[at:]):
        return cells  # figures among labels: where each stands is not written
    return cells[:at] + [Cell("")] * (width - len(cells)) + cells[at:]
