"""Search the archive: ranked full-text search with filters, and fact queries.

Both backends index the folded copy of each document (:mod:`.fold`) with two weighted fields,
the heading (type, number, title, issuer, province) and the body: SQLite in the FTS5 table
``document_fts`` ranked by ``bm25``, PostgreSQL in ``document_search.tsv`` ranked by
``ts_rank_cd``. The index lists documents newest first (its key is the document date, see
:func:`store.search_key`). Ranking reads the word positions of every match, which is slow for
words found in most documents: so when more documents match than :func:`rank_window` allows,
the newest of them are ranked, and the result says so (``more_than``); ``rank_all=True`` ranks
every match. Date filters are ranges of the index key; type, issuer and province filters are
looked up in the indexed heading first, then checked exactly against the document columns.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..structure.layout import Layout
from . import fold
from .fold import Query, Snippet, find_hits, make_snippet, parse_query
from .filters import Filters, SearchError, filter_clauses, heading_terms, reference_key
from .models import Citation, Document, DocumentText, Fact, Ref

DOCS = Document.__table__
TEXTS = DocumentText.__table__
FACTS = Fact.__table__
REFS = Ref.__table__
CITATIONS = Citation.__table__

# Ranking reads every matching document's word positions: at most this many (documents ×
# query words) are ranked, the newest matches first (see the module's docstring).
RANK_BUDGET = 10_000
RANK_WINDOW_MIN = 1_000
FIGURE_KINDS = ("ratio", "percent", "money", "quantity")
TITLE_WEIGHT = 4.0
# Documents whose facts a fact search looks at, best first.
FACT_DOCUMENTS = 50


@dataclass
class DocumentHit:
    document_id: int
    path: str
    status: str
    doc_type: str | None
    number: str | None
    date: dt.date | None
    title: str | None
    issuer: str | None
    province: str | None
    score: float | None
    snippet: Snippet | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id, "path": self.path, "status": self.status,
            "doc_type": self.doc_type, "number": self.number,
            "date": self.date.isoformat() if self.date else None, "title": self.title,
            "issuer": self.issuer, "province": self.province, "score": self.score,
            "snippet": self.snippet.marked() if self.snippet else None,
            "snippet_start": self.snippet.start if self.snippet else None,
            "snippet_end": self.snippet.end if self.snippet else None,
            "hits": [list(h) for h in self.snippet.hits] if self.snippet else [],
        }


@dataclass
class FactHit:
    fact_id: int
    document_id: int
    path: str
    doc_type: str | None
    number: str | None
    date: dt.date | None
    kind: str
    text: str
    start: int
    end: int
    page: int | None
    value: Any
    numeric_value: Any
    unit: str | None
    context: Snippet | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "fact_id": self.fact_id, "document_id": self.document_id, "path": self.path,
            "doc_type": self.doc_type, "number": self.number,
            "date": self.date.isoformat() if self.date else None,
            "kind": self.kind, "text": self.text, "start": self.start, "end": self.end,
            "page": self.page, "value": self.value,
            "numeric_value": float(self.numeric_value) if self.numeric_value is not None else None,
            "unit": self.unit,
            "context": self.context.marked() if self.context else None,
        }


@dataclass
class SearchResult:
    query: str
    documents: list[DocumentHit] = field(default_factory=list)
    facts: list[FactHit] | None = None
    total: int | None = None  # documents matching, when all were counted
    more_than: int | None = None  # set when more than this many matched (ranking window)


# ---------------------------------------------------------------------------------------------
# Full-text matching, per backend


class _Index:
    """The search index of one backend as SQL pieces: the table, its key, match and rank."""

    def __init__(self, conn: Connection, query: Query, heading: list | None = None):
        self.sqlite = conn.dialect.name == "sqlite"
        heading = heading or []
        if self.sqlite:
            self.table = sa.table("document_fts", sa.column("rowid", sa.BigInteger))
            self.key = self.table.c.rowid
            self.match = sa.text("document_fts MATCH :q").bindparams(q=query.fts5(heading))
            self.score = sa.literal_column(f"bm25(document_fts, {TITLE_WEIGHT}, 1.0)")
            self.best_first = self.score.asc()
        else:
            self.table = sa.table("document_search", sa.column("search_key", sa.BigInteger),
                                  sa.column("tsv"))
            self.key = self.table.c.search_key
            tsq = sa.func.to_tsquery(sa.literal_column("'cchc'"), sa.bindparam("q", query.tsquery(heading)))
            self.match = self.table.c.tsv.op("@@")(tsq)
            self.score = sa.func.ts_rank_cd(self.table.c.tsv, tsq)
            self.best_first = self.score.desc()


def _joined(index: _Index, *columns) -> sa.Select:
    """SELECT columns FROM the index JOIN documents, reading documents through the index that
    holds the filter columns (so no document row, with its long text, is read)."""
    statement = (sa.select(*columns)
                 .select_from(index.table.join(DOCS, DOCS.c.search_key == index.key)))
    return statement.with_hint(DOCS, "INDEXED BY ix_documents_search", "sqlite")


def _matching(conn: Connection, index: _Index, clauses: list) -> sa.Select:
    return _joined(index, index.key.label("k")).where(index.match, *clauses)


def rank_window(query: Query) -> int:
    """How many of the newest matches are ranked: fewer for longer queries, whose ranking
    costs more per document."""
    # A phrase costs more than its words: their positions must line up.
    words = sum(len(t.words) * (2 if len(t.words) > 1 else 1) for t in query.terms)
    return max(RANK_WINDOW_MIN, RANK_BUDGET // max(1, words))


def search(engine: Engine, text: str | None, filters: Filters | None = None, *, limit: int = 20,
           rank_all: bool = False, window: int | None = None, sort: str = "rank",
           snippets: bool = True) -> SearchResult:
    """Documents matching ``text`` and the filters, best first (or newest first with
    ``sort="date"``). With no text, the documents matching the filters, newest first.

    When more than ``window`` documents match (default: :func:`rank_window`), the newest
    ``window`` are ranked and ``result.more_than`` says so; ``rank_all`` ranks them all."""
    filters = filters or Filters()
    query = parse_query(text or "")
    if query is None and not filters.any() and not filters.kinds:
        raise SearchError("empty_query")
    if query is not None and window is None:
        window = rank_window(query)
    result = SearchResult(text or "")
    if filters.kinds and query is None:
        result.facts = facts_for(engine, filters, limit)
        return result
    with engine.connect() as conn:
        clauses = filter_clauses(filters)
        if filters.kinds:
            # Facts near the query's hits, in the best documents first.
            ids = _ranked(conn, query, filters, clauses, max(limit, FACT_DOCUMENTS), rank_all,
                          window, sort, result)
            documents = _documents(conn, ids, query, filters, snippets=False)
            result.facts = _facts(conn, documents, query, filters.kinds, limit)
            return result
        if query is None:
            ids, result.total = _browse(conn, clauses, limit)
        else:
            ids = _ranked(conn, query, filters, clauses, limit, rank_all, window, sort, result)
        result.documents = _documents(conn, ids, query, filters, snippets)
    return result


def _browse(conn: Connection, clauses: list, limit: int) -> tuple[list[tuple[int, None]], int]:
    total = conn.execute(sa.select(sa.func.count()).select_from(DOCS).where(*clauses)).scalar_one()
    rows = conn.execute(sa.select(DOCS.c.id).where(*clauses)
                        .order_by(DOCS.c.search_key.desc(), DOCS.c.id.desc()).limit(limit))
    return [(r.id, None) for r in rows], total


def key_range(filters: Filters) -> tuple[int | None, int | None]:
    """The search keys of documents dated within the filters' dates: the index is ordered by
    date, so a date filter is a range of it, which the index reads alone."""
    first, last = filters.date_from, filters.date_to
    if filters.year:
        first = max(first or dt.date.min, dt.date(filters.year, 1, 1))
        last = min(last or dt.date.max, dt.date(filters.year, 12, 31))
    low = first.toordinal() << 32 if first else None
    high = ((last.toordinal() + 1) << 32) - 1 if last else None
    return low, high


def _ranked(conn: Connection, query: Query, filters: Filters, clauses: list, limit: int,
            rank_all: bool, window: int, sort: str, result: SearchResult) -> list[tuple[int, float | None]]:
    index = _Index(conn, query, heading_terms(filters))
    low, high = key_range(filters)
    clauses = list(clauses)
    if low is not None:
        clauses.append(index.key >= low)
    if high is not None:
        clauses.append(index.key <= high)
    matching = _matching(conn, index, clauses)
    cut = None
    if not rank_all or sort == "date":
        newest = matching.order_by(index.key.desc()).limit(window).subquery()
        count, lowest = conn.execute(sa.select(sa.func.count(), sa.func.min(newest.c.k))).one()
        if count >= window:
            older = conn.execute(matching.where(index.key < lowest).limit(1)).first()
            if older is not None:
                cut = lowest
                result.more_than = window
        if result.more_than is None:
            result.total = count
    else:
        result.total = conn.execute(sa.select(sa.func.count()).select_from(matching.subquery())).scalar_one()
    statement = _joined(index, DOCS.c.id, index.score.label("score")).where(index.match, *clauses)
    if cut is not None and sort != "date":
        statement = statement.where(index.key >= cut)
    if sort == "date":
        statement = statement.order_by(index.key.desc())
    else:
        statement = statement.order_by(index.best_first, index.key.desc())
    rows = conn.execute(statement.limit(limit)).all()
    if index.sqlite:  # bm25: lower is better; show higher-is-better scores like PostgreSQL
        return [(r.id, -float(r.score)) for r in rows]
    return [(r.id, float(r.score)) for r in rows]


def _documents(conn: Connection, ids: list[tuple[int, float | None]], query: Query | None,
               filters: Filters, snippets: bool) -> list[DocumentHit]:
    if not ids:
        return []
    wanted = [i for i, _ in ids]
    columns = [DOCS.c.id, DOCS.c.path, DOCS.c.status, DOCS.c.doc_type, DOCS.c.number,
               DOCS.c.doc_date, DOCS.c.title, DOCS.c.issuer, DOCS.c.province]
    rows = {r.id: r for r in conn.execute(sa.select(*columns).where(DOCS.c.id.in_(wanted)))}
    texts = _texts(conn, wanted) if snippets else {}
    cited_at = _citation_spans(conn, wanted, filters.cites) if (filters.cites and query is None) else {}
    hits = []
    for document_id, score in ids:
        r = rows[document_id]
        snippet = None
        text = texts.get(document_id)
        if text:
            if query is not None:
                snippet = make_snippet(text, find_hits(text, query, limit=400))
            elif document_id in cited_at:
                s, e = cited_at[document_id]
                snippet = make_snippet(text, [fold.Hit(s, e, 0)])
        hits.append(DocumentHit(r.id, r.path, r.status, r.doc_type, r.number, r.doc_date, r.title,
                                r.issuer, r.province, score, snippet))
    return hits


def _citation_spans(conn: Connection, ids: list[int], reference: str) -> dict[int, tuple[int, int]]:
    """Where each document first cites the reference (for its snippet)."""
    refs = set(conn.execute(sa.select(REFS.c.id).where(REFS.c.key == reference_key(reference))).scalars())
    # The citations of these few documents, the reference picked here: the database then
    # reads them by document, never all the citations of a much-cited reference.
    rows = conn.execute(
        sa.select(CITATIONS.c.document_id, CITATIONS.c.ref_id, CITATIONS.c.own,
                  FACTS.c.start_offset, FACTS.c.end_offset)
        .select_from(CITATIONS.join(FACTS, FACTS.c.id == CITATIONS.c.fact_id))
        .where(CITATIONS.c.document_id.in_(ids))
        .order_by(CITATIONS.c.document_id, FACTS.c.start_offset))
    out: dict[int, tuple[int, int]] = {}
    for r in rows:
        if r.ref_id in refs and not r.own:
            out.setdefault(r.document_id, (r.start_offset, r.end_offset))
    return out


# ---------------------------------------------------------------------------------------------
# Facts


def _fact_columns():
    return [FACTS.c.id, FACTS.c.document_id, FACTS.c.kind, FACTS.c.text, FACTS.c.start_offset,
            FACTS.c.end_offset, FACTS.c.page, FACTS.c.value, FACTS.c.numeric_value, FACTS.c.unit]


def _facts_of(conn: Connection, ids: list[int], kinds: Sequence[str]) -> dict[int, list]:
    """The facts of these kinds in these documents, by document, in document order. The kinds
    are picked here, not in SQL: so the database reads the facts by document (a few per
    document) and never by kind (a large share of all facts)."""
    wanted = set(kinds)
    out: dict[int, list] = {}
    rows = conn.execute(sa.select(*_fact_columns()).where(FACTS.c.document_id.in_(ids))
                        .order_by(FACTS.c.document_id, FACTS.c.seq))
    for r in rows:
        if r.kind in wanted:
            out.setdefault(r.document_id, []).append(r)
    return out


def _texts(conn: Connection, ids: Sequence[int]) -> dict[int, str]:
    return dict(conn.execute(sa.select(TEXTS.c.document_id, TEXTS.c.text)
                             .where(TEXTS.c.document_id.in_(list(ids)))).all())


def _fact_hit(r, d, text: str) -> FactHit:
    return FactHit(r.id, r.document_id, d.path, d.doc_type, d.number, d.doc_date if hasattr(d, "doc_date")
                   else d.date, r.kind, r.text, r.start_offset, r.end_offset, r.page, r.value,
                   r.numeric_value, r.unit,
                   make_snippet(text, [fold.Hit(r.start_offset, r.end_offset, 0)], 160))


def _facts(conn: Connection, documents: list[DocumentHit], query: Query | None,
           kinds: Sequence[str], limit: int) -> list[FactHit]:
    """Facts of the kinds asked for in the documents found, in the sentences where the query's
    words are (the figures a sentence about the query gives)."""
    out: list[FactHit] = []
    for start in range(0, len(documents), 50):
        chunk = documents[start:start + 50]
        per_doc = _facts_of(conn, [d.document_id for d in chunk], kinds)
        texts = _texts(conn, list(per_doc))
        for d in chunk:
            facts = per_doc.get(d.document_id)
            if not facts:
                continue
            text = texts[d.document_id]
            layout = Layout(text)
            sentences = {layout.sentence(h.start) for h in find_hits(text, query)}
            for r in facts:
                if layout.sentence(r.start_offset) in sentences:
                    out.append(_fact_hit(r, d, text))
                    if len(out) >= limit:
                        return out
    return out


def facts_for(engine: Engine, filters: Filters, limit: int = 100) -> list[FactHit]:
    """Facts of ``filters.kinds`` in the documents matching the filters, newest documents
    first: e.g. the figures of a body for a period (``issuer``, ``date_from``, ``date_to``)."""
    kinds = list(filters.kinds or FIGURE_KINDS)
    clauses = filter_clauses(filters)
    out: list[FactHit] = []
    after = None
    with engine.connect() as conn:
        while len(out) < limit:
            # The next documents, newest first, then their facts.
            statement = (sa.select(DOCS.c.id, DOCS.c.search_key, DOCS.c.path, DOCS.c.doc_type,
                                   DOCS.c.number, DOCS.c.doc_date)
                         .where(DOCS.c.search_key.is_not(None), *clauses)
                         .order_by(DOCS.c.search_key.desc()).limit(50))
            if after is not None:
                statement = statement.where(DOCS.c.search_key < after)
            documents = conn.execute(statement).all()
            if not documents:
                break
            after = documents[-1].search_key
            per_doc = _facts_of(conn, [d.id for d in documents], kinds)
            wanted = [d for d in documents if d.id in per_doc]
            taken = []
            for d in wanted:
                for r in per_doc[d.id]:
                    if len(out) + len(taken) >= limit:
                        break
                    taken.append((r, d))
            texts = _texts(conn, {d.id for _, d in taken})
            out += [_fact_hit(r, d, texts[d.id]) for r, d in taken]
    return out


def citing(engine: Engine, reference: str, limit: int = 1000) -> list[DocumentHit]:
    """The documents citing ``reference`` (not counting its own header), newest first, each
    with the place it is cited."""
    return search(engine, None, Filters(cites=reference), limit=limit).documents
