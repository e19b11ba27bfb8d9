"""Cross-document checks block by block, for an audit that never holds every document at once.

Every cross-document check of :mod:`.crossdoc` and :mod:`.citations` compares documents only
within a group (one reference cited, one place's numbering series, one body's figures of one
metric, …) and lists its findings in the order of the groups' keys. :func:`parts` cuts one
document's view into small partial views, one per check and group it takes part in, each named
by its blocking key; :func:`block_findings` runs the check itself over the partial views of one
group. Run over every group, in the order of their keys as strings (the order Python sorts the
checks' own keys in, which SQL's binary collation keeps), the findings are those of the checks
run over every document together, in the same order: memory is bounded by the largest group.

A key made of several parts joins them with ``SEP``, which no name holds and which sorts
before every character, so joined keys sort as the tuples they stand for.
"""
from __future__ import annotations

import dataclasses
from typing import Callable, Iterator

from ..facts import Fact
from .citations import (ARTICLE_MESSAGE, PLAN, REPORT, _archived, _cited, _doc_type, _superseded_findings,
                        article_numbers_of, missing_article_findings, report_plan_findings)
from .checks import Finding
from .crossdoc import (DocumentView, _report_value, _year_key, citation_findings, cross_numbering_findings,
                       duplicate_findings, fold_place, is_local, period_findings, place_spelling_findings,
                       restated_findings, scope_key)
from .series import _numbered
from .vocabulary import vocabulary

SEP = "\x00"
# The checks, in the order the whole-set audit lists their findings. Those ``BY_DOCUMENT`` list
# them in the order of the citing document and fact, the others in the order of their keys.
CHECKS = ("citation", "numbering", "period", "restated", "place", "duplicate", "superseded",
          "report_plan", "articles")
BY_DOCUMENT = {"report_plan", "articles"}
# Numbering needs a first step: a place's references are counted once each, at their first
# mention in the set, before they are put in their agency's yearly series.
FIRST_MENTION = "numbering_first"
# Header values the citation checks read (the type; the spans of the title and period).
HEADER_SPANS = ("title", "period")


@dataclasses.dataclass
class Part:
    """One document's share of one group: its partial view, and (for a first mention) where in
    the document the fact stands, so that the first across the set can be told."""

    check: str
    key: str
    view: DocumentView
    position: int = 0


def _partial(doc: DocumentView, **fields) -> DocumentView:
    """A view with the document's identity and only the given facts, figures, …"""
    return DocumentView(doc.path, fields.pop("text", ""), fields.pop("facts", []), own=doc.own, date=doc.date, agency=doc.agency,
                        place=doc.place, period=doc.period, title=doc.title, **fields)


def _header(doc: DocumentView) -> dict | None:
    if doc.header is None:
        return None
    spans = doc.header.get("spans") or {}
    return {"doc_type": doc.header.get("doc_type"), "spans": {k: spans[k] for k in HEADER_SPANS if k in spans}}


def parts(doc: DocumentView, digest: str) -> Iterator[Part]:
    """Every group one document takes part in, with its partial view. ``digest`` stands for the
    document's text (equal texts, equal digests) until a group of versions needs the text."""
    yield from _citation_parts(doc)
    yield from _numbering_parts(doc)
    yield from _figure_parts(doc)
    if doc.place_written:
        from ..normalize import fold_tone_placement

        written = fold_tone_placement(" ".join(doc.place_written[0].split()))
        yield Part("place", fold_place(written), _partial(doc, place_written=doc.place_written))
    key = None
    if doc.own is not None and doc.date is not None:
        key = ("number", doc.own.value["canonical"], doc.date.year, doc.place)
    elif doc.title and doc.agency:
        key = ("title", doc.agency, doc.place, fold_place(doc.title))
    if key is not None:
        yield Part("duplicate", str(key), _partial(doc, figures=doc.figures, text=digest))
    yield from _graph_parts(doc)


def _grouped(check: str, doc: DocumentView, keyed: Iterator[tuple[str, Fact]], **fields) -> Iterator[Part]:
    """One part per key, holding the document's facts of that key in text order."""
    facts: dict[str, list[Fact]] = {}
    for key, fact in keyed:
        facts.setdefault(key, []).append(fact)
    for key, found in facts.items():
        yield Part(check, key, _partial(doc, facts=found, **fields))


def _citation_parts(doc: DocumentView) -> Iterator[Part]:
    def keyed():
        for fact in doc.facts:
            if fact.kind == "doc_ref" and fact.value.get("canonical"):
                key = scope_key(doc, fact)
                if key is not None:
                    yield key + _year_key(fact), fact
    yield from _grouped("citation", doc, keyed())


def _numbering_parts(doc: DocumentView) -> Iterator[Part]:
    if doc.place is None:
        return
    seen: set[str] = set()
    for position, fact in enumerate(doc.facts):
        if fact.kind == "doc_ref" and fact.value.get("canonical") and fact.value.get("date") and is_local(fact):
            key = fact.value["canonical"] + _year_key(fact)
            if key not in seen:
                seen.add(key)
                yield Part(FIRST_MENTION, doc.place + SEP + key, _partial(doc, facts=[fact]), position)


def series_key(first: DocumentView) -> str | None:
    """The agency's yearly series the first mention of a reference in a place (the one fact of a
    first-mention part) belongs to (None: a reference numbering does not compare), keyed as the
    numbering check orders them."""
    numbered = _numbered(first.facts[0])
    if numbered is None:
        return None
    return SEP.join((first.place, numbered.agency, f"{numbered.date.year:04d}"))


def _figure_parts(doc: DocumentView) -> Iterator[Part]:
    if not (doc.agency and doc.place):
        return
    agency = f"{doc.agency}@{doc.place}"
    if doc.period:
        carried, pending = vocabulary().carry_over
        reported = {}
        for metric in [*vocabulary().cumulative_metrics, carried, pending]:
            fact = _report_value(doc, metric)
            if fact is not None:
                reported[metric] = [(fact, doc.period)]
        if reported:
            yield Part("period", agency, _partial(doc, figures=reported))
    for metric, figures in doc.figures.items():
        dated = [(fact, period) for fact, period in figures if period is not None]
        if dated:
            yield Part("restated", agency + SEP + metric, _partial(doc, figures={metric: dated}))


def _graph_parts(doc: DocumentView) -> Iterator[Part]:
    own_key = scope_key(doc, doc.own) if doc.own is not None else None
    superseding: dict[str, list[Fact]] = {}
    citing: dict[str, list[Fact]] = {}
    is_report = _doc_type(doc) == REPORT
    for fact in doc.facts:
        cited = _cited(fact)
        relation = cited.value.get("relation") if cited is not None else None
        if not relation:
            continue
        key = scope_key(doc, cited)
        if key is None:
            continue
        if key != own_key:
            superseding.setdefault(key, []).append(fact)
        if (relation == "reports_on" and cited.value.get("doc_type") == PLAN and is_report) \
                or (relation in ARTICLE_MESSAGE and cited.value.get("articles")):
            citing.setdefault(key, []).append(fact)
    for key, found in superseding.items():
        yield Part("superseded", key, _partial(doc, facts=found))
    # A document is one partial view in its group whether it cites or is cited there: a check
    # tells the two apart by identity ("not the citing document itself").
    keys = list(citing) + ([own_key] if own_key is not None and own_key not in citing else [])
    for key in keys:
        found = citing.get(key, [])
        periods = _header_periods(doc)
        chosen = {id(f) for f in found} | {id(f) for f in periods}
        facts = [f for f in doc.facts if id(f) in chosen]
        quoted = [q for q in doc.quoted_titles if id(q[0]) in chosen]
        yield Part("graph", key, _partial(doc, facts=facts, header=_header(doc), quoted_titles=quoted))


def _header_periods(doc: DocumentView) -> list[Fact]:
    """The period facts the citation checks may read: at the header's period, or in its title."""
    spans = (doc.header or {}).get("spans") or {}
    period, title = spans.get("period"), spans.get("title")
    return [f for f in doc.facts if f.kind == "period" and (
        (period and f.start == period["start"]) or (title and title["start"] <= f.start and f.end <= title["end"]))]


def block_findings(check: str, views: list[DocumentView],
                   text_of: Callable[[DocumentView], str]) -> list[Finding]:
    """The findings of one check over one group's partial views, in document order.
    ``text_of`` gives a document's (normalised) text, read only where a check compares texts or
    reads an outline."""
    if check == "citation":
        return citation_findings(views)
    if check == "numbering":
        return cross_numbering_findings(views)
    if check == "period":
        return period_findings(views)
    if check == "restated":
        return restated_findings(views)
    if check == "place":
        return place_spelling_findings(views)
    if check == "duplicate":
        if len({v.text for v in views}) > 1:
            for v in views:
                v.text = text_of(v)
        return duplicate_findings(views)
    if check == "superseded":
        return _superseded_findings(views)
    if check == "report_plan":
        return report_plan_findings(views, _archived(views))
    if check == "articles":
        archived = _archived(views)
        texts: dict[str, str] = {}
        return missing_article_findings(
            views, archived, lambda target: article_numbers_of(
                dataclasses.replace(target, text=texts.setdefault(target.path, text_of(target)))))
    raise ValueError(check)
