"""Nothing lost, on SQLite and PostgreSQL alike: an ingest killed with SIGKILL midway (once, and
three times running with --jobs 1 and 2, decisions taken between the kills), two and four
ingests at once, one of two concurrent ingests killed."""
from __future__ import annotations

import json
import os
import signal
import time

import pytest
import sqlalchemy as sa

from archive_fixtures import (  # noqa: F401 - fixtures
    archive_url, check_consistent, make_documents, no_sessions_left, pg_server, run_cli, snapshot)
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


# ---------------------------------------------------------------------------------------------
# The fault campaign's cases, on both backends: kill -9 again and again (with workers too),
# four ingests at once, one of two concurrent ingests killed; decisions never lost.


def _counts(url: str) -> list[dict]:
    engine = create_engine(resolve_url(url))
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT counts FROM ingest_runs ORDER BY id")).scalars().all()
    engine.dispose()
    return [c if isinstance(c, dict) else json.loads(c) if c else None for c in rows]


def _kill_when_stored(proc, url: str, at_least: int) -> int:
    """SIGKILL ``proc`` once the archive holds ``at_least`` documents; how many it held."""
    engine = create_engine(resolve_url(url))
    stored = 0
    deadline = time.monotonic() + 180
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            stored = _stored(engine)
            if stored >= at_least:
                os.kill(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.02)
        proc.wait()
    finally:
        engine.dispose()
    assert proc.returncode == -signal.SIGKILL, f"the ingest ended before it was killed: {proc.stderr.read()}"
    return stored


def _decide_every_finding(url: str) -> set[str]:
    with Archive.open(url, create=False) as archive:
        with archive.engine.connect() as conn:
            keys = set(conn.execute(sa.text("SELECT key FROM findings")).scalars())
        for key in sorted(keys):
            archive.judge(decision="dismiss", finding_key=key, note="kiểm tra", who="Lan")
    return keys


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_kill_9_again_and_again_then_the_rerun_adds_exactly_what_is_missing(archive_url, tmp_path, request, jobs):
    count = 36
    folder = make_documents(tmp_path / "docs", count, repeat=2)
    decided: set[str] = set()
    decisions = 0
    for target in (4, 12, 20):
        proc = run_cli("ingest", str(folder), "--archive", archive_url, "--jobs", jobs, "--quiet")
        stored = _kill_when_stored(proc, archive_url, target)
        assert target <= stored < count
        no_sessions_left(archive_url)
        check_consistent(archive_url)
        keys = _decide_every_finding(archive_url)
        decided |= keys
        decisions += len(keys)
    assert decided, "the documents stored before the kills have findings to decide on"
    engine = create_engine(resolve_url(archive_url))
    before = _stored(engine)
    engine.dispose()

    rerun = run_cli("ingest", str(folder), "--archive", archive_url, "--jobs", jobs, "--quiet")
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    check_consistent(archive_url)
    assert _counts(archive_url)[-1] == {"new": count - before, "unchanged": before, "interrupted": False}
    engine = create_engine(resolve_url(archive_url))
    with engine.connect() as conn:
        judged = conn.execute(sa.text("SELECT j.finding_key FROM judgements j WHERE NOT EXISTS "
                                      "(SELECT 1 FROM findings f WHERE f.key = j.finding_key)")).all()
        total = conn.execute(sa.text("SELECT count(*) FROM judgements")).scalar_one()
    engine.dispose()
    assert judged == [] and total == decisions, "every decision kept, each naming its finding"

    clean = _clean_archive(request, tmp_path, archive_url)
    with Archive.open(clean) as archive:
        archive.ingest([str(folder)])
    assert snapshot(archive_url) == snapshot(clean)


def test_four_ingests_at_once_store_each_document_once(archive_url, tmp_path, request):
    count = 24
    folder = make_documents(tmp_path / "docs", count)
    runs = [run_cli("ingest", str(folder), "--archive", archive_url, "--jobs", "1", "--quiet")
            for _ in range(4)]
    for proc in runs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0 and err == "", err
    check_consistent(archive_url)
    counts = _counts(archive_url)
    assert len(counts) == 4
    assert sum(c.get("new", 0) for c in counts) == count
    assert sum(c.get("new", 0) + c.get("unchanged", 0) for c in counts) == 4 * count

    clean = _clean_archive(request, tmp_path, archive_url)
    with Archive.open(clean) as archive:
        archive.ingest([str(folder)])
    assert snapshot(archive_url) == snapshot(clean)


def test_one_of_two_concurrent_ingests_killed_the_other_finishes_the_job(archive_url, tmp_path, request):
    count = 30
    folder = make_documents(tmp_path / "docs", count)
    survivor = run_cli("ingest", str(folder), "--archive", archive_url, "--jobs", "1", "--quiet")
    victim = run_cli("ingest", str(folder), "--archive", archive_url, "--jobs", "2", "--quiet")
    _kill_when_stored(victim, archive_url, 5)
    _, err = survivor.communicate(timeout=300)
    assert survivor.returncode == 0 and err == "", err
    no_sessions_left(archive_url)
    check_consistent(archive_url)
    finished = [c for c in _counts(archive_url) if c is not None]
    assert len(finished) == 1 and finished[0].get("new", 0) + finished[0].get("unchanged", 0) == count

    clean = _clean_archive(request, tmp_path, archive_url)
    with Archive.open(clean) as archive:
        archive.ingest([str(folder)])
    assert snapshot(archive_url) == snapshot(clean)
