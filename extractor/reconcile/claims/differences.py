"""Differences a document states: with another period ("14.911 hồ sơ (năm 2022 tiếp nhận 8.008
hồ sơ tăng 6.903 hồ sơ)"), and what remains of a ratio's whole ("56/60 nhiệm vụ ...; 04 nhiệm
vụ chưa hoàn thành")."""
from __future__ import annotations

import itertools

from decimal import Decimal

import regex

from ..clauses import clause_of, in_comparison, is_comparison
from ..vocabulary import cue_regex, vocabulary
from .base import Claim, Reading

# A comparison follows the figure it compares right after it ("14.911 hồ sơ (năm 2022 …)"), with
# at most a few words between.
COMPARISON_GAP = 60


def difference_claims(reading: Reading) -> list[Claim]:
    """'14.911 hồ sơ (năm 2022 tiếp nhận 8.008 hồ sơ tăng 6.903 hồ sơ)'."""
    text, layout, figures = reading.text, reading.layout, reading.figures
    claims = []
    for i, current in enumerate(figures):
        if in_comparison(text, layout, current.start):
            continue
        following = list(itertools.islice((figures[k] for k in range(i + 1, len(figures))
                                           if figures[k].group == current.group), 2))
        if len(following) != 2:
            continue
        previous, change = following
        paren = layout.enclosing_paren(previous.start)
        if paren is None or paren.start < current.end or not is_comparison(text, paren):
            continue
        if layout.enclosing_paren(change.start) != paren:
            continue
        if regex.search(r"[;\d]", text[current.end : paren.start]) or paren.start - current.end > COMPARISON_GAP:
            continue
        verb = text[previous.end : change.start]
        if cue_regex("increase_words").search(verb):
            sign = 1
        elif cue_regex("decrease_words").search(verb):
            sign = -1
        else:
            continue
        claims.append(Claim("difference", "difference.comparison", [current.fact, previous.fact, change.fact], {
            "current": current.value, "previous": previous.value, "change": change.value, "sign": sign}))
    return claims


def remainder_claims(reading: Reading) -> list[Claim]:
    """'hoàn thành 56/60 nhiệm vụ, đạt 93,3%; 04 nhiệm vụ chưa hoàn thành': 60 - 56 = 4."""
    text, layout, facts, figures = reading.text, reading.layout, reading.facts, reading.figures
    claims = []
    for ratio in (f for f in facts if f.kind == "ratio" and f.value.get("unit")):
        group = vocabulary().group_of(ratio.value["unit"])
        sentence_end = layout.sentence_span(ratio.start)[1]
        rest = next((f for f in figures if ratio.end <= f.start < sentence_end and f.group == group), None)
        if rest is None or not cue_regex("remainder_words").search(clause_of(text, layout, rest)):
            continue
        claims.append(Claim("difference", "difference.remainder", [ratio, rest.fact], {
            "current": Decimal(ratio.value["denominator"]), "previous": Decimal(ratio.value["numerator"]),
            "change": rest.value, "sign": 1}))
    return claims
