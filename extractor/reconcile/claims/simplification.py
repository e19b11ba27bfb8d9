"""The figures of a simplification plan (phương án đơn giản hóa thủ tục hành chính): each
procedure's cut of its time and the compliance cost it saves.

A cut has three parts, the time prescribed before, the cut and the time after, written in one
sentence ("Thời gian giải quyết tại Sở là 07 ngày, … rút ngắn được 02 ngày còn 5 ngày"), in the
lines of a plan's item ("Giảm 02 ngày so với quy định. - Thời gian giải quyết theo quy định: 07
ngày … - Thời gian thực hiện: 05 ngày"), or as a change of the time ("Giảm thời gian giải quyết
… từ 10 ngày làm việc còn 09 ngày") with the days saved in the item's benefit ("Giảm được 01 ngày
làm việc"). Lists name several cases, matched in order ("05 ngày hoặc 08 ngày", "rút ngắn được
1,5 ngày, 2,5 ngày"); lists of different lengths, and a cut whose times are not stated, are
unchecked.

The compliance cost is written as a list: the cost before and after ("- Chi phí tuân thủ TTHC
trước khi đơn giản hóa: (10 ngày làm việc = 80 giờ …) … = 32.000.000 đồng/năm"), the saving
("- Chi phí tiết kiệm: 3.200.000 đồng/năm") and its rate ("- Tỷ lệ cắt giảm chi phí: 10%"): the
saving is the difference of the two costs, its rate the saving's share of the cost before, and
the days in each cost line restate the times of the cut.
"""
from __future__ import annotations

import functools
from decimal import Decimal
from typing import NamedTuple

import regex

from ...extract.numbers import parse_number
from ...facts import Fact
from ..vocabulary import cue_pattern
from .base import Claim, Reading, stated_claim

# The lines of a plan's item (the cut, the time before, the time after) follow its cut within
# this many characters, before the next item's cut.
ITEM_CHARS = 600
# The benefit that states the days saved follows the change of the time it saves within its
# procedure (the simplification, the proposal to enact it, the benefit).
PROCEDURE_CHARS = 1500
# The compliance-cost lines of one procedure stand within this many characters of its saving.
COST_BLOCK_CHARS = 800
# Words between a label's colon and its time ("Thời gian thực hiện: Mười ngày rưỡi 10,5 ngày").
LABEL_GAP_CHARS = 25
# A cue read right after a time ("… so với quy định", "còn 5 ngày") stands within this many
# characters of it; matches are bounded by it, since the regex module looks for a pattern's
# required words up to the end of the text it is given.
CUE_AFTER_CHARS = 80
# Words between a change's cue and its "từ" ("Giảm thời gian giải quyết thủ tục hành chính từ …").
CUT_CUE_GAP_CHARS = 60

_NUMBER = r"\d+(?:,\d+)?"
_DAY = r"ngày(?:\s+làm\s+việc)?"
# One time of a list, its unit written or left to the last one ("7,5, 03 ngày"; "(17,5) ngày").
_ITEM = regex.compile(rf"\(?(?P<n>{_NUMBER})\)?(?P<unit>\s+{_DAY})?(?!\p{{L}}|\d)")
_SEPARATOR = regex.compile(r"\s*(?:,|;|và|hoặc)\s*")
_MONEY = regex.compile(r"(?<![\d.,])(?:\d{1,3}(?:\.\d{3})+|\d+)(?![\d]|[.,]\d)")
_PERCENT = regex.compile(rf"(?P<n>{_NUMBER})\s*%")
_DAYS = regex.compile(rf"(?P<n>{_NUMBER})\s+{_DAY}")


class Times(NamedTuple):
    """A list of times as written, and where it ends."""

    facts: list[Fact]
    end: int


def simplification_claims(reading: Reading) -> list[Claim]:
    return _item_cut_claims(reading) + _sentence_cut_claims(reading) + _cost_claims(reading)


def _times(text: str, at: int) -> Times | None:
    """The list of times starting at ``at``; its last time states the unit ("ngày")."""
    facts, end, unit = [], at, False
    while True:
        m = _ITEM.match(text, end)
        if m is None:
            break
        facts.append(_time_fact(text, m.start("n"), m.end()))
        end, unit = m.end(), bool(m["unit"])
        separator = _SEPARATOR.match(text, end)
        if separator is None or _ITEM.match(text, separator.end()) is None:
            break
        end = separator.end()
    return Times(facts, end) if facts and unit else None


def _time_fact(text: str, start: int, end: int) -> Fact:
    written = text[start:end].rstrip(") ")
    value, decimals = parse_number(regex.match(_NUMBER, written).group())
    return Fact("quantity", written, start, start + len(written), "reconcile.time_cut",
                {"value": value, "decimals": decimals, "unit": "ngày"})


def _value(fact: Fact) -> Decimal:
    return Decimal(fact.value["amount"] if fact.kind == "money" else fact.value["value"])


def _cut_claims(before: Times | None, cut: Times | None, after: Times | None) -> list[Claim]:
    """Time after = time before - cut, case by case."""
    lists = [before, cut, after]
    if any(t is None for t in lists):
        return [stated_claim("difference", "difference.time_cut", [t.facts[0] if t is not None else None for t in lists],
                             {}, unchecked="cut_times_not_stated")]
    if len({len(t.facts) for t in lists}) > 1:
        return [Claim("difference", "difference.time_cut", [t.facts[0] for t in lists], {"unchecked": "cut_cases_differ"})]
    return [Claim("difference", "difference.time_cut", [b, c, a],
                  {"current": _value(a), "previous": _value(b), "change": _value(c), "sign": -1})
            for b, c, a in zip(before.facts, cut.facts, after.facts)]


# ---------------------------------------------------------------- "Giảm 02 ngày so với quy định."

@functools.lru_cache(maxsize=None)
def _cue_before_number(name: str) -> regex.Pattern:
    """The cue words ``name`` right before a number ("Giảm 02", "là 07", "rút ngắn được 02")."""
    return regex.compile(rf"(?<!\p{{L}})(?:{cue_pattern(name)})\s+(?=\(?\d)", regex.I)


@functools.lru_cache(maxsize=1)
def _item_base() -> regex.Pattern:
    return regex.compile(rf"\s*(?:{cue_pattern('time_cut_bases')})(?!\p{{L}})", regex.I)


@functools.lru_cache(maxsize=None)
def _label(name: str) -> regex.Pattern:
    return regex.compile(rf"(?<!\p{{L}})(?:{cue_pattern(name)})\s*:(?:(?!\n[ \t]*\n)\D){{0,{LABEL_GAP_CHARS}}}?(?=\(?\d)",
                         regex.I)


def _item_cut_claims(reading: Reading) -> list[Claim]:
    """'Giảm 1,5 ngày và 2,5 ngày so với quy định. - Thời gian giải quyết theo quy định: 05 ngày
    hoặc 08 ngày … - Thời gian thực hiện: 3,5 ngày hoặc 5,5 ngày …'."""
    text = reading.text
    cuts = []
    for m in _cue_before_number("time_cut_verbs").finditer(text):
        times = _times(text, m.end())
        if times is not None and _item_base().match(text, times.end, times.end + CUE_AFTER_CHARS):
            cuts.append(times)
    claims = []
    for i, cut in enumerate(cuts):
        end = min(cut.end + ITEM_CHARS, cuts[i + 1].facts[0].start if i + 1 < len(cuts) else len(text))
        before = _labelled_times(text, "time_before_labels", cut.end, end)
        after = _labelled_times(text, "time_after_labels", cut.end, end)
        claims += _cut_claims(before, cut, after)
    return claims


def _labelled_times(text: str, labels: str, start: int, end: int) -> Times | None:
    m = _label(labels).search(text, start, end)
    return _times(text, m.end()) if m is not None else None


# ---------------------------------------------------------------- "là 07 ngày, … rút ngắn được 02 ngày còn 5 ngày"

@functools.lru_cache(maxsize=1)
def _after_word() -> regex.Pattern:
    return regex.compile(rf"\s*(?<!\p{{L}})(?:{cue_pattern('time_after_words')})\s+(?=\(?\d)", regex.I)


@functools.lru_cache(maxsize=1)
def _total_cut_cue() -> regex.Pattern:
    return regex.compile(rf"(?<!\p{{L}})(?:{cue_pattern('time_cut_words')})[^\d.;]{{0,{CUT_CUE_GAP_CHARS}}}\Z", regex.I)


def _sentence_cut_claims(reading: Reading) -> list[Claim]:
    """A cut in one sentence ('là 07 ngày, … rút ngắn được 02 ngày còn 5 ngày'), and a change of
    a procedure's time ('Giảm thời gian giải quyết … từ 10 ngày làm việc còn 09 ngày') with the
    days its benefit says are saved ('Giảm được 01 ngày làm việc')."""
    text, layout = reading.text, reading.layout
    claims, taken = [], set()
    for m in _cue_before_number("time_before_words").finditer(text):
        before = _times(text, m.end())
        if before is None or _after_word().match(text, before.end, before.end + CUE_AFTER_CHARS):
            continue  # "từ 10 ngày còn 09 ngày": a change of the time, its cut stated apart
        saved = _cue_before_number("time_saved_words").search(text, before.end)
        if saved is not None and saved.start() >= layout.sentence_span(m.start())[1]:
            saved = None  # the cut of another sentence
        cut = _times(text, saved.end()) if saved is not None else None
        after_word = _after_word().match(text, cut.end, cut.end + CUE_AFTER_CHARS) if cut is not None else None
        after = _times(text, after_word.end()) if after_word is not None else None
        if after is None:
            continue
        taken.add(saved.start())
        claims += _cut_claims(before, cut, after)
    # The days saved, stated in the procedure's benefit, against its change of time.
    changes = _change_statements(reading)
    for saved in _cue_before_number("time_saved_words").finditer(text):
        cut = _times(text, saved.end()) if saved.start() not in taken else None
        if cut is None:
            continue
        prior = [times for start, times in changes if saved.start() - PROCEDURE_CHARS <= start < saved.start()]
        if prior:
            before, after = _procedure_change(prior, text, saved.start())
            claims += _cut_claims(before, cut, after)
    return claims


def _procedure_change(prior: list[tuple[Times, Times]], text: str, at: int) -> tuple[Times, Times]:
    """Of several changes of time before a saving, the procedure's: the first after the saving
    before it (a procedure states its time's change, then the change of a step)."""
    previous = max((m.end() for m in _cue_before_number("time_saved_words").finditer(text, max(0, at - PROCEDURE_CHARS), at)), default=-1)
    after_previous = [c for c in prior if c[0].facts[0].start > previous]
    return (after_previous or prior)[0]


# ---------------------------------------------------------------- compliance cost

@functools.lru_cache(maxsize=1)
def _cost_line() -> regex.Pattern:
    return regex.compile(rf"(?<!\p{{L}})(?:{cue_pattern('cost_labels')})[^:\n]{{0,30}}?\s*(?:(?P<before>"
                         rf"{cue_pattern('before_simplification_words')})|(?P<after>"
                         rf"{cue_pattern('after_simplification_words')}))\s*:", regex.I)


@functools.lru_cache(maxsize=1)
def _saving_line() -> regex.Pattern:
    return regex.compile(rf"(?<!\p{{L}})(?:{cue_pattern('cost_saving_labels')})\s*:\s*", regex.I)


@functools.lru_cache(maxsize=1)
def _rate_line() -> regex.Pattern:
    return regex.compile(rf"(?<!\p{{L}})(?:{cue_pattern('cost_cut_rate_labels')})\s*:\s*", regex.I)


def _line_end(text: str, at: int) -> int:
    """A list item ends at a blank line or at the next item's dash."""
    ends = [e for e in (text.find("\n\n", at), text.find("\n-", at)) if e >= 0]
    return min(ends) if ends else len(text)


def _amount_fact(reading: Reading, m: regex.Match) -> Fact:
    """The fact the reader found at that number (a money amount), or the number itself."""
    for fact in reading.facts:
        if fact.start == m.start() and fact.kind == "money":
            return fact
    value, decimals = parse_number(m.group())
    return Fact("quantity", m.group(), m.start(), m.end(), "reconcile.cost", {"value": value, "decimals": decimals, "unit": None})


def _cost(reading: Reading, at: int) -> tuple[Fact | None, Fact | None]:
    """A cost line's result (the amount after its last '=', or after its colon) and the days it
    costs (the first time in it, before its first '=')."""
    text = reading.text
    end = _line_end(text, at)
    equals = text.rfind("=", at, end)
    amount = _MONEY.search(text, equals + 1 if equals >= 0 else at, end)
    days = _DAYS.search(text, at, text.find("=", at, end) if equals >= 0 else end)
    day_fact = _time_fact(text, days.start(), days.end()) if days is not None else None
    return (_amount_fact(reading, amount) if amount is not None else None), day_fact


def _cost_claims(reading: Reading) -> list[Claim]:
    text = reading.text
    lines = [(m.end(), "before" if m["before"] else "after") for m in _cost_line().finditer(text)]
    changes = _change_statements(reading)
    claims = []
    for saving in _saving_line().finditer(text):
        block = [(at, when) for at, when in lines if saving.start() - COST_BLOCK_CHARS <= at < saving.start()]
        before = next((at for at, when in reversed(block) if when == "before"), None)
        after = next((at for at, when in reversed(block) if when == "after"), None)
        (before_cost, before_days) = _cost(reading, before) if before is not None else (None, None)
        (after_cost, after_days) = _cost(reading, after) if after is not None else (None, None)
        amount = _MONEY.search(text, saving.end(), _line_end(text, saving.end()))
        if amount is None:
            continue
        saved = _amount_fact(reading, amount)
        values = {"change": _value(saved), "sign": -1}
        if before_cost is not None and after_cost is not None:
            values.update(current=_value(after_cost), previous=_value(before_cost))
        claims.append(stated_claim("difference", "difference.cost_saving", [after_cost, before_cost, saved], values,
                                   unchecked="cost_not_stated"))
        rate = _rate_line().search(text, saving.end(), saving.end() + COST_BLOCK_CHARS)
        percent = _PERCENT.match(text, rate.end()) if rate is not None else None
        if percent is not None and _line_end(text, saving.end()) <= rate.start():
            written, decimals = parse_number(percent["n"])
            fact = Fact("percent", percent.group(), percent.start(), percent.end(), "reconcile.cost",
                        {"value": written, "decimals": decimals})
            values = {"part": _value(saved), "percent": written, "decimals": decimals}
            if before_cost is not None and _value(before_cost) > 0:
                values["whole"] = _value(before_cost)
            claims.append(stated_claim("share", "share.cost_cut", [saved, before_cost if "whole" in values else None, fact],
                                       values, unchecked="cost_not_stated"))
        claims += _cost_day_claims(changes, saving.start(), before_days, after_days)
    return claims


def _change_statements(reading: Reading) -> list[tuple[int, tuple[Times, Times]]]:
    """Where each change of a procedure's time is stated, with its times before and after."""
    text = reading.text
    found = []
    for m in _cue_before_number("time_before_words").finditer(text):
        before = _times(text, m.end())
        if before is None:
            continue
        after_word = _after_word().match(text, before.end, before.end + CUE_AFTER_CHARS)
        after = _times(text, after_word.end()) if after_word is not None else None
        if after is None or _total_cut_cue().search(text, max(0, m.start() - CUT_CUE_GAP_CHARS - 40), m.start()) is None:
            continue
        found.append((m.start(), (before, after)))
    return found


def _cost_day_claims(changes, at: int, before_days: Fact | None, after_days: Fact | None) -> list[Claim]:
    """The days a cost line costs restate the time before (or after) of the procedure's change."""
    prior = [times for start, times in changes if at - PROCEDURE_CHARS <= start < at]
    if not prior:
        return []
    before, after = prior[0]
    claims = []
    for times, days in ((before, before_days), (after, after_days)):
        if days is None or len(times.facts) != 1:
            continue
        claims.append(Claim("restatement", "restatement.cut_cost_days", [times.facts[0], days],
                            {"values": [_value(times.facts[0]), _value(days)], "where": "cost"}))
    return claims
