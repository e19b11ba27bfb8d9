"""The findings page: each finding with its arithmetic, its evidence quoted in its sentences and
its decision history, with facets; nothing here writes (decisions go through
:meth:`Archive.judge`, as ``cchc review``)."""
from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ...archive.models import NO_SEVERITY

from .common import (
    DOCS, FACTS, FINDING_DOCUMENTS, FINDING_FACTS, FINDING_KEYS, FINDINGS, JUDGEMENTS, document_row,
    document_rows, iso, json_number, severity_rank, stored_severity)

DECISIONS = ("confirm", "dismiss", "undecided")


def judgements(conn, keys: list[str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """The decisions on each finding (of ``keys``; ``None``: every finding), oldest first."""
    statement = (sa.select(JUDGEMENTS).where(JUDGEMENTS.c.subject == "finding")
                 .order_by(JUDGEMENTS.c.id))
    if keys is not None:
        if not keys:
            return {}
        statement = statement.where(JUDGEMENTS.c.finding_key.in_(keys))
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in conn.execute(statement):
        out[r.finding_key].append({"decision": r.decision, "note": r.note, "who": r.who,
                                   "decided_at": iso(r.decided_at)})
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
    quote of it, in the order the finding gives them (with the line of the first, when the
    evidence knows its line)."""
    groups: dict[tuple, dict[str, Any]] = {}
    for e in evidence:
        key = (e["path"], e["sentence_start"], e["sentence"])
        if not e["sentence"] or e["sentence_start"] is None:
            key = (e["path"], e["start"], id(e))
        g = groups.setdefault(key, {"document_id": e["document_id"], "name": e["name"], "page": e["page"],
                                    "line": e.get("line"), "fact_id": e["fact_id"], "sentence": e["sentence"],
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
                    "line": g["line"], "fact_id": g["fact_id"], "parts": parts,
                    "where": ", ".join(f"{e['start']}–{e['end']}" for e in g["items"])})
    return out


def _finding_dict(r, evidence, history) -> dict[str, Any]:
    latest = history[-1] if history else None
    return {"key": r.key, "document_id": r.document_id, "kind": r.kind, "severity": r.severity,
            "rule": r.rule, "message": r.message, "stated": json_number(r.stated),
            "expected": json_number(r.expected), "tolerance": json_number(r.tolerance),
            "documents": sorted({e["document_id"] for e in evidence if e["document_id"] is not None}
                                | ({r.document_id} if r.document_id else set())),
            "evidence": [{k: v for k, v in e.items() if k not in ("sentence", "sentence_start")}
                         for e in evidence],
            "quotes": quotes(evidence), "decision": latest["decision"] if latest else None,
            "history": history}


def ranked(counts: Counter) -> list[dict[str, Any]]:
    """A facet's values, most findings first, ties by value (whatever order they were counted in)."""
    return [{"value": v, "count": c} for v, c in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]


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
            about = sa.select(FINDING_DOCUMENTS.c.finding_id).where(FINDING_DOCUMENTS.c.document_id == document_id)
            statement = statement.where(FINDINGS.c.id.in_(about))
        rows = conn.execute(statement).all()
        evidence = _evidence(conn, rows)
        history = judgements(conn, [r.key for r in rows])
    by_key: dict[str, dict[str, Any]] = {}
    for r in rows:
        # Copies of one document hold the same finding: shown once, with every copy.
        f = _finding_dict(r, evidence[r.id], history.get(r.key, []))
        first = by_key.setdefault(r.key, f)
        if first is not f:
            first["documents"] = sorted(set(first["documents"]) | set(f["documents"]))
    everything = list(by_key.values())
    if document_id is not None:
        everything = [f for f in everything if document_id in f["documents"]]

    def keep(f, skip: str | None = None) -> bool:
        return ((skip == "severity" or not severity or f["severity"] == severity)
                and (skip == "kind" or not kind or f["kind"] == kind)
                and (skip == "decision" or not decision or (f["decision"] or "undecided") == decision))

    facets = {
        "severity": sorted(({"value": v, "count": c} for v, c in
                            Counter(f["severity"] for f in everything if keep(f, "severity")).items()),
                           key=lambda x: severity_rank(x["value"])),
        "kind": ranked(Counter(f["kind"] for f in everything if keep(f, "kind"))),
        "decision": ranked(Counter(f["decision"] or "undecided" for f in everything if keep(f, "decision"))),
    }
    chosen = sorted((f for f in everything if keep(f)), key=lambda f: severity_rank(f["severity"]))
    names = {}
    ids = {i for f in chosen for i in f["documents"]}
    if ids:
        with engine.connect() as conn:
            names = {r.id: document_row(r) for r in document_rows(conn, sorted(ids))}
    for f in chosen:
        f["document_refs"] = [{"id": i, "name": names[i]["name"], "number": names[i]["number"]}
                              for i in f["documents"] if i in names]
    return {"findings": chosen, "total": len(chosen), "facets": facets,
            "args": {k: v for k, v in {"severity": severity, "kind": kind, "decision": decision}.items() if v}}


# Decided findings whose summary one query reads (bound parameters stay under SQLite's limit).
KEYS_CHUNK = 900


def page_of_findings(engine, page: int, size: int, severity: str | None = None,
                     kind: str | None = None, decision: str | None = None) -> dict[str, Any]:
    """One page of :func:`list_findings`, same facets and order, with the evidence of that page's
    findings only. The facets are counted over the archive's summary of distinct findings (one
    grouped count, and the few decided findings apart), and the page is read from it in order of
    severity by index, so a page costs its own findings, not every finding of the archive."""
    with engine.connect() as conn:
        history = judgements(conn)
        decided = {key: h[-1]["decision"] for key, h in history.items() if h}
        counts = [(r.kind, stored_severity(r.severity), r.n) for r in conn.execute(
            sa.select(FINDING_KEYS.c.kind, FINDING_KEYS.c.severity, sa.func.count().label("n"))
            .group_by(FINDING_KEYS.c.kind, FINDING_KEYS.c.severity))]
        decided_rows = []
        keys = sorted(decided)
        for start in range(0, len(keys), KEYS_CHUNK):
            decided_rows += conn.execute(sa.select(FINDING_KEYS.c.key, FINDING_KEYS.c.kind, FINDING_KEYS.c.severity,
                                                   FINDING_KEYS.c.first_id)
                                         .where(FINDING_KEYS.c.key.in_(keys[start:start + KEYS_CHUNK]))).all()
        # (kind, severity, decision) -> distinct findings; the undecided are the rest of each group.
        groups: Counter = Counter()
        for r in decided_rows:
            groups[(r.kind, stored_severity(r.severity), decided[r.key])] += 1
        for k, s, n in counts:
            groups[(k, s, "undecided")] += n - sum(groups[(k, s, d)] for d in DECISIONS if d != "undecided")

        def keep(group, skip: str | None = None) -> bool:
            k, s, d = group
            return ((skip == "severity" or not severity or s == severity)
                    and (skip == "kind" or not kind or k == kind)
                    and (skip == "decision" or not decision or d == decision))

        def facet(position: int, skip: str) -> Counter:
            out: Counter = Counter()
            for group, n in groups.items():
                if n and keep(group, skip):
                    out[group[position]] += n
            return out

        facets = {
            "severity": sorted(({"value": v, "count": c} for v, c in facet(1, "severity").items()),
                               key=lambda x: severity_rank(x["value"])),
            "kind": ranked(facet(0, "kind")),
            "decision": ranked(facet(2, "decision")),
        }
        by_severity = facet(1, "")
        total = sum(by_severity.values())
        pages = max(1, -(-total // size))
        page = min(max(1, page), pages)
        shown = _page_keys(conn, by_severity, (page - 1) * size, size, kind, decision, decided_rows, decided)
    result = list_findings(engine, severity, kind, decision, keys=shown)
    order = {key: i for i, key in enumerate(shown)}
    result["findings"].sort(key=lambda f: order[f["key"]])
    result.update(total=total, facets=facets, pages=pages, page=page)
    return result


def _page_keys(conn, by_severity: Counter, skip: int, size: int, kind: str | None, decision: str | None,
               decided_rows, decided: dict[str, str]) -> list[str]:
    """The keys of the findings from ``skip`` to ``skip + size`` in the page order (severity,
    then first written), ``by_severity`` counting the chosen findings of each severity."""
    if decision in ("confirm", "dismiss"):
        chosen = sorted((r for r in decided_rows if decided[r.key] == decision
                         and stored_severity(r.severity) in by_severity and (not kind or r.kind == kind)),
                        key=lambda r: (severity_rank(stored_severity(r.severity)), r.first_id))
        return [r.key for r in chosen[skip:skip + size]]
    shown: list[str] = []
    for value in sorted(by_severity, key=severity_rank):
        if len(shown) == size:
            break
        if skip >= by_severity[value]:
            skip -= by_severity[value]
            continue
        statement = (sa.select(FINDING_KEYS.c.key)
                     .where(FINDING_KEYS.c.severity == (value or NO_SEVERITY))
                     .order_by(FINDING_KEYS.c.first_id).offset(skip).limit(size - len(shown)))
        if kind:
            statement = statement.where(FINDING_KEYS.c.kind == kind)
        if decision == "undecided":
            statement = statement.where(FINDING_KEYS.c.key.not_in(
                sa.select(JUDGEMENTS.c.finding_key).where(JUDGEMENTS.c.subject == "finding",
                                                          JUDGEMENTS.c.finding_key.is_not(None))))
        shown += conn.execute(statement).scalars()
        skip = 0
    return shown


def finding_exists(engine, key: str) -> bool:
    with engine.connect() as conn:
        return conn.execute(sa.select(FINDINGS.c.id).where(FINDINGS.c.key == key)).first() is not None
