"""Tiny files that would cost hours or gigabytes: bounded before they are rendered or inflated,
or stopped by the budget."""
from __future__ import annotations

import shutil
import time

import pytest

from extractor.budget import process_bounded
from extractor.read import ReadError, read_document, reading_options
from extractor.read.options import ReadOptions
from extractor.read.pdf import MAX_RENDER_PIXELS, render_scale

from .build import scan_pdf, docx_parts, lying_zip, paragraph_xml, pdf, text_pdf

# A content stream whose /Length is a reference to a reference to the first: pdfminer follows
# it forever (a 505-byte file).
CYCLIC_PDF = pdf([
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
    b"<< /Length 5 0 R >>\nstream\nBT ET\nendstream",
    b"6 0 R",
    b"5 0 R",
])


@pytest.mark.slow
def test_a_pdf_whose_objects_reference_each_other_fails_at_the_time_limit(tmp_path):
    path = tmp_path / "vong.pdf"
    path.write_bytes(CYCLIC_PDF)
    started = time.monotonic()
    with reading_options(timeout=2):
        result = process_bounded(str(path))
    assert time.monotonic() - started < 6
    assert result.error.code == "read_timeout"
    assert result.error.message("vi") == f"{path}: quá thời gian đọc (hơn 2 giây), tệp bị bỏ qua; --timeout nới giới hạn"


@pytest.mark.parametrize("width, height", [(595, 842), (14_400, 14_400), (200_000, 10), (3, 3)])
def test_a_page_is_rendered_at_most_at_the_pixels_allowed(width, height):
    scale = render_scale(width, height, 300)
    assert scale <= 300 / 72
    assert width * height * scale * scale <= MAX_RENDER_PIXELS * 1.0001


def test_an_a4_page_keeps_its_300_dpi():
    assert render_scale(595, 842, 300) == 300 / 72


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("tesseract"), reason="tesseract is not installed")
def test_a_14400_pt_page_is_ocrd_within_the_memory_budget(tmp_path):
    path = tmp_path / "trang-lon.pdf"
    path.write_bytes(scan_pdf(14_400, 14_400))
    assert len(path.read_bytes()) < 2000
    from extractor.budget import run_bounded

    outcome = run_bounded(_read, (str(path),), timeout=120, max_memory=1 << 30)
    assert outcome.kind in ("ok", "error"), outcome  # a blank page may give no text: a read error
    assert outcome.peak_rss < 700 * 1024 * 1024


def _read(path):
    try:
        return read_document(path, ReadOptions(ocr="auto", jobs=1)).text
    except ReadError as exc:
        raise RuntimeError(exc.code) from None


@pytest.mark.parametrize("declared", [100, 2_000_000_000])
def test_a_docx_whose_headers_lie_about_sizes_is_refused_by_what_it_inflates_to(tmp_path, declared):
    body = paragraph_xml("Báo cáo " + "x" * 100) * 60_000  # about 7 MB of XML, packs to little
    path = tmp_path / "noi-doi.docx"
    lying_zip(path, docx_parts(body), declared)
    with pytest.raises(ReadError) as caught:
        read_document(path, ReadOptions(max_unpacked_bytes=4_000_000))
    assert caught.value.code in ("zip_bomb", "corrupt")


def test_an_honest_docx_over_the_unpacked_limit_is_a_zip_bomb(tmp_path):
    import zipfile

    path = tmp_path / "lon.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in docx_parts(paragraph_xml("x" * 100) * 60_000).items():
            archive.writestr(name, data)
    with pytest.raises(ReadError) as caught:
        read_document(path, ReadOptions(max_unpacked_bytes=4_000_000))
    assert caught.value.code == "zip_bomb"


def test_a_small_docx_is_still_read(tmp_path):
    import zipfile

    path = tmp_path / "nho.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in docx_parts(paragraph_xml("Báo cáo số 12/BC-STC ngày 15/3/2023")).items():
            archive.writestr(name, data)
    assert "12/BC-STC" in read_document(path).text



def test_the_text_pdf_builder_makes_a_readable_pdf(tmp_path):
    path = tmp_path / "chu.pdf"
    path.write_bytes(text_pdf("Ke hoach so 862/KH-SGTVT ngay 29/3/2023"))
    assert "862/KH-SGTVT" in read_document(path, ReadOptions(ocr="never")).text
