"""Archive addresses, engines and schema upgrades for SQLite and PostgreSQL.

An archive is named by a SQLAlchemy URL. ``sqlite:///path.sqlite`` (or a plain file path) is
the embedded default; ``postgresql://user@host/db`` uses PostgreSQL through psycopg 3.

SQLite is set up for one writer at a time and many readers: WAL journal, foreign keys on,
a long busy timeout, and write transactions that start with ``BEGIN IMMEDIATE`` so that two
processes writing the same archive queue up instead of failing. On PostgreSQL, writers of the
same document are serialised with an advisory lock (see :func:`store.lock_path`).
"""
from __future__ import annotations

import functools
import json
import os
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from ..messages import message

DEFAULT_FILE = "cchc-archive.sqlite"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Seconds a writer waits for another to finish its transaction.
BUSY_TIMEOUT = 120
# Opening an archive that another process is creating is tried this many times, waiting a
# little longer each time.
OPEN_ATTEMPTS = 5
OPEN_RETRY_SECONDS = 0.2
# Advisory lock key for schema upgrades on PostgreSQL ("cchc" in ASCII).
UPGRADE_LOCK = 0x63636863


class ArchiveError(Exception):
    """An archive that cannot be opened or used; ``message(lang)`` is one line naming it."""

    def __init__(self, code: str, **fields: object):
        self.code = code
        self.fields = fields
        super().__init__(message(code, "vi", **fields))

    def message(self, lang: str = "vi") -> str:
        return message(self.code, lang, **self.fields)


def resolve_url(url: str | None) -> URL:
    """The SQLAlchemy URL of an archive address (``None``: the default file here)."""
    raw = url or DEFAULT_FILE
    if "://" not in raw:
        return URL.create("sqlite", database=str(Path(raw).expanduser().resolve()))
    try:
        parsed = make_url(raw)
    except ArgumentError as exc:
        raise ArchiveError("bad_url", url=raw, reason=str(exc).split("\n")[0]) from None
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            return parsed.set(database=str(Path(parsed.database).expanduser().resolve()))
        return parsed
    raise ArchiveError("unsupported_backend", url=raw)


def shown(url: URL) -> str:
    """The URL as shown to people: without its password."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def create_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        # JSON written as UTF-8, not \u escapes: Vietnamese values take half the bytes.
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT},
                                  json_serializer=functools.partial(json.dumps, ensure_ascii=False))

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection, _record) -> None:
            # SQLAlchemy emits BEGIN itself (below), so transactions hold DDL and reads too.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT * 1000}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA synchronous = NORMAL")
            # WAL: readers never block the writer (a lasting setting of the file).
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            write = conn.get_execution_options().get("cchc_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    try:
        return sa.create_engine(url, pool_pre_ping=True)
    except (NoSuchModuleError, ModuleNotFoundError):
        raise ArchiveError("missing_driver", url=shown(url), package="psycopg[binary]") from None


def writer(engine: Engine) -> Engine:
    """The engine whose transactions write (``BEGIN IMMEDIATE`` on SQLite)."""
    return engine.execution_options(cchc_write=True)


def reason(exc: BaseException) -> str:
    """A database error in one short line."""
    original = getattr(exc, "orig", None) or exc
    text = " ".join(str(original).split())
    return text if len(text) <= 160 else text[:157] + "..."


def _alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest schema revision. Alembic finds it by importing every migration (with
    SQLAlchemy's dialects), a third of ``cchc search``'s start: it is kept in the cache
    (:mod:`extractor.cache`), keyed by the migration files and the Alembic installed."""
    from .. import cache

    files = sorted((MIGRATIONS / "versions").glob("*.py"))
    entry_key = cache.key(cache.installed("alembic"), *(part for path in files
                                                        for part in (path.name, path.read_bytes())))
    return cache.cached("alembic-head", entry_key, _head_from_alembic)


def _head_from_alembic() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(conn: Connection) -> str | None:
    """The archive's schema revision, read from Alembic's version table as Alembic does; a
    table holding several (branches) is left to Alembic, which refuses it."""
    rows = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(rows) <= 1:
        return rows[0] if rows else None
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (the newest by default), once, even when several
    processes open a new or old archive at the same moment."""
    from alembic import command

    config = _alembic_config()
    with writer(engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": UPGRADE_LOCK})
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    config = _alembic_config()
    with writer(engine).begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def open_engine(url: str | None, create: bool = True) -> tuple[Engine, URL]:
    """Connect to the archive at ``url`` and bring its schema up to date.

    ``create=False`` refuses to create a new SQLite file (for search and export). Raises
    :class:`ArchiveError` with a one-line reason for anything that goes wrong.
    """
    parsed = resolve_url(url)
    name = shown(parsed)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database)
        if not create and not path.exists():
            raise ArchiveError("archive_not_found", url=name)
        if create and not path.parent.is_dir():
            raise ArchiveError("no_directory", url=name, directory=str(path.parent))
    attempt = 1
    while True:
        engine = create_engine(parsed)
        try:
            _bring_up_to_date(engine, name)
            return engine, parsed
        except ArchiveError:
            engine.dispose()
            raise
        except OperationalError as exc:
            engine.dispose()
            # Two processes opening a new SQLite file at once: switching it to WAL or upgrading
            # a read lock may be refused at once ("database is locked") instead of waiting.
            if attempt < OPEN_ATTEMPTS and "locked" in str(exc).lower():
                time.sleep(OPEN_RETRY_SECONDS * attempt)
                attempt += 1
                continue
            raise _operational(exc, name) from None
        except DBAPIError as exc:
            engine.dispose()
            raise ArchiveError("not_an_archive" if _not_a_database(exc) else "database_error",
                               url=name, reason=reason(exc)) from None


def _bring_up_to_date(engine: Engine, name: str) -> None:
    with engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
        revision = current_revision(conn) if "alembic_version" in tables else None
    if revision is None and tables - {"alembic_version"}:
        raise ArchiveError("not_an_archive", url=name, reason=", ".join(sorted(tables)[:5]))
    if revision != head_revision():
        _check_known(revision, name)
        upgrade(engine)


def _check_known(revision: str | None, name: str) -> None:
    if revision is None:
        return
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        ScriptDirectory.from_config(_alembic_config()).get_revision(revision)
    except CommandError:
        raise ArchiveError("archive_too_new", url=name, revision=revision) from None


# What the databases answer when the disk is full or refuses a write: SQLite's result codes
# (a file-size limit gives EFBIG, which SQLite reports as a write I/O error) and PostgreSQL's
# SQLSTATE for disk full.
SQLITE_WRITE_FAILED = {"SQLITE_FULL", "SQLITE_IOERR_WRITE"}
PG_DISK_FULL = "53100"


def disk_refused(exc: BaseException) -> bool:
    """The database could not write to its disk (full, or over a file-size limit)."""
    original = getattr(exc, "orig", None) or exc
    return (getattr(original, "sqlite_errorname", None) in SQLITE_WRITE_FAILED
            or getattr(original, "sqlstate", None) == PG_DISK_FULL)


def _not_a_database(exc: BaseException) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return "not a database" in text or "file is encrypted" in text


def _operational(exc: OperationalError, name: str) -> ArchiveError:
    if _not_a_database(exc):
        return ArchiveError("not_an_archive", url=name, reason=reason(exc))
    return ArchiveError("cannot_connect", url=name, reason=reason(exc))


def file_size(url: URL) -> int | None:
    """Bytes on disk of a SQLite archive (with its WAL), else ``None``."""
    if url.get_backend_name() != "sqlite" or not url.database:
        return None
    total = 0
    for suffix in ("", "-wal"):
        try:
            total += os.path.getsize(url.database + suffix)
        except OSError:
            pass
    return total
