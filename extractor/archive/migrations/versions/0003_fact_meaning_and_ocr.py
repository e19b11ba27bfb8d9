"""What each fact measures and how sure its OCR reading is: ``facts.meaning`` (metric, body,
period of a counted figure) and ``facts.ocr`` (the page's OCR quality, and the header values
read uncertainly from handwriting), as ``cchc extract`` gives them.

Archives of earlier versions get the columns empty; the next ingest fills them, as the pattern
data changed with this version (so every document is extracted again).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.add_column("facts", sa.Column("meaning", JSONType))
    op.add_column("facts", sa.Column("ocr", JSONType))


def downgrade() -> None:
    op.drop_column("facts", "ocr")
    op.drop_column("facts", "meaning")
