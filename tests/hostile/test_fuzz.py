"""Fuzzing the reader entry point: random bytes and mutated real files of every format. Nothing
escapes but the documented read errors (ReadError, one line naming the file), and each read
runs within the document budget (in a bounded child, as every caller reads)."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.budget import run_bounded
from extractor.read import ReadError, read_document
from extractor.read.options import ReadOptions

from .build import docx_parts, paragraph_xml, text_pdf

ROOT = Path(__file__).resolve().parents[2]
OPTIONS = ReadOptions(ocr="never", jobs=1)


def _read(path: str) -> str:
    try:
        document = read_document(path, OPTIONS)
    except ReadError as exc:
        message = exc.message("vi")
        assert "\n" not in message and message.startswith(str(path)), message
        return exc.code
    assert isinstance(document.text, str)
    return "ok"


def _check(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    outcome = run_bounded(_read, (str(path),), timeout=30, max_memory=1 << 30)
    assert outcome.kind == "ok", (outcome.kind, outcome.value, data[:80])


def _seeds() -> list[tuple[bytes, str]]:
    seeds = [((ROOT / "corpus" / "bc_quy1_so_tai_chinh.txt").read_bytes(), ".txt"),
             (text_pdf("Ke hoach so 862/KH-SGTVT ngay 29/3/2023"), ".pdf"),
             (b"<!doctype html><html><body><article><p>B\xc3\xa1o c\xc3\xa1o s\xe1\xbb\x91 12/BC-STC</p>"
              b"</article></body></html>", ".html")]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in docx_parts(paragraph_xml("Báo cáo số 12/BC-STC ngày 15/3/2023")).items():
            archive.writestr(name, data)
    seeds.append((buffer.getvalue(), ".docx"))
    from PIL import Image

    image = io.BytesIO()
    Image.new("L", (8, 8), 200).save(image, format="PNG")
    seeds.append((image.getvalue(), ".png"))
    return seeds


SEEDS = _seeds()


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(min_size=1, max_size=4096), suffix=st.sampled_from([".txt", ".pdf", ".docx", ".png", ".html"]))
def test_random_bytes_give_a_document_or_a_read_error(tmp_path, data, suffix):
    _check(tmp_path, data, suffix)


@pytest.mark.slow
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.sampled_from(range(len(SEEDS))),
       flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=12),
       cut=st.one_of(st.none(), st.floats(0.05, 1)),
       magic=st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"BM", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"]))
def test_mutated_real_files_give_a_document_or_a_read_error(tmp_path, seed, flips, cut, magic):
    data, suffix = SEEDS[seed]
    mutated = bytearray(data)
    for where, value in flips:
        mutated[int(where * len(mutated))] = value
    if cut is not None:
        mutated = mutated[: max(1, int(cut * len(mutated)))]
    _check(tmp_path, magic + bytes(mutated), suffix)


def test_the_seeds_are_read(tmp_path):
    for i, (data, suffix) in enumerate(SEEDS):
        path = tmp_path / f"seed{i}{suffix}"
        path.write_bytes(data)
        # (an image is read by OCR, which these options leave off)
        assert _read(str(path)) == ("no_text_ocr_off" if suffix == ".png" else "ok"), suffix
