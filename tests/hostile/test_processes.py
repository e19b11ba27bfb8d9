"""Processes: nothing outlives a killed cchc, and a killed audit leaves no partial report."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from archive_fixtures import archive_url, no_sessions_left, pg_server  # noqa: F401 - fixtures

from .build import pdf

ROOT = Path(__file__).resolve().parents[2]
# A PDF pdfminer reads forever (see test_bounds): a document still being read when cchc is killed.
ENDLESS = pdf([
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
    b"<< /Length 5 0 R >>\nstream\nBT ET\nendstream",
    b"6 0 R",
    b"5 0 R",
])


def _marked(mark: str) -> list[int]:
    """Live processes whose environment carries ``mark``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if mark.encode() not in (entry / "environ").read_bytes():
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def _start(tmp_path: Path, *args: str) -> tuple[subprocess.Popen, str]:
    mark = f"CCHC_TEST_MARK={uuid.uuid4().hex}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), mark.split("=")[0]: mark.split("=")[1]}
    process = subprocess.Popen([sys.executable, "-m", "extractor", *args], cwd=tmp_path, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, mark


def _wait_for_readers(mark: str, count: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while len(_marked(mark)) < count:
        assert time.monotonic() < deadline, "the readers never started"
        time.sleep(0.1)


def _assert_all_gone(mark: str, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while _marked(mark):
        if time.monotonic() > deadline:
            left = _marked(mark)
            for pid in left:  # clean up after a failure: only the processes this test started
                os.kill(pid, signal.SIGKILL)
            pytest.fail(f"{len(left)} processes outlived the killed cchc")
        time.sleep(0.1)


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_killed_ingest_leaves_no_process(archive_url, tmp_path, jobs):
    """On either backend: no reader, worker or fork server left, and on PostgreSQL no session
    of the killed ingest (a forked reader holding a copy of its connection would keep one)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bc.txt").write_text("BÁO CÁO\nSở tiếp nhận 1.200 hồ sơ.\n", encoding="utf-8")
    for i in range(3):
        (corpus / f"vong{i}.pdf").write_bytes(ENDLESS)
    process, mark = _start(tmp_path, "ingest", str(corpus), "--archive", archive_url,
                           "--jobs", jobs, "--timeout", "120", "-q")
    # the cchc process and at least one reader (with --jobs 2: the fork server and workers too)
    _wait_for_readers(mark, 2 if jobs == "1" else 4)
    time.sleep(0.5)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    _assert_all_gone(mark)
    no_sessions_left(archive_url)


@pytest.mark.slow
def test_a_killed_audit_leaves_no_process_and_no_report(tmp_path):
    (tmp_path / "vong.pdf").write_bytes(ENDLESS)
    report = tmp_path / "r.html"
    process, mark = _start(tmp_path, "audit", str(tmp_path / "vong.pdf"), "--format", "html",
                           "--output", str(report), "--timeout", "120")
    _wait_for_readers(mark, 2)
    time.sleep(0.5)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    _assert_all_gone(mark)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vong.pdf"]
