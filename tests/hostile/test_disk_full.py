"""A disk that fills up under an ingest: the batch stops with one line naming the archive and the
document it was storing, the archive stays whole (SQLite's integrity check, every stored
document with all its facts and its search entry, none half-written), and the next ingest with
space resumes to exactly what a clean ingest stores.

The archive is put on a small tmpfs where the machine lets the test mount one (root with
CAP_SYS_ADMIN); everywhere, the same ingest also runs under a file-size limit (RLIMIT_FSIZE,
which makes the write past it fail with EFBIG, as a full disk fails it with ENOSPC).
"""
from __future__ import annotations

import json
import resource
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest

from archive_fixtures import check_consistent, make_documents, run_cli, snapshot
from extractor.archive import Archive

# Seconds a whole ingest of the test documents may take.
INGEST_SECONDS = 300
DOCUMENTS = 16
# Each document repeated this many times: about 15 KB of text each, so that the space below
# holds the schema and a few documents, not all.
REPEAT = 4
# Bytes the archive may grow to before the disk refuses (the WAL holds every page written).
SPACE = 2 * 1024 * 1024
# Space given back for the resumed ingest.
ROOMY = "64m"


def _mount(folder: Path, size: str, remount: bool = False) -> bool:
    options = f"remount,size={size}" if remount else f"size={size}"
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                              capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _limit_file_size() -> None:
    # Past the limit the kernel sends SIGXFSZ, which kills by default; ignored, the write
    # fails with EFBIG instead (the disposition is kept across exec).
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (SPACE, resource.RLIM_INFINITY))


@pytest.fixture
def full_disk(request, tmp_path):
    """(the archive's URL, extra Popen arguments for the ingest that fills it, a function that
    gives the space back)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    url = f"sqlite:///{disk / 'archive.sqlite'}"
    if request.param == "file_size_limit":
        yield url, {"preexec_fn": _limit_file_size}, lambda: None
        return
    if not _mount(disk, str(SPACE)):
        pytest.skip("cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)")
    try:
        yield url, {}, lambda: _mount(disk, ROOMY, remount=True)
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True, timeout=30)


@pytest.mark.slow
@pytest.mark.parametrize("full_disk, jobs", [
    ("tmpfs", "1"),
    ("tmpfs", "2"),  # the writer stops while workers are reading: the pool is shut down too
    ("file_size_limit", "1"),
], indirect=["full_disk"])
def test_a_full_disk_stops_the_batch_in_one_line_and_the_next_ingest_resumes(full_disk, jobs, tmp_path):
    url, limit, make_room = full_disk
    folder = make_documents(tmp_path / "docs", DOCUMENTS, repeat=REPEAT)
    filling = run_cli("ingest", str(folder), "--archive", url, "--jobs", jobs, "--quiet", **limit)
    out, err = filling.communicate(timeout=INGEST_SECONDS)
    assert filling.returncode == 1, (out, err)
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert "không ghi được lên đĩa khi lưu" in err and str(folder) in err, err
    refused = err.split(" khi lưu ", 1)[1].split(" (", 1)[0]  # the document being stored

    database = url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = dict(conn.execute("SELECT path, status FROM documents").fetchall())
    assert 0 < len(stored) < DOCUMENTS, "the disk was not filled midway"
    assert set(stored.values()) == {"ok"} and refused not in stored
    check_consistent(url)

    make_room()
    resumed = run_cli("ingest", str(folder), "--archive", url, "--jobs", jobs, "--quiet")
    _, err = resumed.communicate(timeout=INGEST_SECONDS)
    assert resumed.returncode == 0, err
    check_consistent(url)
    with sqlite3.connect(database) as conn:
        (counts,) = conn.execute("SELECT counts FROM ingest_runs ORDER BY id DESC LIMIT 1").fetchone()
    # The documents stored before the disk filled are kept; exactly the others are added.
    assert json.loads(counts) == {"new": DOCUMENTS - len(stored), "unchanged": len(stored),
                                  "interrupted": False}
    clean = f"sqlite:///{tmp_path / 'clean.sqlite'}"
    with Archive.open(clean) as archive:
        archive.ingest([str(folder)], jobs=1)
    assert snapshot(url) == snapshot(clean)


def _full(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA max_page_count = 8")  # SQLite answers SQLITE_FULL past it
    conn.execute("CREATE TABLE t (x)")
    for _ in range(100):
        conn.execute("INSERT INTO t VALUES (?)", ("x" * 4096,))


@pytest.mark.parametrize("fail, refused", [
    (_full, True),
    (lambda conn: conn.execute("SELECT * FROM nowhere"), False),
    (lambda conn: conn.execute("SELEC 1"), False),
])
def test_a_disk_refusing_writes_is_told_from_other_database_errors(fail, refused):
    from sqlalchemy.exc import OperationalError

    from extractor.archive.db import disk_refused

    conn = sqlite3.connect(":memory:")
    with pytest.raises(sqlite3.Error) as caught:
        fail(conn)
    assert disk_refused(caught.value) is refused
    assert disk_refused(OperationalError("INSERT", {}, caught.value)) is refused
