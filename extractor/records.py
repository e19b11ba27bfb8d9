"""Facts as the extract record and the archive hold them: each with its place in the outline,
what a counted figure measures, and the OCR quality of its page when the page was OCR'd."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .facts import Fact

if TYPE_CHECKING:
    from .pipeline import Processed

# Which header span holds each value the OCR reader could not read for sure, and the kinds of
# fact that carry the value.
_HEADER_SPAN_OF = {"number": ("number", ("doc_ref",)), "day": ("date", ("date", "period")),
                   "month": ("date", ("date", "period"))}


def fact_records(result: "Processed") -> list[dict]:
    """Every fact of a document (extracted, then people and organisations), in text order."""
    structure = result.structure
    facts = sorted(result.facts + (structure.facts if structure else []), key=lambda f: (f.start, f.end))
    ocr_pages = {p.number: p for p in result.document.pages if p.ocr}
    meanings = figure_meanings(result)
    records = [_fact_record(f, result, ocr_pages, meanings) for f in facts]
    _mark_uncertain_header(records, result)
    return records


def figure_meanings(result: "Processed") -> dict[int, dict]:
    """What each counted figure measures: its metric, the body it belongs to and its period,
    keyed by the fact's ``id``."""
    if result.view is None:
        return {}
    body = (result.metadata() or {}).get("issuer")
    meanings = {}
    for metric, figures in result.view.figures.items():
        for fact, period in figures:
            meanings[id(fact)] = {"metric": metric, "body": body,
                                  "period": {"start": period[0].isoformat(), "end": period[1].isoformat(),
                                             "label": period[2]} if period else None}
    return meanings


def _fact_record(fact: Fact, result: "Processed", ocr_pages: dict, meanings: dict) -> dict:
    record = fact.to_dict()
    if result.structure is not None:
        record.update(result.structure.locate(fact))
    if id(fact) in meanings:
        record["meaning"] = meanings[id(fact)]
    page = ocr_pages.get(fact.page)
    if page is not None:
        record["ocr"] = {"quality": page.quality}
    return record


def _mark_uncertain_header(records: list[dict], result: "Processed") -> None:
    """Facts in the header's number or date that the OCR reader flagged (a handwritten value it
    could not read for sure) say which value is uncertain: ``ocr.uncertain: ["day"]``."""
    spans = (result.metadata() or {}).get("spans") or {}
    for warning in result.document.warnings:
        field = warning.code.removeprefix("ocr_uncertain_")
        span_name, kinds = _HEADER_SPAN_OF.get(field, ("", ()))
        span = spans.get(span_name)
        if not span:
            continue
        for record in records:
            if record["kind"] in kinds and record["start"] < span["end"] and span["start"] < record["end"] \
                    and "ocr" in record and record["page"] == warning.detail.get("page"):
                uncertain = record["ocr"].setdefault("uncertain", [])
                if field not in uncertain:
                    uncertain.append(field)


