"""Builders for ratios, percentages, money amounts and quantities (Vietnamese locale).

Builders read groups by index, ``m[g["name"]]`` with ``g = m.re.groupindex``: the regex
module looks group names up several times slower.
"""
from __future__ import annotations

import functools
from decimal import Decimal

import regex

from ..normalize import fold_tone_placement
from ..patterns import tables

# A day/month written without its year ("ngày 15/12") is a date fragment, not a ratio.
_DATE_CUE = regex.compile(r"(?i:ngày|từ|đến|hết|tới|trước|sau)[ \t]*$")


def parse_number(text: str) -> tuple[Decimal, int]:
    """'14.911' → (14911, 0); '4.135,9' → (4135.9, 1); '06' → (6, 0)."""
    integer, _, decimals = text.partition(",")
    value = Decimal(integer.replace(".", "") + ("." + decimals if decimals else ""))
    return value, len(decimals)


@functools.lru_cache(maxsize=1)
def _scales() -> dict[str, int]:
    return {" ".join(w.lower().split()): s["value"] for s in tables()["lexicon"]["scales"] for w in s["words"]}


@functools.lru_cache(maxsize=1)
def _units() -> dict[str, str]:
    units = {}
    for entry in tables()["lexicon"]["units"]:
        for form in entry.get("forms", [entry["unit"]]):
            units[_unit_key(form)] = entry["unit"]
    return units


def _unit_key(text: str) -> str:
    return fold_tone_placement(" ".join(text.split())).lower()


def scale_of(word: str | None) -> int:
    if not word:
        return 1
    return _scales()[" ".join(word.lower().split())]


def unit_of(text: str) -> str:
    return _units()[_unit_key(text)]


def _scaled(number: str, scale: str | None) -> tuple[Decimal, int]:
    value, decimals = parse_number(number)
    factor = scale_of(scale)
    if factor != 1:
        value = value * factor
        decimals = max(0, -value.normalize().as_tuple().exponent)
        value = value.quantize(Decimal(1)) if decimals == 0 else value
    return value, decimals


def build_percent(m: regex.Match, ctx, lead=None) -> dict:
    g = m.re.groupindex
    value, decimals = parse_number(m[g["number"]])
    return {"value": value, "decimals": decimals}


def build_money(m: regex.Match, ctx, lead=None) -> dict:
    g = m.re.groupindex
    amount, decimals = _scaled(m[g["number"]], m[g["scale"]])
    written, written_decimals = parse_number(m[g["number"]])
    value = {"amount": amount, "currency": "VND", "written": written,
             "written_decimals": written_decimals, "scale": scale_of(m[g["scale"]])}
    if m[g["per"]]:
        value["per"] = m[g["per"]]
    return value


def build_quantity(m: regex.Match, ctx, lead=None) -> dict:
    g = m.re.groupindex
    value, decimals = _scaled(m[g["number"]], m[g["scale"]])
    return {"value": value, "decimals": decimals, "unit": unit_of(m[g["unit"]]),
            "unit_text": " ".join(m[g["unit"]].split())}


def build_ratio(m: regex.Match, ctx, lead=None) -> dict | None:
    g = m.re.groupindex
    if _DATE_CUE.search(ctx.text, max(0, m.start(g["a"]) - 12), m.start(g["a"])):
        return None
    numerator, num_decimals = parse_number(m[g["a"]])
    denominator, den_decimals = parse_number(m[g["b"]])
    a_words = m[g["a_words"]].split()
    has_words = bool(m[g["a_scale"]] or m[g["b_scale"]] or m[g["b_unit"]] or m[g["b_currency"]] or a_words)
    if denominator == 0:
        return None
    # "24/7" and similar rates of service are not shares of a whole.
    if numerator > denominator and not has_words:
        return None
    # "3/2025", "Quyết định 79/2024": a month or a short reference, not a share.
    if not has_words and den_decimals == 0 and 1945 <= denominator <= 2100:
        return None
    # "8.000.000 đồng/01 đối tượng", "01 cá nhân/01 đoàn": a rate per something else.
    numerator_is_money = bool(a_words) and a_words[0] in _currency_words()
    if numerator_is_money and not m[g["b_currency"]]:
        return None
    if a_words and _rate_period().match(ctx.text, m.end()):
        return None  # "01 lần/01 năm": how often, not a part of a whole
    if a_words and m[g["b_unit"]] and not numerator_is_money:
        counted = " ".join(a_words)
        if _units().get(_unit_key(counted)) not in (None, unit_of(m[g["b_unit"]])):
            return None
    value = {"numerator": numerator, "denominator": denominator,
             "numerator_decimals": num_decimals, "denominator_decimals": den_decimals}
    if m[g["b_unit"]]:
        value["unit"] = unit_of(m[g["b_unit"]])
    elif m[g["b_currency"]]:
        value["unit"] = "VND"
    if m[g["a_scale"]] or m[g["b_scale"]]:
        value["scale"] = scale_of(m[g["b_scale"]] or m[g["a_scale"]])
    return value


@functools.lru_cache(maxsize=1)
def _rate_period() -> regex.Pattern:
    words = "|".join(regex.escape(w) for w in tables()["lexicon"]["rate_periods"])
    return regex.compile(rf"[ \t]+(?i:{words})(?![\p{{L}}\p{{N}}])")


@functools.lru_cache(maxsize=1)
def _currency_words() -> frozenset[str]:
    return frozenset(w for c in tables()["lexicon"]["currencies"] for w in c["words"])
