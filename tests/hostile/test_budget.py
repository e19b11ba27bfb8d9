"""The hard budget per document (extractor.budget): a document that loops or eats memory fails
alone, in one line naming it, and the batch goes on."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor import extract_document, pipeline
from extractor.budget import process_bounded, run_bounded
from extractor.cli import cli
from extractor.pipeline import process
from extractor.read import reading_options

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "corpus" / "bc_quy1_so_tai_chinh.txt"


def _spin(*args, **kwargs):
    while True:
        pass


def _eat(*args, **kwargs):
    hoard = []
    while True:
        hoard.append(bytearray(10_000_000))


@pytest.mark.slow
def test_a_loop_is_killed_at_its_time_limit():
    started = time.monotonic()
    outcome = run_bounded(_spin, timeout=0.5, max_memory=None)
    assert outcome.kind == "timeout"
    assert time.monotonic() - started < 3


def test_memory_past_the_limit_fails_the_call_not_the_caller():
    outcome = run_bounded(_eat, timeout=20, max_memory=300 * 1024 * 1024)
    assert outcome.kind == "memory"


def test_an_exception_comes_back_as_one_line():
    outcome = run_bounded(lambda: 1 / 0, timeout=5, max_memory=None)
    assert outcome.kind == "error" and outcome.value.startswith("ZeroDivisionError")


@pytest.mark.slow
def test_the_bounded_result_is_the_unbounded_one():
    bounded = process_bounded(str(SAMPLE)).record()
    with reading_options(timeout=None, max_memory=None):
        plain = process_bounded(str(SAMPLE)).record()
    assert bounded == plain == process(str(SAMPLE)).record()


@pytest.mark.slow
def test_a_document_over_time_fails_in_one_line_naming_it(monkeypatch):
    monkeypatch.setattr(pipeline, "read_document", _spin)
    with reading_options(timeout=0.5):
        record = extract_document(str(SAMPLE), "vi")
    assert record["errors"] == [f"{SAMPLE}: quá thời gian đọc (hơn 0.5 giây), tệp bị bỏ qua; --timeout nới giới hạn"]
    with reading_options(timeout=0.5):
        assert "reading took too long" in extract_document(str(SAMPLE), "en")["errors"][0]


def test_a_document_over_memory_fails_in_one_line_naming_it(monkeypatch):
    monkeypatch.setattr(pipeline, "read_document", _eat)
    with reading_options(max_memory=300 * 1024 * 1024):
        record = extract_document(str(SAMPLE), "vi")
    assert record["errors"] == [f"{SAMPLE}: vượt giới hạn bộ nhớ khi đọc (hơn 300 MB), tệp bị bỏ qua; "
                                "--max-memory nới giới hạn"]


@pytest.mark.slow
def test_the_batch_goes_on_past_a_document_over_budget(monkeypatch, tmp_path):
    slow = tmp_path / "cham.txt"
    slow.write_text("Báo cáo chậm", encoding="utf-8")
    real = pipeline.read_document

    def read(path, options=None):
        if str(path).endswith("cham.txt"):
            _spin()
        return real(path, options)

    monkeypatch.setattr(pipeline, "read_document", read)
    result = CliRunner().invoke(cli, ["extract", "--timeout", "1", str(slow), str(SAMPLE)])
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [bool(r["errors"]) for r in records] == [True, False]
    assert records[1]["facts"]
    assert "cham.txt: quá thời gian đọc" in result.stderr


def test_budget_options_are_shared_by_extract_audit_and_ingest():
    for command in ("extract", "audit", "ingest"):
        help_text = CliRunner().invoke(cli, [command, "--help"]).stdout
        assert "--timeout" in help_text and "--max-memory" in help_text, command


@pytest.mark.slow
def test_the_child_dies_with_its_parent(tmp_path):
    """A reader forked by a process that is then killed does not outlive it."""
    pid_file = tmp_path / "child.pid"
    script = (
        "import os, sys, time\n"
        "from extractor.budget import run_bounded\n"
        "def spin(path):\n"
        "    open(path, 'w').write(str(os.getpid()))\n"
        "    while True: time.sleep(0.05)\n"
        f"run_bounded(spin, ({str(pid_file)!r},), timeout=60, max_memory=None)\n"
    )
    import signal
    import subprocess
    import sys

    parent = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 20
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    child = int(pid_file.read_text())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return
        if state in ("Z", "X"):  # dead, waiting to be reaped
            return
        time.sleep(0.05)
    pytest.fail(f"reader {child} outlived its killed parent")
