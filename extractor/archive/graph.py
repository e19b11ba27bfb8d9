"""The citation graph of an archive: documents and references, and what each citation does.

An edge goes from a citing document to the reference it cites, with the citation's relation
(``basis``, ``replaces``, ``amends``, …; ``None`` when its wording states none). The target is
an archived document when exactly one archived document has that reference as its own number
(local numbers such as ``35/QĐ-UBND`` repeat across provinces: several owners leave the edge on
the canonical reference), else the canonical reference alone. ``cchc graph REF`` walks the
edges out of and into ``REF`` up to a depth and prints them as JSON or Graphviz DOT.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .models import Citation, Document, Ref
from .filters import reference_key

DOCS = Document.__table__
REFS = Ref.__table__
CITATIONS = Citation.__table__


@dataclass
class Graph:
    root: str
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"root": self.root, "nodes": list(self.nodes.values()), "edges": self.edges}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, default=str)

    def to_dot(self) -> str:
        def quote(value: str) -> str:
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

        lines = ["digraph citations {", "  rankdir=LR;", "  node [shape=box];"]
        for node_id, node in self.nodes.items():
            label = node.get("canonical") or node.get("path") or node_id
            if node.get("doc_type"):
                label = f"{node['doc_type']} {label}"
            style = "" if node.get("document_id") else ", style=dashed"
            lines.append(f"  {quote(node_id)} [label={quote(label)}{style}];")
        for edge in self.edges:
            label = edge["relation"] or ""
            lines.append(f"  {quote(edge['source'])} -> {quote(edge['target'])} [label={quote(label)}];")
        lines.append("}")
        return "\n".join(lines) + "\n"


def _owners(conn: Connection, ref_ids: set[int]) -> dict[int, list[int]]:
    """By reference: the archived documents whose own number it is."""
    out: dict[int, list[int]] = {}
    if not ref_ids:
        return out
    for r in conn.execute(sa.select(CITATIONS.c.ref_id, CITATIONS.c.document_id).distinct()
                          .where(CITATIONS.c.ref_id.in_(ref_ids), CITATIONS.c.own.is_(True))):
        out.setdefault(r.ref_id, []).append(r.document_id)
    return out


def _own_ref(conn: Connection, document_ids: set[int]) -> dict[int, int]:
    """By document: the reference of its own number."""
    if not document_ids:
        return {}
    return {r.document_id: r.ref_id for r in conn.execute(
        sa.select(CITATIONS.c.document_id, CITATIONS.c.ref_id)
        .where(CITATIONS.c.document_id.in_(document_ids), CITATIONS.c.own.is_(True)))}


def graph(engine: Engine, reference: str, depth: int = 1) -> Graph:
    """The citations out of and into ``reference`` (a canonical number as typed), ``depth``
    steps away at most."""
    key = reference_key(reference)
    with engine.connect() as conn:
        root = conn.execute(sa.select(REFS.c.id, REFS.c.canonical).where(REFS.c.key == key)).first()
        result = Graph(root.canonical if root else reference.strip())
        if root is None:
            result.nodes[result.root] = {"id": result.root, "canonical": result.root, "document_id": None}
            return result
        refs: dict[int, dict] = {}
        docs: dict[int, dict] = {}
        seen_edges: set[tuple] = set()
        frontier = {root.id}
        done: set[int] = set()
        for _ in range(depth):
            frontier -= done
            if not frontier:
                break
            done |= frontier
            owners = _owners(conn, frontier)
            owning = {d for ds in owners.values() for d in ds}
            # Citations out of the documents numbered so, and into these references.
            rows = conn.execute(
                sa.select(CITATIONS.c.document_id, CITATIONS.c.ref_id, CITATIONS.c.relation,
                          CITATIONS.c.articles, CITATIONS.c.short)
                .where(CITATIONS.c.own.is_(False),
                       sa.or_(CITATIONS.c.document_id.in_(owning) if owning else sa.false(),
                              CITATIONS.c.ref_id.in_(frontier)))).all()
            citing = {r.document_id for r in rows}
            own = _own_ref(conn, citing)
            next_frontier: set[int] = set()
            for r in rows:
                if own.get(r.document_id) == r.ref_id:
                    continue  # a document citing its own number ("Kèm theo Quyết định số …")
                source = ("ref", own[r.document_id]) if r.document_id in own else ("doc", r.document_id)
                edge = (source, r.ref_id, r.relation)
                if edge in seen_edges:
                    continue
                seen_edges.add(edge)
                refs.setdefault(r.ref_id, {})
                if source[0] == "ref":
                    refs.setdefault(source[1], {})
                    next_frontier.add(source[1])
                else:
                    docs.setdefault(source[1], {})
                next_frontier.add(r.ref_id)
                result.edges.append({"source": source, "target": r.ref_id, "relation": r.relation,
                                     "articles": r.articles, "short": bool(r.short)})
            frontier = next_frontier
        refs.setdefault(root.id, {})
        _describe(conn, result, refs, docs)
    return result


def _describe(conn: Connection, result: Graph, refs: dict[int, dict], docs: dict[int, dict]) -> None:
    """Name the nodes: references by canonical, with their archived document when exactly one
    document is numbered so; unnumbered documents by path."""
    canon = {r.id: r for r in conn.execute(sa.select(REFS.c.id, REFS.c.canonical, REFS.c.doc_type)
                                           .where(REFS.c.id.in_(set(refs))))}
    owners = _owners(conn, set(refs))
    wanted = {ds[0] for ds in owners.values() if len(ds) == 1} | set(docs)
    rows = {r.id: r for r in conn.execute(
        sa.select(DOCS.c.id, DOCS.c.path, DOCS.c.doc_type, DOCS.c.doc_date, DOCS.c.title)
        .where(DOCS.c.id.in_(wanted)))} if wanted else {}
    names: dict[tuple, str] = {}
    for ref_id, r in canon.items():
        names[("ref", ref_id)] = r.canonical
        owner = owners.get(ref_id, [])
        doc = rows.get(owner[0]) if len(owner) == 1 else None
        result.nodes[r.canonical] = {
            "id": r.canonical, "canonical": r.canonical, "doc_type": doc.doc_type if doc else r.doc_type,
            "document_id": doc.id if doc else None, "path": doc.path if doc else None,
            "date": doc.doc_date.isoformat() if doc and doc.doc_date else None,
            "title": doc.title if doc else None, "archived": len(owner)}
    for doc_id in docs:
        doc = rows[doc_id]
        node_id = f"document:{doc_id}"
        names[("doc", doc_id)] = node_id
        result.nodes[node_id] = {"id": node_id, "canonical": None, "doc_type": doc.doc_type,
                                 "document_id": doc_id, "path": doc.path,
                                 "date": doc.doc_date.isoformat() if doc.doc_date else None,
                                 "title": doc.title, "archived": 1}
    for edge in result.edges:
        edge["source"] = names[edge["source"]]
        edge["target"] = names[("ref", edge["target"])]
