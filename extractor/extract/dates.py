"""Builders for dates and periods.

Builders read groups by index, ``m[g["name"]]`` with ``g = m.re.groupindex``: the regex
module looks group names up several times slower.
"""
from __future__ import annotations

import calendar
import datetime as dt

import regex

from ..facts import Problem

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_ROMAN_OF = {v: k for k, v in _ROMAN.items()}
_DIGITS = regex.compile(r"\d+")


def make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date_text(text: str) -> dt.date | None:
    """Parse any full date form the patterns accept ('29/3/2023', '06 tháng 3 năm 2024')."""
    numbers = _DIGITS.findall(text)
    if len(numbers) != 3:
        return None
    day, month, year = (int(n) for n in numbers)
    return make_date(year, month, day)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _interval(start: dt.date, end: dt.date, label: str, granularity: str, **extra) -> dict:
    return {"start": start.isoformat(), "end": end.isoformat(), "label": label,
            "granularity": granularity, **extra}


def _window(year: int, start_month: int, end_month: int) -> list[str]:
    """The conventional reporting window (15th to 14th, §4.1 of the domain notes)."""
    start = dt.date(year - 1, 12, 15) if start_month == 1 else dt.date(year, start_month - 1, 15)
    return [start.isoformat(), dt.date(year, end_month, 14).isoformat()]


def build_date(m: regex.Match, ctx, lead=None) -> dict | Problem | None:
    g = m.re.groupindex
    day, month, year = int(m[g["day"]]), int(m[g["month"]]), int(m[g["year"]])
    date = make_date(year, month, day)
    if date is None:
        return Problem("impossible_date", m.group(), m.start(), m.end())
    return {"iso": date.isoformat()}


def build_range(m: regex.Match, ctx, lead=None) -> dict | None:
    g = m.re.groupindex
    start, end = parse_date_text(m[g["from"]]), parse_date_text(m[g["to"]])
    if start is None or end is None or end < start:
        return None
    label = f"{start.day}/{start.month}/{start.year}–{end.day}/{end.month}/{end.year}"
    return _interval(start, end, label, "range")


def build_quarter(m: regex.Match, ctx, lead=None) -> dict:
    g = m.re.groupindex
    q = m[g["quarter"]].upper()
    quarter = _ROMAN.get(q) or int(q)
    year = int(m[g["year"]])
    first = 3 * quarter - 2
    return _interval(dt.date(year, first, 1), _month_end(year, first + 2),
                     f"quý {_ROMAN_OF[quarter]}/{year}", "quarter", quarter=quarter,
                     reporting_window=_window(year, first, first + 2))


def build_months_of_year(m: regex.Match, ctx, lead=None) -> dict | None:
    g = m.re.groupindex
    months = {"sáu": 6, "chín": 9}.get(m[g["months"]].lower()) or int(m[g["months"]])
    if not 1 <= months <= 11:
        return None
    year = int(m[g["year"]])
    second_half = (m[g["part"]] or "").lower() == "cuối"
    if second_half:
        start_month, end_month = 13 - months, 12
    else:
        start_month, end_month = 1, months
    part = "cuối" if second_half else "đầu"
    label = f"{months} tháng {part} năm {year}"
    window = ([(dt.date(year, start_month - 1, 15)).isoformat(), f"{year}-12-14"] if second_half
              else _window(year, 1, end_month))
    return _interval(dt.date(year, start_month, 1), _month_end(year, end_month), label,
                     f"{months}_months", reporting_window=window)


def build_blank_day(m: regex.Match, ctx, lead=None) -> dict | None:
    g = m.re.groupindex
    year = int(m[g["year"]])
    if m[g["month"]]:
        month = int(m[g["month"]])
        if not 1 <= month <= 12:
            return None
        return _interval(dt.date(year, month, 1), _month_end(year, month),
                         f"tháng {month}/{year}", "month", blank_day=True)
    return _interval(dt.date(year, 1, 1), dt.date(year, 12, 31), f"năm {year}", "year",
                     blank_day=True)


def build_month(m: regex.Match, ctx, lead=None) -> dict | None:
    g = m.re.groupindex
    month, year = int(m[g["month"]]), int(m[g["year"]])
    if not 1 <= month <= 12:
        return None
    return _interval(dt.date(year, month, 1), _month_end(year, month), f"tháng {month}/{year}",
                     "month", reporting_window=_window(year, month, month))


def build_multi_year(m: regex.Match, ctx, lead=None) -> dict | None:
    g = m.re.groupindex
    first, last = int(m[g["from"]]), int(m[g["to"]])
    if last <= first:
        return None
    return _interval(dt.date(first, 1, 1), dt.date(last, 12, 31), f"{first}-{last}", "years")


def build_year(m: regex.Match, ctx, lead=None) -> dict:
    g = m.re.groupindex
    year = int(m[g["year"]])
    return _interval(dt.date(year, 1, 1), dt.date(year, 12, 31), f"năm {year}", "year",
                     reporting_window=_window(year, 1, 12))
