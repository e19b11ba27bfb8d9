"""cchc-extractor: facts from Vietnamese administrative-reform documents, with provenance.

The pipeline is read → normalise → extract. The library verbs:

- :func:`read_document` turns a file into a :class:`Document`;
- :func:`extract_facts` finds the facts in a text;
- :func:`extract_document` does both, adds the document's structure (header metadata, outline,
  people and organisations), and returns the output record of ``cchc extract``.
"""
from __future__ import annotations

from .document import Document, Page
from .extract import Extraction, extract_facts
from .facts import Fact, Problem, to_jsonable
from .read import ReadError, read_document
from .structure import analyse

__version__ = "0.1.0"


def extract_document(path: str, lang: str = "vi") -> dict:
    """The ``cchc extract`` record of one file: source, facts, problems and errors.

    A file that cannot be read gives a record with an empty fact list and its error, so a batch
    never stops on one bad file.
    """
    try:
        document = read_document(path)
    except ReadError as exc:
        return {"source": {"path": str(path), "sha256": None, "format": None}, "document": None,
                "facts": [], "sections": [], "problems": [], "warnings": [], "errors": [exc.message(lang)]}
    result = extract_facts(document.text, document.page_ranges())
    structure = analyse(document.text, result.facts, document.page_ranges())
    return {
        "source": {"path": document.path, "sha256": document.sha256, "format": document.format,
                   "pages": len(document.pages) or None,
                   "ocr_pages": [p.number for p in document.pages if p.ocr] or None},
        "document": to_jsonable(structure.document),
        "facts": fact_records(document, result, structure),
        "sections": [s.to_dict() for s in structure.sections],
        "problems": [p.to_dict(lang) for p in result.problems + structure.problems],
        "warnings": [w.message(lang) for w in document.warnings],
        "errors": [],
    }


def fact_records(document: Document, extraction: Extraction, structure) -> list[dict]:
    """Every fact of a document (extracted, then people and organisations), in text order, as the
    extract record and the archive hold them: with its place in the outline, what a counted
    figure measures, and the OCR quality of its page when the page was OCR'd."""
    facts = sorted(extraction.facts + structure.facts, key=lambda f: (f.start, f.end))
    ocr_pages = {p.number: p for p in document.pages if p.ocr}
    meanings = figure_meanings(document.text, extraction.facts, structure.document)
    records = [_fact_record(f, structure, ocr_pages, meanings) for f in facts]
    _mark_uncertain_header(records, document, structure.document)
    return records


# Which header span holds each value the OCR reader could not read for sure, and the kinds of
# fact that carry the value.
_HEADER_SPAN_OF = {"number": ("number", ("doc_ref",)), "day": ("date", ("date", "period")),
                   "month": ("date", ("date", "period"))}


def _mark_uncertain_header(records: list[dict], document: Document, header: dict | None) -> None:
    """Facts in the header's number or date that the OCR reader flagged (a handwritten value it
    could not read for sure) say which value is uncertain: ``ocr.uncertain: ["day"]``."""
    spans = (header or {}).get("spans") or {}
    for warning in document.warnings:
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


def figure_meanings(text: str, facts: list[Fact], document: dict | None) -> dict[int, dict]:
    """What each counted figure measures: its metric, the body it belongs to and its period."""
    from .reconcile.crossdoc import view

    doc = view("", text, facts, document)
    body = (document or {}).get("issuer")
    meanings = {}
    for metric, figures in doc.figures.items():
        for fact, period in figures:
            meanings[id(fact)] = {"metric": metric, "body": body,
                                  "period": {"start": period[0].isoformat(), "end": period[1].isoformat(),
                                             "label": period[2]} if period else None}
    return meanings


def _fact_record(fact: Fact, structure, ocr_pages: dict, meanings: dict) -> dict:
    """A fact with its place in the outline and, for a counted figure, what it measures; a fact
    read by OCR says so, with the page's quality."""
    record = {**fact.to_dict(), **structure.locate(fact)}
    if id(fact) in meanings:
        record["meaning"] = meanings[id(fact)]
    page = ocr_pages.get(fact.page)
    if page is not None:
        record["ocr"] = {"quality": page.quality}
    return record


__all__ = ["Document", "Page", "Fact", "Problem", "Extraction", "ReadError", "read_document",
           "extract_facts", "extract_document", "fact_records", "__version__"]
