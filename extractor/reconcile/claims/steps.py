"""The internal process of a procedure (quy trình nội bộ giải quyết thủ tục hành chính): the
times of its steps add up to the total time under them.

A process is a table of steps, "Bước 1", "Bước 2", … each with the time it takes in a cell of
its own ("0,5 ngày làm việc"), closed by its total ("Tổng thời gian giải quyết TTHC | 10 ngày
làm việc"). The steps are the ones numbered 1 to n since the previous total or the process's heading
("Quy trình số 02"), whichever is last; a step "Không tính
thời gian" adds nothing. A process whose steps restart their numbering (one part per level of
government) or whose step states no time is listed as unchecked.
"""
from __future__ import annotations

import functools
from decimal import Decimal

import regex

from ...extract.numbers import parse_number
from ...facts import Fact
from ..vocabulary import cue_pattern, cue_regex
from .base import Claim, Reading

# The total's time follows its label within this many characters ("Tổng thời gian giải quyết
# TTHC** | **10 ngày làm việc**").
TOTAL_GAP_CHARS = 60

_NUMBER = r"\d+(?:,\d+)?"
# A time that is a cell of its own: the line holds nothing else but marks.
_TIME_CELL = regex.compile(rf"^[ \t*|]*(?P<n>{_NUMBER})[ \t]+ngày(?:[ \t]+làm[ \t]+việc)?[ \t*|]*$", regex.M)
_HOUR_CELL = regex.compile(rf"^[ \t*|]*{_NUMBER}[ \t]+giờ(?:[ \t]+làm[ \t]+việc)?[ \t*|]*$", regex.M)
_TOTAL_TIME = regex.compile(rf"(?<![\d,])(?P<n>{_NUMBER})[ \t]+ngày(?:[ \t]+làm[ \t]+việc)?")


@functools.lru_cache(maxsize=1)
def _step() -> regex.Pattern:
    return regex.compile(rf"^[ \t*|]*(?:{cue_pattern('step_words')})[ \t]+(?P<n>\d{{1,2}})[ \t*:.|]*$", regex.M | regex.I)


@functools.lru_cache(maxsize=1)
def _total() -> regex.Pattern:
    return regex.compile(rf"(?<!\p{{L}})(?:{cue_pattern('step_total_labels')})(?!\p{{L}})", regex.I)


def _time_fact(text: str, m: regex.Match) -> Fact:
    value, decimals = parse_number(m["n"])
    return Fact("quantity", text[m.start("n"):m.end()].rstrip("*)| \t"), m.start("n"),
                m.start("n") + len(text[m.start("n"):m.end()].rstrip("*)| \t")), "reconcile.step_time",
                {"value": value, "decimals": decimals, "unit": "ngày"})


_PART_TIME = regex.compile(rf"\([ \t]*(?P<n>{_NUMBER})[ \t]+ngày(?:[ \t]+làm[ \t]+việc)?[ \t]*\)")


def step_time_claims(reading: Reading) -> list[Claim]:
    text = reading.text
    claims, block_start = [], 0
    for label in _total().finditer(text):
        time = _TOTAL_TIME.search(text, label.end(), label.end() + TOTAL_GAP_CHARS)
        if time is None or regex.search(r"\d", text[label.end():time.start()]):
            continue
        headings = list(cue_regex("process_headings").finditer(text, block_start, label.start()))
        if headings:
            block_start = headings[-1].end()  # a process with no total does not lend it its steps
        steps = list(_step().finditer(text, block_start, label.start()))
        start, block_start = block_start, time.end()
        if not steps or int(steps[0]["n"]) != 1:
            continue
        total = _time_fact(text, time)
        runs = _runs(steps)
        if runs is None:
            claims.append(Claim("sum", "sum.step_times", [total], {"unchecked": "steps_out_of_order"}))
        elif len(runs) == 1:
            claims.append(_sum(total, *_step_times(text, runs[0], label.start())))
        else:
            claims += _part_claims(text, runs, start, label.start(), total)
    return claims


def _runs(steps: list[regex.Match]) -> list[list[regex.Match]] | None:
    """The steps cut where their numbering restarts at 1 (one part of the process per level of
    government), or None when it skips or repeats a number."""
    runs: list[list[regex.Match]] = []
    for step in steps:
        n = int(step["n"])
        if n == 1:
            runs.append([step])
        elif n == int(runs[-1][-1]["n"]) + 1:
            runs[-1].append(step)
        else:
            return None
    return runs


def _step_times(text: str, steps: list[regex.Match], end: int) -> tuple[list[Fact], str | None]:
    """Each step's time (the last time that is a cell of its own in it), and why the steps
    cannot all be told, if they cannot."""
    parts, unchecked = [], None
    for i, step in enumerate(steps):
        stop = steps[i + 1].start() if i + 1 < len(steps) else end
        cells = list(_TIME_CELL.finditer(text, step.end(), stop))
        if cells:
            parts.append(_time_fact(text, cells[-1]))
        elif not cue_regex("untimed_step_words").search(text, step.end(), stop):
            unchecked = "step_hours" if _HOUR_CELL.search(text, step.end(), stop) else "step_time_not_stated"
    return parts, unchecked


def _sum(total: Fact, parts: list[Fact], unchecked: str | None, rule: str = "sum.step_times") -> Claim:
    values = {"total": Decimal(total.value["value"]), "parts": [Decimal(p.value["value"]) for p in parts],
              "exhaustive": True}
    if unchecked or not parts:
        values["unchecked"] = unchecked or "step_time_not_stated"
    return Claim("sum", rule, [total] + parts, values)


def _part_claims(text: str, runs: list[list[regex.Match]], start: int, end: int, total: Fact) -> list[Claim]:
    """'I. Quy trình giải quyết tại cấp xã (03 ngày làm việc)' … 'II. … cấp tỉnh (05 ngày làm
    việc)' … total 08 ngày: each part's steps add up to the time its heading states, and the
    parts' times to the total."""
    claims, headers = [], []
    for i, run in enumerate(runs):
        after = runs[i - 1][-1].end() if i else start
        header = list(_PART_TIME.finditer(text, after, run[0].start()))
        if not header:
            return [Claim("sum", "sum.step_parts", [total], {"unchecked": "part_time_not_stated"})]
        headers.append(_time_fact(text, header[-1]))
        stop = runs[i + 1][0].start() if i + 1 < len(runs) else end
        parts, unchecked = _step_times(text, run, _PART_TIME.search(text, run[-1].end(), stop).start()
                                       if _PART_TIME.search(text, run[-1].end(), stop) else stop)
        claims.append(_sum(headers[-1], parts, unchecked))
    return claims + [_sum(total, headers, None, "sum.step_parts")]
