"""Shares a document states: a percentage against its ratio ("56/60 nhiệm vụ, đạt 93,3%"),
against a whole the paragraph gives (50 TTHC, 42,4% of 118), the whole it implies when none is
given (the GRIM test), or the figures its metric is defined from ("tỷ lệ giải quyết đúng và
trước hạn" = (early + on time) / resolved). Where the wording leaves the whole open, the
candidates in the paragraph are tried and the one that fits is kept (50 and 68 are shares of
118, not of 145)."""
from __future__ import annotations

import functools
from decimal import Decimal

import regex

from ...facts import Fact
from ..arithmetic import percent_holds
from ..clauses import in_comparison
from ..metrics import metric_named, metric_unit_group
from ...structure.layout import Layout
from ..vocabulary import cue_pattern, cue_regex, vocabulary
from .base import Claim, Figure, Reading
from .named import label_before, nearest_before, stated_parts
from .sums import breakdowns

# Character windows, sized on how reports write a share next to its figures.
# The words right after a percentage that can make it a change or a bound ("84% so với cùng kỳ").
AFTER_PERCENT_CHARS = 30
# A target's words stand right before its percentage ("chỉ tiêu tỉnh giao là 80%").
TARGET_LOOKBACK = 40
# Punctuation between a target's words and its percentage ("chỉ tiêu: 80%").
TARGET_PUNCTUATION = 3
# A ratio and the percentage computed from it share a clause ("56/60 nhiệm vụ được giao, đạt 93,3%").
RATIO_PERCENT_GAP = 120
# Blanks, "(" or ":" between a percentage and the ratio it is computed from ("93,3% (56/60 …").
PERCENT_RATIO_GAP = 4
# A count and its share share a clause ("118 TTHC … thực hiện toàn trình, đạt 81,4%").
PART_PERCENT_GAP = 140
# A bound is the word right before the percentage ("trên 80%"); further back it bounds nothing.
NOT_SHARE_LOOKBACK = 20
# The whole of a share is stated in the same paragraph, a few sentences before its part at most.
WHOLE_DISTANCE = 800
# A sentence that picks out a subset says so in its first words ("Trong số đó, …").
SUBSET_OPENER_CHARS = 20


def share_claims(reading: Reading) -> list[Claim]:
    text, layout, facts, figures = reading.text, reading.layout, reading.facts, reading.figures
    # A whole and a part its breakdown lists: a share of the part falls back on that whole.
    linked = {(c.facts[0].start, f.start) for c in breakdowns(reading) for f in c.facts[1:]}
    claims = []
    ratios = [f for f in facts if f.kind == "ratio"]
    percents = [f for f in facts if f.kind == "percent"]
    targets = _targets(text, layout, percents)
    used: set[int] = set()
    for percent in percents:
        after = text[percent.end : percent.end + AFTER_PERCENT_CHARS]
        if cue_regex("not_share_cues", r"^\s*").match(after):
            continue
        ratio = _adjacent_ratio(text, layout, percent, [r for r in ratios if r.start not in used], figures)
        if ratio is not None:
            used.add(ratio.start)
            counts = (ratio.value.get("unit") not in (None, "VND") and ratio.value["numerator_decimals"] == 0
                      and ratio.value["denominator_decimals"] == 0 and not ratio.value.get("scale"))
            claims.append(Claim("share", "share.ratio", [ratio, percent], {
                "part": Decimal(ratio.value["numerator"]), "whole": Decimal(ratio.value["denominator"]),
                "percent": Decimal(percent.value["value"]), "decimals": percent.value["decimals"],
                "counts": counts, "target": targets.get(layout.sentence(percent.start))}))
            continue
        part = _part_before(text, layout, percent, figures)
        if part is None:
            claim = _share_of_named_parts(text, layout, percent, figures)
            if claim is not None:
                claim.values["target"] = targets.get(layout.sentence(percent.start))
                claims.append(claim)
            continue
        claim = _share_of_part(text, layout, percent, part, figures, linked)
        if claim is not None:
            claim.values["target"] = targets.get(layout.sentence(percent.start))
            claims.append(claim)
    return claims


@functools.lru_cache(maxsize=1)
def _target_cue() -> regex.Pattern:
    """A target's words ending right before a percentage: "chỉ tiêu là ít nhất 80%"."""
    return regex.compile(r"(?:" + cue_pattern("target_cues") + rf")\W{{0,{TARGET_PUNCTUATION}}}(?:(?:" + cue_pattern("target_links")
                         + r")\s+)?(?:(?:" + cue_pattern("target_bounds") + r")\s+)?\Z", regex.I)


def _targets(text: str, layout: Layout, percents: list[Fact]) -> dict[int, Decimal]:
    """A target percentage stated in a sentence ("chỉ tiêu 80%"): a share on the other side of
    it turns "đạt" into "không đạt"."""
    targets = {}
    for percent in percents:
        if _target_cue().search(text, max(0, percent.start - TARGET_LOOKBACK), percent.start):
            targets[layout.sentence(percent.start)] = Decimal(percent.value["value"])
    return targets


def _adjacent_ratio(text: str, layout: Layout, percent: Fact, ratios: list[Fact],
                    figures: list[Figure]) -> Fact | None:
    sentence = layout.sentence(percent.start)
    best = None
    for ratio in ratios:
        if layout.sentence(ratio.start) != sentence:
            continue
        if ratio.end <= percent.start:
            gap = text[ratio.end : percent.start]
            paren = layout.enclosing_paren(percent.start)
            if paren is not None and paren.start >= ratio.end and not _share_paren().match(
                    text, paren.start + 1, percent.start):
                continue  # "(Sơn La đang hoàn tất, đạt 85%)": another subject
            if len(gap) <= RATIO_PERCENT_GAP and ";" not in gap and not cue_regex("comparison_cues").search(gap) and not any(
                    ratio.end <= f.start < percent.start for f in figures):
                best = ratio
        elif percent.end <= ratio.start:
            gap = text[percent.end : ratio.start]
            if regex.fullmatch(rf"[\s(:]{{0,{PERCENT_RATIO_GAP}}}", gap) and best is None:
                return ratio
    return best


@functools.lru_cache(maxsize=1)
def _share_paren() -> regex.Pattern:
    """The opening of a parenthesis that holds a share of the ratio before it, up to the percentage."""
    # "(đạt tỷ lệ 100%)": the words may come two together.
    return regex.compile(r"\s*(?:(?:" + cue_pattern("share_paren_words") + r")\s*){0,2}[\s:]*\Z", regex.I)


def _part_before(text: str, layout: Layout, percent: Fact, figures: list[Figure]) -> Figure | None:
    """The count or amount a percentage is a share of the whole of: 'X ... đạt 81,4%'."""
    before = [f for f in figures if f.end <= percent.start]
    if not before:
        return None
    part = before[-1]
    gap = text[part.end : percent.start]
    if len(gap) > PART_PERCENT_GAP or ";" in gap or regex.search(r"\d", gap):
        return None
    if layout.sentence(part.start) != layout.sentence(percent.start):
        return None
    if not cue_regex("share_cues").search(gap) and "(" not in gap:
        return None
    # "trên 80%", "tăng 84%": a bound or a change, not a share.
    if cue_regex("not_share_cues").search(gap[-NOT_SHARE_LOOKBACK:]):
        return None
    return part


def _share_of_part(text: str, layout: Layout, percent: Fact, part: Figure, figures: list[Figure],
                   linked: set[tuple[int, int]]) -> Claim | None:
    stated = Decimal(percent.value["value"])
    decimals = percent.value["decimals"]
    paragraph = layout.paragraph(part.start)
    candidates = [
        f for f in reversed(figures)
        if f.end <= part.start and f.group == part.group and f.value >= part.value and f.value > 0
        and layout.paragraph(f.start) == paragraph and part.start - f.end < WHOLE_DISTANCE
        and not in_comparison(text, layout, f.start)
    ]
    for whole in candidates:
        if percent_holds(part.value, whole.value, stated, decimals):
            return Claim("share", "share.part_whole", [part.fact, whole.fact, percent], {
                "part": part.value, "whole": whole.value, "percent": stated, "decimals": decimals})
    sentence = layout.sentence(part.start)
    same_sentence = [f for f in candidates if layout.sentence(f.start) == sentence]
    sentence_start = layout.sentence_span(part.start)[0]
    if not same_sentence and cue_regex("subset_openers", r"^\W*").match(text[sentence_start : sentence_start + SUBSET_OPENER_CHARS]):
        same_sentence = [f for f in candidates if layout.sentence(f.start) == sentence - 1]
    if stated == 100:
        return None  # "(100%)" with no whole that fits says "all of them", of a whole not given
    # With no whole that fits, the percentage is held against a whole it is tied to: one whose
    # breakdown lists the part, or one whose metric the part's metric splits.
    same_sentence = [f for f in same_sentence if (f.start, part.start) in linked or _splits(part, f)]
    if same_sentence:
        whole = same_sentence[0]
        return Claim("share", "share.part_whole", [part.fact, whole.fact, percent], {
            "part": part.value, "whole": whole.value, "percent": stated, "decimals": decimals})
    if part.is_count and stated > 0:
        return Claim("implied_whole", "share.implied_whole", [part.fact, percent], {
            "part": part.value, "percent": stated, "decimals": decimals})
    return None


def _splits(part: Figure, whole: Figure) -> bool:
    """Whether the part's metric is one the whole's splits into, or the same one narrowed
    ("8.493 văn bản được ký số ...; có 8.368 văn bản được lãnh đạo ký số")."""
    if part.metric is None:
        return False
    return part.metric == whole.metric or any(
        part.metric in parts for w, parts in vocabulary().partitions if w == whole.metric)


def _share_of_named_parts(text: str, layout: Layout, percent: Fact, figures: list[Figure]) -> Claim | None:
    """A percentage named by a metric whose share the domain defines, with no figures of its
    own: "Tỷ lệ giải quyết đúng và trước hạn đạt 99,92%" after "Đã giải quyết 15.931 hồ sơ,
    trong đó 14.807 hồ sơ trước hạn, 1.112 hồ sơ đúng hạn" is (14.807 + 1.112) / 15.931."""
    label = label_before(text, layout, percent.start)
    for metric, base in vocabulary().share_bases.items():
        if metric_named(label, metric_unit_group(metric)) != metric:
            continue
        parts = stated_parts(text, layout, figures, metric, percent.start)
        whole = nearest_before(figures, text, layout, percent.start, base)
        if parts is None or whole is None:
            return None
        return Claim("share", "share.named_parts", [percent, whole.fact] + [p.fact for p in parts], {
            "part": sum(p.value for p in parts), "whole": whole.value,
            "percent": Decimal(percent.value["value"]), "decimals": percent.value["decimals"]})
    return None
