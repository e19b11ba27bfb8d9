"""An index of the facts that have a meaning (what a counted figure measures, for which body
and period): the figures page counts them by body and metric, and on real documents they are
about one fact in three hundred, so reading every fact to find them took seconds at 10,000
documents. And indexes of the document columns the overview counts by (status with the
fact count, type, issuer, year), so each count reads an index rather than every document row.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


OVERVIEW_INDEXES = {"ix_documents_status_facts": ["status", "fact_count"],
                    "ix_documents_doc_type": ["doc_type"], "ix_documents_issuer": ["issuer"],
                    "ix_documents_year": ["year"]}


def upgrade() -> None:
    for name, columns in OVERVIEW_INDEXES.items():
        op.create_index(name, "documents", columns)
    op.create_index("ix_facts_meaning", "facts", ["document_id"],
                    sqlite_where=sa.text("meaning IS NOT NULL"),
                    postgresql_where=sa.text("meaning IS NOT NULL"))


def downgrade() -> None:
    op.drop_index("ix_facts_meaning", "facts")
    for name in OVERVIEW_INDEXES:
        op.drop_index(name, "documents")
