"""What a figure measures: a metric id read from its unit and the words around it."""
from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from ..facts import Fact
from .claims import _clause, _metrics, _unit_groups, words_regex
from .text import Layout


@dataclass(frozen=True)
class Metric:
    id: str
    unit_group: str
    words: regex.Pattern
    excluded: regex.Pattern | None


@functools.lru_cache(maxsize=1)
def metric_table() -> tuple[Metric, ...]:
    return tuple(
        Metric(m["id"], m["unit_group"], words_regex(m["words"]), words_regex(m["not"]) if m.get("not") else None)
        for m in _metrics().get("metrics", [])
    )


@functools.lru_cache(maxsize=None)
def metric_words(metric_id: str) -> regex.Pattern:
    """The words that name a metric."""
    return next(m.words for m in metric_table() if m.id == metric_id)


@functools.lru_cache(maxsize=None)
def metric_unit_group(metric_id: str) -> str:
    return next(m.unit_group for m in metric_table() if m.id == metric_id)


def metric_of(text: str, layout: Layout, fact: Fact) -> str | None:
    """The metric id of a quantity fact, or None when its words say nothing known."""
    if fact.kind != "quantity":
        return None
    group = _unit_groups().get(fact.value["unit"], fact.value["unit"])
    from .claims import Figure

    figure = Figure(fact, 0, group, True)
    return metric_named(_context(text, layout, figure), group)


def metric_named(words: str, unit_group: str) -> str | None:
    """The first metric of ``unit_group`` whose words ``words`` hold (and not its excluded ones)."""
    for metric in metric_table():
        if metric.unit_group != unit_group:
            continue
        if metric.words.search(words) and not (metric.excluded and metric.excluded.search(words)):
            return metric.id
    return None


# The next figure, or a "và" that brings one in ("… và giải quyết 1.931 hồ sơ").
_NEXT_ITEM = regex.compile(r"\s(?:và|hoặc)\s(?=[^,;()\d]{0,40}\d)|\d")


def _context(text: str, layout: Layout, figure) -> str:
    """The figure's clause; when a label with a colon introduces it ("Số lượng TTHC tiếp nhận
    trong kỳ (…): 14.911 hồ sơ"), the whole label back to the previous ';' too."""
    clause = _clause(text, layout, figure)
    # The words after a figure describe it up to the next figure or "và": "tiếp nhận 2.076 hồ sơ
    # và giải quyết 1.931 hồ sơ" does not make 2.076 resolved.
    offset = clause.find(figure.fact.text)
    if offset >= 0:
        tail_start = offset + len(figure.fact.text)
        cut = _NEXT_ITEM.search(clause, tail_start)
        if cut:
            clause = clause[: cut.start()]
        # Nor do the words of a figure before it: "126 hồ sơ từ kỳ trước chuyển sang và 1.950 hồ
        # sơ tiếp nhận mới" starts 1.950's words after "và".
        head = clause[:offset]
        last_digit = max((i for i, c in enumerate(head) if c.isdigit()), default=-1)
        if last_digit >= 0:
            joint = head.rfind(" và ", last_digit)
            clause = clause[joint + 4 if joint >= 0 else last_digit + 1 :]
    head = text[max(0, figure.start - 6) : figure.start]
    if ":" not in head:
        return clause
    start = layout.sentence_span(figure.start)[0]
    label = text[start : figure.start].rsplit(";", 1)[-1]
    return label + " " + clause
