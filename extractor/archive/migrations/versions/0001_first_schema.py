"""First schema: documents and their texts, facts, references and citations, ingest runs, the
search index.

Revision ID: 0001
Revises:
Create Date: 2025-11-22
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Timestamp = sa.DateTime(timezone=True)

# The words PostgreSQL's parser can produce from the folded index text: all of them go through
# unaccent (so SQL written by hand with diacritics matches too) and then lower-case.
PG_WORD_TOKENS = ("asciiword, asciihword, hword_asciipart, word, hword, hword_part, "
                  "numword, numhword, hword_numpart")


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64)),
        sa.Column("size", sa.BigInteger),
        sa.Column("format", sa.String(32)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("extractor_version", sa.String(64)),
        sa.Column("pages", JSONType),
        sa.Column("page_count", sa.Integer),
        sa.Column("ocr", sa.Boolean),
        sa.Column("ocr_pages", sa.Integer),
        sa.Column("notes", JSONType),
        sa.Column("warnings", JSONType),
        sa.Column("problems", JSONType),
        sa.Column("metadata", JSONType),
        sa.Column("fact_count", sa.Integer),
        sa.Column("search_key", sa.BigInteger),
        sa.Column("first_seen_at", Timestamp),
        sa.Column("ingested_at", Timestamp),
        sa.Column("status_at", Timestamp),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("path", name="uq_documents_path"),
    )
    op.create_index("ix_documents_search_key", "documents", ["search_key"])
    op.create_index("ix_documents_sha256", "documents", ["sha256"])
    op.create_index("ix_documents_status", "documents", ["status"])

    op.create_table(
        "document_texts",
        sa.Column("document_id", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("document_id", name="pk_document_texts"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE",
                                name="fk_document_texts_document_id_documents"),
    )

    op.create_table(
        "facts",
        sa.Column("id", BigId, nullable=False),
        sa.Column("document_id", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("pattern", sa.String(128)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start_offset", sa.Integer, nullable=False),
        sa.Column("end_offset", sa.Integer, nullable=False),
        sa.Column("page", sa.Integer),
        sa.Column("value", JSONType),
        sa.PrimaryKeyConstraint("id", name="pk_facts"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE",
                                name="fk_facts_document_id_documents"),
    )
    op.create_index("ix_facts_document_id", "facts", ["document_id"])
    op.create_index("ix_facts_kind", "facts", ["kind"])

    op.create_table(
        "refs",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("canonical", sa.String(256), nullable=False),
        sa.Column("key", sa.String(256), nullable=False),
        sa.Column("doc_type", sa.String(64)),
        sa.Column("family", sa.String(32)),
        sa.Column("code", sa.String(256)),
        sa.Column("year", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_refs"),
        sa.UniqueConstraint("canonical", name="uq_refs_canonical"),
    )
    op.create_index("ix_refs_key", "refs", ["key"])

    op.create_table(
        "citations",
        sa.Column("id", BigId, nullable=False),
        sa.Column("ref_id", sa.Integer, nullable=False),
        sa.Column("document_id", sa.Integer, nullable=False),
        sa.Column("fact_id", BigId, nullable=False),
        sa.Column("own", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_citations"),
        sa.ForeignKeyConstraint(["ref_id"], ["refs.id"], name="fk_citations_ref_id_refs"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE",
                                name="fk_citations_document_id_documents"),
        sa.ForeignKeyConstraint(["fact_id"], ["facts.id"], ondelete="CASCADE",
                                name="fk_citations_fact_id_facts"),
    )
    op.create_index("ix_citations_ref_id", "citations", ["ref_id"])
    op.create_index("ix_citations_document_id", "citations", ["document_id"])
    op.create_index("ix_citations_fact_id", "citations", ["fact_id"])

    op.create_table(
        "ingest_runs",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("started_at", Timestamp, nullable=False),
        sa.Column("finished_at", Timestamp),
        sa.Column("extractor_version", sa.String(64)),
        sa.Column("jobs", sa.Integer),
        sa.Column("paths", JSONType),
        sa.Column("counts", JSONType),
        sa.PrimaryKeyConstraint("id", name="pk_ingest_runs"),
    )

    if op.get_bind().dialect.name == "sqlite":
        # rowid = documents.search_key. The indexed text is already folded (see fold.py);
        # remove_diacritics also folds tone marks of queries typed by hand (e.g. in Datasette).
        op.execute("CREATE VIRTUAL TABLE document_fts USING fts5("
                   "title, body, tokenize = 'unicode61 remove_diacritics 2')")
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        op.execute(f"""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'cchc') THEN
                CREATE TEXT SEARCH CONFIGURATION cchc (COPY = simple);
                ALTER TEXT SEARCH CONFIGURATION cchc ALTER MAPPING FOR {PG_WORD_TOKENS}
                  WITH unaccent, simple;
              END IF;
            END $$""")
        op.create_table(
            "document_search",
            sa.Column("search_key", sa.BigInteger, nullable=False),
            sa.Column("document_id", sa.Integer, nullable=False),
            sa.Column("tsv", postgresql.TSVECTOR, nullable=False),
            sa.PrimaryKeyConstraint("search_key", name="pk_document_search"),
            sa.UniqueConstraint("document_id", name="uq_document_search_document_id"),
            sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE",
                                    name="fk_document_search_document_id_documents"),
        )
        op.create_index("ix_document_search_tsv", "document_search", ["tsv"],
                        postgresql_using="gin")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE document_fts")
    else:
        op.drop_table("document_search")
    for table in ("ingest_runs", "citations", "refs", "facts", "document_texts", "documents"):
        op.drop_table(table)
