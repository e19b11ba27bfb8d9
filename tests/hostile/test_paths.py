"""Paths: regular files only, checked before anything is read; links out of a folder not
followed; any bytes in a name kept and shown escaped; text starting with "BM" is text."""
from __future__ import annotations

import json
import os
import sqlite3
import socket
import time

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.read import ReadError, iter_inputs, read_document, real_path, shown_path, sniff_format

DOC = "Báo cáo số 12/BC-STC ngày 15/3/2023 về cải cách hành chính.\n"


def _skips(paths, **kwargs):
    warnings = []
    found = list(iter_inputs([str(p) for p in paths], on_skip=warnings.append, **kwargs))
    return found, [(w.code, w.path) for w in warnings]


def test_a_fifo_named_is_skipped_with_a_warning_not_opened(tmp_path):
    fifo = tmp_path / "ong.txt"
    os.mkfifo(fifo)
    started = time.monotonic()
    found, skipped = _skips([fifo])
    assert found == [] and skipped == [("not_regular", str(fifo))]
    found, skipped = _skips([tmp_path])
    assert found == [] and skipped == [("not_regular", str(fifo))]
    with pytest.raises(ReadError) as caught:  # named to the reader itself: refused unopened
        read_document(fifo)
    assert caught.value.code == "not_regular_file"
    assert time.monotonic() - started < 2


def test_a_device_and_a_socket_are_skipped(tmp_path):
    sock_path = tmp_path / "s.txt"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    try:
        found, skipped = _skips(["/dev/zero", tmp_path])
    finally:
        server.close()
    assert found == []
    assert skipped == [("not_regular", "/dev/zero"), ("not_regular", str(sock_path))]


def test_the_cli_skips_a_fifo_and_goes_on(tmp_path):
    fifo = tmp_path / "ong.txt"
    os.mkfifo(fifo)
    good = tmp_path / "tot.txt"
    good.write_text(DOC, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(fifo), str(good)])
    assert result.exit_code == 0, result.output
    assert f"{fifo}: bỏ qua, không phải tệp thông thường (FIFO)" in result.stderr
    assert len(result.stdout.splitlines()) == 1


def test_a_link_out_of_the_folder_is_not_followed(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(DOC, encoding="utf-8")
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    (corpus / "inside.txt").symlink_to(corpus / "a.txt")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "b.txt").write_text(DOC, encoding="utf-8")
    (corpus / "more").symlink_to(outside)
    found, skipped = _skips([corpus])
    assert found == [str(corpus / "a.txt"), str(corpus / "inside.txt")]
    assert sorted(code for code, _ in skipped) == ["link_outside", "link_outside"]
    found, skipped = _skips([corpus], follow_links=True)
    assert str(corpus / "passwd.txt") in found and str(corpus / "more" / "b.txt") in found


def test_a_link_loop_ends(tmp_path):
    (tmp_path / "a.txt").write_text(DOC, encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path)
    found, _ = _skips([tmp_path], follow_links=True)
    assert found == [str(tmp_path / "a.txt")]


def test_the_tools_own_report_is_not_a_document(tmp_path):
    (tmp_path / "a.txt").write_text(DOC, encoding="utf-8")
    (tmp_path / "audit-report.html").write_text("<html><body><p>Báo cáo</p></body></html>", encoding="utf-8")
    assert _skips([tmp_path])[0] == [str(tmp_path / "a.txt")]


@pytest.mark.parametrize("raw", [b"b\xe1o c\xe1o.txt", b"e\x1b[31mred\x1b[0m.txt", b"lit\\xff.txt",
                                 "bình thường.txt".encode(), b"nl\nname.txt", "bidi\u202etxt.exe".encode()])
def test_a_name_is_shown_escaped_and_kept_losslessly(raw):
    name = os.fsdecode(raw)
    shown = shown_path(name)
    assert shown.isprintable() and "\x1b" not in shown
    shown.encode("utf-8")  # storable anywhere
    assert os.fsencode(real_path(shown)) == raw


def test_a_non_utf8_name_is_read_and_named_escaped(tmp_path):
    path = os.path.join(os.fsencode(tmp_path), b"b\xe1o c\xe1o.txt")
    with open(path, "wb") as fh:
        fh.write(DOC.encode("utf-8"))
    result = CliRunner().invoke(cli, ["extract", str(tmp_path)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["source"]["path"] == f"{tmp_path}/b\\xe1o c\\xe1o.txt"
    assert record["facts"]


@pytest.mark.parametrize("named", ["file", "folder"])
def test_a_non_utf8_name_is_ingested_and_stored_escaped(tmp_path, named):
    folder = tmp_path / "in"
    folder.mkdir()
    path = os.path.join(os.fsencode(folder), b"b\xe1o c\xe1o.txt")
    with open(path, "wb") as fh:
        fh.write(DOC.encode("utf-8"))
    archive = tmp_path / "a.sqlite"
    given = os.fsdecode(path) if named == "file" else str(folder)
    result = CliRunner().invoke(cli, ["ingest", given, "--archive", str(archive)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(archive) as conn:
        assert conn.execute("SELECT path FROM documents").fetchall() == [(f"{folder}/b\\xe1o c\\xe1o.txt",)]


def test_an_unreadable_file_is_recorded_as_failed(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = tmp_path / "kin.txt"
    path.write_text(DOC, encoding="utf-8")
    path.chmod(0)
    result = CliRunner().invoke(cli, ["extract", str(path)])
    assert result.exit_code == 1
    assert "kin.txt: không đọc được tệp" in result.stderr


@pytest.mark.parametrize("head", [b"BM01: Bieu mau bao cao", "BM-02. Biểu mẫu số liệu CCHC\n".encode(),
                                  b"BM" + b"\x00" * 30])
def test_text_starting_with_bm_is_not_a_bmp(head):
    assert sniff_format(head + b" " * 100) == "text"


def test_a_real_bmp_header_is_a_bmp():
    from PIL import Image
    import io

    buffer = io.BytesIO()
    Image.new("L", (4, 4), 255).save(buffer, format="BMP")
    assert sniff_format(buffer.getvalue()) == "BMP"


def test_a_text_starting_with_bm_is_read(tmp_path):
    path = tmp_path / "bieu-mau.txt"
    path.write_text("BM01: Biểu mẫu báo cáo số 12/BC-STC ngày 15/3/2023\n", encoding="utf-8")
    assert "12/BC-STC" in read_document(path).text


@pytest.mark.slow
def test_ingest_of_a_hostile_folder_stores_everything_else(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    os.mkfifo(corpus / "ong.txt")
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    with open(os.path.join(os.fsencode(corpus), b"b\xe1o c\xe1o.txt"), "wb") as fh:
        fh.write(DOC.encode("utf-8"))
    (corpus / "z.txt").write_text(DOC.replace("12/BC", "13/BC"), encoding="utf-8")
    (corpus / "audit-report.html").write_text("<html><body><p>Báo cáo</p></body></html>", encoding="utf-8")
    archive = tmp_path / "kho.sqlite"
    runner = CliRunner()
    for jobs in ("1", "2"):
        result = runner.invoke(cli, ["ingest", str(corpus), "--archive", str(archive), "--jobs", jobs, "-q"])
        assert result.exit_code == 0, result.output
        assert "ong.txt: bỏ qua" in result.stderr and "passwd.txt: bỏ qua liên kết" in result.stderr
    found = runner.invoke(cli, ["search", "root", "--archive", str(archive), "--format", "json"])
    assert "passwd" not in found.stdout
    listed = runner.invoke(cli, ["search", "cai cach", "--archive", str(archive), "--format", "json"])
    assert listed.exit_code == 0, listed.output
    assert "b\\\\xe1o c\\\\xe1o.txt" in listed.stdout and "z.txt" in listed.stdout
    again = runner.invoke(cli, ["ingest", str(corpus), "--archive", str(archive), "--jobs", "1"])
    assert again.exit_code == 0, again.output
    import sqlite3

    with sqlite3.connect(archive) as conn:
        rows = dict(conn.execute("select path, status from documents"))
    assert rows == {f"{corpus}/b\\xe1o c\\xe1o.txt": "ok", f"{corpus}/z.txt": "ok"}
