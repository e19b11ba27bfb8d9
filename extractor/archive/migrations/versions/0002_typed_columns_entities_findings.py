"""Typed columns for document metadata and facts; bodies, people and mentions; findings and
judgements.

The new typed columns are filled from the JSON already in the archive (``documents.metadata``
and ``facts.value``), so an archive of the first version keeps everything and gains the
filters and typed queries at once.

Revision ID: 0002
Revises: 0001
Create Date: 2025-11-22
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
NumericType = sa.Numeric().with_variant(sa.Float(), "sqlite")
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Timestamp = sa.DateTime(timezone=True)

# The filter columns are indexed together with search_key (ix_documents_search), not alone.
DOCUMENT_COLUMNS = [
    ("doc_type", sa.String(64), False), ("number", sa.String(256), False),
    ("code", sa.String(256), False), ("issuer", sa.Text, False), ("province", sa.Text, False),
    ("doc_date", sa.Date, False), ("year", sa.Integer, False), ("title", sa.Text, False),
    ("issuer_key", sa.Text, False), ("province_key", sa.Text, False), ("code_key", sa.Text, False),
]
FACT_COLUMNS = [
    ("section", sa.Text, False), ("ref_canonical", sa.String(256), True),
    ("iso_date", sa.Date, True), ("iso_date_end", sa.Date, False),
    ("numeric_value", NumericType, False), ("denominator", NumericType, False),
    ("unit", sa.String(128), False),
]
SEARCH_INDEX = ["search_key", "doc_date", "year", "doc_type", "issuer_key", "province_key", "code_key"]
BATCH = 2000


def upgrade() -> None:
    for table, columns in (("documents", DOCUMENT_COLUMNS), ("facts", FACT_COLUMNS)):
        for name, type_, indexed in columns:
            op.add_column(table, sa.Column(name, type_))
            if indexed:
                op.create_index(f"ix_{table}_{name}", table, [name])
    # Search joins the index to documents by search_key and filters them: with the filter
    # columns in the same index, no document row (and its long text) is read.
    op.drop_index("ix_documents_search_key", table_name="documents")
    op.create_index("ix_documents_search", "documents", SEARCH_INDEX)

    op.create_table(
        "bodies",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("created_at", Timestamp),
        sa.PrimaryKeyConstraint("id", name="pk_bodies"),
        sa.UniqueConstraint("key", name="uq_bodies_key"),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("created_at", Timestamp),
        sa.PrimaryKeyConstraint("id", name="pk_people"),
        sa.UniqueConstraint("key", name="uq_people_key"),
    )
    op.create_table(
        "mentions",
        sa.Column("id", BigId, nullable=False),
        sa.Column("document_id", sa.Integer, nullable=False),
        sa.Column("fact_id", BigId),
        sa.Column("body_id", sa.Integer),
        sa.Column("person_id", sa.Integer),
        sa.Column("role", sa.String(32)),
        sa.Column("text", sa.Text),
        sa.Column("start_offset", sa.Integer),
        sa.Column("end_offset", sa.Integer),
        sa.Column("page", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_mentions"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE",
                                name="fk_mentions_document_id_documents"),
        sa.ForeignKeyConstraint(["fact_id"], ["facts.id"], ondelete="CASCADE",
                                name="fk_mentions_fact_id_facts"),
        sa.ForeignKeyConstraint(["body_id"], ["bodies.id"], name="fk_mentions_body_id_bodies"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name="fk_mentions_person_id_people"),
    )
    for column in ("document_id", "fact_id", "body_id", "person_id"):
        op.create_index(f"ix_mentions_{column}", "mentions", [column])

    op.create_table(
        "findings",
        sa.Column("id", BigId, nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("document_id", sa.Integer),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16)),
        sa.Column("rule", sa.String(128)),
        sa.Column("message", sa.Text),
        sa.Column("stated", JSONType),
        sa.Column("expected", JSONType),
        sa.Column("tolerance", JSONType),
        sa.Column("detail", JSONType),
        sa.Column("created_at", Timestamp),
        sa.PrimaryKeyConstraint("id", name="pk_findings"),
        sa.UniqueConstraint("key", name="uq_findings_key"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE",
                                name="fk_findings_document_id_documents"),
    )
    op.create_index("ix_findings_document_id", "findings", ["document_id"])
    op.create_index("ix_findings_kind", "findings", ["kind"])
    op.create_table(
        "finding_facts",
        sa.Column("finding_id", BigId, nullable=False),
        sa.Column("fact_id", BigId, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("finding_id", "fact_id", name="pk_finding_facts"),
        sa.ForeignKeyConstraint(["finding_id"], ["findings.id"], ondelete="CASCADE",
                                name="fk_finding_facts_finding_id_findings"),
        sa.ForeignKeyConstraint(["fact_id"], ["facts.id"], ondelete="CASCADE",
                                name="fk_finding_facts_fact_id_facts"),
    )
    op.create_index("ix_finding_facts_fact_id", "finding_facts", ["fact_id"])
    op.create_table(
        "judgements",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("subject", sa.String(16), nullable=False),
        sa.Column("finding_key", sa.String(64)),
        sa.Column("entity_type", sa.String(16)),
        sa.Column("entity_key", sa.Text),
        sa.Column("target_key", sa.Text),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("who", sa.String(128)),
        sa.Column("decided_at", Timestamp, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_judgements"),
    )
    op.create_index("ix_judgements_finding_key", "judgements", ["finding_key"])

    _backfill()


def _backfill() -> None:
    """Fill the typed columns from the JSON the first version stored."""
    from extractor.archive.store import fact_columns, metadata_columns

    bind = op.get_bind()
    documents = sa.table("documents", sa.column("id", sa.Integer), sa.column("metadata", JSONType),
                         *(sa.column(name, type_) for name, type_, _ in DOCUMENT_COLUMNS))
    rows = bind.execute(sa.select(documents.c.id, documents.c.metadata)).all()
    updates = [{"_id": id_, **metadata_columns(meta)} for id_, meta in rows]
    _update(bind, documents, updates, [name for name, _, _ in DOCUMENT_COLUMNS])

    facts = sa.table("facts", sa.column("id", BigId), sa.column("kind", sa.String),
                     sa.column("value", JSONType),
                     *(sa.column(name, type_) for name, type_, _ in FACT_COLUMNS))
    last = 0
    while True:
        rows = bind.execute(sa.select(facts.c.id, facts.c.kind, facts.c.value)
                            .where(facts.c.id > last).order_by(facts.c.id).limit(BATCH)).all()
        if not rows:
            break
        last = rows[-1][0]
        updates = [{"_id": id_, **fact_columns(kind, value)} for id_, kind, value in rows]
        _update(bind, facts, updates, [name for name, _, _ in FACT_COLUMNS if name != "section"])


def _update(bind, table, rows: list[dict], columns: list[str]) -> None:
    if not rows:
        return
    statement = (table.update().where(table.c.id == sa.bindparam("_id"))
                 .values({c: sa.bindparam(c) for c in columns}))
    for i in range(0, len(rows), BATCH):
        bind.execute(statement, [{k: r[k] for k in ["_id", *columns]} for r in rows[i:i + BATCH]])


def downgrade() -> None:
    op.drop_table("judgements")
    op.drop_table("finding_facts")
    op.drop_table("findings")
    op.drop_table("mentions")
    op.drop_table("people")
    op.drop_table("bodies")
    op.drop_index("ix_documents_search", table_name="documents")
    op.create_index("ix_documents_search_key", "documents", ["search_key"])
    for table, columns in (("facts", FACT_COLUMNS), ("documents", DOCUMENT_COLUMNS)):
        for name, _, indexed in reversed(columns):
            if indexed:
                op.drop_index(f"ix_{table}_{name}", table_name=table)
            op.drop_column(table, name)
