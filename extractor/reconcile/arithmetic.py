"""Rounding-aware arithmetic: does a written percentage fit the figures it was computed from?

A report writes 42,4% for 50/118 = 42,372...: a stated percentage holds when the computed value,
rounded half up or cut at the written number of decimals, equals it (as statcheck and the GRIM
test allow for rounding).
"""
from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext

# Digits kept in computing a percentage: far beyond any precision a report writes.
PERCENT_PRECISION = 28
# The implied whole of a count is looked for up to this many times the count: a share of one in
# a million is below any percentage a report writes, and the search stays bounded.
IMPLIED_WHOLE_FACTOR = 10**6


def computed_percent(part: Decimal, whole: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = PERCENT_PRECISION
        return Decimal(part) * 100 / Decimal(whole)


def percent_holds(part: Decimal, whole: Decimal, stated: Decimal, decimals: int) -> bool:
    if whole == 0:
        return False
    value = computed_percent(part, whole)
    quantum = Decimal(1).scaleb(-decimals)
    stated = Decimal(stated)
    return (value.quantize(quantum, rounding=ROUND_HALF_UP) == stated
            or value.quantize(quantum, rounding=ROUND_DOWN) == stated)


def implied_wholes(part: Decimal, stated: Decimal, decimals: int) -> list[int]:
    """Whole numbers n ≥ part for which part/n rounds to the stated percentage (GRIM)."""
    stated = Decimal(stated)
    unit = Decimal(1).scaleb(-decimals)
    if stated <= 0:
        return []
    low = int(Decimal(part) * 100 / (stated + unit)) - 1
    high = int(Decimal(part) * 100 / max(stated - unit, unit / 10)) + 2
    return [n for n in range(max(low, int(part), 1), min(high, int(part) * IMPLIED_WHOLE_FACTOR + 2) + 1)
            if percent_holds(part, Decimal(n), stated, decimals)]


def rounds_to(computed: Decimal, stated: Decimal, places: int, *, cut: bool = True) -> bool:
    """Whether ``stated`` is ``computed`` rounded half up (or, with ``cut``, cut) at ``places``
    decimals (-3: to thousands, as "43.719 (làm tròn 44.000)")."""
    quantum = Decimal(1).scaleb(-places)
    return (computed.quantize(quantum, rounding=ROUND_HALF_UP) == stated
            or (cut and computed.quantize(quantum, rounding=ROUND_DOWN) == stated))
