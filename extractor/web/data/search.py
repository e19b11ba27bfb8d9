"""The search page: the archive's folded, ranked search (:func:`extractor.archive.search.search`)
with facets, counts per type, issuer, province, year and finding kind and severity over the
matching documents, and snippets with the hits marked."""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, Iterable

import sqlalchemy as sa

from ...archive import fold
from ...archive.search import Filters, SearchError, search
from .common import (
    DOCS, DOCUMENT_FINDING_COUNTS, TEXTS, document_row, document_rows, severity_rank, stored_severity)

# Documents whose facets a search counts (the best matches; the search's ranking window
# applies as for ``cchc search``).
FACET_LIMIT = 2000
PAGE_SIZE = 20


@dataclass
class SearchParams:
    q: str = ""
    doc_type: str | None = None
    issuer: str | None = None
    province: str | None = None
    year: int | None = None
    kind: str | None = None        # documents with a finding of this kind
    severity: str | None = None    # documents with a finding of this severity
    page: int = 1

    def filters(self) -> Filters:
        return Filters(doc_type=self.doc_type, issuer=self.issuer, province=self.province,
                       year=self.year)

    def query_args(self) -> dict[str, Any]:
        """The URL parameters of this search (the URL holds the whole query)."""
        out = {"q": self.q or None, "type": self.doc_type, "issuer": self.issuer,
               "province": self.province, "year": self.year, "kind": self.kind,
               "severity": self.severity}
        return {k: v for k, v in out.items() if v not in (None, "")}


def run(engine, params: SearchParams, page_size: int = PAGE_SIZE,
               snippets: bool = True) -> dict[str, Any]:
    """The page of documents matching ``params``, with snippets and facets."""
    query = fold.parse_query(params.q)
    filters = params.filters()
    out: dict[str, Any] = {"query": params.q, "args": params.query_args(), "more_than": None,
                           "error": None, "facets_over": None}
    score: dict[int, float | None] = {}
    rows: dict[int, Any] = {}
    everything = query is None and not filters.any()
    if everything and not (params.kind or params.severity):
        return _browse_all(engine, params, page_size, snippets, out)
    if everything:
        with engine.connect() as conn:
            ids = list(conn.execute(sa.select(DOCS.c.id).order_by(DOCS.c.search_key.desc(),
                                                                  DOCS.c.id.desc())).scalars())
    else:
        try:
            result = search(engine, params.q, filters, limit=FACET_LIMIT, snippets=False)
        except SearchError as exc:
            out.update(error=exc.code, total=0, documents=[], facets={}, page=1, pages=1)
            return out
        ids = [d.document_id for d in result.documents]
        score = {d.document_id: d.score for d in result.documents}
        # The hits carry what the facets count: no second read of the documents.
        rows = {d.document_id: _HitRow(d.document_id, d.path, d.status, d.doc_type, d.number, d.date,
                                       d.title, d.issuer, d.province, d.date.year if d.date else None)
                for d in result.documents}
        out["more_than"] = result.more_than
    with engine.connect() as conn:
        findings_by_doc = _findings_of(conn, ids)
        if params.kind or params.severity:
            ids = [i for i in ids if any((not params.kind or f["kind"] == params.kind)
                                         and (not params.severity or f["severity"] == params.severity)
                                         for f in findings_by_doc.get(i, ()))]
        pages = max(1, -(-len(ids) // page_size))
        page = min(max(1, params.page), pages)
        shown = ids[(page - 1) * page_size: page * page_size]
        if not rows:
            rows = {r.id: r for r in document_rows(conn, ids)}
        facets = _facets([rows[i] for i in ids if i in rows], findings_by_doc)
        texts = {}
        if shown and snippets and query is not None:
            texts = dict(conn.execute(sa.select(TEXTS.c.document_id, TEXTS.c.text)
                                      .where(TEXTS.c.document_id.in_(shown))).all())
    total = len(ids)
    if len(ids) >= FACET_LIMIT and not (params.kind or params.severity):
        # More matched than are listed and counted: the facets count the best FACET_LIMIT.
        out["facets_over"] = FACET_LIMIT
        total = result.total or result.more_than or total
    out.update(total=total, page=page, pages=pages, facets=facets,
               documents=_page_documents(shown, rows, texts, query, score, findings_by_doc, snippets))
    return out


def _browse_all(engine, params: SearchParams, page_size: int, snippets: bool,
                out: dict[str, Any]) -> dict[str, Any]:
    """Every document of the archive, newest first: the facets counted by the database and
    only the page's documents read."""
    with engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(DOCS)).scalar_one()
        pages = max(1, -(-total // page_size))
        page = min(max(1, params.page), pages)
        shown = list(conn.execute(sa.select(DOCS.c.id).order_by(DOCS.c.search_key.desc(), DOCS.c.id.desc())
                                  .offset((page - 1) * page_size).limit(page_size)).scalars())
        findings_by_doc = _findings_of(conn, shown)
        facets = _archive_facets(conn)
        rows = {r.id: r for r in document_rows(conn, shown)}
        texts: dict[int, str] = {}
    out.update(total=total, page=page, pages=pages, facets=facets,
               documents=_page_documents(shown, rows, texts, None, {}, findings_by_doc, snippets))
    return out


def _page_documents(shown, rows, texts, query, score, findings_by_doc, snippets) -> list[dict[str, Any]]:
    documents = []
    for i in shown:
        doc = document_row(rows[i])
        doc["score"] = score.get(i)
        text = texts.get(i) or ""
        # A snippet around the hits; a listing without a query shows the title alone (the
        # text's opening is its header, which the title, number and issuer already say).
        if snippets and query is not None:
            doc["snippet"] = snippet_parts(text, fold.make_snippet(text, fold.find_hits(text, query, limit=400)))
        else:
            doc["snippet"] = []
        severities: Counter = Counter()
        for f in findings_by_doc.get(i, ()):
            severities[f["severity"]] += f["count"]
        doc["findings"] = dict(severities)
        documents.append(doc)
    return documents


@dataclass
class _HitRow:
    id: int
    path: str
    status: str
    doc_type: str | None
    number: str | None
    doc_date: dt.date | None
    title: str | None
    issuer: str | None
    province: str | None
    year: int | None


def _archive_facets(conn) -> dict[str, list[dict[str, Any]]]:
    """The facets of every document of the archive, counted by the database (a kind or severity
    counts the documents with a finding of it, their own or one their facts are evidence of)."""
    def grouped(column):
        rows = conn.execute(sa.select(column, sa.func.count()).where(column.is_not(None))
                            .group_by(column)).all()
        return [{"value": v, "count": c} for v, c in sorted(rows, key=lambda x: (-x[1], str(x[0])))]

    def documents_with(column):
        counted = DOCUMENT_FINDING_COUNTS
        rows = conn.execute(sa.select(column, sa.func.count(sa.distinct(counted.c.document_id)))
                            .where(column != "").group_by(column)).all()
        return {v: c for v, c in rows}

    facets = _facets([], {})
    kinds = documents_with(DOCUMENT_FINDING_COUNTS.c.kind)
    severities = documents_with(DOCUMENT_FINDING_COUNTS.c.severity)
    facets.update(type=grouped(DOCS.c.doc_type), issuer=grouped(DOCS.c.issuer),
                  province=grouped(DOCS.c.province),
                  year=sorted(grouped(DOCS.c.year), key=lambda x: -x["value"]),
                  kind=[{"value": v, "count": c} for v, c in sorted(kinds.items(), key=lambda x: (-x[1], x[0]))],
                  severity=sorted(({"value": v, "count": c} for v, c in severities.items()),
                                  key=lambda x: severity_rank(x["value"])))
    return facets


def snippet_parts(text: str, snippet) -> list[dict[str, Any]]:
    """A snippet as pieces ``{"text", "hit"}`` (the template marks the hits; nothing here is
    HTML), with an ellipsis where the text goes on."""
    parts: list[dict[str, Any]] = []
    if snippet is None:
        return parts
    pos = snippet.start
    if snippet.start > 0:
        parts.append({"text": "…", "hit": False})
    for s, e in snippet.hits:
        if s > pos:
            parts.append({"text": _squash(text[pos:s]), "hit": False})
        parts.append({"text": _squash(text[s:e]), "hit": True})
        pos = e
    if snippet.end > pos:
        parts.append({"text": _squash(text[pos:snippet.end]), "hit": False})
    if snippet.end < len(text):
        parts.append({"text": "…", "hit": False})
    return parts


_SPACES = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text)


# Documents whose findings one query reads (bound parameters stay under SQLite's limit).
FINDINGS_CHUNK = 900


def _findings_of(conn, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """How many findings of each kind and severity touch each document of ``ids`` (its own, and
    the cross-document findings whose evidence is in it), from the counts the archive keeps:
    a search costs what it shows, not what the archive holds."""
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    counted = DOCUMENT_FINDING_COUNTS
    for chunk in (ids[i:i + FINDINGS_CHUNK] for i in range(0, len(ids), FINDINGS_CHUNK)):
        rows = conn.execute(sa.select(counted.c.document_id, counted.c.kind, counted.c.severity,
                                      counted.c.findings)
                            .where(counted.c.document_id.in_(chunk))
                            .order_by(counted.c.document_id, counted.c.kind, counted.c.severity))
        for r in rows:
            out[r.document_id].append({"kind": r.kind, "severity": stored_severity(r.severity),
                                       "count": r.findings})
    return out


def _facets(rows, findings_by_doc) -> dict[str, list[dict[str, Any]]]:
    def counted(values: Iterable) -> list[dict[str, Any]]:
        counts = Counter(v for v in values if v not in (None, ""))
        return [{"value": v, "count": c} for v, c in sorted(counts.items(), key=lambda x: (-x[1], str(x[0])))]

    kinds: list[str] = []
    severities: list[str] = []
    for r in rows:
        found = findings_by_doc.get(r.id, ())
        kinds += sorted({f["kind"] for f in found})
        severities += sorted({f["severity"] for f in found if f["severity"]})
    years = counted(r.year for r in rows)
    years.sort(key=lambda x: -x["value"])
    return {"type": counted(r.doc_type for r in rows), "issuer": counted(r.issuer for r in rows),
            "province": counted(r.province for r in rows), "year": years,
            "kind": counted(kinds),
            "severity": sorted(counted(severities), key=lambda x: severity_rank(x["value"]))}
