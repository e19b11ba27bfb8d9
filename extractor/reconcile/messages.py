"""Finding messages: Vietnamese by default, English on request."""
from __future__ import annotations

from decimal import Decimal
from typing import Any


def vn_number(value: Any) -> str:
    """14911 → '14.911'; 4135.9 → '4.135,9' (the Vietnamese locale)."""
    if value is None:
        return "?"
    d = Decimal(value)
    sign = "-" if d < 0 else ""
    text = format(abs(d).normalize(), "f")
    integer, _, decimals = text.partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    return sign + ".".join(groups) + ("," + decimals if decimals else "")


def en_number(value: Any) -> str:
    return "?" if value is None else format(Decimal(value).normalize(), ",f")


def finding_message(finding, lang: str = "vi") -> str:
    n = vn_number if lang == "vi" else en_number
    d = finding.detail
    if finding.kind == "sum_mismatch":
        parts = " + ".join(n(p) for p in d["parts"])
        if lang == "vi":
            return f"Tổng không khớp: {parts} = {n(finding.expected)}, nhưng văn bản ghi tổng là {n(finding.stated)}"
        return f"Total does not add up: {parts} = {n(finding.expected)}, but the document states {n(finding.stated)}"
    if finding.kind == "percent_mismatch":
        if lang == "vi":
            return (f"Tỷ lệ không khớp: {n(d['part'])}/{n(d['whole'])} = {n(finding.expected)}%, "
                    f"nhưng văn bản ghi {n(finding.stated)}%")
        return (f"Percentage does not match: {n(d['part'])}/{n(d['whole'])} = {n(finding.expected)}%, "
                f"but the document states {n(finding.stated)}%")
    if finding.kind == "percent_impossible":
        if lang == "vi":
            return f"Không có tổng số nguyên nào để {n(d['part'])} chiếm {n(finding.stated)}%"
        return f"No whole number makes {n(d['part'])} equal to {n(finding.stated)}%"
    if finding.kind == "difference_mismatch":
        if lang == "vi":
            return (f"Chênh lệch không khớp: {n(d['current'])} so với {n(d['previous'])} chênh "
                    f"{n(abs(finding.expected))}, nhưng văn bản ghi {n(finding.stated)}")
        return (f"Difference does not match: {n(d['current'])} against {n(d['previous'])} differs by "
                f"{n(abs(finding.expected))}, but the document states {n(finding.stated)}")
    return finding.kind
