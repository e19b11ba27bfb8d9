"""Nothing lost: an ingest killed with SIGKILL midway, and two ingests at once, on both backends."""
from __future__ import annotations

import os
import signal
import time

import pytest
import sqlalchemy as sa

from archive_fixtures import (  # noqa: F401 - fixtures
    archive_url, check_consistent, make_documents, pg_server, run_cli, snapshot)
from extractor.archive import Archive
from extractor.archive.db import create_engine, resolve_url

# Ingests killed with SIGKILL and run side by side, on both backends: seconds each.
pytestmark = pytest.mark.slow


def _clean_archive(request, tmp_path, url: str) -> str:
    """Another empty archive on the same backend as ``url``."""
    if url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'clean.sqlite'}"
    return request.getfixturevalue("pg_server").new_database()


def _stored(engine) -> int:
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM documents")).scalar_one()
    except sa.exc.DBAPIError:
        return 0  # the schema is not there yet


def test_kill_9_midway_leaves_a_consistent_archive_and_a_rerun_finishes(archive_url, tmp_path, request):
    count = 80
    folder = make_documents(tmp_path / "docs", count, repeat=4)
    proc = run_cli("ingest", str(folder), "--archive", archive_url, "--jobs", "1", "--quiet")
    engine = create_engine(resolve_url(archive_url))
    stored = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        stored = _stored(engine)
        if stored >= 5:
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.02)
    proc.wait()
    engine.dispose()
    assert proc.returncode == -signal.SIGKILL, f"the ingest was not killed midway: {proc.stderr.read()}"
    assert 5 <= stored < count

    check_consistent(archive_url)
    rerun = run_cli("ingest", str(folder), "--archive", archive_url, "--jobs", "1", "--quiet")
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    check_consistent(archive_url)

    clean = _clean_archive(request, tmp_path, archive_url)
    with Archive.open(clean) as archive:
        assert archive.ingest([str(folder)]).documents == {"new": count}
    assert snapshot(archive_url) == snapshot(clean)


def test_two_ingests_at_once_neither_corrupt_nor_duplicate(archive_url, tmp_path, request):
    count = 30
    folder = make_documents(tmp_path / "docs", count)
    runs = [run_cli("ingest", str(folder), "--archive", archive_url, "--jobs", "1", "--quiet")
            for _ in range(2)]
    for proc in runs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert err == ""
    check_consistent(archive_url)
    engine = create_engine(resolve_url(archive_url))
    with engine.connect() as conn:
        counts = [c if isinstance(c, dict) else __import__("json").loads(c)
                  for c in conn.execute(sa.text("SELECT counts FROM ingest_runs")).scalars()]
    engine.dispose()
    assert len(counts) == 2
    # Each document was stored once: new for one run, unchanged for the other.
    assert sum(c.get("new", 0) for c in counts) == count
    assert sum(c.get("new", 0) + c.get("unchanged", 0) for c in counts) == 2 * count

    clean = _clean_archive(request, tmp_path, archive_url)
    with Archive.open(clean) as archive:
        archive.ingest([str(folder)])
    assert snapshot(archive_url) == snapshot(clean)


def test_an_archive_another_process_is_creating_is_opened_on_a_later_try(tmp_path, monkeypatch):
    # SQLite may refuse at once ("database is locked") instead of waiting while another
    # process switches a new file to WAL or upgrades it: the open is tried again.
    from sqlalchemy.exc import OperationalError

    from extractor.archive import db

    real, refusals = db._bring_up_to_date, []

    def refused_twice(engine, name):
        if len(refusals) < 2:
            refusals.append(name)
            raise OperationalError("PRAGMA journal_mode = WAL", {}, Exception("database is locked"))
        return real(engine, name)

    monkeypatch.setattr(db, "_bring_up_to_date", refused_twice)
    monkeypatch.setattr(db, "OPEN_RETRY_SECONDS", 0)
    engine, _ = db.open_engine(str(tmp_path / "a.sqlite"))
    engine.dispose()
    assert len(refusals) == 2
