"""What claim readers share: the figures of a document, the claims they find, and the reading
that hands both from one reader to the next."""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Sequence

import regex

from ...extract.numbers import parse_number
from ...facts import Fact
from ..metrics import metric_of
from ...structure.layout import Layout
from ..vocabulary import cue_pattern, cue_regex, vocabulary


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
    figures = sorted(figures + _bare_counts(text, layout, facts, figures, on_table_line), key=lambda f: f.start)
    return Reading(text, layout, facts, figures)


# The label naming a bare number stands within this many characters before it.
BARE_LABEL_CHARS = 60
# What names a bare number, or opens its parenthesis of parts, is read within this many
# characters after it (the regex module looks for a pattern's required words up to the end of
# the text it is given: unbounded, a list of thousands of numbers is read to its end each time).
BARE_AFTER_CHARS = 200
# A number standing alone: not part of a larger number, a date, a code or a percentage.
_BARE_NUMBER = regex.compile(r"(?<![\p{L}\p{N}.,/\-])(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?(?![\p{N}]|[.,]\d|\s*[%/])")
# "label: 20": a part named by the words before its colon.
_COLON_LABEL = regex.compile(rf"\p{{L}}[\p{{L}} ]{{0,{BARE_LABEL_CHARS}}}:[ \t]*\Z")
# "là 225 (…": a whole stated with its parts in the parenthesis after it.
_PAREN_AFTER = regex.compile(r"[ \t]*\((?=[^()]*:)")
_COPULA = regex.compile(r"(?<!\p{L})(?:là|gồm|có)[ \t]*\Z", regex.IGNORECASE)
# "20 hoàn thành": a part named by the words after it.
_WORD_AFTER = regex.compile(r"[ \t]+\p{L}")
# Years are not counts.
_YEAR = range(1900, 2101)


@functools.lru_cache(maxsize=1)
def _bare_lead() -> regex.Pattern:
    """A word ending right before a bare number that makes it an ordinal or a date part."""
    return regex.compile(r"(?<!\p{L})(?:" + cue_pattern("bare_number_leads") + r")[ \t]*\Z", regex.IGNORECASE)


def _bare_counts(text: str, layout: Layout, facts: Sequence[Fact], figures: list[Figure],
                 on_table_line) -> list[Figure]:
    """Numbers written without the noun they count where the wording names them as parts of a
    breakdown ("Số PAKN được tiếp nhận: 49, trong đó, tháng trước chuyển sang: 20, trong tháng:
    29", "45 nhiệm vụ (trong đó 23 hoàn thành; 22 việc …)"). Each counts what the figure before
    it in its sentence counts (its unit group), or, with none before it, what the other bare
    numbers of its sentence count."""
    spans = sorted((f.start, f.end) for f in facts)
    starts = [s for s, _ in spans]
    figure_starts = [f.start for f in figures]
    lead, units, cues = _bare_lead(), cue_regex("bare_number_units", "^[ \t]*"), cue_regex("breakdown_cues")
    found: list[Figure] = []
    for m in _BARE_NUMBER.finditer(text):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and spans[i][1] > m.start():
            continue  # inside a fact: a date, a reference, a figure
        value, decimals = parse_number(m.group())
        if decimals or int(value) in _YEAR or on_table_line(m.start()):
            continue  # a decimal is a measure or a rate, not a count; a year is not a count
        sentence_start = layout.sentence_span(m.start())[0]
        before = text[max(sentence_start, m.start() - BARE_LABEL_CHARS):m.start()]
        labelled = _COLON_LABEL.search(before) is not None
        after = m.end() + BARE_AFTER_CHARS
        named_after = _WORD_AFTER.match(text, m.end(), after) is not None and not units.match(text, m.end(), after)
        # "… là 225 (đã triển khai: 161; …)": a whole whose parts the parenthesis names.
        whole_of_paren = _PAREN_AFTER.match(text, m.end(), after) is not None and _COPULA.search(before) is not None
        if not labelled and not whole_of_paren and not (named_after and cues.search(text, sentence_start, m.start())):
            continue
        if not labelled and lead.search(before):
            continue  # "Điều 5", "tháng 3 …", "lần 2 …": an ordinal or a date part
        # The figure right before it, when that one is in its sentence (earlier ones are not).
        k = bisect.bisect_left(figure_starts, m.start()) - 1
        owner = figures[k] if k >= 0 and figures[k].start >= sentence_start else None
        group = owner.group if owner is not None else f"count@{layout.sentence(m.start())}"
        fact = Fact("quantity", m.group(), m.start(), m.end(), "reconcile.bare_count",
                    {"value": value, "decimals": decimals, "unit": None})
        found.append(Figure(fact, value, group, True))
    return found


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


def stated_claim(kind: str, rule: str, facts: Sequence[Fact | None], values: dict[str, Any], *,
                 unchecked: str) -> Claim:
    """A claim over the facts that state it. When the wording names a relation but one of its
    figures is not stated (None: a change with no earlier figure, a cut with no time before), the
    claim is listed as unchecked with the reason ``unchecked``, over the facts that are stated:
    no other figure is taken to be the missing one because it fits."""
    present = [f for f in facts if f is not None]
    if len(present) < len(facts):
        values = {**values, "unchecked": unchecked}
    return Claim(kind, rule, present, values)
