"""The document page: a document's text with its facts as nested highlights, its outline, its
findings, what it cites and what cites it, and its metadata."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from .common import CITATIONS, DOCS, FACTS, REFS, TEXTS, document_row, iso
from .findings import list_findings

CITED_BY_LIMIT = 200


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


def read(engine, document_id: int) -> dict[str, Any] | None:
    """A document with its text, facts, outline, findings, citations and metadata."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(DOCS).where(DOCS.c.id == document_id)).first()
        if row is None:
            return None
        text = conn.execute(sa.select(TEXTS.c.text).where(TEXTS.c.document_id == document_id)).scalar() or ""
        facts = conn.execute(sa.select(FACTS).where(FACTS.c.document_id == document_id)
                             .order_by(FACTS.c.start_offset, FACTS.c.end_offset.desc())).all()
        cites, cited_by = _citations(conn, document_id)
    doc = document_row(row)
    doc.update(format=row.format, sha256=row.sha256, size=row.size, error=row.error,
               page_count=row.page_count, ocr=row.ocr, ocr_pages=row.ocr_pages,
               ingested_at=iso(row.ingested_at), fact_count=row.fact_count,
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
