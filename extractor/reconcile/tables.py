"""Table totals, read as claims: a 'Tổng cộng' / 'Tổng số' row against the rows it totals, a
numbered group row (I, 1, 1.1, a, -) against its sub-rows, and a 'Tổng số' column against the
columns after it, for every numeric column and row, holding or not.

The row hierarchy comes from the numbering column: a total row stands over the top-level rows
on its side, a group row over the rows of the next level under it. A group whose rows cannot
all be placed (an unnumbered row among numbered ones, a 'trong đó' breakdown) is not summed:
its sum would count a breakdown twice or miss a part.
"""
from __future__ import annotations

import functools
from decimal import Decimal
from typing import Iterable, Sequence

import regex

from ..document import Cell
from ..extract.numbers import parse_number
from ..facts import Fact
from ..structure.tables import TableView
from .claims import Claim
from .step_tables import step_table_claims
from .vocabulary import cue_pattern

# A numeric cell: the number with a short unit after it ("1.245 hồ sơ", "12 tr.đ") and a
# mark or two around it ("(12)", "12*").
CELL_MARKS = 2
CELL_UNIT_CHARS = 12
CELL_UNIT_WORD_CHARS = 8

_GROUP_NUMBER = regex.compile(r"^\W*(?:[IVX]+|[A-Z])\W*$")
_NUMBER_CELL = regex.compile(rf"^\W{{0,{CELL_MARKS}}}(?P<number>(?:\d{{1,3}}(?:\.\d{{3}})+|\d+)(?:,\d+)?)"
                             rf"(?:\s*[\p{{L}}.,]{{0,{CELL_UNIT_CHARS}}}(?:\s+[\p{{L}}]{{1,{CELL_UNIT_WORD_CHARS}}})?)?"
                             rf"\W{{0,{CELL_MARKS}}}$")


@functools.lru_cache(maxsize=1)
def _total_label() -> regex.Pattern:
    return regex.compile(r"^\W*(?:" + cue_pattern("table_total_labels") + r")\b", regex.I)


@functools.lru_cache(maxsize=1)
def _group_label() -> regex.Pattern:
    return regex.compile(r"^\W*(?:" + cue_pattern("table_group_labels") + r")", regex.I)


@functools.lru_cache(maxsize=1)
def _share_header() -> regex.Pattern:
    """Anywhere in a header: "Tỷ lệ (%)", "STT"."""
    return regex.compile(cue_pattern("table_share_headers"), regex.I)


def _number(cell: Cell) -> Decimal | None:
    m = _NUMBER_CELL.match(cell.text)
    if not m or "%" in cell.text:
        return None
    return parse_number(m["number"])[0]





FINDING_KIND = "table_total_mismatch"
# Levels of the numbering of rows, from the outermost: "A", "I", "1", "1.1", "1.1.1", "a", "-".
_LEVELS = [(0, regex.compile(r"^[A-H]$")), (1, regex.compile(r"^[IVXL]+$")), (2, regex.compile(r"^\d{1,3}$")),
           (3, regex.compile(r"^\d{1,3}\.\d{1,3}$")), (4, regex.compile(r"^\d{1,3}\.\d{1,3}\.\d{1,3}$")),
           (5, regex.compile(r"^[a-zđ]$")), (6, regex.compile(r"^[-+*•–]$"))]
TOTAL_LEVEL = -1


def _level(index: str) -> int | None:
    """The rank of a row's number ("II." → 1, "2" → 2, "2.1" → 3, "a)" → 5, "-" → 6)."""
    text = index.strip().rstrip(".)/:").strip()
    for level, pattern in _LEVELS:
        if pattern.match(text):
            return level
    return None


def table_claims(text: str, views: Iterable[TableView], facts: Sequence[Fact] = ()) -> list[Claim]:
    """Every total of the tables as a claim, with the cells (or the facts found in them)."""
    cells = _CellFacts(text, facts)
    claims = []
    for view in views:
        claims += (_column_claims(view, cells) + _row_claims(view, cells) + _count_claims(view, cells)
                   + step_table_claims(view, cells))
    return claims


class _CellFacts:
    """The fact found in a cell (a figure of the table), else the cell itself as evidence."""

    def __init__(self, text: str, facts: Sequence[Fact]):
        self.text = text
        self.by_span = {}
        for fact in facts:
            self.by_span.setdefault(fact.start, fact)

    def fact(self, cell: Cell, page: int | None) -> Fact | None:
        if cell.start is None or self.text[cell.start:cell.end] != cell.text:
            return None
        for offset in range(cell.start, cell.end):
            found = self.by_span.get(offset)
            if found is not None and found.end <= cell.end:
                return found
        return Fact("cell", cell.text, cell.start, cell.end, "table.cell", {"text": cell.text}, page)


def _groups(view: TableView) -> list[tuple[int, list[int]]]:
    """(row, the rows it totals) for the total rows and numbered group rows of a table."""
    rows = view.data_rows()
    index = min(view.index_columns) if view.index_columns else None
    labels = [" ".join(c.text for c in row[:2]) for row in rows]
    totals = [i for i, label in enumerate(labels) if _total_label().match(label)]
    levels: list[int | None] = []
    for i, row in enumerate(rows):
        if i in totals:
            levels.append(TOTAL_LEVEL)
        elif index is None:
            levels.append(_LEVELS[2][0])  # an unnumbered table: every row an item
        else:
            levels.append(_level(row[index].text) if index < len(row) else None)
    groups = []
    for i, level in enumerate(levels):
        if level is None or level == TOTAL_LEVEL:
            continue
        children, deeper = [], None
        for j in range(i + 1, len(rows)):
            if levels[j] is None or _group_label().match(labels[j]):
                children = []
                break
            if levels[j] == TOTAL_LEVEL or levels[j] <= level:
                break
            deeper = levels[j] if deeper is None else min(deeper, levels[j])
            children.append(j)
        children = [j for j in children if levels[j] == deeper]
        if children:
            groups.append((i, children))
    if len(totals) == 1:
        t = totals[0]
        side = range(t + 1, len(rows)) if t == 0 or t < len(rows) // 2 else range(0, t)
        placed = [j for j in side if levels[j] != TOTAL_LEVEL]
        if placed and all(levels[j] is not None and not _group_label().match(labels[j]) for j in placed):
            top = min(levels[j] for j in placed)
            groups.append((t, [j for j in placed if levels[j] == top]))
    return groups


def _column_claims(view: TableView, cells: _CellFacts) -> list[Claim]:
    rows = view.data_rows()
    claims = []
    for parent, children in _groups(view):
        for col in range(1, len(rows[parent])):
            head = view.column_headers[col] if col < len(view.column_headers) else ""
            if col in view.index_columns or col == view.unit_column or _share_header().search(head):
                continue
            total = _number(rows[parent][col])
            if total is None:
                continue
            parts = [rows[j][col] if col < len(rows[j]) else Cell("") for j in children]
            values = [_number(c) for c in parts]
            if any(v is None and c.text for v, c in zip(values, parts)):
                continue
            present = [(v, c) for v, c in zip(values, parts) if v is not None]
            if not present:
                continue
            facts = [cells.fact(c, view.table.page) for c in [rows[parent][col]] + [c for _, c in present]]
            if any(f is None for f in facts):
                continue
            is_total = _total_label().match(" ".join(c.text for c in rows[parent][:2]))
            claims.append(Claim("sum", "table.column_total" if is_total else "table.group_total", facts,
                                {"total": total, "parts": [v for v, _ in present], "exhaustive": True,
                                 "column": head or str(col + 1), "label": view.row_label(rows[parent]),
                                 "finding": FINDING_KIND}))
    return claims


def _row_claims(view: TableView, cells: _CellFacts) -> list[Claim]:
    """A 'Tổng số' column against the numeric columns after it, row by row (a table whose
    header groups its columns, e.g. 'trong đó', is read the same way: the parts follow the total)."""
    rows, headers = view.data_rows(), view.column_headers
    totals = [j for j, h in enumerate(headers) if j > 0 and _total_label().match(h)]
    if len(totals) != 1:
        return []
    t = totals[0]
    parts = [j for j in range(t + 1, len(headers)) if not _share_header().search(headers[j])
             and j != view.unit_column]
    if len(parts) < 2:
        return []
    claims = []
    for row in rows:
        if len(row) <= max(parts) or _GROUP_NUMBER.match(row[0].text):
            continue
        total = _number(row[t])
        values = [_number(row[j]) for j in parts]
        if total is None or any(v is None and row[j].text for v, j in zip(values, parts)):
            continue
        present = [(v, row[j]) for v, j in zip(values, parts) if v is not None]
        if len(present) < 2:
            continue
        facts = [cells.fact(c, view.table.page) for c in [row[t]] + [c for _, c in present]]
        if any(f is None for f in facts):
            continue
        claims.append(Claim("sum", "table.row_total", facts,
                            {"total": total, "parts": [v for v, _ in present], "exhaustive": True,
                             "column": headers[t], "label": " ".join(c.text for c in row[:2]).strip(),
                             "finding": FINDING_KIND}))
    return claims


COUNT_FINDING_KIND = "table_count_mismatch"
# A group row that states how many rows it holds: "I | LĨNH VỰC CHỨNG THỰC (17 TTHC)".
_STATED_COUNT = regex.compile(r"\((?P<n>\d{1,4})[ \t]+\p{L}[^()\d]*\)\W*$")
# "I.1": a subgroup, between "I" and the numbered rows.
_SUBGROUP = regex.compile(r"^[IVXL]+\.\d{1,2}$")
SUBGROUP_LEVEL = 1.5
ITEM_LEVEL = 2


def _count_level(index: str) -> float | None:
    text = index.strip(" \t\n*_").rstrip(".)/:").strip()
    return SUBGROUP_LEVEL if _SUBGROUP.match(text) else _level(text)


def _heading_row(row: list[Cell]) -> list[Cell] | None:
    """A row whose one written cell is its first, stating a count ("LĨNH VỰC TRẺ EM (02
    TTHC)" merged across the table), as a subgroup row: no number, the label after it."""
    written = [c for c in row if c.text.strip(" *_")]
    if len(written) == 1 and written[0] is row[0] and _STATED_COUNT.search(row[0].text):
        return [Cell(""), row[0]]
    return None


def _count_claims(view: TableView, cells: _CellFacts) -> list[Claim]:
    """A group row stating its count ("I | LĨNH VỰC CHỨNG THỰC (17 TTHC)") against the numbered
    rows under it, and against the counts its subgroups state ("I.1 | … (06 TTHC)"). The rows
    under a group run to the next row of its level or above; a row among them with no number
    of a level (a note, a merged cell) leaves the group uncounted."""
    caption = _caption_cell(cells.text, view.rows)
    rows, levels = [], []
    for row in view.rows:
        heading = _heading_row(row) if _count_level(row[0].text) is None else None
        if heading is not None:
            rows.append(heading)
            levels.append(SUBGROUP_LEVEL)
        elif len(row) > 1:
            rows.append(row)
            levels.append(_count_level(row[0].text))
    # The rows of the column headings come before the first numbered row.
    first = next((i for i, level in enumerate(levels) if level is not None), len(rows))
    rows, levels = rows[first:], levels[first:]
    stated = [_stated_count(row[1], cells, view.table.page) for row in rows]
    if caption is not None and _stated_count(caption, cells, view.table.page) is not None:
        # "A. DANH MỤC THỦ TỤC HÀNH CHÍNH SỬA ĐỔI, BỔ SUNG (51 TTHC)" on the line above the
        # table: a count over all its rows.
        rows, levels = [[Cell(""), caption]] + rows, [TOTAL_LEVEL] + levels
        stated = [_stated_count(caption, cells, view.table.page)] + stated
    claims = []
    for i, (level, count) in enumerate(zip(levels, stated)):
        if level is None or count is None or level >= ITEM_LEVEL:
            continue
        under = []
        for j in range(i + 1, len(rows)):
            if levels[j] is not None and levels[j] <= level:
                break
            under.append(j)
        if not under or any(levels[j] is None for j in under):
            continue
        fact, value = count
        label = rows[i][1].text
        items = [j for j in under if levels[j] == ITEM_LEVEL]
        if items:
            claims.append(Claim("sum", "table.row_count", [fact] + [cells.fact(rows[j][0], view.table.page) or fact
                                                                    for j in items][:1],
                                {"total": value, "parts": [Decimal(1)] * len(items), "exhaustive": True,
                                 "column": view.column_headers[1] if len(view.column_headers) > 1 else "",
                                 "label": label, "finding": COUNT_FINDING_KIND}))
        top = min(levels[j] for j in under)
        groups = [j for j in under if levels[j] == top]
        if top < ITEM_LEVEL and all(stated[j] is not None for j in groups):
            claims.append(Claim("sum", "table.group_count", [fact] + [stated[j][0] for j in groups],
                                {"total": value, "parts": [stated[j][1] for j in groups], "exhaustive": True,
                                 "column": view.column_headers[1] if len(view.column_headers) > 1 else "",
                                 "label": label, "finding": FINDING_KIND}))
    return claims


def _caption_cell(text: str, rows: list[list[Cell]]) -> Cell | None:
    """The line right above a table (blank lines between), as a cell."""
    first = next((c.start for row in rows for c in row if c.start is not None), None)
    if first is None:
        return None
    end = text.rfind("\n", 0, first)
    while end > 0 and not text[text.rfind("\n", 0, end) + 1:end].strip():
        end = text.rfind("\n", 0, end)
    if end <= 0:
        return None
    start = text.rfind("\n", 0, end) + 1
    return Cell(text[start:end], start, end)


def _stated_count(cell: Cell, cells: _CellFacts, page: int | None) -> tuple[Fact, Decimal] | None:
    """The count a group row's label states, as the fact found there (or the number itself)."""
    m = _STATED_COUNT.search(cell.text)
    if m is None or cell.start is None:
        return None
    start = cell.start + m.start("n")
    fact = cells.by_span.get(start)
    if fact is None or fact.kind != "quantity":
        fact = Fact("quantity", m["n"], start, start + len(m["n"]), "table.stated_count",
                    {"value": Decimal(m["n"]), "decimals": 0, "unit": None}, page)
    return fact, Decimal(m["n"])
