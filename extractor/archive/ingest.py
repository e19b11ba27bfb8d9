"""Ingest files into the archive: parallel extraction, one writer, nothing lost.

- Files are hashed first: an unchanged file (same content hash, same extractor version,
  archived without error) is skipped.
- Extraction runs in worker processes (``jobs`` ≥ 2), in this process (``jobs`` = 1), or on
  the workers of a Dask cluster (``cluster``, see :mod:`.cluster`). Each document is written
  in its own transaction — by this process, or on PostgreSQL with a cluster by the worker that
  read it — so a run killed at any moment leaves a consistent archive and the next run finishes
  the job.
- A file that cannot be read, or whose extraction fails, is recorded with its error and the
  batch goes on; a worker that dies (a crashing reader library) is replaced, and the files it
  may have died on are retried one by one so the culprit is the only one recorded as failed.
- A previously archived file under the folders ingested that no longer exists is marked
  ``missing``; nothing is ever deleted.
"""
from __future__ import annotations

import datetime as dt
import functools
import multiprocessing
import os
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from ..budget import die_with
from ..messages import message
from ..read.options import ReadOptions, current_options
from ..read.paths import real_path, shown_path
from . import worker
from .db import ArchiveError, disk_refused, reason, writer
from .models import Document, IngestRun
from .store import Outcome, Payload, write_document

if TYPE_CHECKING:
    from .cluster import Cluster

DOCS = Document.__table__
RUNS = IngestRun.__table__
OUTCOMES = ("new", "changed", "reextracted", "unchanged", "failed", "missing")


@dataclass
class Event:
    """Progress of an ingest: one per file handled (and one ``start`` with the total)."""

    kind: str  # "start" or "file"
    total: int
    done: int = 0
    path: str = ""
    status: str = ""
    facts: int = 0
    error: str | None = None
    errors: int = 0


@dataclass
class IngestReport:
    documents: Counter = field(default_factory=Counter)  # outcome → documents
    facts: Counter = field(default_factory=Counter)  # outcome → facts stored
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, one-line error)
    seconds: float = 0.0
    total: int = 0
    interrupted: bool = False

    @property
    def failed(self) -> int:
        return self.documents["failed"]


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _default_walk(paths: Iterable[str], options: ReadOptions | None = None,
                  on_skip: Callable | None = None) -> Iterator[str]:
    from ..read import iter_inputs  # the same folder walking as ``cchc extract``

    return iter_inputs(paths, follow_links=(options or current_options()).follow_links, on_skip=on_skip)


class _Writer:
    """The single writer: one transaction per document."""

    def __init__(self, engine: Engine, name: str, version: str, force: bool, lang: str):
        self.engine = writer(engine)
        self.name = name
        self.version = version
        self.force = force
        self.lang = lang

    def write(self, payload: Payload) -> Outcome:
        try:
            with self.engine.begin() as conn:
                return write_document(conn, payload, self.version, now(), self.force)
        except OperationalError as exc:
            # The archive itself is unavailable (disk full, locked too long, connection lost):
            # stop; the transaction is rolled back, so what was stored before stays whole.
            if disk_refused(exc):
                raise ArchiveError("archive_disk", url=self.name, path=payload.path,
                                   reason=reason(exc)) from None
            raise ArchiveError("database_error", url=self.name, reason=reason(exc)) from None
        except SQLAlchemyError as exc:
            # This document cannot be stored as extracted: record why, keep going.
            why = reason(exc)
            failed = Payload(path=payload.path, ok=False, sha256=payload.sha256, size=payload.size,
                             format=payload.format,
                             error=message("cannot_store", "vi", path=payload.path, reason=why),
                             error_shown=message("cannot_store", self.lang, path=payload.path,
                                                 reason=why))
            with self.engine.begin() as conn:
                return write_document(conn, failed, self.version, now(), self.force)

    def analyze(self) -> None:
        """Refresh SQLite's table statistics, so its planner picks the right indexes
        (PostgreSQL's autovacuum does this by itself)."""
        if self.engine.dialect.name != "sqlite":
            return
        with self.engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA analysis_limit = 400")
            conn.exec_driver_sql("ANALYZE")

    def mark_missing(self, paths: list[str]) -> list[str]:
        """Mark archived documents whose files are gone; return those newly marked."""
        marked = []
        when = now()
        with self.engine.begin() as conn:
            for path in paths:
                result = conn.execute(DOCS.update().where(DOCS.c.path == path)
                                      .where(DOCS.c.status != "missing")
                                      .values(status="missing", status_at=when))
                if result.rowcount:
                    marked.append(path)
        return marked


def _executor(jobs: int) -> ProcessPoolExecutor:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        # Workers fork from a server that imported and compiled the patterns once.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["extractor.archive.worker"])
    else:
        context = multiprocessing.get_context("spawn")
    # Workers end with this process (their parent is the fork server, which waits for them
    # before it exits): a killed ingest leaves no worker, reader or fork server behind.
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=die_with,
                               initargs=(os.getpid(),))


def ingest(engine: Engine, name: str, paths: Iterable[str], *, jobs: int = 1, force: bool = False,
           options: ReadOptions | None = None, lang: str = "vi",
           on_event: Callable[[Event], None] | None = None,
           walk: Callable[[Iterable[str]], Iterable[str]] | None = None,
           extract: Callable[..., Payload] = worker.extract_file,
           cluster: Cluster | None = None) -> IngestReport:
    """Ingest the files named and the document files under the folders named.

    ``walk`` expands the paths into files (default: the folder walking of ``cchc extract``);
    ``extract`` turns one file into a :class:`Payload` (default: :func:`worker.extract_file`;
    with ``jobs`` ≥ 2 or a ``cluster`` it must be a module-level function, run in worker
    processes). With a ``cluster`` (:class:`.cluster.Cluster`) the cluster's workers extract and
    ``jobs`` is not used.
    """
    started = time.perf_counter()
    paths = list(paths)
    options = options or current_options()
    if jobs > 1 or cluster is not None:
        options = options.replace(jobs=1)  # one core per worker process
    version = worker.extractor_version()
    emit = on_event or (lambda event: None)

    def skipped(warning) -> None:
        emit(Event("skipped", total=0, path=warning.path, error=warning.message(lang)))

    walked = walk(paths) if walk else _default_walk(paths, options, skipped)
    # Files by the name the archive stores (any bytes, in the lossless shown form), each with
    # the name the system opens.
    real = {shown_path(os.path.abspath(p)): os.path.abspath(p) for p in walked}
    files = list(real)
    report = IngestReport(total=len(files))
    store = _Writer(engine, name, version, force, lang)

    with writer(engine).begin() as conn:
        run_id = conn.execute(RUNS.insert().values(
            started_at=now(), extractor_version=version, jobs=jobs,
            paths=[shown_path(os.path.abspath(p)) for p in paths]).returning(RUNS.c.id)).scalar_one()
    with engine.connect() as conn:
        known = {row.path: row for row in conn.execute(
            sa.select(DOCS.c.path, DOCS.c.sha256, DOCS.c.extractor_version, DOCS.c.status))}

    emit(Event("start", total=len(files)))
    done = 0

    run_started = now()
    extracting: dict[str, str] = {}  # stored path → the outcome its extraction is expected to have

    def record(outcome: Outcome) -> None:
        nonlocal done
        expected = extracting.pop(outcome.path, None)
        if (cluster is not None and expected and outcome.status == "unchanged"
                and outcome.stored_at is not None and _aware(outcome.stored_at) >= run_started):
            # A task the cluster retried after its worker died had already stored the document
            # in this run. (Without a cluster nothing is retried: a document stored meanwhile
            # was stored by another ingest, and is unchanged for this one.)
            outcome.status = expected
        done += 1
        report.documents[outcome.status] += 1
        report.facts[outcome.status] += outcome.facts
        if outcome.error:
            report.errors.append((outcome.path, outcome.error))
        emit(Event("file", total=len(files), done=done, path=outcome.path, status=outcome.status,
                   facts=outcome.facts, error=outcome.error, errors=len(report.errors)))

    gone: list[str] = []

    def tasks() -> Iterator[tuple[str, tuple[str, int] | None]]:
        """Files that need extracting; the others are accounted for on the way."""
        for path in files:
            name = real[path]
            if not os.path.exists(name):
                if path in known:
                    gone.append(path)
                    continue
                failed = worker.extract_file(name, options, lang)  # gives the reader's error
                record(Outcome(path, "failed", error=failed.error_shown))
                continue
            try:
                digest = worker.file_digest(name)
            except OSError:
                digest = None  # the reader will say why it cannot be read
            row = known.get(path)
            if (not force and digest and row is not None and row.status == "ok"
                    and row.sha256 == digest[0] and row.extractor_version == version):
                record(Outcome(path, "unchanged"))
                continue
            extracting[path] = ("new" if row is None
                                else "changed" if not digest or row.sha256 != digest[0] else "reextracted")
            yield name, digest

    try:
        if cluster is not None:
            from . import cluster as dask_cluster

            target = None
            if engine.dialect.name == "postgresql":
                target = dask_cluster.Target(engine.url.render_as_string(hide_password=False), name,
                                             version, force, lang)
            dask_cluster.run(cluster, tasks(), options, lang, store.write, record, extract, target,
                             store=_extract_and_store,
                             alone=lambda task: _alone(task, options, lang, extract),
                             crashed=lambda path, digest, detail: _crash_payload(path, digest, lang, detail))
        elif jobs <= 1:
            for path, digest in tasks():
                record(store.write(extract(path, options, lang, digest)))
        else:
            _run_pool(tasks(), jobs, options, lang, store, record, extract)
        gone += _vanished(paths, files, known)
        for path in store.mark_missing(gone):
            record(Outcome(path, "missing"))
        if any(report.documents[k] for k in ("new", "changed", "reextracted")):
            store.analyze()
    except KeyboardInterrupt:
        report.interrupted = True
        raise
    finally:
        report.seconds = time.perf_counter() - started
        counts = dict(report.documents) | {"interrupted": report.interrupted}
        try:
            with writer(engine).begin() as conn:
                conn.execute(RUNS.update().where(RUNS.c.id == run_id)
                             .values(finished_at=now(), counts=counts))
        except SQLAlchemyError:
            pass  # the run log is informative; the documents are already safe
    return report


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive UTC times, PostgreSQL aware ones."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def _vanished(roots: list[str], seen: list[str], known: dict) -> list[str]:
    """Archived files under the folders ingested (or named themselves) that no longer exist."""
    seen_set = set(seen)
    prefixes = []
    for root in roots:
        absolute = os.path.abspath(root)
        # A folder walked, or one that no longer exists at all: what was archived from under
        # it and is gone is missing.
        if os.path.isdir(absolute) or not os.path.exists(absolute):
            prefixes.append(shown_path(absolute.rstrip(os.sep) + os.sep))
    out = []
    for path, row in known.items():
        if path in seen_set or row.status == "missing":
            continue
        if any(path.startswith(p) for p in prefixes) and not os.path.exists(real_path(path)):
            out.append(path)
    return out


def _run_pool(tasks: Iterator[tuple[str, tuple[str, int] | None]], jobs: int,
              options: ReadOptions, lang: str, store: _Writer,
              record: Callable[[Outcome], None], extract: Callable[..., Payload]) -> None:
    window = jobs * 4
    executor = _executor(jobs)
    inflight: dict[Future, tuple[str, tuple[str, int] | None]] = {}
    pending = iter(tasks)
    exhausted = False
    try:
        while True:
            suspects = []
            while not exhausted and len(inflight) < window:
                task = next(pending, None)
                if task is None:
                    exhausted = True
                    break
                try:
                    inflight[executor.submit(extract, task[0], options, lang, task[1])] = task
                except BrokenProcessPool:
                    suspects.append(task)
                    break
            if not inflight and not suspects:
                break
            finished, _ = wait(list(inflight), return_when=FIRST_COMPLETED) if inflight else ([], [])
            for future in finished:
                task = inflight.pop(future)
                try:
                    payload = future.result()
                except BrokenProcessPool:
                    suspects.append(task)
                    continue
                except Exception as exc:  # noqa: BLE001 - e.g. a payload that cannot be pickled
                    payload = _crash_payload(task[0], task[1], lang,
                                             f"{type(exc).__name__}: {exc}"[:200])
                record(store.write(payload))
            if suspects:
                # The pool is broken: every task in flight is lost with it. Retry each alone.
                suspects += list(inflight.values())
                inflight.clear()
                executor.shutdown(wait=False, cancel_futures=True)
                for task in suspects:
                    record(store.write(_alone(task, options, lang, extract)))
                executor = _executor(jobs)
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


def _alone(task: tuple[str, tuple[str, int] | None], options: ReadOptions, lang: str,
           extract: Callable[..., Payload]) -> Payload:
    """Extract one file in a fresh process of its own; a crash then names this file."""
    path, digest = task
    executor = _executor(1)
    try:
        return executor.submit(extract, path, options, lang, digest).result()
    except BrokenProcessPool:
        return _crash_payload(path, digest, lang, None)
    except Exception as exc:  # noqa: BLE001
        return _crash_payload(path, digest, lang, f"{type(exc).__name__}: {exc}"[:200])
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


@functools.lru_cache(maxsize=4)
def _writer_for(target) -> _Writer:
    """The writer of a Dask worker process, one per archive (its engine and connection pool)."""
    from .db import create_engine, resolve_url

    return _Writer(create_engine(resolve_url(target.url)), target.name, target.version,
                   target.force, target.lang)


def _extract_and_store(path: str, options: ReadOptions, lang: str, digest: tuple[str, int] | None,
                       target, extract: Callable[..., Payload]) -> Outcome:
    """On a Dask worker: read one file and write it into the archive in its own transaction."""
    return _writer_for(target).write(extract(path, options, lang, digest))


def _crash_payload(path: str, digest, lang: str, detail: str | None) -> Payload:
    path = shown_path(path)
    if detail is None:
        error, shown = message("worker_crashed", "vi", path=path), message("worker_crashed", lang, path=path)
    else:
        error = message("internal_error", "vi", path=path, reason=detail)
        shown = message("internal_error", lang, path=path, reason=detail)
    sha, size = digest or (None, None)
    return Payload(path=path, ok=False, sha256=sha, size=size, error=error, error_shown=shown)


__all__ = ["ingest", "Event", "IngestReport", "OUTCOMES"]
