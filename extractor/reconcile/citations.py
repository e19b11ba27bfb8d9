"""Checks the citation graph makes possible, across the documents of a set.

Each citation says what it does (``value.relation``, extract/relations.py). Across documents:

- ``basis_superseded``: a document cites as its basis (``Căn cứ …``) a document that another
  document of the set replaced or repealed before the citing document's date;
- ``replaced_twice``: two documents both replace the same one.

References are matched as one real document the way the other cross-document checks match
them (``crossdoc.scope_key``: a local number only within one place), and two citations of an
administrative number with dates of different years are two documents. Evidence is on both
documents: the citation in each.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Iterable

from ..facts import Fact
from .checks import Finding
from .crossdoc import DocumentView, scope_key

SUPERSEDING = ("replaces", "repeals")
MESSAGE_OF = {"replaces": "finding_basis_replaces", "repeals": "finding_basis_repeals"}


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
        for doc, fact, cited in mentions:
            if cited.value["relation"] != "basis" or doc.date is None:
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
