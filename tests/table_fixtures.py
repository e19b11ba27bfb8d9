"""A reader's table for tests: rows written as lines of text, each cell with its offsets."""
from __future__ import annotations

from extractor.document import Cell, Table


def reader_table(rows: list[list[str]], separator: str = " | ") -> tuple[str, Table]:
    text, table = "", []
    for row in rows:
        line = []
        for value in row:
            line.append(Cell(value, len(text), len(text) + len(value)))
            text += value + separator
        text += "\n"
        table.append(line)
    return text, Table(None, table)
