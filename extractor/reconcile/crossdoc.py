"""Checks across documents: citations, numbering series, and one body's figures over periods.

Documents are grouped by blocking keys (the canonical reference cited; the agency and year of
a number; the agency and metric of a figure), so the work grows with the number of facts, not
with the square of the number of documents.
"""
from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Sequence

import regex

from ..extract.relations import quoted_title
from ..facts import Fact
from ..normalize import fold
from .checks import Finding
from .clauses import in_comparison
from .metrics import metric_of
from .series import numbering_findings
from ..structure.layout import Layout
from .vocabulary import cue_words, vocabulary, words_pattern

REPORT_GRANULARITIES = {"quarter", "6_months", "9_months", "year", "range", "month"}
# The header's place line ("An Hòa, ngày …") stands in the first lines of a document.
HEADER_PLACE_CHARS = 1500
# A place's name is a few words.
PLACE_NAME_CHARS = 40
# The reporting period is stated in the title or the opening: the first characters, or the
# first sixth of a long document whose header and recipients run long.
OPENING_CHARS = 800
OPENING_SHARE = 6
# A period that opens a paragraph stands in its first words ("1. Năm 2023, Sở …").
PARAGRAPH_OPENING_CHARS = 24
# Versions of one document are compared on their openings: enough to tell versions from
# documents that only share a template, without comparing whole long texts.
DUPLICATE_COMPARED_CHARS = 4000


@dataclass
class DocumentView:
    """What cross-document checks need to know of one document."""

    path: str
    text: str
    facts: list[Fact]
    own: Fact | None = None
    date: dt.date | None = None
    agency: str | None = None
    # The place of the header line ("An Hòa, ngày ..."), folded: local bodies' numbers and
    # figures are only compared within one place.
    place: str | None = None
    # The header's place as written, with its offsets: (text, start, end).
    place_written: tuple[str, int, int] | None = None
    period: tuple[dt.date, dt.date, str] | None = None
    title: str | None = None
    # The structure's header metadata (its values and their spans, in document-text offsets).
    header: dict | None = None
    # Each citation this document reports on with the title it quotes it with and the periods
    # named in that title: (citation, title, periods).
    quoted_titles: list[tuple[Fact, str, list[Fact]]] = field(default_factory=list)
    figures: dict[str, list[tuple[Fact, tuple[dt.date, dt.date, str] | None]]] = field(default_factory=dict)


def view(path: str, text: str, facts: Sequence[Fact], document: dict | None = None, *,
         layout: Layout | None = None) -> DocumentView:
    """Read a document's identity, reporting period and figures by metric. ``document`` is the
    structure stage's metadata, when there is one: its issuing body and province name the
    agency and place (a news page has neither a number nor a place line)."""
    facts = sorted(facts, key=lambda f: f.start)
    doc = DocumentView(path, text, list(facts))
    own = next((f for f in facts if f.kind == "doc_ref" and f.value.get("own")), None)
    if own is not None:
        doc.own = own if own.value.get("canonical") else None
        if own.value.get("date"):
            doc.date = dt.date.fromisoformat(own.value["date"])
        segments = own.value["code"].split("-")
        if own.value["family"] == "official_letter":
            doc.agency = segments[0]
        elif len(segments) > 1:
            doc.agency = segments[1]
    place = _HEADER_PLACE.search(text, 0, min(len(text), HEADER_PLACE_CHARS))
    if place:
        doc.place = fold_place(place["place"])
        doc.place_written = (place["place"], place.start("place"), place.end("place"))
    if document:
        doc.header = document
        doc.title = document.get("title") or document.get("headline")
        if document.get("province"):
            doc.place = fold_place(document["province"])
        if document.get("issuer_body"):
            doc.agency = document["issuer_body"]
        if doc.date is None and (document.get("date") or document.get("published")):
            doc.date = dt.date.fromisoformat(document.get("date") or document["published"])
    periods = [f for f in facts if f.kind == "period" and f.value.get("granularity") in REPORT_GRANULARITIES | {"years"}
               and not f.value.get("blank_day")]
    # The reporting period is stated in the title or the opening: prefer a stated window, then
    # the first named period of the document's first part.
    opening = [p for p in periods if p.start < max(OPENING_CHARS, len(text) // OPENING_SHARE)]
    window = next((p for p in opening if p.value["granularity"] == "range"), None)
    named = next((p for p in opening if p.value["granularity"] != "range"), None)
    chosen = window or named
    if chosen is not None:
        doc.period = _interval(chosen)
    for fact in facts:
        if fact.kind == "doc_ref" and fact.value.get("relation") == "reports_on":
            quoted = quoted_title(text, fact.end)
            if quoted is not None:
                named = [p for p in periods if quoted[1] <= p.start and p.end <= quoted[2]]
                doc.quoted_titles.append((fact, quoted[0], named))
    layout = layout or Layout(text)
    for fact in facts:
        metric = metric_of(text, layout, fact)
        if metric is None or in_comparison(text, layout, fact.start):
            continue
        doc.figures.setdefault(metric, []).append((fact, _figure_period(layout, periods, fact) or doc.period))
    return doc


_HEADER_PLACE = regex.compile(rf"^[ \t*_]*(?P<place>[\p{{L}}][\p{{L}} .\-]{{1,{PLACE_NAME_CHARS}}}?),[ \t]*(?i:ngày)\b",
                              regex.MULTILINE)


@functools.lru_cache(maxsize=1)
def _place_prefix() -> regex.Pattern:
    return regex.compile(r"^(?:" + words_pattern([fold(w) for w in cue_words("place_prefixes")]) + r")\s+")


def fold_place(name: str) -> str:
    """'Hưng Yên', 'Hung Yên', 'TP. Hưng Yên' → 'hung yen'."""
    plain = _place_prefix().sub("", fold(name).strip())
    return " ".join(plain.split())


def is_local(reference: Fact) -> bool:
    codes, pattern = vocabulary().local_issuers.codes, vocabulary().local_issuers.pattern
    segments = regex.split(r"[-/]", reference.value["code"])
    return any(seg in codes or pattern.match(seg) for seg in segments)


def scope_key(doc: "DocumentView", reference: Fact) -> str | None:
    """The reference as one real document: national numbers are unique; local ones only
    within the citing document's place (None when that place is unknown)."""
    canonical = reference.value["canonical"]
    if not is_local(reference):
        return canonical
    return f"{canonical}@{doc.place}" if doc.place else None


def _year_key(reference: Fact) -> str:
    """Administrative numbers restart every year: '862/KH-SGTVT' of 2023 and of 2024 are two
    documents. A number without a year is told apart by the year of the date it is cited with."""
    if reference.value.get("year") or not reference.value.get("date"):
        return ""
    return "#" + reference.value["date"][:4]


def _interval(period: Fact) -> tuple[dt.date, dt.date, str]:
    v = period.value
    start, end = v["start"], v["end"]
    if v.get("reporting_window"):
        start, end = v["reporting_window"]
    return dt.date.fromisoformat(start), dt.date.fromisoformat(end), v["label"]


def _figure_period(layout: Layout, periods: list[Fact], fact: Fact):
    """A period named earlier in the figure's own sentence ("Trong quý I năm 2024, ... 4.210 hồ
    sơ"), or one that opens its paragraph ("1. Năm 2023, Sở hoàn thành .... Sở tiếp nhận ...")."""
    sentence = layout.sentence(fact.start)
    own_paren = layout.enclosing_paren(fact.start)
    # A period inside a parenthesis the figure is not in ("(6 tháng đầu năm 2023 tiếp nhận ...)")
    # is another period's comparison.
    named = [p for p in periods if p.end <= fact.start and layout.sentence(p.start) == sentence
             and layout.enclosing_paren(p.start) in (None, own_paren)]
    if named:
        return _interval(named[-1])
    paragraph = layout.paragraph(fact.start)
    paragraph_start = layout.paragraph_start(fact.start)
    opening = [p for p in periods if paragraph_start <= p.start < paragraph_start + PARAGRAPH_OPENING_CHARS
               and p.end <= fact.start and layout.paragraph(p.start) == paragraph]
    return _interval(opening[0]) if opening else None


def check_documents(docs: Iterable[DocumentView]) -> list[Finding]:
    docs = list(docs)
    return (citation_findings(docs) + cross_numbering_findings(docs) + period_findings(docs)
            + restated_findings(docs) + place_spelling_findings(docs) + duplicate_findings(docs))


# Two documents whose openings are this similar (rapidfuzz ratio, 0-100) are versions of one.
NEAR_DUPLICATE = 90


def duplicate_findings(docs: list[DocumentView]) -> list[Finding]:
    """Copies or versions of one document (same number, or same issuer and title, and nearly the
    same text) whose figures differ."""
    from rapidfuzz import fuzz

    groups: dict[tuple, list[DocumentView]] = defaultdict(list)
    for doc in docs:
        if doc.own is not None and doc.date is not None:
            groups[("number", doc.own.value["canonical"], doc.date.year, doc.place)].append(doc)
        elif doc.title and doc.agency:
            groups[("title", doc.agency, doc.place, fold_place(doc.title))].append(doc)
    findings = []
    for _, members in sorted(groups.items(), key=lambda kv: str(kv[0])):
        compared = [m.text[:DUPLICATE_COMPARED_CHARS] for m in members]
        counts: dict[int, Counter] = {}
        for i, a in enumerate(members):
            for j in range(i + 1, len(members)):
                b = members[j]
                # The figures first: comparing them is cheap, and most pairs agree.
                differing = _differing_figures(a, b) if a.text != b.text else []
                if not differing:
                    continue
                for k in (i, j):
                    if k not in counts:
                        counts[k] = Counter(compared[k])
                if not _may_be_near(counts[i], counts[j], len(compared[i]) + len(compared[j])):
                    continue
                if fuzz.ratio(compared[i], compared[j], score_cutoff=NEAR_DUPLICATE) >= NEAR_DUPLICATE:
                    findings.append(Finding(
                        "duplicate_differs", "error", "crossdoc.duplicate", None, None, None,
                        [f for pair in differing for f in pair],
                        {"documents": [a.path, b.path],
                         "figures": [(fa.text, fb.text) for fa, fb in differing]}))
    return findings


def _may_be_near(a: Counter, b: Counter, total: int) -> bool:
    """Whether two texts with these character counts can be near duplicates: each insertion or
    deletion changes the counts by one, so the Indel distance ``fuzz.ratio`` rests on is at
    least the counts' difference (a bound found in the alphabet's size, not the texts')."""
    allowed = (100 - NEAR_DUPLICATE) * total / 100
    difference = 0
    for ch in a.keys() | b.keys():
        difference += abs(a[ch] - b[ch])
        if difference > allowed:
            return False
    return True


def _differing_figures(a: DocumentView, b: DocumentView) -> list[tuple[Fact, Fact]]:
    """Figures in the same place of two versions (the same metric, the same rank) that differ."""
    out = []
    for metric in sorted(set(a.figures) & set(b.figures)):
        for (fa, _), (fb, _) in zip(a.figures[metric], b.figures[metric]):
            if _value(fa) != _value(fb):
                out.append((fa, fb))
    return out


def place_spelling_findings(docs: list[DocumentView]) -> list[Finding]:
    """A place written without the diacritics that the other documents give it ('An Hoa'
    where the collection writes 'An Hòa'); tone placement variants ('An Hoà') are the same name."""
    from ..normalize import fold_tone_placement

    spellings: dict[str, dict[str, list[DocumentView]]] = defaultdict(lambda: defaultdict(list))
    for doc in docs:
        if doc.place_written:
            written = fold_tone_placement(" ".join(doc.place_written[0].split()))
            spellings[fold_place(written)][written].append(doc)
    findings = []
    for key, variants in sorted(spellings.items()):
        if len(variants) < 2:
            continue
        usual = max(variants, key=lambda v: (len(variants[v]), _marks(v)))
        for variant, holders in sorted(variants.items()):
            if variant == usual or _marks(variant) >= _marks(usual):
                continue
            for doc in holders:
                text, start, end = doc.place_written
                fact = Fact("place", text, start, end, "crossdoc.place", {"text": text})
                findings.append(Finding("place_spelling", "minor", "crossdoc.place_spelling", text, usual, None,
                                        [fact], {"text": text, "corrected": usual, "document": doc.path,
                                                 "usual_in": len(variants[usual])}))
    return findings


def _marks(name: str) -> int:
    """How many letters carry a diacritic (or are đ)."""
    return sum(1 for c in unicodedata.normalize("NFD", name) if unicodedata.combining(c)) + name.count("đ") + name.count("Đ")


# ---------------------------------------------------------------- citations

def citation_findings(docs: list[DocumentView]) -> list[Finding]:
    """One reference cited with different dates or types; cited with a date after the citing
    document's own date."""
    by_ref: dict[str, list[tuple[DocumentView, Fact]]] = defaultdict(list)
    for doc in docs:
        for fact in doc.facts:
            if fact.kind == "doc_ref" and fact.value.get("canonical"):
                key = scope_key(doc, fact)
                if key is not None:
                    by_ref[key + _year_key(fact)].append((doc, fact))
    findings = []
    for key, mentions in sorted(by_ref.items()):
        canonical = key.split("@")[0].split("#")[0]
        dated = [(d, f) for d, f in mentions if f.value.get("date")]
        dates = sorted({f.value["date"] for _, f in dated})
        paths = {d.path for d, _ in dated}
        if len(dates) > 1 and len(paths) > 1:
            first: dict[str, tuple[DocumentView, Fact]] = {}
            for d, f in dated:  # the first mention of each date, in one pass (a block may hold thousands)
                first.setdefault(f.value["date"], (d, f))
            shown = [first[day][1] for day in dates]
            docs_shown = [first[day][0].path for day in dates]
            findings.append(Finding("ref_date_conflict", "error", "crossdoc.ref_dates", dates[0], dates[1:], None,
                                    shown, {"reference": canonical, "dates": dates, "documents": docs_shown}))
        types = sorted({f.value["doc_type"] for _, f in mentions if f.value.get("doc_type")})
        if len(types) > 1 and len({d.path for d, _ in mentions}) > 1:
            first_of_type: dict[str, Fact] = {}
            for _, f in mentions:
                if f.value.get("doc_type"):
                    first_of_type.setdefault(f.value["doc_type"], f)
            shown = [first_of_type[t] for t in types]
            findings.append(Finding("ref_type_conflict", "minor", "crossdoc.ref_types", types[0], types[1:], None,
                                    shown, {"reference": canonical, "types": types}))
        for doc, fact in dated:
            if fact.value.get("own") or doc.date is None:
                continue
            cited = dt.date.fromisoformat(fact.value["date"])
            if cited > doc.date:
                findings.append(Finding("ref_dated_after_citing", "error", "crossdoc.ref_after_citing",
                                        cited.isoformat(), f"<= {doc.date.isoformat()}", None,
                                        [fact] + ([doc.own] if doc.own else []),
                                        {"reference": canonical, "date": cited.isoformat(),
                                         "document": doc.path, "document_date": doc.date.isoformat()}))
    return findings


def cross_numbering_findings(docs: list[DocumentView]) -> list[Finding]:
    """Numbering against dates, over every document's own number and citations together; only
    inversions that a single document does not show on its own are reported here."""
    by_place: dict[str, dict[str, Fact]] = defaultdict(dict)
    source: dict[int, str] = {}
    for doc in docs:
        if doc.place is None:
            continue
        for fact in doc.facts:
            if fact.kind == "doc_ref" and fact.value.get("canonical") and fact.value.get("date") and is_local(fact):
                key = fact.value["canonical"] + _year_key(fact)
                if key not in by_place[doc.place]:
                    by_place[doc.place][key] = fact
                    source[id(fact)] = doc.path
    findings = []
    for place, refs in sorted(by_place.items()):
        for finding in numbering_findings(list(refs.values())):
            involved = {source[id(f)] for f in finding.facts}
            if len(involved) > 1:
                finding.detail["documents"] = sorted(involved)
                findings.append(finding)
    return findings


# ---------------------------------------------------------------- figures over periods

def _report_value(doc: DocumentView, metric: str):
    """The document's own figure for a metric over its own reporting period."""
    for fact, period in doc.figures.get(metric, []):
        if period is not None and period[:2] == doc.period[:2]:
            return fact
    return None


def period_findings(docs: list[DocumentView]) -> list[Finding]:
    """For one agency: cumulative windows that shrink, and carry-over that does not match.

    Each window is compared with the next longer window from the same start that states the
    metric (any shrinking pair shows as at least one such neighbouring pair), and each report
    with the reports starting the day after it ends: sorting, not every pair of reports."""
    by_agency: dict[str, list[DocumentView]] = defaultdict(list)
    for doc in docs:
        if doc.agency and doc.period and doc.place:
            by_agency[f"{doc.agency}@{doc.place}"].append(doc)
    findings = []
    for agency, reports in sorted(by_agency.items()):
        reports.sort(key=lambda d: (d.period[0], d.period[1]))
        by_start: dict[dt.date, list[DocumentView]] = defaultdict(list)
        for report in reports:
            by_start[report.period[0]].append(report)
        for metric in vocabulary().cumulative_metrics:
            for windows in by_start.values():
                stated = [(w, v) for w in windows if (v := _report_value(w, metric)) is not None]
                for (shorter, a), (longer, b) in zip(stated, stated[1:]):
                    if shorter.period[1] >= longer.period[1] or _value(a) <= _value(b):
                        continue
                    findings.append(Finding(
                        "period_total_mismatch", "error", "crossdoc.cumulative_window", _value(b), f">= {_value(a)}",
                        None, [a, b], {"metric": metric, "agency": agency,
                                       "shorter": [shorter.path, shorter.period[2]], "longer": [longer.path, longer.period[2]]}))
        carried, pending = vocabulary().carry_over
        for previous in reports:
            for following in by_start.get(previous.period[1] + dt.timedelta(days=1), ()):
                a, b = _report_value(previous, pending), _report_value(following, carried)
                if a is None or b is None or _value(a) == _value(b):
                    continue
                findings.append(Finding(
                    "carry_over_mismatch", "error", "crossdoc.carry_over", _value(b), _value(a), 0, [a, b],
                    {"agency": agency, "previous": [previous.path, previous.period[2]],
                     "following": [following.path, following.period[2]]}))
    return findings


def restated_findings(docs: list[DocumentView]) -> list[Finding]:
    """One body's figure for one metric and period, stated differently by two documents."""
    stated: dict[tuple, list[tuple[DocumentView, Fact]]] = defaultdict(list)
    for doc in docs:
        if not doc.agency or not doc.place:
            continue
        for metric, figures in doc.figures.items():
            for fact, period in figures:
                if period is not None:
                    stated[(f"{doc.agency}@{doc.place}", metric, period[0], period[1])].append((doc, fact))
    findings = []
    for (agency, metric, start, end), mentions in sorted(stated.items(), key=lambda kv: kv[0]):
        by_doc: dict[str, Fact] = {}
        for doc, fact in mentions:
            by_doc.setdefault(doc.path, fact)
        values = {_value(f) for f in by_doc.values()}
        if len(by_doc) > 1 and len(values) > 1:
            facts = list(by_doc.values())
            findings.append(Finding(
                "figure_restated_differently", "error", "crossdoc.restated", sorted(values)[0], sorted(values)[1:],
                0, facts, {"agency": agency, "metric": metric, "period": [start.isoformat(), end.isoformat()],
                           "documents": sorted(by_doc)}))
    return findings


def _value(fact: Fact) -> Decimal:
    return Decimal(fact.value["value"])
