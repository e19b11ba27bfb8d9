"""Alembic environment of the archive: migrations run on the connection the archive hands in.

:func:`extractor.archive.db.upgrade` opens the transaction (BEGIN IMMEDIATE on SQLite, an
advisory lock on PostgreSQL) so that two processes opening a new archive at once migrate it
once, and passes its connection in ``config.attributes["connection"]``.
"""
from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
