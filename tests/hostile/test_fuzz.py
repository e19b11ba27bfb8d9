"""Fuzzing the reader entry point (read_document, which picks the reader by content): random
bytes, and mutated real-looking files built here for every reader and encoding (text, Markdown,
UTF-16, Windows-1258, TCVN3, VNI, HTML, PDF, DOCX, legacy-font DOCX, DOC; with OCR on: PNG,
JPEG, TIFF, BMP, GIF, a scanned PDF), each mutation also under another format's magic bytes.
Nothing escapes but the documented read errors (ReadError, one line naming the file), and each
read runs within the document budget (in a bounded child, as every caller reads)."""
from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.budget import run_bounded
from extractor.read import ReadError, read_document
from extractor.read.options import ReadOptions

from test_readers_encodings import REPORT, cp1258_bytes, tcvn3_bytes, to_tcvn3, to_vni

from .build import docx_parts, paragraph_xml, text_pdf

ROOT = Path(__file__).resolve().parents[2]
# The document budget each fuzzed read runs under (the defaults of cchc).
READ_SECONDS = 30
READ_MEMORY = 1 << 30
OPTIONS = ReadOptions(ocr="never", jobs=1)
OCR_OPTIONS = ReadOptions(ocr="auto", jobs=1, ocr_timeout=60)


def _read(path: str, options: ReadOptions = OPTIONS) -> str:
    try:
        document = read_document(path, options)
    except ReadError as exc:
        message = exc.message("vi")
        assert "\n" not in message and message.startswith(str(path)), message
        return exc.code
    assert isinstance(document.text, str)
    return "ok"


def _check(tmp_path: Path, data: bytes, suffix: str, options: ReadOptions = OPTIONS) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    outcome = run_bounded(_read, (str(path), options), timeout=READ_SECONDS, max_memory=READ_MEMORY)
    assert outcome.kind == "ok", (outcome.kind, outcome.value, data[:80])


# What the seed documents say (made up: tỉnh An Hòa does not exist).
SEED_TEXT = REPORT
# Words every seed that is read must give back (its encoding decoded, its markup removed).
SEED_WORDS = "hồ sơ"
FIXTURES = ROOT / "tests" / "fixtures"


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _legacy_docx() -> bytes:
    """A DOCX whose runs are in the TCVN3 font .VnTime (the text stored in its legacy bytes)."""
    import docx

    document = docx.Document()
    for line in SEED_TEXT.splitlines():
        run = document.add_paragraph().add_run(to_tcvn3(line).replace("\u00ad", "-"))
        run.font.name = ".VnTime"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# A page picture Tesseract reads: a line of text at a size a scan at 300 dpi gives.
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
PICTURE_SIZE = (900, 70)
PICTURE_FONT_SIZE = 36


def _image(fmt: str, frames: int = 1) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(DEJAVU), PICTURE_FONT_SIZE) if DEJAVU.is_file() else None
    pages = []
    for i in range(frames):
        page = Image.new("L", PICTURE_SIZE, 255)
        ImageDraw.Draw(page).text((12, 12), f"Báo cáo {i + 1}: 14.911 hồ sơ", font=font, fill=0)
        pages.append(page)
    out = io.BytesIO()
    pages[0].save(out, format=fmt, save_all=frames > 1, append_images=pages[1:])
    return out.getvalue()


def _seeds() -> dict[str, tuple[bytes, str]]:
    """One real-looking file per reader and per encoding the text reader decodes, by name:
    (its bytes, its suffix)."""
    utf8 = SEED_TEXT.encode("utf-8")
    return {
        "text": ((ROOT / "corpus" / "bc_quy1_so_tai_chinh.txt").read_bytes(), ".txt"),
        "markdown": (b"# B\xc3\xa1o c\xc3\xa1o\n\n[Trang ch\xe1\xbb\xa7](/) | [Tin t\xe1\xbb\xa9c](/tin)\n\n"
                     + utf8 + b"\n| L\xc4\xa9nh v\xe1\xbb\xb1c | H\xe1\xbb\x93 s\xc6\xa1 |\n|---|---|\n| A | 12 |\n", ".md"),
        "utf16": (SEED_TEXT.encode("utf-16"), ".txt"),
        "utf16_without_bom": (SEED_TEXT.encode("utf-16-le"), ".txt"),
        "windows_1258": (cp1258_bytes(SEED_TEXT), ".txt"),
        "tcvn3": (tcvn3_bytes(SEED_TEXT), ".txt"),
        "vni": (to_vni(SEED_TEXT).encode("cp1252"), ".txt"),
        "tcvn3_in_utf8": (to_tcvn3(SEED_TEXT).encode("utf-8"), ".txt"),
        "html": (b"<!doctype html><html><head><meta charset='utf-8'><title>Tin</title></head><body>"
                 b"<nav><a href='/'>Trang ch\xe1\xbb\xa7</a></nav><article><p>" + utf8.replace(b"\n", b"</p><p>")
                 + b"</p><table><tr><td>A</td><td>12 h\xe1\xbb\x93 s\xc6\xa1</td></tr></table></article></body></html>", ".html"),
        "html_windows_1258": (b"<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1258'>"
                              b"</head><body><p>" + cp1258_bytes(SEED_TEXT) + b"</p></body></html>", ".html"),
        "pdf": (text_pdf("Ke hoach so 862/KH-SGTVT ngay 29/3/2023: 14.911 ho so"), ".pdf"),
        "docx": (_zip(docx_parts(b"".join(paragraph_xml(line) for line in SEED_TEXT.splitlines()))), ".docx"),
        "docx_tcvn3": (_legacy_docx(), ".docx"),
        "doc": ((FIXTURES / "bao_cao_bang.doc").read_bytes(), ".doc"),
        "doc_tcvn3": ((FIXTURES / "bao_cao_tcvn3.doc").read_bytes(), ".doc"),
    }


# Read by OCR: fuzzed with OCR on (Tesseract on tiny pictures), apart from the others.
def _ocr_seeds() -> dict[str, tuple[bytes, str]]:
    return {"png": (_image("PNG"), ".png"), "jpeg": (_image("JPEG"), ".jpg"),
            "tiff": (_image("TIFF", frames=2), ".tif"), "bmp": (_image("BMP"), ".bmp"),
            "gif": (_image("GIF"), ".gif"), "scan_pdf": (_image("PDF"), ".pdf")}


SEEDS = _seeds()
OCR_SEEDS = _ocr_seeds()
# Start bytes of formats: a mutated file may claim to be another format.
MAGIC = [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"BM", b"\x89PNG\r\n\x1a\n",
         b"\xff\xd8\xff", b"GIF89a", b"II*\x00", b"\xff\xfe", b"<html>"]


def _mutate(data: bytes, flips, cut, magic: bytes) -> bytes:
    mutated = bytearray(data)
    for where, value in flips:
        mutated[int(where * len(mutated))] = value
    if cut is not None:
        mutated = mutated[: max(1, int(cut * len(mutated)))]
    return magic + bytes(mutated)


MUTATIONS = dict(
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=12),
    cut=st.one_of(st.none(), st.floats(0.05, 1)),
    magic=st.sampled_from(MAGIC))


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(min_size=1, max_size=4096),
       suffix=st.sampled_from([".txt", ".md", ".html", ".pdf", ".docx", ".doc", ".png"]))
def test_random_bytes_give_a_document_or_a_read_error(tmp_path, data, suffix):
    _check(tmp_path, data, suffix)


@pytest.mark.slow
@settings(max_examples=240, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.sampled_from(sorted(SEEDS)), **MUTATIONS)
def test_mutated_real_files_give_a_document_or_a_read_error(tmp_path, seed, flips, cut, magic):
    data, suffix = SEEDS[seed]
    _check(tmp_path, _mutate(data, flips, cut, magic), suffix)


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.sampled_from(sorted(OCR_SEEDS)), **MUTATIONS)
def test_mutated_images_and_scans_give_a_document_or_a_read_error_with_ocr_on(tmp_path, seed, flips, cut, magic):
    data, suffix = OCR_SEEDS[seed]
    _check(tmp_path, _mutate(data, flips, cut, magic), suffix, OCR_OPTIONS)


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_each_seed_is_read_whole(tmp_path, name):
    data, suffix = SEEDS[name]
    path = tmp_path / f"seed{suffix}"
    path.write_bytes(data)
    text = read_document(path, OPTIONS).text
    assert (SEED_WORDS if name != "pdf" else "ho so") in text, text[:200]  # the PDF's Helvetica is ASCII


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(OCR_SEEDS))
def test_each_image_seed_is_read_by_ocr(tmp_path, name):
    if not DEJAVU.is_file() or shutil.which("tesseract") is None:
        pytest.skip("needs the DejaVu font and Tesseract (scripts/install-system-deps.sh)")
    data, suffix = OCR_SEEDS[name]
    path = tmp_path / f"seed{suffix}"
    path.write_bytes(data)
    assert "14.911" in read_document(path, OCR_OPTIONS).text
