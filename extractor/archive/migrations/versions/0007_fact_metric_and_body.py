"""What a counted figure measures and for which body as columns of their own, read from the
fact's ``meaning``: the figures page counts facts by body and by metric and lists one metric's
values, and SQLite (before 3.41) cannot answer those from an index on a JSON expression without
reading every such fact's row; two columns and two indexes on them it can.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# What each backend spells "the text at this key of the JSON column".
_JSON_TEXT = {"sqlite": "json_extract(meaning, '$.{key}')", "postgresql": "meaning ->> '{key}'"}


def upgrade() -> None:
    op.add_column("facts", sa.Column("metric", sa.String(256)))
    op.add_column("facts", sa.Column("body", sa.String(256)))
    spelt = _JSON_TEXT[op.get_bind().dialect.name]
    op.execute(f"UPDATE facts SET metric = {spelt.format(key='metric')}, body = {spelt.format(key='body')} "
               "WHERE meaning IS NOT NULL")
    op.create_index("ix_facts_metric_body", "facts", ["metric", "body"],
                    sqlite_where=sa.text("metric IS NOT NULL"), postgresql_where=sa.text("metric IS NOT NULL"))
    op.create_index("ix_facts_body_metric", "facts", ["body", "metric"],
                    sqlite_where=sa.text("body IS NOT NULL"), postgresql_where=sa.text("body IS NOT NULL"))


def downgrade() -> None:
    op.drop_index("ix_facts_body_metric", "facts")
    op.drop_index("ix_facts_metric_body", "facts")
    op.drop_column("facts", "body")
    op.drop_column("facts", "metric")
