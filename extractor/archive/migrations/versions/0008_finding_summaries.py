"""Summaries of the findings kept by triggers, so that the web pages count and page findings
without reading every finding and its evidence:

- ``finding_keys``: each distinct finding once (copies of a document share a key), with its
  first row and its number of copies; the findings page counts its facets over it and pages it
  in severity order by index;
- ``finding_documents``: the documents each finding is about (its own; for a cross-document
  finding, the documents of its evidence facts when the evidence was written);
- ``document_finding_counts``: findings per document, kind and severity, for the search page.

Triggers on ``findings``, ``finding_facts`` and ``finding_documents`` keep them on every insert
and delete, whichever command writes (ingest, the audit, the cluster's workers) and through the
cascades of a deleted document, so nothing can forget them. A missing severity is stored as ''.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_BACKFILL = [
    """INSERT INTO finding_keys (key, kind, severity, first_id, copies)
       SELECT f.key, f.kind, coalesce(f.severity, ''), g.first_id, g.copies
       FROM (SELECT key, min(id) AS first_id, count(*) AS copies FROM findings GROUP BY key) g
       JOIN findings f ON f.id = g.first_id""",
    """INSERT INTO finding_documents (finding_id, document_id, kind, severity)
       SELECT id, document_id, kind, coalesce(severity, '') FROM findings WHERE document_id IS NOT NULL
       UNION
       SELECT f.id, facts.document_id, f.kind, coalesce(f.severity, '')
       FROM findings f JOIN finding_facts ff ON ff.finding_id = f.id JOIN facts ON facts.id = ff.fact_id
       WHERE f.document_id IS NULL""",
    """INSERT INTO document_finding_counts (document_id, kind, severity, findings)
       SELECT document_id, kind, severity, count(*) FROM finding_documents
       GROUP BY document_id, kind, severity""",
]

# What each trigger does, in SQLite's spelling; PostgreSQL's functions below say the same.
_SQLITE_TRIGGERS = [
    """CREATE TRIGGER findings_summarised AFTER INSERT ON findings BEGIN
         INSERT INTO finding_keys (key, kind, severity, first_id, copies)
           VALUES (new.key, new.kind, coalesce(new.severity, ''), new.id, 1)
           ON CONFLICT (key) DO UPDATE SET copies = copies + 1, first_id = min(first_id, excluded.first_id);
         INSERT INTO finding_documents (finding_id, document_id, kind, severity)
           SELECT new.id, new.document_id, new.kind, coalesce(new.severity, '')
           WHERE new.document_id IS NOT NULL
           ON CONFLICT DO NOTHING;
       END""",
    """CREATE TRIGGER findings_unsummarised AFTER DELETE ON findings BEGIN
         UPDATE finding_keys SET copies = copies - 1,
           first_id = coalesce((SELECT min(id) FROM findings WHERE key = old.key), first_id)
           WHERE key = old.key;
         DELETE FROM finding_keys WHERE key = old.key AND copies <= 0;
       END""",
    """CREATE TRIGGER finding_facts_documented AFTER INSERT ON finding_facts BEGIN
         INSERT INTO finding_documents (finding_id, document_id, kind, severity)
           SELECT f.id, facts.document_id, f.kind, coalesce(f.severity, '')
           FROM findings f, facts
           WHERE f.id = new.finding_id AND f.document_id IS NULL AND facts.id = new.fact_id
           ON CONFLICT DO NOTHING;
       END""",
    """CREATE TRIGGER finding_documents_counted AFTER INSERT ON finding_documents BEGIN
         INSERT INTO document_finding_counts (document_id, kind, severity, findings)
           VALUES (new.document_id, new.kind, new.severity, 1)
           ON CONFLICT (document_id, kind, severity) DO UPDATE SET findings = findings + 1;
       END""",
    """CREATE TRIGGER finding_documents_uncounted AFTER DELETE ON finding_documents BEGIN
         UPDATE document_finding_counts SET findings = findings - 1
           WHERE document_id = old.document_id AND kind = old.kind AND severity = old.severity;
         DELETE FROM document_finding_counts
           WHERE document_id = old.document_id AND kind = old.kind AND severity = old.severity
           AND findings <= 0;
       END""",
]

_POSTGRESQL_FUNCTIONS = {
    ("findings_summarised", "INSERT", "findings"): """
         INSERT INTO finding_keys (key, kind, severity, first_id, copies)
           VALUES (NEW.key, NEW.kind, coalesce(NEW.severity, ''), NEW.id, 1)
           ON CONFLICT (key) DO UPDATE SET copies = finding_keys.copies + 1,
             first_id = least(finding_keys.first_id, EXCLUDED.first_id);
         IF NEW.document_id IS NOT NULL THEN
           INSERT INTO finding_documents (finding_id, document_id, kind, severity)
             VALUES (NEW.id, NEW.document_id, NEW.kind, coalesce(NEW.severity, ''))
             ON CONFLICT DO NOTHING;
         END IF;""",
    ("findings_unsummarised", "DELETE", "findings"): """
         UPDATE finding_keys SET copies = copies - 1,
           first_id = coalesce((SELECT min(id) FROM findings WHERE key = OLD.key), first_id)
           WHERE key = OLD.key;
         DELETE FROM finding_keys WHERE key = OLD.key AND copies <= 0;""",
    ("finding_facts_documented", "INSERT", "finding_facts"): """
         INSERT INTO finding_documents (finding_id, document_id, kind, severity)
           SELECT f.id, facts.document_id, f.kind, coalesce(f.severity, '')
           FROM findings f, facts
           WHERE f.id = NEW.finding_id AND f.document_id IS NULL AND facts.id = NEW.fact_id
           ON CONFLICT DO NOTHING;""",
    ("finding_documents_counted", "INSERT", "finding_documents"): """
         INSERT INTO document_finding_counts (document_id, kind, severity, findings)
           VALUES (NEW.document_id, NEW.kind, NEW.severity, 1)
           ON CONFLICT (document_id, kind, severity)
           DO UPDATE SET findings = document_finding_counts.findings + 1;""",
    ("finding_documents_uncounted", "DELETE", "finding_documents"): """
         UPDATE document_finding_counts SET findings = findings - 1
           WHERE document_id = OLD.document_id AND kind = OLD.kind AND severity = OLD.severity;
         DELETE FROM document_finding_counts
           WHERE document_id = OLD.document_id AND kind = OLD.kind AND severity = OLD.severity
           AND findings <= 0;""",
}


def upgrade() -> None:
    op.create_table(
        "finding_keys",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("first_id", sa.BigInteger(), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_finding_keys"),
    )
    op.create_index("ix_finding_keys_severity_first_id", "finding_keys", ["severity", "first_id"])
    op.create_index("ix_finding_keys_kind_severity_first_id_copies", "finding_keys",
                    ["kind", "severity", "first_id", "copies"])
    op.create_table(
        "finding_documents",
        sa.Column("finding_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("finding_id", "document_id", name="pk_finding_documents"),
        sa.ForeignKeyConstraint(["finding_id"], ["findings.id"], ondelete="CASCADE",
                                name="fk_finding_documents_finding_id_findings"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE",
                                name="fk_finding_documents_document_id_documents"),
    )
    op.create_index("ix_finding_documents_document_id", "finding_documents", ["document_id"])
    op.create_table(
        "document_finding_counts",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("document_id", "kind", "severity", name="pk_document_finding_counts"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE",
                                name="fk_document_finding_counts_document_id_documents"),
    )
    op.create_index("ix_document_finding_counts_kind_document_id", "document_finding_counts",
                    ["kind", "document_id"])
    op.create_index("ix_document_finding_counts_severity_document_id", "document_finding_counts",
                    ["severity", "document_id"])
    for statement in _BACKFILL:
        op.execute(statement)
    if op.get_bind().dialect.name == "sqlite":
        for statement in _SQLITE_TRIGGERS:
            op.execute(statement)
        return
    for (name, event, table), body in _POSTGRESQL_FUNCTIONS.items():
        op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} "
                   "RETURN NULL; END $$")
        op.execute(f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()")


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, _, table in _POSTGRESQL_FUNCTIONS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgresql else ""))
        if postgresql:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_table("document_finding_counts")
    op.drop_table("finding_documents")
    op.drop_table("finding_keys")
