"""What claim readers share: the figures of a document, the claims they find, and the reading
that hands both from one reader to the next."""
from __future__ import annotations

import bisect

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Sequence

from ...facts import Fact
from ..metrics import metric_of
from ...structure.layout import Layout
from ..vocabulary import vocabulary


@dataclass
class Figure:
    """A quantity, money amount or percentage with what it counts."""

    fact: Fact
    value: Decimal
    group: str | None
    is_count: bool
    metric: str | None = None

    @property
    def start(self) -> int:
        return self.fact.start

    @property
    def end(self) -> int:
        return self.fact.end


@dataclass
class Claim:
    """A relation the document states between figures, and the facts that state it."""

    kind: str  # sum, share, implied_whole, difference
    rule: str
    facts: list[Fact]
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Reading:
    """One document as the readers see it. Readers run in a fixed order, and a later one
    skips what an earlier one took: ``claims`` holds what the readers before have found."""

    text: str
    layout: Layout
    facts: list[Fact]  # in text order
    figures: list[Figure]  # outside ratios and table lines, with their metrics
    claims: list[Claim] = field(default_factory=list)
    # The breakdown sums, found once: the share reader, which runs before they are listed,
    # needs to know which parts they link to which totals.
    breakdowns: list[Claim] | None = None


def read(text: str, facts: Sequence[Fact], layout: Layout) -> Reading:
    """The reading of a document before any reader: its figures, without the counts inside a
    ratio or on a table line, each with its metric."""
    facts = sorted(facts, key=lambda f: f.start)
    figures = _figures(facts)
    ratios = [(f.start, f.end) for f in facts if f.kind == "ratio"]
    on_table_line = _table_lines(text)
    figures = [f for f in figures if not _inside(f, ratios) and not on_table_line(f.start)]
    for figure in figures:
        figure.metric = metric_of(text, layout, figure.fact)
    return Reading(text, layout, facts, figures)


def _figures(facts: Sequence[Fact]) -> list[Figure]:
    figures = []
    for fact in facts:
        if fact.kind == "quantity":
            figures.append(Figure(fact, Decimal(fact.value["value"]), vocabulary().group_of(fact.value["unit"]),
                                  fact.value.get("decimals", 0) == 0))
        elif fact.kind == "money":
            # A rate ("100.000 đồng/người") is no part of a total of amounts.
            group = f"VND/{fact.value['per']}" if fact.value.get("per") else "VND"
            figures.append(Figure(fact, Decimal(fact.value["amount"]), group, False))
    return figures


def _table_lines(text: str):
    """Whether an offset is on a line of a Markdown or text table (whose cells' arithmetic runs
    along rows and columns); each line is looked at once, so a one-line megabyte stays linear."""
    newlines = [i for i, char in enumerate(text) if char == "\n"]
    known: dict[int, bool] = {}

    def on_table_line(offset: int) -> bool:
        line = bisect.bisect_left(newlines, offset)
        if line not in known:
            start = newlines[line - 1] + 1 if line else 0
            end = newlines[line] if line < len(newlines) else len(text)
            known[line] = text.count("|", start, end) >= 2
        return known[line]

    return on_table_line


def _inside(figure: Figure, spans: list[tuple[int, int]]) -> bool:
    """A count inside "56/56 nhiệm vụ" is the ratio's, not a figure of its own."""
    return any(start <= figure.start and figure.end <= end for start, end in spans)
