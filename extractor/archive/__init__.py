"""The archive: documents and their facts in SQLite (embedded default) or PostgreSQL.

::

    from extractor.archive import Archive, Filters

    with Archive.open("cchc-archive.sqlite") as archive:        # or "postgresql://..."
        report = archive.ingest(["corpus/"], jobs=2)
        result = archive.search("ke hoach giao thong", Filters(year=2023))
        citing = archive.citing("862/KH-SGTVT")
        figures = archive.facts(Filters(issuer="STC", date_from=..., kinds=("quantity",)))
        archive.export("out/", ["facts"], "csv")

The schema is in :mod:`.models` and docs/archive.md; migrations upgrade an older archive in
place when it is opened.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Callable, Iterable

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from . import db
from .db import DEFAULT_FILE, ArchiveError
from .models import Document, Fact, Judgement, Ref
from .filters import Filters, SearchError
from .search import DocumentHit, FactHit, SearchResult

if TYPE_CHECKING:  # the export's writers and dialects load when an export is made
    from .export import ExportReport

__all__ = ["Archive", "ArchiveError", "Filters", "SearchError", "SearchResult", "DocumentHit",
           "FactHit", "DEFAULT_FILE"]


class Archive:
    """An open archive. Use :meth:`open`; close it (or use ``with``) when done."""

    def __init__(self, engine: Engine, url: URL):
        self.engine = engine
        self.url = url

    @classmethod
    def open(cls, url: str | None = None, create: bool = True) -> "Archive":
        """Open (and with ``create``, create) the archive at ``url`` and upgrade its schema.

        ``url``: a SQLAlchemy URL (``sqlite:///file.sqlite``, ``postgresql://user@host/db``) or
        a file path; ``None`` is ``cchc-archive.sqlite`` in the working directory.
        """
        engine, parsed = db.open_engine(url, create=create)
        return cls(engine, parsed)

    @property
    def name(self) -> str:
        return db.shown(self.url)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------

    def ingest(self, paths: Iterable[str], *, jobs: int = 1, force: bool = False, options=None,
               lang: str = "vi", on_event: Callable | None = None, **hooks):
        """Ingest files and folders; see :func:`.ingest.ingest`. Returns an ``IngestReport``."""
        from .ingest import ingest

        return ingest(self.engine, self.name, paths, jobs=jobs, force=force, options=options,
                      lang=lang, on_event=on_event, **hooks)

    def judge(self, *, decision: str, finding_key: str | None = None, entity_type: str | None = None,
              entity_key: str | None = None, target_key: str | None = None, note: str | None = None,
              who: str | None = None) -> int:
        """Record a person's decision: ``confirm``/``dismiss`` a finding (by its key), or
        ``merge``/``split`` entities (``entity_key`` into ``target_key``). Kept across re-runs."""
        if finding_key is not None:
            subject = "finding"
            if decision not in ("confirm", "dismiss"):
                raise ValueError(f"a finding is confirmed or dismissed, not {decision!r}")
        else:
            subject = "entity"
            if decision not in ("merge", "split") or entity_type not in ("body", "person") or not entity_key:
                raise ValueError("an entity judgement needs entity_type body/person, entity_key "
                                 "and decision merge/split")
        table = Judgement.__table__
        with db.writer(self.engine).begin() as conn:
            return conn.execute(table.insert().values(
                subject=subject, finding_key=finding_key, entity_type=entity_type,
                entity_key=entity_key, target_key=target_key, decision=decision, note=note,
                who=who, decided_at=dt.datetime.now(dt.timezone.utc)).returning(table.c.id)).scalar_one()

    # -- reading ---------------------------------------------------------------------------

    def search(self, text: str | None, filters: Filters | None = None, **options) -> SearchResult:
        """Ranked full-text search; see :func:`.search.search`."""
        from .search import search

        return search(self.engine, text, filters, **options)

    def citing(self, reference: str, limit: int = 1000) -> list[DocumentHit]:
        """Documents citing ``reference``, with where they cite it."""
        from .search import citing

        return citing(self.engine, reference, limit)

    def facts(self, filters: Filters, limit: int = 100) -> list[FactHit]:
        """Facts of ``filters.kinds`` (figures by default) in the documents matching the
        filters: e.g. the figures of a body for a period."""
        from .search import facts_for

        return facts_for(self.engine, filters, limit)

    def export(self, output: str, tables: list[str], fmt: str, **options) -> ExportReport:
        from .export import export, resolve_tables

        return export(self.engine, output, resolve_tables(tables), fmt, **options)

    def totals(self) -> dict[str, int]:
        """How much the archive holds."""
        docs = Document.__table__
        with self.engine.connect() as conn:
            by_status = dict(conn.execute(sa.select(docs.c.status, sa.func.count())
                                          .group_by(docs.c.status)).all())
            facts = conn.execute(sa.select(sa.func.count()).select_from(Fact.__table__)).scalar_one()
            refs = conn.execute(sa.select(sa.func.count()).select_from(Ref.__table__)).scalar_one()
        return {"documents": sum(by_status.values()), "ok": by_status.get("ok", 0),
                "failed": by_status.get("failed", 0), "missing": by_status.get("missing", 0),
                "facts": facts, "refs": refs}
