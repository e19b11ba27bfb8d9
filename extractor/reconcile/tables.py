"""Table totals: a 'Tổng cộng' / 'Tổng số' row against the sum of the rows it totals.

Tables come from the readers (PDF, DOCX, DOC, HTML) and from Markdown or text tables written
with '|'. Only flat tables are checked: a table whose rows are grouped (I., II. group rows, or
'trong đó' rows under a total) has subtotals that a plain column sum would count twice.
"""
from __future__ import annotations

import functools
from decimal import Decimal
from typing import Iterable

import regex

from ..document import Cell, Table
from ..extract.numbers import parse_number
from ..facts import Fact
from .checks import GROSS_SUM_SHARE, Finding
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


def table_findings(text: str, tables: Iterable[Table]) -> list[Finding]:
    findings = []
    for table in tables:
        findings += _check_table(text, table)
    return findings


def _check_table(text: str, table: Table) -> list[Finding]:
    return _check_columns(text, table) + _check_rows(text, table)


def _check_rows(text: str, table: Table) -> list[Finding]:
    """A 'Tổng số' column against the numeric columns after it, row by row (a table whose
    header groups its columns, e.g. 'trong đó', is read the same way: the parts follow the total)."""
    rows = [row for row in table.rows if any(c.text for c in row)]
    first_numeric = next((i for i, row in enumerate(rows) if any(_number(c) is not None for c in row[1:])), None)
    if not first_numeric:
        return []
    header = rows[first_numeric - 1]
    totals = [j for j, c in enumerate(header) if j > 0 and _total_label().match(c.text)]
    if len(totals) != 1:
        return []
    t = totals[0]
    parts = [j for j in range(t + 1, len(header)) if not _share_header().search(header[j].text)]
    if len(parts) < 2:
        return []
    findings = []
    for row in rows[first_numeric:]:
        if len(row) <= max(parts) or _GROUP_NUMBER.match(row[0].text):
            continue
        total = _number(row[t])
        values = [_number(row[j]) for j in parts]
        if total is None or any(v is None and row[j].text for v, j in zip(values, parts)):
            continue
        present = [v for v in values if v is not None]
        if len(present) < 2 or sum(present) == total:
            continue
        computed = sum(present)
        gross = abs(computed - total) > GROSS_SUM_SHARE * abs(total)
        cells = [row[t]] + [row[j] for j in parts if row[j].text]
        facts = [_cell_fact(text, c, table.page) for c in cells]
        findings.append(Finding(
            "table_total_mismatch", "gross" if gross else "error", "table.row_total", total, computed, 0,
            [f for f in facts if f is not None],
            {"column": header[t].text, "label": " ".join(c.text for c in row[:2]).strip(),
             "parts": present, "total": total}))
    return findings


def _check_columns(text: str, table: Table) -> list[Finding]:
    rows = [row for row in table.rows if any(c.text for c in row)]
    labels = [" ".join(c.text for c in row[:2]) for row in rows]
    totals = [i for i, label in enumerate(labels) if _total_label().match(label)]
    if len(totals) != 1:
        return []
    t = totals[0]
    first_numeric = next((i for i, row in enumerate(rows) if any(_number(c) is not None for c in row[1:])), None)
    if first_numeric is None:
        return []
    header = rows[:first_numeric]
    data = [i for i in range(first_numeric, len(rows)) if i != t]
    data = [i for i in data if (i > t) == (t == first_numeric)]  # the rows on the total's side
    if len(data) < 2 or any(_GROUP_NUMBER.match(rows[i][0].text) or _group_label().match(labels[i]) for i in data):
        return []
    findings = []
    width = min(len(rows[i]) for i in data + [t])
    for col in range(1, width):
        head = " ".join(row[col].text for row in header if col < len(row))
        if _share_header().search(head):
            continue
        total = _number(rows[t][col])
        values = [_number(rows[i][col]) for i in data]
        if total is None or any(v is None and rows[i][col].text for v, i in zip(values, data)):
            continue
        present = [v for v in values if v is not None]
        if len(present) < 2:
            continue
        computed = sum(present)
        if computed == total:
            continue
        gross = abs(computed - total) > GROSS_SUM_SHARE * abs(total)
        cells = [rows[t][col]] + [rows[i][col] for i in data if rows[i][col].text]
        facts = [_cell_fact(text, c, table.page) for c in cells]
        findings.append(Finding(
            "table_total_mismatch", "gross" if gross else "error", "table.column_total", total, computed, 0,
            [f for f in facts if f is not None],
            {"column": head or str(col + 1), "label": _row_label(rows[t]), "parts": present, "total": total}))
    return findings


def _row_label(row: list[Cell]) -> str:
    return next((c.text for c in row[:2] if _total_label().match(c.text)), row[0].text)


def _cell_fact(text: str, cell: Cell, page: int | None) -> Fact | None:
    if cell.start is None or text[cell.start : cell.end] != cell.text:
        return None
    return Fact("cell", cell.text, cell.start, cell.end, "table.cell", {"text": cell.text}, page)
