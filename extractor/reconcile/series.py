"""Numbering within an issuer's yearly series, and the signs of an unsigned draft.

Administrative documents are numbered per agency per calendar year (Nghị định 30/2020, Điều
15), so a document dated later should not carry a lower number. Normative documents and Party
documents keep their own series (per type, and per term for the Party) and are left out here.
Whether an agency numbers all its types in one series or each type apart varies, so an
inversion between two documents of the same type is an error and one across types only a
possible one.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Sequence

from ..facts import Fact
from .checks import Finding


# Draft signals count only in the header: forms and templates quoted further down have blanks too.
HEADER_CHARS = 2500
# At most this many earlier documents are quoted as evidence of one inversion.
EVIDENCE_LIMIT = 8


@dataclass(frozen=True)
class Numbered:
    fact: Fact
    agency: str
    doc_type: str
    number: int
    date: dt.date


def _numbered(fact: Fact) -> Numbered | None:
    v = fact.value
    if fact.kind != "doc_ref" or not v.get("canonical") or not v.get("date"):
        return None
    if v["family"] not in ("administrative", "official_letter"):
        return None
    segments = v["code"].split("-")
    agency = segments[0] if v["family"] == "official_letter" else (segments[1] if len(segments) > 1 else "")
    try:
        number = int(v["number"])
    except ValueError:
        return None
    return Numbered(fact, agency, v["doc_type"] or "", number, dt.date.fromisoformat(v["date"]))


def numbering_findings(facts: Sequence[Fact]) -> list[Finding]:
    """Documents of one agency and year whose numbers run against their dates."""
    series: dict[tuple[str, int], dict[str, Numbered]] = defaultdict(dict)
    for fact in facts:
        item = _numbered(fact)
        if item is not None:
            series[(item.agency, item.date.year)].setdefault(item.fact.value["canonical"], item)
    findings = []
    for (agency, year), items in sorted(series.items()):
        docs = sorted(items.values(), key=lambda d: (d.date, d.number))
        # One pass in date order with the highest number seen on an earlier day: a document
        # below it is out of order, and only then are the earlier documents listed.
        highest_before = float("-inf")
        highest_today = float("-inf")
        day = None
        for k, later in enumerate(docs):
            if later.date != day:
                highest_before = max(highest_before, highest_today)
                highest_today = float("-inf")
                day = later.date
            highest_today = max(highest_today, later.number)
            if later.number >= highest_before:
                continue
            earlier_higher = [d for d in docs[:k] if d.date < later.date and d.number > later.number]
            if not earlier_higher:
                continue
            same_type = [d for d in earlier_higher if d.doc_type == later.doc_type]
            shown = (same_type or earlier_higher)[-EVIDENCE_LIMIT:]
            findings.append(Finding(
                "numbering_order", "error" if same_type else "possible", "series.number_after_date",
                later.number, f"> {max(d.number for d in shown)}", 0,
                [d.fact for d in shown] + [later.fact],
                {"agency": agency, "year": year, "document": later.fact.value["canonical"],
                 "date": later.date.isoformat(),
                 "earlier": [(d.fact.value["canonical"], d.date.isoformat()) for d in shown]}))
    return findings


def draft_findings(facts: Sequence[Fact]) -> list[Finding]:
    """A header number left blank ('Số: /BC-SGTVT') or a header date without its day."""
    blank_number = [f for f in facts if f.kind == "doc_ref" and f.value.get("partial") and f.value.get("own")
                    and f.start < HEADER_CHARS]
    blank_day = [f for f in facts if f.kind == "period" and f.value.get("blank_day") and f.start < HEADER_CHARS]
    if not blank_number and not blank_day[:1]:
        return []
    evidence = blank_number[:1] + blank_day[:1]
    return [Finding("unnumbered_draft", "minor", "draft.blank_header", None, None, None, evidence,
                    {"blank_number": bool(blank_number), "blank_day": bool(blank_day)})]
