"""Relations between two figures of one sentence that the wording names: a change in percent
("1.125 hồ sơ, tăng 12,5% so với cùng kỳ (1.000 hồ sơ)"), a multiple ("900 hồ sơ, gấp 3 lần năm
2023 (300 hồ sơ)"), a part of a plan or an estimate ("850 tỷ đồng, đạt 42,5% dự toán (2.000 tỷ
đồng)"), the rest of a whole in percent ("trực tuyến chiếm 74%, còn lại 26%"), and a product
("22 xã, mỗi xã 50 phiếu, tổng cộng 1.100 phiếu").

The figures compared are of one unit group (amounts in đồng whatever scale they are written
in). A change, a multiple or a part of a plan whose other figure the sentence does not state
is listed as unchecked: no figure of the paragraph is taken to be it because it fits.
"""
from __future__ import annotations

import functools
from decimal import Decimal

import regex

from ...extract.numbers import _scales, parse_number
from ...facts import Fact
from ..arithmetic import percent_holds, rounds_to
from ..clauses import in_comparison
from ..vocabulary import cue_pattern, cue_regex, cue_words
from .base import Claim, Figure, Reading, stated_claim

# The words between a change's percentage and its "so với" ("tăng 12,5% so với cùng kỳ").
CHANGE_LOOKAHEAD = 30
# A change's word stands right before its percentage ("tăng 12,5%", "giảm gần 7,45%").
SIGN_LOOKBACK = 16
# The figure a change, a multiple or a share of a plan is about stands before it in its
# sentence, within this many characters.
SUBJECT_GAP = 80
# The other figure of a change, a multiple or a share of a plan follows its words closely
# ("tăng 15% so với năm 2023 (2.400 hồ sơ)", "bằng 42,5% dự toán năm (1.600 tỷ đồng)").
OTHER_GAP = 40
# A "còn lại" stands right before the percentage it gives the rest of.
REST_LOOKBACK = 20
# A part's "chiếm" stands right before its percentage.
PART_CUE_LOOKBACK = 12
# "đạt 42,5% kế hoạch": the plan's words follow the percentage within this many characters (the
# bound keeps a match at a position from scanning the rest of the text).
PLAN_WORDS_CHARS = 60

_NUMBER = r"(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?"
_WRITTEN = regex.compile(rf"\W*(?P<number>{_NUMBER})\s*(?P<scale>nghìn|ngàn|triệu|tỷ|tỉ)?(?!\p{{L}})", regex.I)


def change_claims(reading: Reading) -> list[Claim]:
    return (_percent_change_claims(reading) + _multiple_claims(reading) + _plan_claims(reading)
            + _complement_claims(reading) + _per_item_claims(reading))


def _same_sentence(reading: Reading, offset: int, figures: list[Figure]) -> list[Figure]:
    sentence = reading.layout.sentence(offset)
    return [f for f in figures if reading.layout.sentence(f.start) == sentence]


def _subject(reading: Reading, offset: int) -> Figure | None:
    """The figure a relation at ``offset`` is about: the last one before it in its sentence,
    not inside a comparison with another period."""
    before = [f for f in _same_sentence(reading, offset, reading.figures) if f.end <= offset
              and not in_comparison(reading.text, reading.layout, f.start)]
    if not before or offset - before[-1].end > SUBJECT_GAP:
        return None
    return before[-1]


def _other(reading: Reading, subject: Figure, offset: int) -> Figure | None:
    """The other figure of the relation: the one of the subject's kind and unit group that
    follows the relation's words with no other figure between (within OTHER_GAP), or the only
    one in a comparison with another period in the sentence. A number whose unit is only
    inferred (a bare count) is never one."""
    text, layout = reading.text, reading.layout
    sentence = _same_sentence(reading, offset, reading.figures)
    figures = [f for f in reading.facts if f.kind in ("quantity", "money", "percent", "ratio")
               and layout.sentence(f.start) == layout.sentence(offset)]
    after = [f for f in figures if f.start >= offset]
    if after:
        first = next((f for f in sentence if f.fact is after[0]), None)
        if first is not None and _comparable(subject, first) and after[0].start - offset <= OTHER_GAP:
            return first
    compared = [f for f in sentence if f is not subject and _comparable(subject, f)
                and in_comparison(text, layout, f.start)]
    return compared[0] if len(compared) == 1 else None


def _comparable(a: Figure, b: Figure) -> bool:
    return (a.group == b.group and a.fact.kind == b.fact.kind
            and "reconcile.bare_count" not in (a.fact.pattern, b.fact.pattern))


# ---------------------------------------------------------------- "tăng 12,5% so với cùng kỳ"

@functools.lru_cache(maxsize=1)
def _sign_before() -> regex.Pattern:
    return regex.compile(r"(?P<sign>" + cue_pattern("increase_words") + "|" + cue_pattern("decrease_words")
                         + r")(?:\s+(?:" + cue_pattern("approximation_words") + r"))?\s*\Z", regex.I)


def _percent_change_claims(reading: Reading) -> list[Claim]:
    text = reading.text
    claims = []
    for percent in (f for f in reading.facts if f.kind == "percent"):
        sign = _sign_before().search(text, max(0, percent.start - SIGN_LOOKBACK), percent.start)
        if sign is None:
            continue
        subject = _subject(reading, sign.start())
        if subject is None or subject.fact.pattern == "reconcile.bare_count":
            continue  # "tỷ lệ ... tăng 5% so với ...": a rate's change, not a figure's
        previous = _other(reading, subject, percent.end)
        # A change is named by its base after it ("so với cùng kỳ"), or by the other period's
        # figure stated before it ("1.125 hồ sơ (cùng kỳ: 1.000 hồ sơ), tăng 12,5%").
        named = cue_regex("change_bases").search(text, percent.end, percent.end + CHANGE_LOOKAHEAD)
        if not named and not (previous is not None and previous.start < percent.start):
            continue
        direction = 1 if cue_regex("increase_words").fullmatch(sign["sign"]) else -1
        values = {"percent": Decimal(percent.value["value"]), "decimals": percent.value["decimals"],
                  "sign": direction, "current": subject.value}
        if previous is not None:
            values.update(previous=previous.value, current_error=written_precision(subject.fact),
                          previous_error=written_precision(previous.fact))
        claims.append(stated_claim("percent_change", "change.percent", [subject.fact, previous and previous.fact, percent],
                                   values, unchecked="previous_not_stated"))
    return claims


# ---------------------------------------------------------------- "gấp 3 lần"

@functools.lru_cache(maxsize=1)
def _multiple() -> regex.Pattern:
    return regex.compile(r"(?<!\p{L})(?:" + cue_pattern("multiple_words") + r")\s+(?:(?P<bound>"
                         + cue_pattern("approximation_words") + rf")\s+)?(?P<n>{_NUMBER})\s+lần(?!\p{{L}})", regex.I)


def _multiple_claims(reading: Reading) -> list[Claim]:
    text = reading.text
    claims = []
    for m in _multiple().finditer(text):
        subject = _subject(reading, m.start())
        if subject is None or subject.fact.pattern == "reconcile.bare_count":
            continue
        times, decimals = parse_number(m["n"])
        fact = Fact("quantity", m.group(), m.start(), m.end(), "reconcile.multiple",
                    {"value": times, "decimals": decimals, "unit": "lần"})
        values = {"times": times, "decimals": decimals, "bound": (m["bound"] or "").lower() or None,
                  "current": subject.value}
        other = _other(reading, subject, m.end())
        other = other if other is not None and other.value > 0 else None
        if other is not None:
            values.update(base=other.value, current_error=written_precision(subject.fact),
                          base_error=written_precision(other.fact))
        claims.append(stated_claim("multiple", "change.multiple", [subject.fact, other and other.fact, fact], values,
                                   unchecked="base_not_stated"))
    return claims


# ---------------------------------------------------------------- "đạt 42,5% dự toán"

@functools.lru_cache(maxsize=1)
def _plan_after() -> regex.Pattern:
    return regex.compile(r"\s*(?:(?:" + cue_pattern("plan_words") + r"))(?!\p{L})", regex.I)


def _plan_claims(reading: Reading) -> list[Claim]:
    text = reading.text
    claims = []
    for percent in (f for f in reading.facts if f.kind == "percent"):
        if not _plan_after().match(text, percent.end, percent.end + PLAN_WORDS_CHARS):
            continue
        if not cue_regex("share_cues").search(text, max(0, percent.start - SIGN_LOOKBACK), percent.start):
            continue  # "đạt 42,5% kế hoạch", "bằng 96% dự toán"; not "phấn đấu 90% kế hoạch"
        subject = _subject(reading, percent.start)
        if subject is None or subject.fact.pattern == "reconcile.bare_count":
            continue
        values = {"part": subject.value, "percent": Decimal(percent.value["value"]),
                  "decimals": percent.value["decimals"]}
        plan = _other(reading, subject, percent.end)
        plan = plan if plan is not None and plan.value > 0 else None
        if plan is not None:
            values.update(whole=plan.value, part_error=written_precision(subject.fact),
                          whole_error=written_precision(plan.fact))
        claims.append(stated_claim("share", "share.plan", [subject.fact, plan and plan.fact, percent], values,
                                   unchecked="plan_not_stated"))
    return claims


# ---------------------------------------------------------------- "còn lại 26%"

def _complement_claims(reading: Reading) -> list[Claim]:
    """'Hồ sơ trực tuyến chiếm 74%, còn lại 26% là hồ sơ trực tiếp': the parts before the rest
    are the sentence's one other percentage, or all its percentages given with "chiếm"."""
    text, layout = reading.text, reading.layout
    percents = [f for f in reading.facts if f.kind == "percent"]
    claims = []
    for rest in percents:
        if not cue_regex("rest_words").search(text[max(0, rest.start - REST_LOOKBACK):rest.start]):
            continue
        sentence = layout.sentence(rest.start)
        parts = [p for p in percents if p.end <= rest.start and layout.sentence(p.start) == sentence
                 and not in_comparison(text, layout, p.start)]
        if not parts:
            continue
        if len(parts) > 1 and not all(cue_regex("part_share_cues").search(text, max(0, p.start - PART_CUE_LOOKBACK), p.start)
                                      for p in parts):
            continue
        if any(cue_regex("not_share_cues").search(text, max(0, p.start - SIGN_LOOKBACK), p.start) for p in parts):
            continue
        values = {"parts": [Decimal(p.value["value"]) for p in parts], "rest": Decimal(rest.value["value"]),
                  "quanta": [Decimal(1).scaleb(-p.value["decimals"]) for p in parts + [rest]]}
        claims.append(Claim("complement", "complement.percent", parts + [rest], values))
    return claims


# ---------------------------------------------------------------- "22 xã, mỗi xã 50 phiếu"

@functools.lru_cache(maxsize=1)
def _per_item() -> regex.Pattern:
    return regex.compile(r"[,;(]?\s*(?:" + cue_pattern("per_item_words") + r")\s+(?P<noun>\p{L}+(?:\s+\p{L}+)?)\s*\Z", regex.I)


def _per_item_claims(reading: Reading) -> list[Claim]:
    """'Khảo sát 22 xã, mỗi xã 50 phiếu, tổng cộng 1.100 phiếu': 22 × 50 = 1.100. The count
    and the per-item figure are read only when "mỗi" names the count's noun, and the total only
    when it is the sentence's one other figure of the per-item figure's unit group."""
    text, figures = reading.text, reading.figures
    claims = []
    for i, per in enumerate(figures):
        if i == 0:
            continue
        count = figures[i - 1]
        m = _per_item().search(text, count.end, per.start)
        if m is None or not count.is_count or count.fact.kind != "quantity":
            continue
        if m["noun"].lower() not in count.fact.text.lower():
            continue
        totals = [f for f in _same_sentence(reading, per.start, figures)
                  if f is not per and f is not count and f.group == per.group]
        if len(totals) != 1:
            continue
        total = totals[0]
        claims.append(Claim("product", "product.per_item", [count.fact, per.fact, total.fact], {
            "computed": count.value * per.value, "stated": total.value, "places": 0,
            "expression": f"{_shown(count)} × {_shown(per)}"}))
    return claims


def _shown(figure: Figure) -> str:
    return figure.fact.text


def written_precision(fact: Fact) -> Decimal:
    """How far the true value of a figure may be from the value written: half a unit of its
    last written digit when a scale word rounds it ("8,1 triệu lượt": 50.000), none for a
    figure written in full ("1.125 hồ sơ", "850.000.000 đồng")."""
    m = _WRITTEN.match(fact.text)
    if m is None or not m["scale"]:
        return Decimal(0)
    _, decimals = parse_number(m["number"])
    scale = _scales().get(" ".join(m["scale"].lower().split()))
    return Decimal(scale).scaleb(-decimals) / 2 if scale else Decimal(0)


def _ratio_range(top: Decimal, top_error: Decimal, bottom: Decimal, bottom_error: Decimal) -> tuple[Decimal, Decimal]:
    low_bottom, high_bottom = bottom - bottom_error, bottom + bottom_error
    if low_bottom <= 0:
        return Decimal("-Infinity"), Decimal("Infinity")
    return (top - top_error) / high_bottom, (top + top_error) / low_bottom


def _within(value_range: tuple[Decimal, Decimal], stated: Decimal, quantum: Decimal) -> bool:
    """Whether a stated value, rounded or cut at its quantum, may come from a value in the range."""
    low, high = value_range
    return low < stated + quantum and high >= stated - quantum / 2


def change_holds(v: dict) -> bool:
    """A change in percent against the previous figure, in the direction its word says; figures
    written rounded ("8,1 triệu") are taken anywhere within their written precision."""
    change = (v["current"] - v["previous"]) * v["sign"]
    if not v.get("current_error") and not v.get("previous_error"):
        return change >= 0 and percent_holds(change, v["previous"], v["percent"], v["decimals"])
    error = v.get("current_error", 0) + v.get("previous_error", 0)
    low, high = _ratio_range(change, error, v["previous"], v.get("previous_error", 0))
    return _within((low * 100, high * 100), v["percent"], Decimal(1).scaleb(-v["decimals"]))


def multiple_holds(v: dict) -> bool:
    """'gấp 3 lần' holds for a ratio that rounds to 3; 'gấp hơn 3 lần' for one above 3."""
    low, high = _ratio_range(v["current"], v.get("current_error", 0), v["base"], v.get("base_error", 0))
    if v["bound"] in {w.lower() for w in cue_words("over_bounds")}:
        return high > v["times"]
    if low == high:
        return rounds_to(low, v["times"], v["decimals"])
    return _within((low, high), v["times"], Decimal(1).scaleb(-v["decimals"]))


def plan_holds(v: dict) -> bool:
    """A share of a plan, with figures written rounded taken within their precision."""
    low, high = _ratio_range(v["part"], v["part_error"], v["whole"], v["whole_error"])
    return _within((low * 100, high * 100), v["percent"], Decimal(1).scaleb(-v["decimals"]))


def complement_holds(v: dict) -> bool:
    """The parts and the rest make 100 %, within half a written unit of each."""
    return abs(sum(v["parts"]) + v["rest"] - 100) <= sum(v["quanta"]) / 2
