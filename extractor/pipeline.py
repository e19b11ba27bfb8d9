"""The one orchestrator: read → normalise → extract → structure → reconcile, each stage once.

Every caller runs documents through :func:`process`: ``cchc extract``, the audit (of paths and
of an archive) and the archive's ingest workers. The text is normalised once; extraction,
structure and the reconciler all match on the normalised text, and what they return indexes
the document text (``Document.text``), which is what offsets mean everywhere else.

A stage that fails does not lose the document: the failure becomes a note on the result
(``notes``, shown as warnings and kept in the archive) and the later stages run on what there
is. Only a file that cannot be read at all has no result but its ``error``.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from .document import Document
from .extract import Extraction, extract_facts
from .facts import Fact, Problem, to_jsonable
from .normalize import NormalizedText, normalize
from .read import ReadError, read_document
from .read.options import ReadOptions
from .reconcile import check_document
from .reconcile.checks import Finding, Result
from .reconcile.crossdoc import DocumentView, view
from .structure import Structure, analyse
from .structure.layout import Layout
from .structure.signed import complete_signed_header
from .structure.tables import TableView, table_in

# Problems of the structure stage that an audit reports: names of places and bodies misspelt.
SPELLING_PROBLEMS = ("place_spelling", "body_spelling")
# How much of a failing stage's exception a note keeps.
NOTE_LENGTH = 300


@dataclass
class Processed:
    """One document through the pipeline: every stage's typed result, in document-text offsets."""

    path: str
    document: Document | None = None
    norm: NormalizedText | None = None
    extraction: Extraction = field(default_factory=lambda: Extraction([], []))
    structure: Structure | None = None
    # Sentences, paragraphs and parentheses of the document text (the reconciler used the same
    # boundaries on the normalised text).
    layout: Layout | None = None
    results: list[Result] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # What cross-document checks need of this document.
    view: DocumentView | None = None
    # Stages that failed, one line each ("structure: ValueError: ...").
    notes: list[str] = field(default_factory=list)
    error: ReadError | None = None
    # The header metadata when it comes from an archive instead of the structure stage.
    stored_metadata: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def text(self) -> str:
        return self.document.text if self.document else ""

    @property
    def facts(self) -> list[Fact]:
        """The extracted facts (people and organisations are in ``structure.facts``)."""
        return self.extraction.facts

    @property
    def problems(self) -> list[Problem]:
        return self.extraction.problems + (self.structure.problems if self.structure else [])

    def metadata(self) -> dict[str, Any] | None:
        """The header metadata, JSON-ready."""
        if self.structure is not None:
            return to_jsonable(self.structure.document)
        return self.stored_metadata

    def fact_records(self) -> list[dict]:
        """Every fact (extracted, then people and organisations) in text order, as the extract
        record and the archive hold them."""
        return fact_records(self)

    def finding_records(self, lang: str = "vi") -> list[dict]:
        return [f.to_dict(self.text, lang, layout=self.layout) for f in self.findings]

    def record(self, lang: str = "vi") -> dict[str, Any]:
        """The ``cchc extract`` record of the document."""
        if self.error is not None:
            return {"source": {"path": self.path, "sha256": None, "format": None}, "document": None,
                    "facts": [], "sections": [], "problems": [], "warnings": [],
                    "errors": [self.error.message(lang)]}
        document = self.document
        return {
            "source": {"path": document.path, "sha256": document.sha256, "format": document.format,
                       "pages": len(document.pages) or None,
                       "ocr_pages": [p.number for p in document.pages if p.ocr] or None},
            "document": self.metadata(),
            "facts": self.fact_records(),
            "sections": [s.to_dict() for s in self.structure.sections] if self.structure else [],
            "problems": [p.to_dict(lang) for p in self.problems],
            "warnings": [w.message(lang) for w in document.warnings] + self.notes,
            "errors": [],
        }


def process(source: str | Document, options: ReadOptions | None = None, *, reconcile: bool = True,
            facts: Sequence[Fact] | None = None, metadata: dict[str, Any] | None = None) -> Processed:
    """Run one document through every stage.

    ``source`` is a path (read with ``options``) or a document already read. An archive's
    stored document gives its ``facts`` and header ``metadata``: extraction and the structure
    analysis are then not run again, and the reconciler checks what is stored. Without
    ``reconcile`` the claims and findings are left out (``cchc extract`` needs none; the
    cross-document view, which says what each figure measures, is always made).
    """
    if isinstance(source, Document):
        document = source
    else:
        try:
            document = read_document(source, options)
        except ReadError as exc:
            return Processed(str(source), error=exc)
    result = Processed(document.path, document)
    pages = document.page_ranges()
    result.norm = norm = normalize(document.text)
    normalized_layout = Layout(norm.text)
    result.layout = normalized_layout.in_source(norm)
    if facts is not None:
        result.extraction = Extraction(sorted(facts, key=lambda f: (f.start, f.end)), [])
        result.stored_metadata = metadata
    else:
        result.extraction = _stage(result, "extract", lambda: extract_facts(
            document.text, pages, norm=norm, tables=document.tables), Extraction([], []))
        result.structure = _stage(result, "structure", lambda: analyse(
            document.text, result.facts, pages, norm=norm, layout=normalized_layout), None)
        if result.structure is not None and result.structure.chrome:
            result.extraction = _outside_chrome(result.extraction, result.structure)
        if result.structure is not None and document.signatures:
            _stage(result, "structure", lambda: complete_signed_header(result.structure, document.signatures), None)
    _reconcile(result, normalized_layout, claims=reconcile,
               views=result.extraction.tables if facts is None else None)
    return result


def _outside_chrome(extraction: Extraction, structure: Structure) -> Extraction:
    """The extraction without what it found in page chrome (a portal's related documents, a
    blog's front matter, captions): the structure read the chrome with every fact, and keeps
    what it says about the document as page metadata."""
    return dataclasses.replace(
        extraction, facts=[f for f in extraction.facts if not structure.in_chrome(f.start, f.end)],
        problems=[p for p in extraction.problems if not structure.in_chrome(p.start, p.end)])


def _stage(result: Processed, name: str, run: Callable[[], Any], fallback: Any) -> Any:
    """Run one stage; a failure is a note on the document and the fallback stands in."""
    try:
        return run()
    except MemoryError:
        raise  # over the memory budget: the document fails (extractor.budget)
    except Exception as exc:  # noqa: BLE001 - one stage's bug never loses the document
        result.notes.append(f"{name}: {type(exc).__name__}: {exc}"[:NOTE_LENGTH])
        return fallback


def _reconcile(result: Processed, layout: Layout, *, claims: bool, views: list[TableView] | None) -> None:
    """The cross-document view and (with ``claims``) the claims and findings, read on the
    normalised text and handed back in document-text offsets. ``views`` are the tables the
    extraction read (None for stored facts: the reconciler reads the text's tables itself)."""
    norm, document = result.norm, result.document
    to_normalized, to_source = _fact_maps(norm, result.facts)
    facts = [to_normalized(f) for f in result.facts]
    result.view = _stage(result, "reconcile", lambda: _view_in_source(
        view(document.path, norm.text, facts, result.metadata(), layout=layout), norm, to_source), None)
    if not claims:
        return
    tables = [table_in(norm, t) for t in document.tables]
    results, findings = _stage(result, "reconcile", lambda: check_document(
        norm.text, facts, tables, layout=layout, views=views),
                               ([], []))
    for item in results:
        item.claim.facts = [to_source(f) for f in item.claim.facts]
    for finding in findings:
        finding.facts = [to_source(f) for f in finding.facts]
    if result.structure is not None:
        findings += [spelling_finding(p) for p in result.structure.problems if p.code in SPELLING_PROBLEMS]
    result.results, result.findings = results, findings


def _fact_maps(norm: NormalizedText, facts: Sequence[Fact]) -> tuple[Callable[[Fact], Fact], Callable[[Fact], Fact]]:
    """Facts moved to normalised offsets and back. A fact the reconciler made itself (a table
    cell, a header place) is moved back by its offsets."""
    if norm.is_identity and norm.text == norm.source:
        return (lambda f: f), (lambda f: f)
    originals: dict[int, Fact] = {}

    def to_normalized(fact: Fact) -> Fact:
        start, end = norm.normalized_span(fact.start, fact.end)
        moved = dataclasses.replace(fact, start=start, end=end, text=norm.text[start:end])
        originals[id(moved)] = fact
        return moved

    def to_source(fact: Fact) -> Fact:
        original = originals.get(id(fact))
        if original is not None:
            return original
        start, end = norm.source_span(fact.start, fact.end)
        return dataclasses.replace(fact, start=start, end=end, text=norm.source[start:end])

    return to_normalized, to_source


def _view_in_source(doc: DocumentView, norm: NormalizedText, to_source: Callable[[Fact], Fact]) -> DocumentView:
    """The cross-document view with its facts and header place in document-text offsets."""
    doc.facts = [to_source(f) for f in doc.facts]
    doc.own = to_source(doc.own) if doc.own is not None else None
    doc.quoted_titles = [(to_source(f), title, [to_source(p) for p in named]) for f, title, named in doc.quoted_titles]
    doc.figures = {metric: [(to_source(f), period) for f, period in figures] for metric, figures in doc.figures.items()}
    if doc.place_written is not None:
        start, end = norm.source_span(doc.place_written[1], doc.place_written[2])
        doc.place_written = (norm.source[start:end], start, end)
    return doc


# --- facts as the extract record and the archive hold them: each with its place in the outline,
# what a counted figure measures, and the OCR quality of its page when the page was OCR'd.

# Which header span holds each value the OCR reader could not read for sure, and the kinds of
# fact that carry the value.
_HEADER_SPAN_OF = {"number": ("number", ("doc_ref",)), "day": ("date", ("date", "period")),
                   "month": ("date", ("date", "period"))}


def fact_records(result: Processed) -> list[dict]:
    """Every fact of a document (extracted, then people and organisations), in text order."""
    structure = result.structure
    facts = sorted(result.facts + (structure.facts if structure else []), key=lambda f: (f.start, f.end))
    ocr_pages = {p.number: p for p in result.document.pages if p.ocr}
    meanings = figure_meanings(result)
    records = [_fact_record(f, result, ocr_pages, meanings) for f in facts]
    _mark_uncertain_header(records, result)
    return records


def figure_meanings(result: Processed) -> dict[int, dict]:
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


def _fact_record(fact: Fact, result: Processed, ocr_pages: dict, meanings: dict) -> dict:
    record = fact.to_dict()
    if result.structure is not None:
        record.update(result.structure.locate(fact))
    note = result.document.note_at(fact.start, fact.end) if result.document.footnotes else None
    if note is not None:
        # A fact in a note belongs where the note is referenced: its section is the anchor's.
        record["note"] = {"kind": note.kind, "label": note.label,
                          "anchor": list(note.anchor) if note.anchor else None}
        if note.anchor is not None and result.structure is not None:
            record["section"] = result.structure.locate(note.anchor)["section"]
    if id(fact) in meanings:
        record["meaning"] = meanings[id(fact)]
    page = ocr_pages.get(fact.page)
    if page is not None:
        record["ocr"] = {"quality": page.quality}
    return record


def _mark_uncertain_header(records: list[dict], result: Processed) -> None:
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




def spelling_finding(problem: Problem) -> Finding:
    """A misspelt place or body, as a finding whose evidence is the misspelt text."""
    evidence = Fact("name", problem.text, problem.start, problem.end, "structure.spelling",
                    {"text": problem.text}, problem.page)
    return Finding(problem.code, "minor", "structure.spelling", problem.text,
                   problem.detail.get("corrected"), None, [evidence],
                   {**problem.detail, "text": problem.text, "problem": problem})


__all__ = ["Processed", "process", "fact_records", "spelling_finding", "SPELLING_PROBLEMS"]
