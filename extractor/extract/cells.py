"""Figures in table cells: a bare number ("1.174") takes its unit and scale from where the table
states it — a unit column ("ĐVT"), its column header ("Kinh phí (triệu đồng)", "Tỷ lệ (%)") or
a caption above the table ("Đơn vị tính: triệu đồng") — and becomes the money amount,
percentage or count it is, with the cell's offsets and the labels of its row and column.

A number whose unit the table does not state, or states as something the lexicon does not
know, gives no fact: a figure is never guessed.
"""
from __future__ import annotations

import bisect
from decimal import Decimal
from typing import Any, Sequence

from ..structure.tables import TableView, UnitNote, column_units, grammar, label_units
from .numbers import _currency_words, _scales, _unit_key, _units, parse_number

# The words a column header or row label keeps in a fact's value.
LABEL_CHARS = 120


def resolve_unit(text: str) -> tuple[str, int, str | None] | None:
    """What a stated unit makes a number: ("money", scale, None), ("percent", 1, None) or
    ("quantity", 1, canonical noun); None for a unit the lexicon does not know."""
    words = " ".join(text.lower().replace("(", " ").replace(")", " ").split())
    if not words:
        return None
    if words == "%" or words.endswith("%"):
        return "percent", 1, None
    abbreviated = grammar().money_abbreviations.get(words)
    if abbreviated:
        return "money", abbreviated, None
    currencies = {w.lower() for w in _currency_words()}
    scales = _scales()
    for currency in sorted(currencies, key=len, reverse=True):
        if words == currency:
            return "money", 1, None
        if words.endswith(" " + currency):
            scale_word = words[: -len(currency) - 1]
            if scale_word in scales:
                return "money", scales[scale_word], None
    unit = _units().get(_unit_key(text))
    if unit is not None:
        return "quantity", 1, unit
    return None


def cell_facts(text: str, views: Sequence[TableView], taken: Sequence[tuple[int, int]]) -> list[dict[str, Any]]:
    """The figures of the document's tables not already found in their cells (``taken``: the
    spans of facts found), as ``kind, start, end, pattern, value`` dicts in ``text`` offsets."""
    starts = sorted(taken)
    found = []
    for view in views:
        found += _table_figures(text, view, starts)
    return found


# No fact found by the patterns is longer than this: the spans that may overlap a cell start
# within it before the cell.
LONGEST_FACT = 400


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect.bisect_left(spans, (end, end))
    while i > 0 and spans[i - 1][0] > start - LONGEST_FACT:
        i -= 1
        if spans[i][0] < end and start < spans[i][1]:
            return True
    return False


def _table_figures(text: str, view: TableView, taken: list[tuple[int, int]]) -> list[dict[str, Any]]:
    g = grammar()
    units_by_column: dict[int, tuple[UnitNote, tuple] | None] = {}
    figures = []
    for row in view.data_rows():
        label = view.row_label(row)[:LABEL_CHARS]
        row_unit = _row_unit(view, row)
        label_unit = _label_unit(view, row)
        for j, cell in enumerate(row):
            if j in view.index_columns or j == view.unit_column or cell.start is None:
                continue
            m = g.number_cell.match(cell.text)
            if not m or text[cell.start:cell.end] != cell.text:
                continue
            start, end = cell.start + m.start("number"), cell.start + m.end("number")
            if m["percent"]:
                end = cell.start + m.end("percent")
            if _overlaps(taken, start, end):
                continue
            if j not in units_by_column:
                units_by_column[j] = _column_unit(view, j)
            stated = _stated_unit(row_unit, label_unit, units_by_column[j])
            if stated is None:
                continue
            note, (kind, scale, unit) = stated
            if m["percent"]:
                kind, scale, unit = "percent", 1, None
            value = _value(kind, scale, unit, m["number"], note)
            value["table"] = {"row": label, "column": view.column_headers[j][:LABEL_CHARS] if j < len(view.column_headers) else ""}
            figures.append({"kind": kind, "start": start, "end": end, "pattern": f"table.{kind}", "value": value})
    return figures


def _row_unit(view: TableView, row) -> tuple[UnitNote, tuple] | None:
    if view.unit_column is None or view.unit_column >= len(row):
        return None
    cell = row[view.unit_column]
    resolved = resolve_unit(cell.text) if cell.text else None
    if resolved is None:
        return None
    return UnitNote(cell.text, "unit_column", cell.start, cell.end), resolved


def _label_unit(view: TableView, row) -> tuple[UnitNote, tuple] | None:
    """The unit a row's label states ("Kinh phí thực hiện (triệu đồng)", "Tỷ lệ giải ngân")."""
    cell = view.row_label_cell(row)
    if cell is None:
        return None
    for note in label_units(cell.text, "row_label", cell.start):
        resolved = resolve_unit(note.text)
        if resolved is not None:
            return note, resolved
    return None


def _stated_unit(unit_column, row_label, column) -> tuple[UnitNote, tuple] | None:
    """A cell's unit: its row's unit column, else what its row label and its column state; a
    row label over a caption (the table's default); none when the row label and the column's
    header state different units (the cell could be either: never guessed)."""
    if unit_column is not None:
        return unit_column
    if row_label is None:
        return column
    if column is not None and column[0].source == "header" and column[1] != row_label[1]:
        return None
    return row_label


def _column_unit(view: TableView, column: int) -> tuple[UnitNote, tuple] | None:
    for note in column_units(view, column):
        resolved = resolve_unit(note.text)
        if resolved is not None:
            return note, resolved
    if view.caption_unit is not None:
        resolved = resolve_unit(view.caption_unit.text)
        if resolved is not None:
            return view.caption_unit, resolved
    return None


def _value(kind: str, scale: int, unit: str | None, number: str, note: UnitNote) -> dict[str, Any]:
    written, decimals = parse_number(number.lstrip("+"))
    stated = {"text": note.text, "from": note.source}
    if note.start is not None:
        stated.update(start=note.start, end=note.end)
    if kind == "money":
        amount = written * scale
        if scale != 1:
            amount_decimals = max(0, -amount.normalize().as_tuple().exponent)
            amount = amount.quantize(Decimal(1)) if amount_decimals == 0 else amount
        return {"amount": amount, "currency": "VND", "written": written, "written_decimals": decimals,
                "scale": scale, "unit_stated": stated}
    if kind == "percent":
        return {"value": written, "decimals": decimals, "unit_stated": stated}
    return {"value": written, "decimals": decimals, "unit": unit, "unit_text": note.text, "unit_stated": stated}
