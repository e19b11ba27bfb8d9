"""The internal process of a procedure read from its table: the time of each step, in the
table's column of times ("Thời gian thực hiện"), adds up to the time of its total row ("Tổng
thời gian giải quyết TTHC | 10 ngày làm việc").

A step is a row whose first cell names it ("Bước 1"); a step "Không tính thời gian" adds
nothing. A process in parts, one per level of government, heads each part with a row that
states the part's time ("I | Quy trình giải quyết tại cấp xã (03 ngày làm việc)"): each part's
steps add up to it, and the parts to the total. A step whose time is not a plain time in days,
or a part whose time is not stated, leaves the process unchecked, with why.
"""
from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

import regex

from ..document import Cell
from ..extract.numbers import parse_number
from ..facts import Fact
from ..structure.tables import TableView
from .claims import Claim
from .vocabulary import cue_pattern, cue_regex

# The table reader's cells with the facts found in them (reconcile/tables.py, which calls this
# module): ``.text`` is the document text.
CellFacts = Any

FINDING_KIND = "table_total_mismatch"
_MARKS = " \t\n*_"
_NUMBER = r"\d+(?:,\d+)?"
# A time that is all its cell says: "0,5 ngày làm việc", "**10 ngày làm việc**", "04 giờ".
_TIME = regex.compile(rf"^(?:trong\s+)?(?P<n>{_NUMBER})\s+(?P<unit>ngày|giờ)(?:\s+làm\s+việc)?$", regex.I)
# A part's time, in parentheses in its heading: "(03 ngày làm việc)".
_PART_TIME = regex.compile(rf"\(\s*(?P<n>{_NUMBER})\s+(?P<unit>ngày|giờ)(?:\s+làm\s+việc)?\s*\)", regex.I)
DAYS = "ngày"


@functools.lru_cache(maxsize=1)
def _step_label() -> regex.Pattern:
    return regex.compile(rf"^[{_MARKS}]*(?:{cue_pattern('step_words')})\s*\d{{1,2}}[{_MARKS}.:]*$", regex.I)


@functools.lru_cache(maxsize=1)
def _total_label() -> regex.Pattern:
    return regex.compile(rf"^[{_MARKS}]*(?:{cue_pattern('step_total_labels')})(?!\p{{L}})", regex.I)


def _time_column(headings: list[list[Cell]]) -> tuple[int, str] | None:
    """The column of times, and its header, from the rows above the first step (a step's time
    is no figure, so the table's own header rows are not told from its steps)."""
    cue = cue_regex("step_time_headers")
    width = max((len(r) for r in headings), default=0)
    headers = [" ".join(r[j].text for r in headings if j < len(r) and r[j].text) for j in range(width)]
    columns = [j for j, h in enumerate(headers) if j > 0 and cue.search(h)]
    return (columns[-1], headers[columns[-1]]) if columns else None


def step_table_claims(view: TableView, cells: CellFacts) -> list[Claim]:
    """Each process of a step table: its steps' times against its total, part by part; a
    table without a total row, against the time its procedure states just before it."""
    numbered = bool(view.rows and view.rows[0] and cue_regex("step_number_headers", "^").search(
        view.rows[0][0].text.strip(_MARKS)))
    first = next((i for i, r in enumerate(view.rows) if r and _is_step(r, numbered)), None)
    found = _time_column(view.rows[:first]) if first else None
    if found is None:
        return []
    column, header = found
    # Rows above the first step that state no part's time are the header's.
    lead = next((i for i in range(first) if _time(_heading_cell(view.rows[i]), cells, view, _PART_TIME)), first)
    rows = view.rows[lead:]
    claims, start, totals = [], 0, 0
    for i, row in enumerate(rows):
        if not row or not _total_label().match(row[0].text):
            continue
        totals += 1
        block, start = rows[start:i], i + 1
        total = _time(row[-1], cells, view)
        if total is None or not any(_is_step(r, numbered) for r in block if r):
            continue
        claims += _process(view, cells, column, header, block, total, row[0].text, numbered)
    if not totals:
        stated = _stated_before(view, cells)
        if stated is not None:
            claims += _process(view, cells, column, header, rows, stated, stated[0].text, numbered)
    return claims


# How far before a step table its procedure's time may be stated, and what states it: a line of
# its own, one time and nothing after it ("Không quá 15 ngày + 08 ngày" states two).
STATED_TIME_REACH = 300
_STATED_TIME = rf"[ \t]*:[ \t]*(?:không[ \t]+quá|tối[ \t]+đa|trong)?[ \t]*(?P<n>{_NUMBER})[ \t]*\n?[ \t]*(?P<unit>ngày|giờ)" \
               r"(?:[ \t]*\n?[ \t]*làm[ \t]+việc)?[ \t*_]*[.;]?[ \t*_]*$"


@functools.lru_cache(maxsize=1)
def _stated_time() -> regex.Pattern:
    return regex.compile(rf"(?:{cue_pattern('stated_time_labels')}){_STATED_TIME}", regex.I | regex.M)


def _stated_before(view: TableView, cells: CellFacts) -> tuple[Fact, Decimal, str] | None:
    """The time the procedure states just before the table (the last statement there)."""
    starts = [c.start for c in view.rows[0] if c.start is not None] if view.rows else []
    if not starts:
        return None
    end = min(starts)
    found = None
    for m in _stated_time().finditer(cells.text, max(0, end - STATED_TIME_REACH), end):
        found = m
    if found is None:
        return None
    written = cells.text[found.start("n"):found.end("unit")]
    value, decimals = parse_number(found["n"])
    fact = Fact("quantity", written, found.start("n"), found.end("unit"), "table.stated_time",
                {"value": value, "decimals": decimals, "unit": found["unit"].lower()}, view.table.page)
    return fact, Decimal(value), found["unit"].lower()


# A numbered step's first cell: its number alone ("1", "**2**", "3.").
_STEP_NUMBER = regex.compile(rf"^[{_MARKS}]*\d{{1,2}}[{_MARKS}.]*$")


def _is_step(row: list[Cell], numbered: bool) -> bool:
    """A step's row: its first cell names it ("Bước 1"), or in a table whose first column numbers
    its steps ("TT"), it is the number."""
    return bool(_step_label().match(row[0].text) or (numbered and _STEP_NUMBER.match(row[0].text)))


def _time(cell: Cell, cells: CellFacts, view: TableView, pattern: regex.Pattern = _TIME) -> tuple[Fact, Decimal, str] | None:
    """The time a cell states, as a fact over the number and its unit, its value and unit."""
    if cell.start is None:
        return None
    text = cell.text.strip(_MARKS)
    m = pattern.search(text) if pattern is _PART_TIME else pattern.match(text)
    if m is None:
        return None
    offset = cell.start + cell.text.index(text)
    start, end = offset + m.start("n"), offset + (m.end() if pattern is _TIME else m.end() - 1)
    written = cells.text[start:end].rstrip(" )")
    value, decimals = parse_number(m["n"])
    unit = m["unit"].lower()
    return (Fact("quantity", written, start, start + len(written), "table.step_time",
                 {"value": value, "decimals": decimals, "unit": unit}, view.table.page), Decimal(value), unit)


def _process(view: TableView, cells: CellFacts, column: int, header: str, block: list[list[Cell]],
             total: tuple[Fact, Decimal, str], label: str, numbered: bool = False) -> list[Claim]:
    parts: list[tuple[tuple[Fact, Decimal, str] | None, list[list[Cell]]]] = []
    for row in block:
        if not row or not any(c.text.strip(_MARKS) for c in row):
            continue
        if _is_step(row, numbered):
            if not parts:
                parts.append((None, []))
            parts[-1][1].append(row)
        else:  # a part's heading, or a note between the steps
            parts.append((_time(_heading_cell(row), cells, view, _PART_TIME), []))
    parts = [(time, steps) for time, steps in parts if steps or time is not None]
    if len(parts) == 1 and parts[0][0] is None:
        return [_sum(total, _steps(parts[0][1], column, cells, view), label, header, "table.step_times")]
    if any(time is None or not steps for time, steps in parts):
        return [Claim("sum", "table.step_parts", [total[0]], {"unchecked": "part_time_not_stated"})]
    claims = [_sum(time, _steps(steps, column, cells, view), time[0].text, header, "table.step_times")
              for time, steps in parts]
    return claims + [_sum(total, ([time for time, _ in parts], None), label, header, "table.step_parts")]


def _heading_cell(row: list[Cell]) -> Cell:
    """The cell of a part's heading that states its time (the label after its number)."""
    return next((c for c in reversed(row) if _PART_TIME.search(c.text)), row[-1])


# Why a process's steps cannot be added up: a step states something that is no time.
NOT_STATED = "step_time_not_stated"
# A step with no time at all (its cell empty, or no cell: "Cơ quan thuế", whose time the
# procedure's does not count): the others are checked against the total when they reach it.
BLANK = "step_time_blank"


def _steps(steps: list[list[Cell]], column: int, cells: CellFacts, view: TableView) -> tuple[list, str | None]:
    """Each step's time, and why they cannot all be told when they cannot."""
    times, unchecked = [], None
    untimed = cue_regex("untimed_step_words")
    for row in steps:
        cell = row[column] if column < len(row) else Cell("")
        time = _time(cell, cells, view)
        if time is not None:
            times.append(time)
        elif not cell.text.strip(_MARKS):
            unchecked = unchecked or BLANK
        elif not untimed.search(cell.text):
            unchecked = NOT_STATED
    return times, unchecked


def _sum(total: tuple[Fact, Decimal, str], steps: tuple[list, str | None], label: str, column: str,
         rule: str) -> Claim:
    times, unchecked = steps
    values = {"total": total[1], "parts": [t[1] for t in times], "exhaustive": True,
              "column": " ".join(column.strip(_MARKS).split()), "label": " ".join(label.strip(_MARKS).split()),
              "finding": FINDING_KIND}
    if unchecked == BLANK and times and sum(t[1] for t in times) >= total[1]:
        unchecked = None  # the steps with a time reach the total (or pass it) without the blank ones
    if unchecked or not times:
        values["unchecked"] = NOT_STATED if unchecked in (None, BLANK) else unchecked
    elif any(t[2] != total[2] for t in times):
        values["unchecked"] = "mixed_units"  # hours and days: a working day's hours are not written
    return Claim("sum", rule, [total[0]] + [t[0] for t in times], values)
