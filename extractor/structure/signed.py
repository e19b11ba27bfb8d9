"""A digitally signed document's header, completed from its signature fields.

The reader writes a signature widget's value into the blank it fills (``Số: 11 /TB-UBND``), so
the header reads it like any other text; here the header says which of its values came from a
signature field. A blank day that no widget fills (``ngày    tháng 01 năm 2025``) is the day
the document was signed: the earliest signing time in the written month (or year) gives it.
A signed document is not an unsigned draft, so its blank day is then no problem.
"""
from __future__ import annotations

from typing import Sequence

from ..document import SignatureField
from .model import Structure

SIGNATURE_FIELD = "signature_field"  # a value a signature widget draws into the header
SIGNING_TIME = "signing_time"        # a date taken from a signature's signing time
HEADER_VALUES = ("number", "date")   # header values whose source is said
BLANK_DAY_PROBLEM = "blank_day_draft"


def complete_signed_header(structure: Structure, signatures: Sequence[SignatureField]) -> None:
    """Write the signature fields into the metadata (``signatures``), say where the header's
    number and date came from (``sources``), and date a blank day by its signing time."""
    if not signatures:
        return
    meta = structure.document
    spans = meta.get("spans") or {}
    meta["signatures"] = [_record(s, structure.text) for s in signatures]
    sources = {}
    fills = [(s.start, s.end) for s in signatures if s.kind == "fill" and s.start is not None]
    for key in HEADER_VALUES:
        span = spans.get(key)
        if span and any(span["start"] <= a and b <= span["end"] for a, b in fills):
            sources[key] = SIGNATURE_FIELD
    if meta.get("date") is None:
        signed = _signing_date(signatures, meta.get("month") or (str(meta["year"]) if meta.get("year") else None))
        if signed is not None:
            meta["date"] = signed
            sources["date"] = SIGNING_TIME
            structure.problems = [p for p in structure.problems if p.code != BLANK_DAY_PROBLEM]
    if sources:
        meta["sources"] = sources


def _signing_date(signatures: Sequence[SignatureField], written: str | None) -> str | None:
    """The earliest signing day (``YYYY-MM-DD``) in the written month or year, if any."""
    if written is None:
        return None
    days = sorted(s.signed_at[:10] for s in signatures if s.signed_at)
    return next((day for day in days if day.startswith(written)), None)


def _record(field: SignatureField, text: str) -> dict:
    record = {"field": field.field, "page": field.page, "kind": field.kind, "text": field.text,
              "signed_at": field.signed_at}
    for key in ("signer", "reason", "location"):
        if getattr(field, key):
            record[key] = getattr(field, key)
    if field.start is not None:
        record["span"] = {"text": text[field.start:field.end], "start": field.start, "end": field.end}
    return record
