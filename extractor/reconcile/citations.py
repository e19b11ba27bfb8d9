"""Checks the citation graph makes possible, across the documents of a set.

Each citation says what it does (``value.relation``, extract/relations.py). Across documents:

- ``basis_superseded``: a document cites as its basis (``Căn cứ …``) a document that another
  document of the set replaced or repealed before the citing document's date;
- ``replaced_twice``: two documents both replace the same one;
- ``report_plan_mismatch``: a report on a plan (``reports_on``) of the set says it covers a
  period outside the plan's own (the period of the plan's title), or quotes the plan with a
  title unlike the plan's own;
- ``amended_article_missing``: a document amends (or repeals) articles of a document of the
  set that has no such article (its outline's ``Điều N`` stop before them).

References are matched as one real document the way the other cross-document checks match
them (``crossdoc.scope_key``: a local number only within one place), and two citations of an
administrative number with dates of different years are two documents. Evidence is on both
documents: the citation in each.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable

import regex

from ..extract.relations import title_abbreviations
from ..facts import Fact
from ..normalize import fold
from ..structure.lines import split_lines
from ..structure.outline import build_outline
from .checks import Finding
from .crossdoc import DocumentView, scope_key

SUPERSEDING = ("replaces", "repeals")
MESSAGE_OF = {"replaces": "finding_basis_replaces", "repeals": "finding_basis_repeals"}
REPORT, PLAN = "Báo cáo", "Kế hoạch"
# A title quoted this much like the plan's own (rapidfuzz token_set_ratio of the folded titles,
# abbreviations spelt out and the periods named in them left out, 0-100) is that title. Chosen on our own pairs
# (tests/test_citation_checks.py, TITLE_PAIRS): paraphrases and titles with words added score
# 100, another plan's title sharing a few words ("kiểm soát thủ tục hành chính" against "cải
# cách hành chính") 69 and less.
TITLE_MATCH = 80
ARTICLE_MESSAGE = {"amends": "finding_amended_article_missing", "repeals": "finding_repealed_article_missing"}


def _cited(fact: Fact) -> Fact | None:
    """The citation as a full reference: itself, or a short one with the canonical it resolves
    to (a self reference, "Quyết định này", cites nothing)."""
    v = fact.value
    if fact.kind != "doc_ref" or v.get("own") or v.get("self"):
        return None
    if v.get("canonical"):
        return fact
    target = v.get("resolves_to") or {}
    if v.get("short") and target.get("canonical"):
        canonical = target["canonical"]
        code = canonical.split("/")[-1] if "/" in canonical else canonical
        return Fact(fact.kind, fact.text, fact.start, fact.end, fact.pattern,
                    {**v, "canonical": canonical, "code": code}, fact.page)
    return None


def _same_year(a: Fact, b: Fact) -> bool:
    """Administrative numbers restart each year: dated citations of different years differ."""
    if a.value.get("year") or b.value.get("year"):
        return True
    da, db = a.value.get("date"), b.value.get("date")
    return not (da and db and da[:4] != db[:4])


def _label(doc: DocumentView) -> str:
    return doc.own.value["canonical"] if doc.own is not None else Path(doc.path).name


def _day(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "?"


def citation_graph_findings(docs: Iterable[DocumentView]) -> list[Finding]:
    docs = list(docs)
    archived = _archived(docs)
    return (_superseded_findings(docs) + report_plan_findings(docs, archived)
            + missing_article_findings(docs, archived))


def _superseded_findings(docs: list[DocumentView]) -> list[Finding]:
    by_key: dict[str, list[tuple[DocumentView, Fact, Fact]]] = defaultdict(list)
    for doc in docs:
        for fact in doc.facts:
            cited = _cited(fact)
            if cited is None or not cited.value.get("relation"):
                continue
            key = scope_key(doc, cited)
            if key is None:
                continue
            if doc.own is not None and scope_key(doc, doc.own) == key:
                continue  # a document citing its own number
            by_key[key].append((doc, fact, cited))
    findings: list[Finding] = []
    for key, mentions in sorted(by_key.items()):
        superseding = [(d, f, c) for d, f, c in mentions if c.value["relation"] in SUPERSEDING]
        if not superseding:
            continue
        reference = superseding[0][2].value["canonical"]
        # A basis cited on or before the earliest superseding date is superseded by none: skipped
        # without a scan, so a block of many citing and superseding copies stays near linear.
        earliest = min((by.date for by, _, _ in superseding if by.date is not None), default=None)
        for doc, fact, cited in mentions:
            if cited.value["relation"] != "basis" or doc.date is None or earliest is None or doc.date <= earliest:
                continue
            for by, by_fact, by_cited in superseding:
                if by is doc or by.date is None or not by.date < doc.date:
                    continue
                if not _same_year(cited, by_cited):
                    continue
                relation = by_cited.value["relation"]
                findings.append(Finding(
                    "basis_superseded", "error", "citations.basis_superseded", reference,
                    f"{relation} {by.date.isoformat()}", None, [fact, by_fact],
                    {"reference": reference, "document": doc.path, "by_document": by.path,
                     "relation": relation, "message_code": MESSAGE_OF[relation],
                     "message_fields": {"citing": _label(doc), "citing_date": _day(doc.date),
                                        "reference": reference, "by": _label(by), "by_date": _day(by.date)}}))
                break
        replacing = [(d, f, c) for d, f, c in superseding if c.value["relation"] == "replaces"]
        distinct: dict[str, tuple[DocumentView, Fact, Fact]] = {}
        for d, f, c in replacing:
            distinct.setdefault(_label(d), (d, f, c))
        for (a, fa, ca), (b, fb, cb) in _pairs(list(distinct.values())):
            if not _same_year(ca, cb):
                continue
            findings.append(Finding(
                "replaced_twice", "error", "citations.replaced_twice", reference, None, None, [fa, fb],
                {"reference": reference, "documents": [a.path, b.path],
                 "message_code": "finding_replaced_twice",
                 "message_fields": {"reference": reference, "first": _label(a), "first_date": _day(a.date),
                                    "second": _label(b), "second_date": _day(b.date)}}))
    return findings


def _pairs(items: list) -> list[tuple]:
    """Consecutive pairs: n documents replacing one give n - 1 findings, not n²."""
    return list(zip(items, items[1:]))


def _archived(docs: list[DocumentView]) -> dict[str, list[DocumentView]]:
    """The documents of the set by their own number (scoped as citations are)."""
    out: dict[str, list[DocumentView]] = defaultdict(list)
    for doc in docs:
        if doc.own is not None:
            key = scope_key(doc, doc.own)
            if key is not None:
                out[key].append(doc)
    return out


def _target(doc: DocumentView, cited: Fact, archived: dict[str, list[DocumentView]]) -> DocumentView | None:
    """The document of the set a citation stands for: the one with that number whose year
    agrees with the citation's date (administrative numbers restart every year), not issued
    after the citing document; None when none or several fit."""
    key = scope_key(doc, cited)
    if key is None:
        return None
    written = cited.value.get("date")
    fitting = [t for t in archived.get(key, ()) if t is not doc
               and not (written and not cited.value.get("year") and t.date and str(t.date.year) != written[:4])
               and not (doc.date and t.date and t.date > doc.date)]
    return fitting[0] if len(fitting) == 1 else None


def _doc_type(doc: DocumentView) -> str | None:
    if doc.header and doc.header.get("doc_type"):
        return doc.header["doc_type"]
    return doc.own.value.get("doc_type") if doc.own is not None else None


def _period_fact(doc: DocumentView, span: dict | None, within: dict | None = None) -> Fact | None:
    """The period fact at a header span (inside ``within``, when given)."""
    if not span or (within and not (within["start"] <= span["start"] and span["end"] <= within["end"])):
        return None
    return next((f for f in doc.facts if f.kind == "period" and f.start == span["start"]), None)


def _covered(doc: DocumentView) -> Fact | None:
    """The period a document says it covers (its header's, from its title or opening)."""
    return _period_fact(doc, ((doc.header or {}).get("spans") or {}).get("period"))


def _title_period(doc: DocumentView) -> Fact | None:
    """The period a document's title names ("Kế hoạch cải cách hành chính năm 2024")."""
    spans = (doc.header or {}).get("spans") or {}
    title = spans.get("title")
    found = _period_fact(doc, spans.get("period"), title)
    if found is None and title:
        found = next((f for f in doc.facts if f.kind == "period" and title["start"] <= f.start
                      and f.end <= title["end"]), None)
    return found


def _bounds(period: Fact) -> tuple[dt.date, dt.date]:
    v = period.value
    return dt.date.fromisoformat(v["start"]), dt.date.fromisoformat(v["end"])


def _within(inner: Fact, outer: Fact) -> bool:
    """Whether a period lies within another: its months, or the other's reporting window."""
    start, end = _bounds(inner)
    lo, hi = _bounds(outer)
    window = outer.value.get("reporting_window")
    if window:
        lo, hi = min(lo, dt.date.fromisoformat(window[0])), max(hi, dt.date.fromisoformat(window[1]))
    return lo <= start and end <= hi


def _title_words(title: str, periods: Iterable[Fact]) -> str:
    """A title as compared: without the periods named in it (compared apart), abbreviations
    spelt out, folded."""
    for period in periods:
        title = title.replace(period.text, " ")
    for short, long in title_abbreviations().items():
        title = regex.sub(rf"(?<![\p{{L}}]){regex.escape(short)}(?![\p{{L}}])", long, title)
    return " ".join(regex.sub(r"[^\p{L}\p{N}]+", " ", fold(title)).split())


def title_similarity(quoted: str, title: str, periods: Iterable[Fact] = ()) -> float:
    """How much a quoted title is like a document's own (0-100), the ``periods`` named in
    either left out."""
    from rapidfuzz import fuzz

    periods = list(periods)
    return fuzz.token_set_ratio(_title_words(quoted, periods), _title_words(title, periods))


def _period_label(period: Fact) -> str:
    return period.value.get("label") or period.text


def report_plan_findings(docs: list[DocumentView], archived: dict[str, list[DocumentView]]) -> list[Finding]:
    """A report on a plan of the set that says it covers a period outside the plan's, or that
    quotes the plan with another title. Evidence: the citation and the report's period in the
    report; the plan's number and the period of its title in the plan."""
    findings = []
    for doc in docs:
        if _doc_type(doc) != REPORT:
            continue
        covered = _covered(doc)
        quoted_of = {id(f): (title, named) for f, title, named in doc.quoted_titles}
        seen: set[str] = set()
        for fact in doc.facts:
            cited = _cited(fact)
            if cited is None or cited.value.get("relation") != "reports_on" or cited.value.get("doc_type") != PLAN:
                continue
            plan = _target(doc, cited, archived)
            if plan is None or _doc_type(plan) != PLAN or plan.path in seen:
                continue
            plan_period = _title_period(plan)
            period_differs = covered is not None and plan_period is not None and not _within(covered, plan_period)
            quoted, named = quoted_of.get(id(fact), (None, []))
            title_differs = bool(quoted and plan.title) and (
                title_similarity(quoted, plan.title, named + ([plan_period] if plan_period else [])) < TITLE_MATCH
                or (plan_period is not None and any(not _within(p, plan_period) for p in named)))
            if not (period_differs or title_differs):
                continue
            seen.add(plan.path)
            code = ("finding_report_plan_both" if period_differs and title_differs
                    else "finding_report_plan_period" if period_differs else "finding_report_plan_title")
            evidence = [fact] + ([covered] if period_differs else []) + [plan.own] \
                + ([plan_period] if period_differs else [])
            reference = plan.own.value["canonical"]
            findings.append(Finding(
                "report_plan_mismatch", "error" if period_differs else "possible", "citations.report_plan",
                _period_label(covered) if period_differs else quoted,
                _period_label(plan_period) if period_differs else plan.title, None, evidence,
                {"reference": reference, "document": doc.path, "plan_document": plan.path,
                 "period_differs": period_differs, "title_differs": title_differs,
                 "message_code": code,
                 "message_fields": {"report": _label(doc), "plan": reference,
                                    "period": _period_label(covered) if covered else "?",
                                    "plan_period": _period_label(plan_period) if plan_period else "?",
                                    "quoted": quoted or "", "title": plan.title or ""}}))
    return findings


def article_numbers_of(doc: DocumentView) -> list[int]:
    """The article numbers of a document's outline (``Điều 1.`` … at the start of a line),
    attached regulations included."""
    found: list[int] = []
    stack = build_outline(doc.text, split_lines(doc.text), [], len(doc.text))
    while stack:
        section = stack.pop()
        stack.extend(section.children)
        if section.kind == "article" and section.label:
            number = regex.search(r"\d+", section.label)
            if number:
                found.append(int(number.group()))
    return sorted(found)


def missing_article_findings(docs: list[DocumentView], archived: dict[str, list[DocumentView]],
                             article_numbers: Callable[[DocumentView], list[int]] = article_numbers_of) -> list[Finding]:
    """A document amending or repealing articles of a document of the set past that
    document's last article (``article_numbers`` reads them from its text). Only the article's number is compared: an article added by a
    letter ("Điều 5a") or one the outline missed between others is not told from a real one."""
    findings = []
    articles_of: dict[str, list[int]] = {}
    for doc in docs:
        for fact in doc.facts:
            cited = _cited(fact)
            relation = cited.value.get("relation") if cited is not None else None
            if relation not in ARTICLE_MESSAGE or not cited.value.get("articles"):
                continue
            target = _target(doc, cited, archived)
            if target is None:
                continue
            if target.path not in articles_of:
                articles_of[target.path] = article_numbers(target)
            numbers = articles_of[target.path]
            if not numbers:
                continue  # a document without articles (a plan, a report): nothing to compare
            missing = [a for a in cited.value["articles"] if int(regex.match(r"\d+", a).group()) > numbers[-1]]
            if not missing:
                continue
            reference = target.own.value["canonical"]
            findings.append(Finding(
                "amended_article_missing", "error", "citations.amended_articles", missing, numbers[-1], None,
                [fact, target.own],
                {"reference": reference, "document": doc.path, "amended_document": target.path,
                 "relation": relation, "articles": missing, "last_article": numbers[-1],
                 "message_code": ARTICLE_MESSAGE[relation],
                 "message_fields": {"citing": _label(doc), "reference": reference,
                                    "articles": ", ".join(missing), "count": numbers[-1]}}))
    return findings
