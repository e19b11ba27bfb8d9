"""The citation graph: what each citation does (``citations.relation``, ``citations.articles``)
and whether it was written short (``citations.short``: "Kế hoạch nêu trên" resolved to the full
reference it stands for). A citation is an edge from its document to a reference; the edge
reaches an archived document when exactly one archived document has that reference as its own
number, and stays an edge to the canonical reference otherwise.

Archives of earlier versions get the columns empty; the next ingest fills them, as the pattern
data changed with this version (so every document is extracted again).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.add_column("citations", sa.Column("relation", sa.String(32)))
    op.add_column("citations", sa.Column("articles", JSONType))
    op.add_column("citations", sa.Column("short", sa.Boolean))
    op.create_index("ix_citations_relation", "citations", ["relation"])


def downgrade() -> None:
    op.drop_index("ix_citations_relation", "citations")
    op.drop_column("citations", "short")
    op.drop_column("citations", "articles")
    op.drop_column("citations", "relation")
