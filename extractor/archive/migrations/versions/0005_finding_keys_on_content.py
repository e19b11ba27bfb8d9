"""Finding keys on content and position instead of the path, so review decisions follow a file
that is renamed or moved.

A finding's key was computed from its document's path, its kind and rule, its evidence's kind
and text and its figures; it is now computed from its document's sha256, its kind and rule,
its evidence's kind, offsets and text (and, for a finding across documents, each evidence's
document sha256) and its figures. Every stored finding gets its new key and every decision
on it follows; a decision on a finding no longer in the archive keeps its old key (there is
nothing left to compute the new one from). Byte-identical copies of a document share their
findings' keys, and so their decisions: ``findings.key`` is no longer unique, only indexed
(two decisions that now name the same finding are one history, in the order they were made).

The key computations are frozen here as this revision defines them; the archive computes the
new one in :func:`extractor.archive.store.finding_key`.

Revision ID: 0005
Revises: 0004
Create Date: 2027-01-12
"""
from __future__ import annotations

import hashlib
import json
from typing import Callable

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

KEY_LENGTH = 32
CROSS = "*"  # the scope of findings across documents
JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
# The columns read, typed so that JSON comes back decoded on either database.
FINDINGS = sa.table("findings", sa.column("id"), sa.column("key"), sa.column("document_id"),
                    sa.column("kind"), sa.column("rule"), sa.column("stated", JSONType),
                    sa.column("expected", JSONType), sa.column("detail", JSONType))


def _digest(basis: list, seen: set[str]) -> str:
    n = 0
    while True:
        digest = hashlib.sha256(json.dumps(basis + [n], ensure_ascii=False, default=str)
                                .encode("utf-8")).hexdigest()[:KEY_LENGTH]
        if digest not in seen:
            seen.add(digest)
            return digest
        n += 1


def content_key(document: str, finding: dict, seen: set[str], sources: dict[str, str] | None) -> str:
    evidence = [[e.get("kind"), e.get("start"), e.get("end"), e.get("text")]
                + ([sources.get(e.get("document"))] if sources is not None else [])
                for e in finding.get("evidence") or []]
    return _digest([document, finding.get("kind"), finding.get("rule"), evidence,
                    finding.get("stated"), finding.get("expected")], seen)


def path_key(path: str, finding: dict, seen: set[str], _sources: dict[str, str] | None) -> str:
    evidence = [(e.get("kind"), e.get("text")) for e in finding.get("evidence") or []]
    return _digest([path, finding.get("kind"), finding.get("rule"), evidence,
                    finding.get("stated"), finding.get("expected")], seen)


def _rekey(conn, compute: Callable, scope_of: Callable) -> list[tuple[int, str, str]]:
    """(finding id, old key, new key) for every finding, computed in the order they were stored
    (which is the order a run finds them, so the same basis gets the same rank)."""
    documents = {r.id: r for r in conn.execute(sa.text("SELECT id, path, sha256 FROM documents"))}
    sources = {r.path: r.sha256 for r in documents.values()}
    findings = conn.execute(sa.select(FINDINGS).order_by(FINDINGS.c.id))
    seen: dict[object, set[str]] = {}
    out = []
    for r in findings:
        finding = {"kind": r.kind, "rule": r.rule, "stated": r.stated, "expected": r.expected,
                   "evidence": (r.detail or {}).get("evidence")}
        if r.document_id is None:
            key = compute(CROSS, finding, seen.setdefault(CROSS, set()), sources)
        else:
            document = documents[r.document_id]
            key = compute(scope_of(document), finding, seen.setdefault(r.document_id, set()), None)
        out.append((r.id, r.key, key))
    return out


def _store(conn, keys: list[tuple[int, str, str]]) -> None:
    if not keys:
        return
    conn.execute(sa.text("UPDATE findings SET key = :new WHERE id = :id"),
                 [{"id": i, "new": new} for i, _, new in keys])


def _keep_finding_facts(conn) -> Callable[[], None]:
    """Rebuilding ``findings`` on SQLite drops the old table, and with foreign keys on that
    deletes its ``finding_facts`` rows (ON DELETE CASCADE; the pragma cannot be turned off
    inside the migration's transaction): they are kept aside and put back."""
    if conn.dialect.name != "sqlite":
        return lambda: None
    conn.execute(sa.text("CREATE TEMP TABLE kept_finding_facts AS SELECT * FROM finding_facts"))

    def restore() -> None:
        conn.execute(sa.text("INSERT OR IGNORE INTO finding_facts (finding_id, fact_id, seq) "
                             "SELECT finding_id, fact_id, seq FROM kept_finding_facts"))
        conn.execute(sa.text("DROP TABLE kept_finding_facts"))

    return restore


def upgrade() -> None:
    conn = op.get_bind()
    keys = _rekey(conn, content_key, lambda document: document.sha256 or "")
    restore = _keep_finding_facts(conn)
    with op.batch_alter_table("findings") as batch:
        batch.drop_constraint("uq_findings_key", type_="unique")
        batch.create_index("ix_findings_key", ["key"])
    restore()
    _store(conn, keys)
    renamed = {old: new for _, old, new in keys if old != new}
    if renamed:
        conn.execute(sa.text("UPDATE judgements SET finding_key = :new "
                             "WHERE subject = 'finding' AND finding_key = :old"),
                     [{"old": old, "new": new} for old, new in renamed.items()])


def downgrade() -> None:
    conn = op.get_bind()
    keys = _rekey(conn, path_key, lambda document: document.path)
    # A key now shared by copies becomes one key per copy: its decisions are copied to each.
    by_new: dict[str, list[str]] = {}
    for _, new, old in keys:
        by_new.setdefault(new, []).append(old)
    decisions = conn.execute(sa.text(
        "SELECT id, finding_key, entity_type, entity_key, target_key, decision, note, who, decided_at "
        "FROM judgements WHERE subject = 'finding' ORDER BY id")).all()
    for d in decisions:
        olds = sorted(set(by_new.get(d.finding_key, [])))
        if not olds:
            continue
        conn.execute(sa.text("UPDATE judgements SET finding_key = :old WHERE id = :id"),
                     {"old": olds[0], "id": d.id})
        for old in olds[1:]:
            conn.execute(sa.text(
                "INSERT INTO judgements (subject, finding_key, entity_type, entity_key, target_key, "
                "decision, note, who, decided_at) VALUES ('finding', :key, :et, :ek, :tk, :decision, "
                ":note, :who, :at)"),
                {"key": old, "et": d.entity_type, "ek": d.entity_key, "tk": d.target_key,
                 "decision": d.decision, "note": d.note, "who": d.who, "at": d.decided_at})
    _store(conn, keys)
    restore = _keep_finding_facts(conn)
    with op.batch_alter_table("findings") as batch:
        batch.drop_index("ix_findings_key")
        batch.create_unique_constraint("uq_findings_key", ["key"])
    restore()
