"""The hostile cases of issue 16 as table rows: each input built at test time, run through
``cchc extract`` within a time budget; no traceback, the batch goes on, and the outcome each
row expects (read, refused in one line, skipped with a warning)."""
from __future__ import annotations

import json
import os
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

from extractor.cli import cli

from .build import docx_parts, lying_zip, paragraph_xml, pdf, scan_pdf, text_pdf

GOOD = "Báo cáo số 12/BC-STC ngày 15/3/2023: tiếp nhận 100 hồ sơ, trong đó 30 hồ sơ qua mạng.\n"


@dataclass
class Case:
    name: str
    build: Callable[[Path], list[str]]  # writes the input under the folder, returns the paths to name
    seconds: float  # time budget of the whole run
    check: Callable[[list[dict], str], bool]  # records and stderr → as expected
    slow: bool = False
    options: tuple[str, ...] = ()


def _write(folder: Path, name: str | bytes, data: bytes) -> str:
    path = os.path.join(os.fsencode(folder), os.fsencode(name) if isinstance(name, str) else name)
    with open(path, "wb") as fh:
        fh.write(data)
    return os.fsdecode(path)


def _cyclic(folder):
    return [_write(folder, "vong.pdf", pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 5 0 R >>\nstream\nBT ET\nendstream", b"6 0 R", b"5 0 R"]))]


def _fifo(folder):
    os.mkfifo(folder / "ong.txt")
    return [str(folder / "ong.txt")]


def _non_utf8_name(folder):
    return [_write(folder, b"b\xe1o c\xe1o \xff.txt", GOOD.encode())]


def _one_line(size):
    def build(folder):
        base = "Sở Giao thông vận tải tỉnh An Hòa tiếp nhận 14.911 hồ sơ tại huyện Hòa Vang, "
        return [_write(folder, "mot-dong.txt", (base * (size // len(base) + 1))[:size].encode())]
    return build


def _trong_do(parts):
    def build(folder):
        text = "Tiếp nhận 100.000 hồ sơ, trong đó " + ", ".join(f"{i} hồ sơ loại {i}" for i in range(parts)) + ".\n"
        return [_write(folder, "trong-do.txt", text.encode())]
    return build


def _big_page(folder):
    return [_write(folder, "trang-lon.pdf", scan_pdf(14_400, 14_400))]


def _lying_docx(folder):
    path = folder / "noi-doi.docx"
    lying_zip(path, docx_parts(paragraph_xml("Báo cáo " + "x" * 100) * 20_000), 100)
    return [str(path)]


def _markup(folder):
    return [_write(folder, "markup.txt", ("Báo cáo [/red] [bold]đậm[/bold] [link=x]y[/link] số 12/BC-STC.\n").encode())]


def _escapes(folder):
    return [_write(folder, b"e\x1b[2J\x1b]0;x\x07.txt", "Báo cáo \x1b[31mđỏ\x1b[0m\x07 số 12/BC-STC.\n".encode())]


def _passwd_link(folder):
    corpus = folder / "corpus"
    corpus.mkdir()
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    (corpus / "hop-le.txt").write_text(GOOD, encoding="utf-8")
    return [str(corpus)]


def _repeated(name, unit):
    def build(folder):
        return [_write(folder, f"{name}.txt", ("Báo cáo số 12/BC-STC. " + unit * (100_000 // len(unit))).encode())]
    return build


def _huge_table(folder):
    rows = ["| STT | Nội dung | Số hồ sơ |", "|---|---|---|"]
    rows += [f"| {i} | Thủ tục {i} | {i * 7} |" for i in range(20_000)]
    return [_write(folder, "bang.md", ("Đơn vị tính: hồ sơ\n\n" + "\n".join(rows) + "\n").encode())]


def _unaccented_pdf(folder):
    words = ("UBND THANH PHO DA NANG CONG HOA XA HOI CHU NGHIA VIET NAM Doc lap Tu do Hanh phuc "
             "Ke hoach so 862/KH-UBND ngay 29 thang 3 nam 2023 ve cai cach hanh chinh")
    return [_write(folder, "khong-dau.pdf", text_pdf(words))]


def _ok(records, stderr):
    return all(not r["errors"] for r in records) and all(r["facts"] or r["document"] for r in records)


def _failed_with(code_words):
    def check(records, stderr):
        return len(records) == 1 and records[0]["errors"] and code_words in records[0]["errors"][0]
    return check


CASES = [
    Case("cyclic PDF", _cyclic, 8, _failed_with("quá thời gian đọc"), slow=True, options=("--timeout", "2")),
    Case("FIFO named", _fifo, 3, lambda r, e: r == [] and "không phải tệp thông thường (FIFO)" in e),
    Case("non-UTF-8 name", _non_utf8_name, 3, lambda r, e: _ok(r, e) and "\\xe1o c\\xe1o \\xff.txt" in r[0]["source"]["path"]),
    Case("one line of 1 MB", _one_line(1_000_000), 30, _ok, slow=True),
    Case("trong đó of 50,000 parts", _trong_do(50_000), 30, _ok, slow=True),
    Case("14,400-pt page", _big_page, 60, lambda r, e: len(r) == 1 and "vượt giới hạn bộ nhớ" not in e, slow=True),
    Case("DOCX lying about sizes", _lying_docx, 5, lambda r, e: len(r) == 1 and r[0]["errors"]
         and ("hỏng" in r[0]["errors"][0] or "zip" in r[0]["errors"][0].lower())),
    Case("Rich markup in text", _markup, 3, lambda r, e: _ok(r, e) and "[/red]" not in e),
    Case("terminal escapes in text and name", _escapes, 3,
         lambda r, e: _ok(r, e) and "\x1b" not in e and "\\x1b[2J" in r[0]["source"]["path"]),
    Case("link to /etc/passwd in a folder", _passwd_link, 3,
         lambda r, e: [Path(x["source"]["path"]).name for x in r] == ["hop-le.txt"] and "passwd.txt: bỏ qua liên kết" in e),
    Case("100,000 slashes", _repeated("slashes", "/"), 10, _ok),
    Case("100,000 dots", _repeated("dots", "."), 10, _ok),
    Case("100,000 digits", _repeated("digits", "1"), 10, _ok),
    Case("digits and dots", _repeated("digits-dots", "1."), 10, _ok),
    Case("nested parentheses", _repeated("parens", "(("), 10, _ok),
    Case("huge table", _huge_table, 60, _ok, slow=True),
    Case("unaccented text PDF", _unaccented_pdf, 5,
         lambda r, e: _ok(r, e) and not r[0]["source"]["ocr_pages"] and "862/KH-UBND" in json.dumps(r[0])),
]


def _param(case: Case):
    return pytest.param(case, id=case.name, marks=[pytest.mark.slow] if case.slow else [])


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_hostile_input(tmp_path, case):
    folder = tmp_path / "in"
    folder.mkdir()
    paths = case.build(folder)
    good = folder / "sau-cung.txt"  # the batch goes on: a good file named after the hostile one
    good.write_text(GOOD, encoding="utf-8")
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["extract", *case.options, *paths, str(good)])
    elapsed = time.monotonic() - started
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records and Path(records[-1]["source"]["path"]).name == "sau-cung.txt" and not records[-1]["errors"]
    assert case.check(records[:-1], result.stderr), (records[:-1], result.stderr)
    assert elapsed < case.seconds, f"{case.name}: {elapsed:.1f} s, budget {case.seconds} s"
    for line in result.stderr.splitlines():
        assert line.isprintable(), line


@pytest.mark.slow
def test_library_warnings_name_the_file(tmp_path):
    """pdfminer's own warning on a content stream that draws itself is one line naming the file."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    path = _write(tmp_path, "tu-ve.pdf", pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources 4 0 R >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources 4 0 R /Contents 5 0 R >>",
        b"<< /XObject << /X 6 0 R >> >>", b"<< /Length 12 >>\nstream\nq /X Do Q BT\nendstream",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources 4 0 R /Length 6 >>\nstream\n/X Do \nendstream"]))
    done = subprocess.run([sys.executable, "-m", "extractor", "extract", path], cwd=root, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(root)}, timeout=60)
    lines = done.stderr.splitlines()
    assert lines and all(line.startswith(f"{path}: ") for line in lines), lines


# The hostile inputs whose cost is in the audit's claims and report rather than in reading
# (the budget is the whole run's, as above).
AUDIT_CASES = [
    Case("trong đó of 50,000 parts", _trong_do(50_000), 120, _ok, slow=True),
    Case("one line of 1 MB", _one_line(1_000_000), 120, _ok, slow=True),
    Case("huge table", _huge_table, 120, _ok, slow=True),
    Case("100,000 digits and dots", _repeated("digits-dots", "1."), 30, _ok),
]
# A finding quotes a bounded window around each figure, so a report grows with the figures,
# not with the figures times their sentence.
REPORT_BYTES_PER_INPUT_BYTE = 40


@pytest.mark.parametrize("case", [_param(c) for c in AUDIT_CASES])
def test_audit_of_hostile_input(tmp_path, case):
    folder = tmp_path / "in"
    folder.mkdir()
    paths = case.build(folder)
    good = folder / "sau-cung.txt"
    good.write_text(GOOD, encoding="utf-8")
    report = tmp_path / "bao-cao.json"
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["audit", *paths, str(good), "--format", "json", "--output", str(report)])
    elapsed = time.monotonic() - started
    assert result.exit_code == 0, (result.exc_info, result.stderr)
    assert "Traceback" not in result.stderr
    documents = json.loads(report.read_text(encoding="utf-8"))["documents"]
    assert [Path(d["path"]).name for d in documents][-1] == "sau-cung.txt"
    assert all(d["error"] is None for d in documents), documents
    input_bytes = sum(os.path.getsize(p) for p in paths)
    assert report.stat().st_size < REPORT_BYTES_PER_INPUT_BYTE * input_bytes + 100_000
    assert elapsed < case.seconds, f"{case.name}: {elapsed:.1f} s, budget {case.seconds} s"
