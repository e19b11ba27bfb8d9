"""Arithmetic a document writes out: a formula and its result ("A = (8.857.500 x 500.000)/
101.300.081 = 43.719 người"), and a result rounded in words ("524,8 tỷ đồng (lấy tròn 525 tỷ
đồng)").

A formula is read only when the words between its numbers are operators, parentheses and the
units of its numbers; its result holds when the computed value, rounded half up or cut at the
result's written decimals, is the number written (a percentage result is the computed share
times 100). Operands written in different scales ("5.000 tỷ đồng x 2 triệu đồng") are not
computed: the relation is listed as unchecked.
"""
from __future__ import annotations

import functools
from decimal import Decimal, InvalidOperation, localcontext

import regex

from ...extract.numbers import _scales, parse_number
from ...facts import Fact
from ..arithmetic import PERCENT_PRECISION, rounds_to
from ..vocabulary import cue_pattern
from .base import Claim, Reading

# A formula stands on one line, or its "= result" opens the next one; its left side is never
# longer than this.
FORMULA_CHARS = 160
# Words after a number inside a formula that are its unit ("9.530.000 người", "5.000 tỷ đồng",
# "10 ngày làm việc"); the last may be a rate ("40.000 đồng/giờ", "10 hồ sơ/năm").
UNIT_WORDS = 3
# A rounded figure follows the figure it rounds within a few words ("43.719 người (làm tròn 44.000").
ROUNDED_GAP = 30
# No written figure is longer; a match at a position is bounded by it as well as by the gap,
# because the regex module looks for a pattern's required words up to the end of the text it is
# given, and a document of 60,000 figures would be scanned to its end 60,000 times.
NUMBER_CHARS = 40
# The hours of a working day (Bộ luật Lao động: 8 hours a day), as a compliance-cost formula
# counts them: "10 ngày làm việc = 80 giờ".
WORKING_DAY_HOURS = 8
# Words of the unit between a figure and its rounding ("43.719 người (làm tròn …").
ROUNDED_UNIT_WORDS = 2

_NUMBER = r"(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?"
_TOKEN = regex.compile(
    rf"[ \t\n]*(?:(?P<number>{_NUMBER})(?P<unit>(?:[ \t]*(?![x×][ \t\d(])\p{{L}}[\p{{L}}\d]*(?:/\p{{L}}+)?){{0,{UNIT_WORDS}}})"
    r"|(?P<op>[×*/+\-]|x(?=[ \t]*[\d(]))|(?P<open>\()|(?P<close>\))|(?P<same>=))")
_RESULT = regex.compile(rf"[ \t]*\n?[ \t]*=[ \t\n]*(?P<number>{_NUMBER})(?P<percent>[ \t]*%)?")
_EQUALS = regex.compile(r"=")


def formula_claims(reading: Reading) -> list[Claim]:
    text = reading.text
    claims = []
    for m in _EQUALS.finditer(text):
        result = _RESULT.match(text, m.start() - _leading_blanks(text, m.start()))
        if result is None:
            continue
        left = _left_side(text, m.start())
        if left is None:
            continue
        start, tokens = left
        claim = _formula_claim(text, tokens, result)
        if claim is not None:
            claims.append(claim)
    return claims + _rounded_claims(reading) + _working_hours_claims(reading)


def _leading_blanks(text: str, at: int) -> int:
    n = 0
    while at - n - 1 >= 0 and text[at - n - 1] in " \t\n" and n < FORMULA_CHARS:
        n += 1
    return n


def _left_side(text: str, equals: int) -> tuple[int, list] | None:
    """The longest expression ending right before '=' (on its line, or on the line before when
    '=' opens a line) with two numbers and an operator at least: its start and tokens."""
    end = equals - _leading_blanks(text, equals)
    line_start = text.rfind("\n", 0, end) + 1
    window_start = max(line_start, end - FORMULA_CHARS)
    # An earlier '=' ends the expression, unless it stands inside a parenthesis the expression
    # closes: "(10 ngày làm việc = 80 giờ x 40.000 đồng/giờ) x 10 hồ sơ/năm = …".
    at = end
    while (inner := text.rfind("=", window_start, at)) >= 0:
        if text.count(")", inner, end) <= text.count("(", inner, end):
            window_start = inner + 1
            break
        at = inner
    for start in range(window_start, end):
        if not (text[start].isdigit() or text[start] == "(") or (start > 0 and (text[start - 1].isdigit() or text[start - 1] in ".,")):
            continue
        tokens = _tokens(text, start, end)
        if tokens is not None:
            return start, tokens
    return None


def _tokens(text: str, start: int, end: int) -> list | None:
    tokens, at = [], start
    while at < end:
        m = _TOKEN.match(text, at, end)
        if m is None or m.end() == at:
            return None
        tokens.append(m)
        at = m.end()
    numbers = [t for t in tokens if t["number"]]
    operators = [t for t in tokens if t["op"]]
    if len(numbers) < 2 or not operators:
        return None
    if len(numbers) == 2 and [t["op"] for t in operators] == ["/"]:
        return None  # "4.081/4.101 = 99,5%": a ratio, which the share reader reads
    return tokens


def _formula_claim(text: str, tokens: list, result: regex.Match) -> Claim | None:
    facts = [_number_fact(text, t.start("number"), t.end("number") + len(t["unit"] or "")) for t in tokens if t["number"]]
    stated, decimals = parse_number(result["number"])
    result_fact = _number_fact(text, result.start("number"), result.end("percent") if result["percent"] else result.end("number"))
    values = {"expression": " ".join(_shown(t) for t in tokens), "stated": stated, "places": decimals,
              "percent": bool(result["percent"])}
    scales = {_scale_word(t["unit"]) for t in tokens if t["number"]} - {None}
    if len(scales) > 1:
        values["unchecked"] = "formula_scales"
        return Claim("product", "product.formula", facts + [result_fact], values)
    computed = _evaluate(tokens)
    if computed is None:
        return None
    values["computed"] = computed * 100 if result["percent"] else computed
    return Claim("product", "product.formula", facts + [result_fact], values)


def _shown(token: regex.Match) -> str:
    if token["number"]:
        return token["number"]
    if token["op"]:
        return {"x": "×", "*": "×"}.get(token["op"], token["op"])
    return token.group().strip()


@functools.lru_cache(maxsize=1)
def _scale_words() -> frozenset[str]:
    return frozenset(_scales())


def _scale_word(unit: str | None) -> str | None:
    """The scale a number's unit words state ("tỷ" of "5.000 tỷ đồng"), if any."""
    words = (unit or "").lower().split()
    return next((w for w in words if w in _scale_words()), None)


def _number_fact(text: str, start: int, end: int) -> Fact:
    written = regex.match(_NUMBER, text[start:end])
    value, decimals = parse_number(written.group())
    return Fact("quantity", text[start:end], start, end, "reconcile.formula",
                {"value": value, "decimals": decimals, "unit": None})


def _evaluate(tokens: list) -> Decimal | None:
    """The value of the expression: × and / before + and -, parentheses first."""
    items = []
    for t in tokens:
        if t["number"]:
            items.append(parse_number(t["number"])[0])
        elif t["op"]:
            items.append({"x": "*", "×": "*"}.get(t["op"], t["op"]))
        else:
            items.append(t.group().strip())
    if items.count(")") == items.count("(") + 1 and "=" in items and items.index("=") < items.index(")"):
        # "09 ngày làm việc = 72 giờ x 40.000 đồng/giờ) x 10 hồ sơ/năm": the writer left out
        # the parenthesis that opens the conversion.
        items.insert(0, "(")
    position = 0

    def expression() -> Decimal:
        nonlocal position
        value = term()
        while position < len(items) and items[position] in ("+", "-"):
            op = items[position]
            position += 1
            value = value + term() if op == "+" else value - term()
        return value

    def term() -> Decimal:
        nonlocal position
        value = factor()
        while position < len(items) and items[position] in ("*", "/"):
            op = items[position]
            position += 1
            value = value * factor() if op == "*" else value / factor()
        return value

    def factor() -> Decimal:
        nonlocal position
        item = items[position]
        position += 1
        if item == "(":
            value = expression()
            if items[position] == "=":
                # "(10 ngày làm việc = 80 giờ x …)": the figure restated; the formula goes on
                # with its right side.
                position += 1
                value = expression()
            if items[position] != ")":
                raise ValueError("unbalanced")
            position += 1
            return value
        if isinstance(item, Decimal):
            return item
        raise ValueError(f"unexpected {item}")

    with localcontext() as ctx:
        ctx.prec = PERCENT_PRECISION
        try:
            value = expression()
        except (ValueError, IndexError, ZeroDivisionError, InvalidOperation):
            return None
    return value if position == len(items) else None


# ---------------------------------------------------------------- "(làm tròn 44.000)"

@functools.lru_cache(maxsize=1)
def _rounded() -> regex.Pattern:
    return regex.compile(rf"[ \t\n]*\(?[ \t]*(?:{cue_pattern('rounding_words')})[ \t\n]+(?:thành[ \t]+|là[ \t]+)?(?P<number>{_NUMBER})",
                         regex.I)


def _rounded_claims(reading: Reading) -> list[Claim]:
    """'43.719 người (làm tròn 44.000 người)': the rounded figure is the figure rounded at its
    last written digit that is not a zero (44.000: to thousands)."""
    text = reading.text
    claims = []
    for m in regex.finditer(rf"(?<![\d.,])(?P<number>{_NUMBER})(?![\d])", text):
        rounded = _rounded().match(text, m.end() + _unit_length(text, m.end()), m.end() + ROUNDED_GAP + NUMBER_CHARS)
        if rounded is None or rounded.start("number") - m.end() > ROUNDED_GAP:
            continue
        value, _ = parse_number(m["number"])
        target, decimals = parse_number(rounded["number"])
        places = decimals if decimals else -_trailing_zeros(rounded["number"])
        claims.append(Claim("product", "product.rounded",
                            [_number_fact(text, m.start("number"), m.end("number")),
                             _number_fact(text, rounded.start("number"), rounded.end("number"))],
                            {"computed": value, "stated": target, "places": places, "finding": "rounding_mismatch"}))
    return claims


def _unit_length(text: str, at: int) -> int:
    unit = regex.match(rf"(?:[ \t]+\p{{L}}+){{0,{ROUNDED_UNIT_WORDS}}}", text[at:at + ROUNDED_GAP])
    return len(unit.group()) if unit else 0


def _trailing_zeros(written: str) -> int:
    digits = written.split(",")[0].replace(".", "")
    return len(digits) - len(digits.rstrip("0")) if digits.strip("0") else 0


# ---------------------------------------------------------------- "10 ngày làm việc = 80 giờ"

@functools.lru_cache(maxsize=1)
def _working_hours() -> regex.Pattern:
    return regex.compile(rf"(?<![\d.,])(?P<days>{_NUMBER})[ \t\n]+(?:{cue_pattern('working_day_words')})[ \t\n]*=[ \t\n]*"
                         rf"(?P<hours>{_NUMBER})[ \t\n]*(?:{cue_pattern('hour_words')})(?!\p{{L}})", regex.I)


def _working_hours_claims(reading: Reading) -> list[Claim]:
    """'10 ngày làm việc = 80 giờ': the days times the hours of a working day."""
    claims = []
    for m in _working_hours().finditer(reading.text):
        days, _ = parse_number(m["days"])
        hours, places = parse_number(m["hours"])
        claims.append(Claim("product", "product.working_hours",
                            [_number_fact(reading.text, m.start("days"), m.start("days") + len(m["days"])),
                             _number_fact(reading.text, m.start("hours"), m.end())],
                            {"computed": days * WORKING_DAY_HOURS, "stated": hours, "places": places,
                             "expression": f"{m['days']} × {WORKING_DAY_HOURS}"}))
    return claims
