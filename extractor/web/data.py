"""What the web pages show, read from the archive: plain dicts and lists, ready for a template
and for the page's JSON twin alike.

Search goes through :func:`extractor.archive.search.search` (the archive's folded, ranked
search); this module only adds the facets (counts per type, issuer, province, year and finding
kind and severity over the matching documents) and reads documents, findings, figures and
totals. Nothing here writes: decisions go through :meth:`Archive.judge`, as ``cchc review``.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import sqlalchemy as sa

from ..archive import fold
from ..archive.models import TABLES
from ..archive.search import Filters, SearchError, search

DOCS = TABLES["documents"]
TEXTS = TABLES["document_texts"]
FACTS = TABLES["facts"]
REFS = TABLES["refs"]
CITATIONS = TABLES["citations"]
FINDINGS = TABLES["findings"]
FINDING_FACTS = TABLES["finding_facts"]
JUDGEMENTS = TABLES["judgements"]

SEVERITIES = ("gross", "error", "minor", "possible")
DECISIONS = ("confirm", "dismiss", "undecided")
# Documents whose facets a search counts (the best matches; the search's ranking window
# applies as for ``cchc search``).
FACET_LIMIT = 2000
PAGE_SIZE = 20
CITED_BY_LIMIT = 200


def _iso(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _number(value: Any) -> Any:
    """A stored figure as JSON shows it: whole numbers without ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, float):
        return round(value, 6)
    return value


# ---------------------------------------------------------------------------------------------
# Search


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


def _document_row(r) -> dict[str, Any]:
    return {"id": r.id, "path": r.path, "name": Path(r.path).name, "status": r.status,
            "doc_type": r.doc_type, "number": r.number, "date": _iso(r.doc_date),
            "title": r.title, "issuer": r.issuer, "province": r.province, "year": r.year}


def run_search(engine, params: SearchParams, page_size: int = PAGE_SIZE,
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
            rows = {r.id: r for r in _document_rows(conn, ids)}
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
        findings_by_doc = _findings_of(conn, None)
        facets = _archive_facets(conn, findings_by_doc)
        rows = {r.id: r for r in _document_rows(conn, shown)}
        texts: dict[int, str] = {}
    out.update(total=total, page=page, pages=pages, facets=facets,
               documents=_page_documents(shown, rows, texts, None, {}, findings_by_doc, snippets))
    return out


def _page_documents(shown, rows, texts, query, score, findings_by_doc, snippets) -> list[dict[str, Any]]:
    documents = []
    for i in shown:
        doc = _document_row(rows[i])
        doc["score"] = score.get(i)
        text = texts.get(i) or ""
        # A snippet around the hits; a listing without a query shows the title alone (the
        # text's opening is its header, which the title, number and issuer already say).
        if snippets and query is not None:
            doc["snippet"] = snippet_parts(text, fold.make_snippet(text, fold.find_hits(text, query, limit=400)))
        else:
            doc["snippet"] = []
        doc["findings"] = dict(Counter(f["severity"] for f in findings_by_doc.get(i, ())))
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


def _archive_facets(conn, findings_by_doc) -> dict[str, list[dict[str, Any]]]:
    """The facets of every document of the archive, counted by the database."""
    def grouped(column):
        rows = conn.execute(sa.select(column, sa.func.count()).where(column.is_not(None))
                            .group_by(column)).all()
        return [{"value": v, "count": c} for v, c in sorted(rows, key=lambda x: (-x[1], str(x[0])))]

    facets = _facets([], findings_by_doc)
    kinds: Counter = Counter()
    severities: Counter = Counter()
    for found in findings_by_doc.values():
        kinds.update({f["kind"] for f in found})
        severities.update({f["severity"] for f in found if f["severity"]})
    facets.update(type=grouped(DOCS.c.doc_type), issuer=grouped(DOCS.c.issuer),
                  province=grouped(DOCS.c.province),
                  year=sorted(grouped(DOCS.c.year), key=lambda x: -x["value"]),
                  kind=[{"value": v, "count": c} for v, c in sorted(kinds.items(), key=lambda x: (-x[1], x[0]))],
                  severity=sorted(({"value": v, "count": c} for v, c in severities.items()),
                                  key=lambda x: _severity_rank(x["value"])))
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


def _document_rows(conn, ids: list[int]):
    columns = [DOCS.c.id, DOCS.c.path, DOCS.c.status, DOCS.c.doc_type, DOCS.c.number,
               DOCS.c.doc_date, DOCS.c.title, DOCS.c.issuer, DOCS.c.province, DOCS.c.year]
    out = []
    for start in range(0, len(ids), 500):
        out += conn.execute(sa.select(*columns).where(DOCS.c.id.in_(ids[start:start + 500]))).all()
    return out


def _findings_of(conn, ids: list[int] | None) -> dict[int, list[dict[str, Any]]]:
    """The findings touching each document (of ``ids``; ``None``: every document): its own,
    and the cross-document findings whose evidence is in it."""
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if ids is not None and not ids:
        return out

    class Everything:
        def __contains__(self, item):
            return item is not None

    wanted = set(ids) if ids is not None else Everything()
    rows = conn.execute(sa.select(FINDINGS.c.id, FINDINGS.c.document_id, FINDINGS.c.kind,
                                  FINDINGS.c.severity)).all()
    cross = {r.id: r for r in rows if r.document_id is None}
    for r in rows:
        if r.document_id in wanted:
            out[r.document_id].append({"kind": r.kind, "severity": r.severity})
    if cross:
        links = conn.execute(sa.select(FINDING_FACTS.c.finding_id, FACTS.c.document_id)
                             .join(FACTS, FACTS.c.id == FINDING_FACTS.c.fact_id)
                             .where(FINDING_FACTS.c.finding_id.in_(list(cross)))).all()
        seen = set()
        for finding_id, document_id in links:
            if document_id in wanted and (finding_id, document_id) not in seen:
                seen.add((finding_id, document_id))
                r = cross[finding_id]
                out[document_id].append({"kind": r.kind, "severity": r.severity})
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
            "severity": sorted(counted(severities), key=lambda x: _severity_rank(x["value"]))}


def _severity_rank(severity: str | None) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


# ---------------------------------------------------------------------------------------------
# Findings


def _judgements(conn, keys: list[str] | None = None) -> dict[str, list[dict[str, Any]]]:
    statement = (sa.select(JUDGEMENTS).where(JUDGEMENTS.c.subject == "finding")
                 .order_by(JUDGEMENTS.c.id))
    if keys is not None:
        if not keys:
            return {}
        statement = statement.where(JUDGEMENTS.c.finding_key.in_(keys))
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in conn.execute(statement):
        out[r.finding_key].append({"decision": r.decision, "note": r.note, "who": r.who,
                                   "decided_at": _iso(r.decided_at)})
    return out


def _evidence(conn, finding_rows) -> dict[int, list[dict[str, Any]]]:
    """Each finding's evidence: the quoted sentences of its detail, tied to the stored facts
    (and so to their documents) through ``finding_facts``."""
    ids = [r.id for r in finding_rows]
    linked: dict[int, list] = defaultdict(list)
    if ids:
        rows = conn.execute(
            sa.select(FINDING_FACTS.c.finding_id, FACTS.c.id, FACTS.c.document_id, FACTS.c.start_offset,
                      FACTS.c.end_offset, DOCS.c.path)
            .join(FACTS, FACTS.c.id == FINDING_FACTS.c.fact_id)
            .join(DOCS, DOCS.c.id == FACTS.c.document_id)
            .where(FINDING_FACTS.c.finding_id.in_(ids)).order_by(FINDING_FACTS.c.seq)).all()
        for r in rows:
            linked[r.finding_id].append(r)
    own_paths = {}
    own_ids = {r.document_id for r in finding_rows if r.document_id is not None}
    if own_ids:
        own_paths = dict(conn.execute(sa.select(DOCS.c.id, DOCS.c.path).where(DOCS.c.id.in_(own_ids))).all())
    out: dict[int, list[dict[str, Any]]] = {}
    for f in finding_rows:
        items = []
        facts = linked.get(f.id, [])
        for e in (f.detail or {}).get("evidence", []):
            path = e.get("document") or own_paths.get(f.document_id)
            match = next((x for x in facts if x.start_offset == e.get("start") and x.end_offset == e.get("end")
                          and (path is None or x.path == path)), None)
            document_id = match.document_id if match else f.document_id
            if match and path is None:
                path = match.path
            sentence = e.get("sentence") or ""
            offset = (e.get("start") or 0) - (e.get("sentence_start") or 0)
            text = e.get("text") or ""
            if 0 <= offset and sentence[offset:offset + len(text)] == text:
                quote = [{"text": sentence[:offset], "hit": False}, {"text": text, "hit": True},
                         {"text": sentence[offset + len(text):], "hit": False}]
            else:
                quote = [{"text": text, "hit": True}]
            items.append({"kind": e.get("kind"), "text": text, "start": e.get("start"), "end": e.get("end"),
                          "page": e.get("page"), "document_id": document_id, "fact_id": match.id if match else None,
                          "path": path, "name": Path(path).name if path else None, "quote": quote,
                          "sentence": sentence, "sentence_start": e.get("sentence_start")})
        out[f.id] = items
    return out


def quotes(evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The evidence as quoted sentences: pieces of evidence in one sentence are marked in one
    quote of it, in the order the finding gives them."""
    groups: dict[tuple, dict[str, Any]] = {}
    for e in evidence:
        key = (e["path"], e["sentence_start"], e["sentence"])
        if not e["sentence"] or e["sentence_start"] is None:
            key = (e["path"], e["start"], id(e))
        g = groups.setdefault(key, {"document_id": e["document_id"], "name": e["name"], "page": e["page"],
                                    "fact_id": e["fact_id"], "sentence": e["sentence"],
                                    "sentence_start": e["sentence_start"], "items": []})
        g["items"].append(e)
    out = []
    for g in groups.values():
        sentence, base = g["sentence"], g["sentence_start"]
        spans = sorted({(e["start"] - base, e["end"] - base) for e in g["items"]
                        if sentence and base is not None and e["start"] is not None
                        and sentence[e["start"] - base:e["end"] - base] == e["text"]})
        if not spans:
            parts = [{"text": " … ".join(e["text"] for e in g["items"]), "hit": True}]
        else:
            parts, pos = [], 0
            for s, e in spans:
                if s < pos:
                    continue
                parts += [{"text": sentence[pos:s], "hit": False}, {"text": sentence[s:e], "hit": True}]
                pos = e
            parts.append({"text": sentence[pos:], "hit": False})
        out.append({"document_id": g["document_id"], "name": g["name"], "page": g["page"],
                    "fact_id": g["fact_id"], "parts": parts,
                    "where": ", ".join(f"{e['start']}–{e['end']}" for e in g["items"])})
    return out


def _finding_dict(r, evidence, history) -> dict[str, Any]:
    latest = history[-1] if history else None
    return {"key": r.key, "document_id": r.document_id, "kind": r.kind, "severity": r.severity,
            "rule": r.rule, "message": r.message, "stated": _number(r.stated),
            "expected": _number(r.expected), "tolerance": _number(r.tolerance),
            "documents": sorted({e["document_id"] for e in evidence if e["document_id"] is not None}
                                | ({r.document_id} if r.document_id else set())),
            "evidence": [{k: v for k, v in e.items() if k not in ("sentence", "sentence_start")}
                         for e in evidence],
            "quotes": quotes(evidence), "decision": latest["decision"] if latest else None,
            "history": history}


def list_findings(engine, severity: str | None = None, kind: str | None = None,
                  decision: str | None = None, document_id: int | None = None,
                  keys: list[str] | None = None) -> dict[str, Any]:
    """Findings with their arithmetic, evidence and decisions, most severe first; with facets."""
    with engine.connect() as conn:
        statement = sa.select(FINDINGS).order_by(FINDINGS.c.id)
        if keys is not None:
            statement = statement.where(FINDINGS.c.key.in_(keys))
        if document_id is not None:
            # Its own findings, and the cross-document findings with evidence in it.
            linked = (sa.select(FINDING_FACTS.c.finding_id)
                      .join(FACTS, FACTS.c.id == FINDING_FACTS.c.fact_id)
                      .where(FACTS.c.document_id == document_id))
            statement = statement.where(sa.or_(FINDINGS.c.document_id == document_id,
                                               FINDINGS.c.id.in_(linked)))
        rows = conn.execute(statement).all()
        evidence = _evidence(conn, rows)
        history = _judgements(conn, [r.key for r in rows])
    everything = [_finding_dict(r, evidence[r.id], history.get(r.key, [])) for r in rows]
    if document_id is not None:
        everything = [f for f in everything if document_id in f["documents"]]

    def keep(f, skip: str | None = None) -> bool:
        return ((skip == "severity" or not severity or f["severity"] == severity)
                and (skip == "kind" or not kind or f["kind"] == kind)
                and (skip == "decision" or not decision or (f["decision"] or "undecided") == decision))

    facets = {
        "severity": sorted(({"value": v, "count": c} for v, c in
                            Counter(f["severity"] for f in everything if keep(f, "severity")).items()),
                           key=lambda x: _severity_rank(x["value"])),
        "kind": [{"value": v, "count": c} for v, c in
                 Counter(f["kind"] for f in everything if keep(f, "kind")).most_common()],
        "decision": [{"value": v, "count": c} for v, c in
                     Counter(f["decision"] or "undecided" for f in everything if keep(f, "decision")).most_common()],
    }
    chosen = sorted((f for f in everything if keep(f)), key=lambda f: _severity_rank(f["severity"]))
    names = {}
    ids = {i for f in chosen for i in f["documents"]}
    if ids:
        with engine.connect() as conn:
            names = {r.id: _document_row(r) for r in _document_rows(conn, sorted(ids))}
    for f in chosen:
        f["document_refs"] = [{"id": i, "name": names[i]["name"], "number": names[i]["number"]}
                              for i in f["documents"] if i in names]
    return {"findings": chosen, "total": len(chosen), "facets": facets,
            "args": {k: v for k, v in {"severity": severity, "kind": kind, "decision": decision}.items() if v}}


def finding_exists(engine, key: str) -> bool:
    with engine.connect() as conn:
        return conn.execute(sa.select(FINDINGS.c.id).where(FINDINGS.c.key == key)).first() is not None


# ---------------------------------------------------------------------------------------------
# One document


@dataclass
class Mark:
    start: int
    end: int
    fact: dict[str, Any]
    children: list["Mark"] = field(default_factory=list)


def _fact_title(r) -> str:
    """What a fact's highlight says on hover: its kind and value."""
    value = r.value
    if isinstance(value, dict):
        shown = ", ".join(f"{k}={v}" for k, v in value.items()
                          if v not in (None, "", [], {}) and not isinstance(v, (dict, list)))
    else:
        shown = "" if value is None else str(value)
    meaning = r.meaning or {}
    if meaning.get("metric"):
        shown += f" · {meaning['metric']}"
        if (meaning.get("period") or {}).get("label"):
            shown += f" ({meaning['period']['label']})"
    return f"{r.kind}: {shown}" if shown else r.kind


def document(engine, document_id: int) -> dict[str, Any] | None:
    """A document with its text, facts, outline, findings, citations and metadata."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(DOCS).where(DOCS.c.id == document_id)).first()
        if row is None:
            return None
        text = conn.execute(sa.select(TEXTS.c.text).where(TEXTS.c.document_id == document_id)).scalar() or ""
        facts = conn.execute(sa.select(FACTS).where(FACTS.c.document_id == document_id)
                             .order_by(FACTS.c.start_offset, FACTS.c.end_offset.desc())).all()
        cites, cited_by = _citations(conn, document_id)
    doc = _document_row(row)
    doc.update(format=row.format, sha256=row.sha256, size=row.size, error=row.error,
               page_count=row.page_count, ocr=row.ocr, ocr_pages=row.ocr_pages,
               ingested_at=_iso(row.ingested_at), fact_count=row.fact_count,
               metadata={k: v for k, v in (row.metadata or {}).items() if k != "spans"},
               warnings=row.warnings or [], problems=row.problems or [])
    findings = list_findings(engine, document_id=document_id)["findings"]
    evidence_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for f in findings:
        for e in f["evidence"]:
            if e["fact_id"] is not None and e["document_id"] == document_id:
                evidence_of[e["fact_id"]].append({"key": f["key"], "severity": f["severity"], "kind": f["kind"]})
    fact_list = []
    for r in facts:
        fact_list.append({"id": r.id, "kind": r.kind, "text": r.text, "start": r.start_offset,
                          "end": r.end_offset, "page": r.page, "section": r.section, "value": r.value,
                          "meaning": r.meaning, "title": _fact_title(r),
                          "findings": evidence_of.get(r.id, [])})
    doc["text_length"] = len(text)
    doc["facts"] = fact_list
    doc["fact_kinds"] = dict(Counter(f["kind"] for f in fact_list))
    doc["outline"] = outline(text, fact_list)
    doc["findings"] = findings
    doc["cites"] = cites
    doc["cited_by"] = cited_by
    doc["text"] = text
    return doc


def marks(facts: list[dict[str, Any]]) -> list[Mark]:
    """The facts as a forest of nested highlights (a fact inside another is its child; a fact
    crossing another's edge is left out, as HTML cannot nest it)."""
    roots: list[Mark] = []
    stack: list[Mark] = []
    for f in sorted(facts, key=lambda f: (f["start"], -f["end"])):
        if f["end"] <= f["start"]:
            continue
        while stack and stack[-1].end <= f["start"]:
            stack.pop()
        if stack and f["end"] > stack[-1].end:
            continue  # crosses the enclosing highlight's edge
        m = Mark(f["start"], f["end"], f)
        (stack[-1].children if stack else roots).append(m)
        stack.append(m)
    return roots


_MARKER = r"^[\s*#_|]*(?:(?:Điều|Chương|Mục|Phần)\s+)?{label}\s*[.):\-]"


def outline(text: str, facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The document's outline as the archive knows it: the section paths of its facts
    (``II.2.a``), each section anchored at its heading line (the nearest line before its
    first fact that opens with its marker), nested. Sections with no fact are not stored."""
    first: dict[str, int] = {}
    for f in facts:
        path = f.get("section")
        if not path:
            continue
        parts = path.split(".")
        for n in range(1, len(parts) + 1):
            p = ".".join(parts[:n])
            first[p] = min(first.get(p, f["start"]), f["start"])
    lines = [(m.start(), m.group()) for m in re.finditer(r"[^\n]*", text) if m.group().strip()]
    nodes: dict[str, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for path in sorted(first, key=lambda p: (first[p], p.count("."))):
        label = path.split(".")[-1]
        pattern = re.compile(_MARKER.format(label=re.escape(label)), re.IGNORECASE)
        start, heading = first[path], None
        for line_start, line in reversed([x for x in lines if x[0] <= first[path]]):
            if pattern.match(line):
                start, heading = line_start, line.strip(" *#_|\t")
                break
        if heading is None:
            line_start = text.rfind("\n", 0, first[path]) + 1
            start, heading = line_start, text[line_start:text.find("\n", line_start) % (len(text) + 1)].strip()
        node = {"path": path, "label": label, "start": start, "heading": heading[:160], "children": []}
        nodes[path] = node
        parent = path.rsplit(".", 1)[0] if "." in path else None
        (nodes[parent]["children"] if parent in nodes else roots).append(node)
    return roots


def _citations(conn, document_id: int) -> tuple[list[dict], list[dict]]:
    """What the document cites (with the archived document holding that number, when there
    is one) and the archived documents citing it."""
    mine = conn.execute(sa.select(REFS.c.id, REFS.c.canonical, CITATIONS.c.own, CITATIONS.c.fact_id)
                        .join(REFS, REFS.c.id == CITATIONS.c.ref_id)
                        .where(CITATIONS.c.document_id == document_id)
                        .order_by(CITATIONS.c.id)).all()
    owners: dict[int, list[dict]] = defaultdict(list)
    citing: dict[int, list[dict]] = defaultdict(list)

    def documents_of(ref_ids: set[int], own: bool, limit: int | None):
        if not ref_ids:
            return
        statement = (sa.select(CITATIONS.c.ref_id, CITATIONS.c.document_id, DOCS.c.path, DOCS.c.number,
                               DOCS.c.title)
                     .join(DOCS, DOCS.c.id == CITATIONS.c.document_id)
                     .where(CITATIONS.c.ref_id.in_(ref_ids), CITATIONS.c.own.is_(own),
                            CITATIONS.c.document_id != document_id)
                     .order_by(DOCS.c.search_key.desc()))
        if limit is not None:
            statement = statement.limit(limit)
        for r in conn.execute(statement):
            entry = {"id": r.document_id, "name": Path(r.path).name, "number": r.number, "title": r.title}
            (owners if own else citing)[r.ref_id].append(entry)

    # The archived documents holding the numbers it cites, and (newest first, at most
    # CITED_BY_LIMIT) those citing its own number: a much-cited decree has thousands.
    documents_of({r.id for r in mine if not r.own}, True, None)
    documents_of({r.id for r in mine if r.own}, False, CITED_BY_LIMIT)
    cites, seen = [], set()
    for r in mine:
        if r.own or r.id in seen:
            continue
        seen.add(r.id)
        cites.append({"canonical": r.canonical, "fact_id": r.fact_id,
                      "documents": _unique(owners.get(r.id, []))})
    cited_by = []
    for r in mine:
        if r.own:
            for entry in _unique(citing.get(r.id, [])):
                cited_by.append({**entry, "canonical": r.canonical})
    return cites, _unique(cited_by)


def _unique(entries: list[dict]) -> list[dict]:
    seen, out = set(), []
    for e in entries:
        if e["id"] not in seen:
            seen.add(e["id"])
            out.append(e)
    return out


# ---------------------------------------------------------------------------------------------
# Figures over time


def figures(engine, body: str | None, metric: str | None) -> dict[str, Any]:
    """Every stated value of ``metric`` for ``body``, by period, across documents; a period
    stated with different values is a contradiction, linked to the findings on its facts."""
    metric_of = FACTS.c.meaning["metric"].as_string()
    body_of = FACTS.c.meaning["body"].as_string()
    with engine.connect() as conn:
        # The choices, counted in SQL (JSON paths on both backends): every body, and the
        # metrics of the body chosen.
        bodies = Counter(dict(conn.execute(sa.select(body_of, sa.func.count()).where(
            FACTS.c.meaning.is_not(None), body_of.is_not(None)).group_by(body_of)).all()))
        statement = sa.select(metric_of, sa.func.count()).where(FACTS.c.meaning.is_not(None), metric_of.is_not(None))
        if body:
            statement = statement.where(body_of == body)
        metrics = Counter(dict(conn.execute(statement.group_by(metric_of)).all()))
        chosen = []
        if metric:
            statement = (sa.select(FACTS.c.id, FACTS.c.document_id, FACTS.c.text, FACTS.c.kind,
                                   FACTS.c.numeric_value, FACTS.c.unit, FACTS.c.meaning,
                                   FACTS.c.start_offset, DOCS.c.path, DOCS.c.number, DOCS.c.doc_date)
                         .join(DOCS, DOCS.c.id == FACTS.c.document_id)
                         .where(metric_of == metric, FACTS.c.numeric_value.is_not(None)))
            if body:
                statement = statement.where(body_of == body)
            chosen = conn.execute(statement.order_by(DOCS.c.doc_date, FACTS.c.id)).all()
        links = defaultdict(list)
        if chosen:
            for fact_id, key, severity, kind in conn.execute(
                    sa.select(FINDING_FACTS.c.fact_id, FINDINGS.c.key, FINDINGS.c.severity, FINDINGS.c.kind)
                    .join(FINDINGS, FINDINGS.c.id == FINDING_FACTS.c.finding_id)
                    .where(FINDING_FACTS.c.fact_id.in_([r.id for r in chosen]))):
                links[fact_id].append({"key": key, "severity": severity, "kind": kind})
    periods: dict[tuple, dict[str, Any]] = {}
    for r in chosen:
        period = r.meaning.get("period") or {}
        key = (period.get("start"), period.get("end"), r.meaning.get("body"))
        p = periods.setdefault(key, {"start": period.get("start"), "end": period.get("end"),
                                     "label": period.get("label") or f"{period.get('start')}–{period.get('end')}",
                                     "body": r.meaning.get("body"), "values": []})
        if period.get("label") and len(period["label"]) < len(p["label"]):
            p["label"] = period["label"]  # the name a document gives it (quý I/2024), if any
        p["values"].append({"fact_id": r.id, "document_id": r.document_id, "name": Path(r.path).name,
                            "number": r.number, "date": _iso(r.doc_date), "text": r.text,
                            "value": _number(r.numeric_value), "unit": r.unit, "findings": links.get(r.id, [])})
    series = sorted(periods.values(), key=lambda p: (p["end"] or "", p["start"] or ""))
    for p in series:
        distinct = sorted({v["value"] for v in p["values"]})
        p["distinct"] = distinct
        p["contradiction"] = len(distinct) > 1
        p["findings"] = list({f["key"]: f for v in p["values"] for f in v["findings"]}.values())
    return {"body": body, "metric": metric, "bodies": [{"value": v, "count": c} for v, c in bodies.most_common()],
            "metrics": [{"value": v, "count": c} for v, c in sorted(metrics.items())],
            "periods": series, "unit": next((v["unit"] for p in series for v in p["values"] if v["unit"]), None)}


def chart(series: list[dict[str, Any]], width: int = 720, height: int = 300) -> dict[str, Any] | None:
    """The geometry of the figures chart (the template draws it as SVG): one column per period,
    a point per stated value, the points of a contradicted period flagged."""
    points = [(i, v) for i, p in enumerate(series) for v in p["values"]]
    if not points:
        return None
    left, right, top, bottom = 70, 20, 20, 64
    values = [v["value"] for _, v in points]
    low, step_y = min(0, min(values)), _nice_step(max(values) - min(0, min(values)))
    high = low + step_y * max(1, -(-(max(values) - low) // step_y))
    span = high - low
    columns = len(series)
    step = (width - left - right) / max(1, columns)

    def x(i: int) -> float:
        return round(left + step * (i + 0.5), 1)

    def y(value: float) -> float:
        return round(top + (height - top - bottom) * (1 - (value - low) / span), 1)

    ticks = [low + step_y * k for k in range(int(round(span / step_y)) + 1)]
    out_points = []
    for i, v in points:
        p = series[i]
        out_points.append({"x": x(i), "y": y(v["value"]), "value": v["value"], "name": v["name"],
                           "document_id": v["document_id"], "fact_id": v["fact_id"],
                           "contradiction": p["contradiction"], "label": p["label"],
                           "finding": (v["findings"] or p["findings"] or [None])[0]})
    # Periods of one length (quarters, half-years, years…) are joined by a line of their own:
    # a year's figure and a quarter's are not one series.
    lines: dict[int, list[str]] = {}
    for i, p in enumerate(series):
        if p["values"]:
            lines.setdefault(_length_class(p), []).append(
                f"{x(i)},{y(sorted(p['distinct'])[len(p['distinct']) // 2])}")
    return {"width": width, "height": height, "left": left, "right": width - right, "top": top,
            "bottom": height - bottom,
            "ticks": [{"y": y(t), "label": _tick(t)} for t in ticks],
            # Labels alternate between two rows, so that long ones do not overlap.
            "columns": [{"x": x(i), "label": p["label"], "contradiction": p["contradiction"],
                         "y": height - bottom + (16 if i % 2 == 0 or columns < 5 else 30)}
                        for i, p in enumerate(series)],
            "points": out_points,
            "lines": [" ".join(v) for v in lines.values() if len(v) > 1]}


def _nice_step(span: float, ticks: int = 5) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about ``ticks`` intervals."""
    import math

    if span <= 0:
        return 1
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power


def _length_class(period: dict[str, Any]) -> int:
    """A period's length in months, roughly (0 when its dates are unknown)."""
    try:
        days = (dt.date.fromisoformat(period["end"]) - dt.date.fromisoformat(period["start"])).days
    except (TypeError, ValueError):
        return 0
    return round(days / 30.4)


def _tick(value: float) -> str:
    if abs(value - round(value)) < 1e-9:
        return f"{int(round(value)):,}".replace(",", ".")
    return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


# ---------------------------------------------------------------------------------------------
# Overview


def overview(engine) -> dict[str, Any]:
    """Documents by type, issuer and year; findings by severity and kind; unread files."""
    with engine.connect() as conn:
        def grouped(column, where=None):
            statement = sa.select(column, sa.func.count()).group_by(column).order_by(sa.func.count().desc(), column)
            if where is not None:
                statement = statement.where(where)
            return [{"value": _iso(v), "count": c} for v, c in conn.execute(statement)]

        by_status = grouped(DOCS.c.status)
        by_type = grouped(DOCS.c.doc_type)
        by_issuer = grouped(DOCS.c.issuer)
        by_year = sorted(grouped(DOCS.c.year), key=lambda x: -(x["value"] or 0))
        severity = sorted(grouped(FINDINGS.c.severity), key=lambda x: _severity_rank(x["value"]))
        kinds = grouped(FINDINGS.c.kind)
        failed = [{"id": r.id, "path": r.path, "name": Path(r.path).name, "error": r.error,
                   "status": r.status, "status_at": _iso(r.status_at)}
                  for r in conn.execute(sa.select(DOCS.c.id, DOCS.c.path, DOCS.c.error, DOCS.c.status,
                                                  DOCS.c.status_at)
                                        .where(DOCS.c.status != "ok").order_by(DOCS.c.path))]
        facts = conn.execute(sa.select(sa.func.count()).select_from(FACTS)).scalar_one()
        decided = conn.execute(sa.select(sa.func.count(sa.distinct(JUDGEMENTS.c.finding_key)))
                               .where(JUDGEMENTS.c.subject == "finding")).scalar_one()
    documents = sum(x["count"] for x in by_status)
    return {"documents": documents, "facts": facts, "findings": sum(x["count"] for x in severity),
            "decided": decided, "status": by_status, "type": by_type, "issuer": by_issuer, "year": by_year,
            "severity": severity, "kind": kinds, "failed": failed}
