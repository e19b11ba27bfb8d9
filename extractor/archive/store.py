"""Write one extracted document into the archive, in one transaction.

:func:`write_document` is the single writer's unit of work: it replaces everything the archive
holds about one file (its row, facts, citations, mentions, findings and search entry) or
records its failure, inside the caller's transaction. Judgements are never touched.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from . import fold
from .models import (Body, Citation, Document, DocumentText, Fact, Finding, FindingDocument, FindingFact,
                     Mention, Person, Ref)

DOCS = Document.__table__
TEXTS = DocumentText.__table__
FACTS = Fact.__table__
REFS = Ref.__table__
CITATIONS = Citation.__table__
BODIES = Body.__table__
PEOPLE = Person.__table__
MENTIONS = Mention.__table__
FINDINGS = Finding.__table__
FINDING_FACTS = FindingFact.__table__
FINDING_DOCUMENTS = FindingDocument.__table__

ENTITY_KINDS = {"organization": "body", "person": "person"}


@dataclass
class Payload:
    """What a worker hands the writer for one file: the extraction, or why it failed."""

    path: str
    ok: bool
    sha256: str | None = None
    size: int | None = None
    format: str | None = None
    text: str | None = None
    pages: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    facts: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    metadata: dict | None = None
    findings: list[dict] = field(default_factory=list)
    error: str | None = None  # in Vietnamese, as stored
    error_shown: str | None = None  # in the language of the run


@dataclass
class Outcome:
    path: str
    status: str  # new | changed | reextracted | unchanged | failed | missing
    facts: int = 0
    error: str | None = None
    document_id: int | None = None
    stored_at: dt.datetime | None = None  # for ``unchanged``: when that content was stored


# ---------------------------------------------------------------------------------------------
# Typed columns


def metadata_from(facts: list[dict], given: dict | None) -> dict:
    """The document metadata: the structure stage's object when there is one, else what the
    header's own reference says (type, number, code, date, issuer)."""
    if given:
        return dict(given)
    for f in facts:
        v = f.get("value") or {}
        if f.get("kind") == "doc_ref" and v.get("own"):
            return {k: v.get(k) for k in ("doc_type", "code", "date", "issuer")} | {
                "number": v.get("canonical"), "source": "own_reference",
                "reference": {"text": f.get("text"), "start": f.get("start"), "end": f.get("end")}}
    return {}


def _date(value: Any) -> dt.date | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("canonical") or value.get("name")
    if not value or not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def metadata_columns(meta: dict | None) -> dict[str, Any]:
    """Typed document columns from the metadata object."""
    meta = meta or {}
    date = _date(meta.get("date"))
    issuer = _name(meta.get("issuer"))
    province = _name(meta.get("province"))
    code = meta.get("code") if isinstance(meta.get("code"), str) else None
    number = meta.get("number") if isinstance(meta.get("number"), str) else None
    if code is None and number and "/" in number:
        code = number.split("/")[-1]
    return {
        "doc_type": meta.get("doc_type") if isinstance(meta.get("doc_type"), str) else None,
        "number": number,
        "code": code,
        "issuer": issuer,
        "province": province,
        "doc_date": date,
        "year": date.year if date else (meta.get("year") if isinstance(meta.get("year"), int) else None),
        "title": meta.get("title") if isinstance(meta.get("title"), str) else None,
        "issuer_key": fold.key(issuer) if issuer else None,
        "province_key": fold.key(province) if province else None,
        "code_key": "-" + fold.key(code).replace(" ", "") + "-" if code else None,
    }


def _number(value: Any) -> float | int | Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return None
    return None


def fact_columns(kind: str, value: dict | None) -> dict[str, Any]:
    """Typed fact columns: canonical reference, ISO dates, numeric value and unit."""
    v = value or {}
    out: dict[str, Any] = {"ref_canonical": None, "iso_date": None, "iso_date_end": None,
                           "numeric_value": None, "denominator": None, "unit": None}
    if kind == "doc_ref":
        out["ref_canonical"] = v.get("canonical")
        out["iso_date"] = _date(v.get("date"))
    elif kind == "date":
        out["iso_date"] = _date(v.get("iso"))
    elif kind == "period":
        out["iso_date"] = _date(v.get("start"))
        out["iso_date_end"] = _date(v.get("end"))
    elif kind == "percent":
        out["numeric_value"] = _number(v.get("value"))
        out["unit"] = "%"
    elif kind == "money":
        out["numeric_value"] = _number(v.get("amount"))
        out["unit"] = v.get("currency")
    elif kind == "quantity":
        out["numeric_value"] = _number(v.get("value"))
        out["unit"] = v.get("unit")
    elif kind == "ratio":
        out["numeric_value"] = _number(v.get("numerator"))
        out["denominator"] = _number(v.get("denominator"))
        out["unit"] = v.get("unit")
    if isinstance(out["unit"], str):
        out["unit"] = out["unit"][:128]
    return out


def search_key(doc_date: dt.date | None, document_id: int) -> int:
    """The document's key in the search index: newer documents have larger keys, so the
    index lists matches newest first without sorting (undated documents come last)."""
    return (doc_date.toordinal() if doc_date else 0) * (1 << 32) + document_id


def finding_key(document: str, finding: dict, seen: set[str],
                sources: dict[str, str] | None = None) -> str:
    """A stable key on content and position, never on the file's name: the same finding of
    the same content gets the same key on every run, so a file renamed or moved keeps its
    review decisions, and a byte-identical copy shares them.

    ``document`` is the sha256 of the finding's document, or ``"*"`` for a finding across
    documents, whose evidence items each name their document: ``sources`` maps those paths to
    their sha256. ``seen`` holds the keys already given in the same scope, so two findings
    with the same basis get different keys (in the order they are found).
    """
    evidence = [[e.get("kind"), e.get("start"), e.get("end"), e.get("text")]
                + ([sources.get(e.get("document"))] if sources is not None else [])
                for e in finding.get("evidence") or []]
    basis = [document, finding.get("kind"), finding.get("rule"), evidence,
             finding.get("stated"), finding.get("expected")]
    n = 0
    while True:
        digest = hashlib.sha256(json.dumps(basis + [n], ensure_ascii=False, default=str)
                                .encode("utf-8")).hexdigest()[:32]
        if digest not in seen:
            seen.add(digest)
            return digest
        n += 1


def entity_key(name: str) -> str:
    return fold.key(name)


# ---------------------------------------------------------------------------------------------
# Writing


def _insert_ignore(conn: Connection, table: sa.Table, rows: list[dict], unique: str) -> None:
    """INSERT ... ON CONFLICT DO NOTHING, in a stable order (no deadlock between writers)."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    rows = sorted(rows, key=lambda r: r[unique])
    conn.execute(insert(table).on_conflict_do_nothing(index_elements=[unique]), rows)


def _ids(conn: Connection, table: sa.Table, column: str, values: Iterable[str]) -> dict[str, int]:
    values = sorted(set(values))
    out: dict[str, int] = {}
    col = table.c[column]
    for i in range(0, len(values), 500):
        chunk = values[i:i + 500]
        out.update({k: id_ for k, id_ in conn.execute(sa.select(col, table.c.id).where(col.in_(chunk)))})
    return out


def lock_path(conn: Connection, path: str) -> None:
    """Serialise writers of one path (PostgreSQL; SQLite's BEGIN IMMEDIATE already does)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"),
                     {"k": zlib.crc32(path.encode("utf-8")) - (1 << 31)})


# Statements built once (the writer runs them for every document).
_EXISTING = (sa.select(DOCS.c.id, DOCS.c.sha256, DOCS.c.extractor_version, DOCS.c.status,
                       DOCS.c.search_key, DOCS.c.ingested_at).where(DOCS.c.path == sa.bindparam("path")))
_INSERT_DOCUMENT = DOCS.insert().returning(DOCS.c.id)
_UPDATE_DOCUMENT = DOCS.update().where(DOCS.c.id == sa.bindparam("document_id"))
_INSERT_TEXT = TEXTS.insert()
_INSERT_FACTS = FACTS.insert()
_LAST_FACT_ID = sa.select(sa.func.coalesce(sa.func.max(FACTS.c.id), 0))
_NEXT_FACT_IDS = sa.text("SELECT nextval(pg_get_serial_sequence('facts', 'id')) "
                         "FROM generate_series(1, :n)")
_INSERT_FINDINGS = FINDINGS.insert().returning(FINDINGS.c.id, sort_by_parameter_order=True)


def write_document(conn: Connection, payload: Payload, version: str, now: dt.datetime,
                   force: bool = False) -> Outcome:
    """Store one payload inside the caller's transaction and say what happened."""
    lock_path(conn, payload.path)
    existing = conn.execute(_EXISTING, {"path": payload.path}).first()
    if not payload.ok:
        return _write_failure(conn, payload, existing, version, now)
    if (existing is not None and not force and existing.status == "ok"
            and existing.sha256 == payload.sha256 and existing.extractor_version == version):
        # Another ingest, or an earlier attempt of this one, stored this very content meanwhile.
        return Outcome(payload.path, "unchanged", document_id=existing.id, stored_at=existing.ingested_at)

    meta = metadata_from(payload.facts, payload.metadata)
    typed = metadata_columns(meta)
    pages = payload.pages or []
    ocr_pages = sum(1 for p in pages if p.get("ocr"))
    row = {
        "sha256": payload.sha256, "size": payload.size, "format": payload.format,
        "status": "ok", "error": None, "extractor_version": version,
        "pages": pages or None, "page_count": len(pages) or None,
        "ocr": bool(ocr_pages) if pages else None, "ocr_pages": ocr_pages if pages else None,
        "notes": payload.notes or None, "warnings": payload.warnings or None,
        "problems": payload.problems or None, "metadata": meta or None,
        "fact_count": len(payload.facts), "ingested_at": now, "status_at": now, **typed,
    }
    if existing is None:
        status = "new"
        document_id = conn.execute(_INSERT_DOCUMENT, {"path": payload.path, "first_seen_at": now,
                                                      **row}).scalar_one()
        key = search_key(typed["doc_date"], document_id)
        conn.execute(_UPDATE_DOCUMENT, {"document_id": document_id, "search_key": key})
    else:
        status = "changed" if existing.sha256 != payload.sha256 else "reextracted"
        document_id = existing.id
        _clear_document(conn, document_id, existing.search_key)
        key = search_key(typed["doc_date"], document_id)
        conn.execute(_UPDATE_DOCUMENT, {"document_id": document_id, "search_key": key, **row})
    conn.execute(_INSERT_TEXT, {"document_id": document_id, "text": payload.text or ""})

    _resolve_in_archive(conn, document_id, payload.facts, typed)
    fact_ids = _insert_facts(conn, document_id, payload.facts)
    _insert_citations(conn, document_id, payload.facts, fact_ids)
    _insert_mentions(conn, document_id, payload.facts, fact_ids, meta, now)
    _insert_findings(conn, document_id, payload.sha256 or "", payload.findings, payload.facts, fact_ids, now)
    _index(conn, key, document_id, typed, payload.text or "")
    return Outcome(payload.path, status, facts=len(payload.facts), document_id=document_id)


def _write_failure(conn: Connection, payload: Payload, existing, version: str,
                   now: dt.datetime) -> Outcome:
    """Record the failure; what an earlier run archived from this file is kept."""
    if existing is None:
        document_id = conn.execute(DOCS.insert().values(
            path=payload.path, sha256=payload.sha256, size=payload.size, format=payload.format,
            status="failed", error=payload.error, extractor_version=version,
            first_seen_at=now, status_at=now, fact_count=0).returning(DOCS.c.id)).scalar_one()
    else:
        document_id = existing.id
        conn.execute(DOCS.update().where(DOCS.c.id == document_id).values(
            status="failed", error=payload.error, status_at=now))
    return Outcome(payload.path, "failed", error=payload.error_shown or payload.error,
                   document_id=document_id)


def _clear_document(conn: Connection, document_id: int, old_key: int | None) -> None:
    """Remove what the archive derived from a document's previous content."""
    # Cross-document findings keep their other evidence until the next audit, but are no
    # longer about this document (its facts go).
    conn.execute(FINDING_DOCUMENTS.delete().where(FINDING_DOCUMENTS.c.document_id == document_id))
    for table in (FINDINGS, MENTIONS, CITATIONS, TEXTS):
        conn.execute(table.delete().where(table.c.document_id == document_id))
    conn.execute(FACTS.delete().where(FACTS.c.document_id == document_id))
    if conn.dialect.name == "sqlite":
        if old_key is not None:
            conn.execute(sa.text("DELETE FROM document_fts WHERE rowid = :k"), {"k": old_key})
    else:
        conn.execute(sa.text("DELETE FROM document_search WHERE document_id = :d"), {"d": document_id})


def _insert_facts(conn: Connection, document_id: int, facts: list[dict]) -> list[int]:
    if not facts:
        return []
    rows = []
    for seq, f in enumerate(facts):
        rows.append({
            "document_id": document_id, "seq": seq, "kind": f["kind"], "pattern": f.get("pattern"),
            "text": f["text"], "start_offset": f["start"], "end_offset": f["end"],
            "page": f.get("page"), "value": f.get("value"), "section": _section(f.get("section")),
            "meaning": f.get("meaning"), "ocr": f.get("ocr"), **fact_columns(f["kind"], f.get("value")),
            "metric": (f.get("meaning") or {}).get("metric"), "body": (f.get("meaning") or {}).get("body"),
        })
    # The ids are chosen first, then all rows go in with one multi-row insert (RETURNING would
    # insert them one by one). On PostgreSQL from the id sequence; on SQLite after the largest
    # id, which no other writer can take meanwhile (the transaction holds the write lock).
    if conn.dialect.name == "postgresql":
        ids = list(conn.execute(_NEXT_FACT_IDS, {"n": len(rows)}).scalars())
    else:
        last = conn.execute(_LAST_FACT_ID).scalar_one()
        ids = list(range(last + 1, last + 1 + len(rows)))
    for row, id_ in zip(rows, ids):
        row["id"] = id_
    conn.execute(_INSERT_FACTS, rows)
    return ids


def _section(section: Any) -> str | None:
    if section is None:
        return None
    if isinstance(section, str):
        return section
    return json.dumps(section, ensure_ascii=False)


def cited_canonical(value: dict) -> str | None:
    """The reference a doc_ref fact cites: its canonical, or for a short reference the full
    one it resolves to ("Kế hoạch nêu trên"); none for "Quyết định này" (the document itself)."""
    if value.get("self"):
        return None
    if value.get("short") and value.get("resolves_to"):
        return value["resolves_to"].get("canonical") or value.get("canonical")
    return value.get("canonical")


# How many archived documents an ambiguous short reference lists as its candidates.
MAX_ARCHIVED_CANDIDATES = 5
# Short forms the archive can resolve: a type and number without the code ("Kế hoạch số 862"),
# a normative number without its year ("Nghị định số 61/NĐ-CP").
ARCHIVE_FORMS = ("number", "no_year")


def archived_short_target(conn: Connection, document_id: int, value: dict, typed: dict) -> dict | None:
    """What an unresolved short reference ("Kế hoạch số 862", "Nghị định số 61/NĐ-CP") stands
    for across the archive: ``{"resolves_to": canonical}`` when exactly one archived document
    fits, ``{"resolves_to": None, "candidates": [...]}`` when several do (never a guess), None
    when none does or the form names no number. A document fits when it is of that type and
    number (and code, when written), of the issuer written ("của Sở Nội vụ", when the
    gazetteer knows it), in the citing document's province when both are known, of the date
    written, and not after the citing document. Matched against what the archive holds when
    the citing document is ingested."""
    if value.get("form") not in ARCHIVE_FORMS or value.get("resolved") or not value.get("doc_type") \
            or not str(value.get("number") or "").isdigit():
        return None
    number = str(int(value["number"]))
    if value["form"] == "no_year":
        if not value.get("code"):
            return None
        shapes = [REFS.c.canonical.like(f"{number}/%/{value['code']}")]
    else:
        shapes = [REFS.c.canonical.like(number + "/%"), REFS.c.canonical.like(number + "-%")]
    rows = conn.execute(
        sa.select(REFS.c.canonical, REFS.c.code, DOCS.c.province_key, DOCS.c.doc_date)
        .select_from(CITATIONS.join(REFS, REFS.c.id == CITATIONS.c.ref_id)
                     .join(DOCS, DOCS.c.id == CITATIONS.c.document_id))
        .where(CITATIONS.c.own.is_(True), REFS.c.doc_type == value["doc_type"], sa.or_(*shapes),
               DOCS.c.status == "ok", DOCS.c.id != document_id)).all()
    province, day = typed.get("province_key"), typed.get("doc_date")
    written = _date(value.get("date"))
    issuer = _issuer_body(value.get("issuer"))
    fitting = sorted({r.canonical for r in rows
                      if not (province and r.province_key and r.province_key != province)
                      and not (written and r.doc_date and r.doc_date != written)
                      and not (day and r.doc_date and r.doc_date > day)
                      and _issued_by(r.code, issuer)})
    if not fitting:
        return None
    if len(fitting) == 1:
        return {"resolves_to": fitting[0]}
    return {"resolves_to": None, "candidates": fitting[:MAX_ARCHIVED_CANDIDATES]}


def _issuer_body(issuer: str | None) -> str | None:
    """The gazetteer body an issuer written after a short reference names ("của Sở Nội vụ")."""
    from ..normalize import fold as fold_text
    from ..structure.orgs import find_mentions

    if not issuer:
        return None
    mentions = find_mentions(issuer, fold_text(issuer))
    return mentions[0].body.id if mentions else None


def _issued_by(code: str | None, body: str | None) -> bool:
    """Whether a ký hiệu may be the issuer's: its issuer segment names that body, or names
    none the gazetteer knows, or no issuer was written."""
    from ..structure.orgs import issuer_from_code

    if body is None:
        return True
    named = issuer_from_code(code)
    return named is None or named.id == body


def _resolve_in_archive(conn: Connection, document_id: int, facts: list[dict], typed: dict) -> None:
    """Short references the document could not resolve, resolved across the archive: the
    fact's value gets ``archived`` (what it stands for, or the candidates when several fit)."""
    for f in facts:
        value = f.get("value") or {}
        if f["kind"] != "doc_ref" or not value.get("short") or value.get("resolved"):
            continue
        found = archived_short_target(conn, document_id, value, typed)
        if found is not None:
            f["value"] = {**value, "archived": found}


def _insert_citations(conn: Connection, document_id: int, facts: list[dict], fact_ids: list[int]) -> None:
    cited = [(f, i, cited_canonical(f.get("value") or {})) for f, i in zip(facts, fact_ids)
             if f["kind"] == "doc_ref"]
    cited = [(f, i, (f["value"].get("archived") or {}).get("resolves_to") or c) for f, i, c in cited]
    cited = [(f, i, c) for f, i, c in cited if c]
    if not cited:
        return
    refs = {}
    for f, _, canonical in cited:
        v = f["value"]
        if v.get("short") and v.get("resolves_to"):
            v = {"canonical": canonical}  # the type and code are the full reference's
        refs.setdefault(canonical, {
            "canonical": canonical, "key": fold.key(canonical).replace(" ", ""),
            "doc_type": v.get("doc_type"), "family": v.get("family"), "code": v.get("code"),
            "year": v.get("year") if isinstance(v.get("year"), int) else None})
    _insert_ignore(conn, REFS, list(refs.values()), "canonical")
    ids = _ids(conn, REFS, "canonical", refs)
    conn.execute(CITATIONS.insert(), [
        {"ref_id": ids[canonical], "document_id": document_id, "fact_id": fact_id,
         "own": bool(f["value"].get("own")), "relation": f["value"].get("relation"),
         "articles": f["value"].get("articles"), "short": bool(f["value"].get("short"))}
        for f, fact_id, canonical in cited])


def _insert_mentions(conn: Connection, document_id: int, facts: list[dict], fact_ids: list[int],
                     meta: dict, now: dt.datetime) -> None:
    """Bodies and people: from organisation/person facts and from the metadata's issuer and
    signatory."""
    wanted: dict[str, dict[str, dict]] = {"body": {}, "person": {}}
    mentions: list[tuple[str, str, dict]] = []
    for f, fact_id in zip(facts, fact_ids):
        entity = ENTITY_KINDS.get(f["kind"])
        name = _name(f.get("value")) if entity else None
        if not name:
            continue
        k = entity_key(name)
        wanted[entity].setdefault(k, {"key": k, "name": name, "created_at": now})
        mentions.append((entity, k, {"fact_id": fact_id, "role": (f.get("value") or {}).get("role"),
                                     "text": f["text"], "start_offset": f["start"],
                                     "end_offset": f["end"], "page": f.get("page")}))
    for role, entity, value in (("issuer", "body", meta.get("issuer")),
                                ("signer", "person", meta.get("signature") or meta.get("signer"))):
        name = _name(value)
        if name:
            k = entity_key(name)
            wanted[entity].setdefault(k, {"key": k, "name": name, "created_at": now})
            mentions.append((entity, k, {"fact_id": None, "role": role, "text": name,
                                         "start_offset": None, "end_offset": None, "page": None}))
    if not mentions:
        return
    ids = {}
    for entity, table in (("body", BODIES), ("person", PEOPLE)):
        _insert_ignore(conn, table, list(wanted[entity].values()), "key")
        ids[entity] = _ids(conn, table, "key", wanted[entity])
    conn.execute(MENTIONS.insert(), [
        {"document_id": document_id,
         "body_id": ids["body"][k] if entity == "body" else None,
         "person_id": ids["person"][k] if entity == "person" else None, **m}
        for entity, k, m in mentions])


def _insert_findings(conn: Connection, document_id: int, sha256: str, findings: list[dict],
                     facts: list[dict], fact_ids: list[int], now: dt.datetime) -> None:
    if not findings:
        return
    by_span = {(f["kind"], f["start"], f["end"]): i for f, i in zip(facts, fact_ids)}
    seen: set[str] = set()
    rows = []
    for finding in findings:
        detail = dict(finding.get("detail") or {})
        detail["evidence"] = finding.get("evidence") or []
        rows.append({
            "key": finding.get("key") or finding_key(sha256, finding, seen),
            "document_id": document_id, "kind": finding.get("kind") or "finding",
            "severity": finding.get("severity"), "rule": finding.get("rule"),
            "message": finding.get("message"), "stated": finding.get("stated"),
            "expected": finding.get("expected"), "tolerance": finding.get("tolerance"),
            "detail": detail, "created_at": now})
    finding_ids = [r[0] for r in conn.execute(_INSERT_FINDINGS, rows)]
    links = []
    for finding, finding_id in zip(findings, finding_ids):
        linked = set()
        for seq, e in enumerate(finding.get("evidence") or []):
            fact_id = by_span.get((e.get("kind"), e.get("start"), e.get("end")))
            if fact_id is not None and fact_id not in linked:
                linked.add(fact_id)
                links.append({"finding_id": finding_id, "fact_id": fact_id, "seq": seq})
    if links:
        conn.execute(FINDING_FACTS.insert(), links)


# PostgreSQL refuses a tsvector over 1 MB; past this many characters of folded text a
# document's body is indexed without word positions (words still match, phrases may not).
PG_POSITIONS_LIMIT = 500_000


def _index(conn: Connection, key: int, document_id: int, typed: dict, text: str) -> None:
    title = fold.index_text(" ".join(filter(None, (typed.get("doc_type"), typed.get("number"),
                                                   typed.get("title"), typed.get("issuer"),
                                                   typed.get("province")))))
    body = fold.index_text(text)
    if conn.dialect.name == "sqlite":
        conn.execute(sa.text("INSERT INTO document_fts (rowid, title, body) VALUES (:k, :t, :b)"),
                     {"k": key, "t": title, "b": body})
    else:
        body_vector = "to_tsvector('cchc', :b)"
        if len(body) > PG_POSITIONS_LIMIT:
            body_vector = f"strip({body_vector})"
        conn.execute(sa.text(
            "INSERT INTO document_search (search_key, document_id, tsv) VALUES (:k, :d, "
            f"setweight(to_tsvector('cchc', :t), 'A') || setweight({body_vector}, 'D'))"),
            {"k": key, "d": document_id, "t": title, "b": body})
