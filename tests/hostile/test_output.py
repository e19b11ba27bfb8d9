"""Output: checked before the work, written whole, in the format asked; text and names printed
escaped and never as markup; exit codes that say a file failed."""
from __future__ import annotations

import json
import os

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from extractor import audit as audit_module
from extractor.cli import cli

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "corpus" / "bc_quy1_so_tai_chinh.txt"
DOC = "Báo cáo số 12/BC-STC ngày 15/3/2023: tiếp nhận 100 hồ sơ, trong đó 30 hồ sơ qua mạng.\n"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_a_missing_output_folder_is_one_line_before_any_work(tmp_path, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the audit ran before --output was checked")

    monkeypatch.setattr(audit_module, "audit_paths", never)
    result = run("audit", SAMPLE, "--format", "html", "--output", tmp_path / "missing" / "dir" / "r.html")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "không tồn tại" in result.stderr
    result = run("audit", SAMPLE, "--output", tmp_path, "--lang", "en")
    assert result.exit_code == 1 and "it is a folder" in result.stderr


@pytest.mark.parametrize("fmt, check", [
    ("table", lambda text: "Mức độ" in text and "<html" not in text and "\x1b" not in text),
    ("json", lambda text: "documents" in json.loads(text)),
    ("html", lambda text: text.lstrip().lower().startswith("<!doctype html")),
])
def test_the_report_is_written_in_the_format_asked(tmp_path, fmt, check):
    target = tmp_path / f"r.{fmt}"
    result = run("audit", SAMPLE, "--format", fmt, "--output", target)
    assert result.exit_code == 0, result.output
    assert check(target.read_text(encoding="utf-8"))
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no temporary left


def test_a_failed_report_leaves_the_previous_one_whole(tmp_path, monkeypatch):
    from extractor.web import report

    target = tmp_path / "r.html"
    target.write_text("previous", encoding="utf-8")

    def broken(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(report, "render_html", broken)
    run("audit", SAMPLE, "--format", "html", "--output", target)
    assert target.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_audit_exits_1_when_a_file_failed(tmp_path):
    empty = tmp_path / "rong.txt"
    empty.write_bytes(b"")
    result = run("audit", SAMPLE, empty)
    assert result.exit_code == 1
    assert "rong.txt: tệp rỗng" in result.stderr


@pytest.mark.parametrize("name", ["[red]do.txt", "[bold]dam[bold].txt", "[link=http:x]a.txt"])
def test_names_with_rich_markup_are_printed_as_they_are(tmp_path, name):
    path = tmp_path / name
    path.write_text(DOC, encoding="utf-8")
    result = run("extract", path, "--format", "table")
    assert result.exit_code == 0, result.output
    assert name[:20] in result.stdout


def test_terminal_escapes_in_names_and_errors_are_escaped(tmp_path):
    raw = os.path.join(os.fsencode(tmp_path), b"x\x1b[2J\x1b]0;pwned\x07.txt")
    with open(raw, "wb"):
        pass  # empty: its error names it
    result = run("extract", tmp_path)
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "x\\x1b[2J\\x1b]0;pwned\\x07.txt: tệp rỗng" in result.stderr
    assert result.stderr.count("\n") == 1


def test_ingest_of_nothing_creates_no_archive(tmp_path):
    archive = tmp_path / "kho.sqlite"
    result = run("ingest", "/nonexistent", "--archive", archive)
    assert result.exit_code == 1 and "\n" == result.stderr[-1:] and result.stderr.count("\n") == 1
    assert not archive.exists()


@pytest.fixture
def archive(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "markup.txt").write_text(
        "Báo cáo cải cách hành chính [/red] [bold]đậm[/bold] \x1b[31mđỏ\x1b[0m số 12/BC-STC.\n", encoding="utf-8")
    path = tmp_path / "kho.sqlite"
    result = run("ingest", corpus, "--archive", path, "-q")
    assert result.exit_code == 0, result.output
    return path


@pytest.mark.slow
def test_search_prints_markup_and_escapes_as_text(archive):
    result = run("search", "cai cach", "--archive", archive)
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "[/red]" in text and "[bold]đậm[/bold]" in text
    assert "\x1b" not in result.stdout and "\\x1b[31m" in text


@pytest.mark.slow
@pytest.mark.parametrize("option", ["--year", "--limit"])
def test_search_with_a_huge_number_is_a_one_line_error(archive, option):
    result = run("search", "cai cach", "--archive", archive, option, 10 ** 30)
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "OverflowError" not in result.output


@pytest.mark.slow
def test_audit_of_a_read_only_archive_is_a_one_line_error(archive, monkeypatch):
    from extractor.archive import Archive

    real_open = Archive.open.__func__

    def read_only(cls, url=None, create=True):
        opened = real_open(cls, url, create=create)

        @sa.event.listens_for(opened.engine, "connect")
        def query_only(dbapi, record):
            dbapi.execute("PRAGMA query_only = ON")

        opened.engine.dispose()
        return opened

    monkeypatch.setattr(Archive, "open", classmethod(read_only))
    result = run("audit", "--archive", archive)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "readonly" in result.stderr
