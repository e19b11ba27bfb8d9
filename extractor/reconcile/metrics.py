"""What a figure measures: a metric id read from its unit and the words around it."""
from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from ..facts import Fact
from .clauses import clause_of
from ..structure.layout import Layout
from .vocabulary import cue_pattern, cue_words, vocabulary, words_regex

# A joining word brings in the next figure when that figure follows within a few words ("và
# giải quyết 1.931 hồ sơ"); further on it joins other words.
NEXT_FIGURE_REACH = 40
# A colon this close before a figure makes the words before it the figure's label ("Số hồ sơ
# tiếp nhận trong kỳ: 14.911 hồ sơ", the colon and a blank or two).
LABEL_COLON_CHARS = 6


@dataclass(frozen=True)
class Metric:
    id: str
    unit_group: str
    words: regex.Pattern
    excluded: regex.Pattern | None


@functools.lru_cache(maxsize=1)
def metric_table() -> tuple[Metric, ...]:
    return tuple(
        Metric(m.id, m.unit_group, words_regex(m.words), words_regex(m.excluded) if m.excluded else None)
        for m in vocabulary().metrics
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
    return metric_named(_context(text, layout, fact), vocabulary().group_of(fact.value["unit"]))


def metric_named(words: str, unit_group: str) -> str | None:
    """The first metric of ``unit_group`` whose words ``words`` hold (and not its excluded ones)."""
    for metric in metric_table():
        if metric.unit_group != unit_group:
            continue
        if metric.words.search(words) and not (metric.excluded and metric.excluded.search(words)):
            return metric.id
    return None


@functools.lru_cache(maxsize=1)
def _next_item() -> regex.Pattern:
    """The next figure, or a "và" that brings one in ("… và giải quyết 1.931 hồ sơ")."""
    return regex.compile(r"\s(?:" + cue_pattern("figure_joiners") + rf")\s(?=[^,;()\d]{{0,{NEXT_FIGURE_REACH}}}\d)|\d")


def _context(text: str, layout: Layout, fact: Fact) -> str:
    """The figure's clause; when a label with a colon introduces it ("Số lượng TTHC tiếp nhận
    trong kỳ (…): 14.911 hồ sơ"), the whole label back to the previous ';' too."""
    words = clause_of(text, layout, fact)
    # The words after a figure describe it up to the next figure or "và": "tiếp nhận 2.076 hồ sơ
    # và giải quyết 1.931 hồ sơ" does not make 2.076 resolved.
    offset = words.find(fact.text)
    if offset >= 0:
        tail_start = offset + len(fact.text)
        cut = _next_item().search(words, tail_start)
        if cut:
            words = words[: cut.start()]
        # Nor do the words of a figure before it: "126 hồ sơ từ kỳ trước chuyển sang và 1.950 hồ
        # sơ tiếp nhận mới" starts 1.950's words after "và".
        head = words[:offset]
        last_digit = max((i for i, c in enumerate(head) if c.isdigit()), default=-1)
        if last_digit >= 0:
            joint, joiner = max((head.rfind(f" {w} ", last_digit), w) for w in cue_words("part_joiners"))
            words = words[joint + len(joiner) + 2 if joint >= 0 else last_digit + 1 :]
    head = text[max(0, fact.start - LABEL_COLON_CHARS) : fact.start]
    if ":" not in head:
        return words
    start = layout.sentence_span(fact.start)[0]
    label = text[start : fact.start].rsplit(";", 1)[-1]
    return label + " " + words
