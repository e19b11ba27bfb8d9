"""Readers on real files made here: DOCX, text PDF, fallback-font PDF, scanned PDF (OCR), page
image, HTML page, legacy .doc, Markdown crawl; and files that cannot be read.

Facts are asserted, with their page and exact offsets, not just text lengths. Documents are
fictional (tỉnh An Hòa does not exist). OCR runs on small generated pages only.
"""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor import extract_document
from extractor.cli import cli
from extractor.read import ReadError, ReadOptions, read_document, reading_options, sniff_format

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

HEADER = "UBND TỈNH AN HÒA - SỞ NỘI VỤ"
INTRO = ("Thực hiện Kế hoạch số 862/KH-UBND ngày 29/3/2023 của Ủy ban nhân dân tỉnh về cải cách "
         "hành chính giai đoạn 2021-2025, Sở Nội vụ báo cáo kết quả thực hiện như sau: trong năm "
         "toàn tỉnh tiếp nhận 14.911 hồ sơ, trong đó 4.532 hồ sơ qua mạng, đạt 30,4%; số hồ sơ "
         "giải quyết đúng hạn đạt 99,87%, tăng so với cùng kỳ năm trước.")
PAGE2 = ("Căn cứ Quyết định số 1234/QĐ-<br/>UBND ngày 15/6/2023 của Chủ tịch Ủy ban nhân dân tỉnh, "
         "các sở, ban, ngành đã hoàn thành 56/56 nhiệm vụ được giao, đạt 100%. Việc số hóa kết quả "
         "giải quyết thủ tục hành chính được triển khai đồng bộ tại Trung tâm Phục vụ hành chính "
         "công tỉnh và các huyện, thị xã, thành phố trên địa bàn.")
FILLER = ("Các cơ quan, đơn vị tiếp tục rà soát, đơn giản hóa thủ tục hành chính, nâng cao chất "
          "lượng phục vụ người dân và doanh nghiệp, bảo đảm công khai, minh bạch.")


def facts_of(path, **options) -> dict:
    with reading_options(**options):
        record = extract_document(str(path))
    assert not record["errors"], record["errors"]
    return record


def by_kind(record: dict, kind: str) -> list[dict]:
    return [f for f in record["facts"] if f["kind"] == kind]


def check_offsets(document) -> None:
    """Pages are contiguous and cover the text; every cell is its own slice of the text."""
    text = document.text
    if document.pages:
        assert document.pages[0].start == 0
        assert document.pages[-1].end == len(text)
        for a, b in zip(document.pages, document.pages[1:]):
            assert a.end == b.start and a.number < b.number
    for table in document.tables:
        for row in table.rows:
            for cell in row:
                if cell.start is not None:
                    assert text[cell.start:cell.end] == cell.text


# --- generated files ------------------------------------------------------------------------

def _styles():
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    assert DEJAVU.exists(), "run scripts/install-system-deps.sh (fonts-dejavu-core)"
    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))
    body = ParagraphStyle("body", fontName="DejaVu", fontSize=12, leading=17, alignment=TA_JUSTIFY,
                          firstLineIndent=28, spaceAfter=6)
    return body


def make_text_pdf(path: Path, pages: int = 3, table: bool = True) -> Path:
    """An A4 report: running header, page numbers from page 2, a ruled table on page 2."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    body = _styles()

    def decorate(canvas, doc):
        canvas.setFont("DejaVu", 9)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 30, HEADER)
        if doc.page > 1:
            canvas.setFont("DejaVu", 12)
            canvas.drawCentredString(A4[0] / 2, A4[1] - 48, str(doc.page))

    story = [Paragraph("BÁO CÁO", body), Paragraph(INTRO, body), Paragraph(FILLER, body), PageBreak(),
             Paragraph(PAGE2, body)]
    if table:
        grid = Table([["Lĩnh vực", "Hồ sơ", "Tỷ lệ trực tuyến"],
                      ["Đất đai", "1.204 hồ sơ", "45,5%"],
                      ["Tư pháp", "863 hồ sơ", "Quyết định số 47/QĐ-UBND"]],
                     style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                       ("FONTNAME", (0, 0), (-1, -1), "DejaVu")]))
        story.append(grid)
    for _ in range(pages - 2):
        story += [PageBreak(), Paragraph(FILLER, body), Paragraph(FILLER, body)]
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=85, rightMargin=57, topMargin=70,
                      bottomMargin=57).build(story, onFirstPage=decorate, onLaterPages=decorate)
    return path


def render_pages(pdf: Path, dpi: int = 300) -> list:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    images = [page.render(scale=dpi / 72, grayscale=True).to_pil() for page in document]
    document.close()
    return images


def make_scanned_pdf(text_pdf: Path, path: Path, overlay: str | None = None) -> Path:
    """Rasterise a text PDF at 300 dpi into an image-only PDF, optionally with a text layer."""
    images = render_pages(text_pdf)
    if overlay is None:
        images[0].save(path, "PDF", resolution=300, save_all=True, append_images=images[1:])
        return path
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    _styles()
    c = canvas.Canvas(str(path), pagesize=A4)
    for image in images:
        c.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
        text = c.beginText(40, 60)
        text.setFont("DejaVu", 8)
        for line in overlay.splitlines():
            text.textLine(line)
        c.drawText(text)
        c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def text_pdf(tmp_path_factory) -> Path:
    return make_text_pdf(tmp_path_factory.mktemp("pdf") / "bao_cao.pdf")


@pytest.fixture(scope="module")
def scanned_pdf(tmp_path_factory, text_pdf) -> Path:
    short = make_text_pdf(tmp_path_factory.mktemp("scan") / "short.pdf", pages=2, table=False)
    return make_scanned_pdf(short, short.with_name("scan.pdf"))


# --- PDF with a text layer ------------------------------------------------------------------

def test_text_pdf_paragraphs_pages_and_furniture(text_pdf):
    document = read_document(text_pdf)
    check_offsets(document)
    assert document.format == "pdf" and [p.number for p in document.pages] == [1, 2, 3]
    assert not any(p.ocr for p in document.pages)
    assert all(p.quality and p.quality > 0.9 for p in document.pages)
    # the wrapped paragraph is one line again, the broken number joined, furniture gone
    assert INTRO in document.text
    assert "Quyết định số 1234/QĐ-UBND ngày 15/6/2023" in document.text
    assert HEADER not in document.text and HEADER in document.headers_footers
    assert "\n2\n" not in document.text and not document.text.startswith("2\n")


def test_text_pdf_facts_carry_their_page(text_pdf):
    record = facts_of(text_pdf)
    refs = {f["value"]["canonical"]: f for f in by_kind(record, "doc_ref")}
    assert refs["862/KH-UBND"]["page"] == 1
    assert refs["862/KH-UBND"]["value"]["date"] == "2023-03-29"
    assert refs["1234/QĐ-UBND"]["page"] == 2
    assert refs["1234/QĐ-UBND"]["value"]["date"] == "2023-06-15"
    assert refs["47/QĐ-UBND"]["page"] == 2  # inside a table cell
    percents = {f["value"]["value"]: f["page"] for f in by_kind(record, "percent")}
    assert percents == {30.4: 1, 99.87: 1, 100: 2, 45.5: 2}
    assert [f["value"]["numerator"] for f in by_kind(record, "ratio")] == [56]


def test_text_pdf_table_rows_and_cells(text_pdf):
    document = read_document(text_pdf)
    assert len(document.tables) == 1
    table = document.tables[0]
    assert table.page == 2
    assert [[c.text for c in row] for row in table.rows] == [
        ["Lĩnh vực", "Hồ sơ", "Tỷ lệ trực tuyến"], ["Đất đai", "1.204 hồ sơ", "45,5%"],
        ["Tư pháp", "863 hồ sơ", "Quyết định số 47/QĐ-UBND"]]
    cell = table.rows[1][2]
    record = facts_of(text_pdf)
    percent = next(f for f in by_kind(record, "percent") if f["value"]["value"] == 45.5)
    assert cell.start <= percent["start"] < percent["end"] <= cell.end


def test_fallback_font_pdf_keeps_vietnamese_in_place(tmp_path):
    """Base letters from Helvetica, Vietnamese letters from a fallback font, as word processors
    do when the chosen font lacks them: pdfplumber keeps every glyph in place."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    _styles()
    lines = ["Báo cáo số 215/BC-UBND ngày 18/4/2024 của Ủy ban nhân dân tỉnh",
             "tiếp nhận 14.911 hồ sơ, trong đó 4.532 hồ sơ trực tuyến, đạt 30,4%."]
    path = tmp_path / "fallback.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = 760
    for line in lines:
        x = 72
        for char in line:
            font = "Helvetica" if ord(char) < 128 else "DejaVu"
            c.setFont(font, 12)
            c.drawString(x, y, char)
            x += stringWidth(char, font, 12)
        y -= 18
    c.showPage()
    c.save()
    document = read_document(path)
    assert document.text == " ".join(lines) + "\n"  # one paragraph: the first line is full
    record = facts_of(path)
    assert {f["value"]["canonical"] for f in by_kind(record, "doc_ref")} == {"215/BC-UBND"}
    assert [f["value"]["value"] for f in by_kind(record, "percent")] == [30.4]


# --- scans: OCR -----------------------------------------------------------------------------

def _check_scan_facts(record: dict) -> None:
    refs = {f["value"]["canonical"]: f for f in by_kind(record, "doc_ref")}
    assert refs["862/KH-UBND"]["page"] == 1 and refs["1234/QĐ-UBND"]["page"] == 2
    assert {"2023-03-29", "2023-06-15"} <= {f["value"]["iso"] for f in by_kind(record, "date")}
    assert {30.4, 99.87, 100} <= {f["value"]["value"] for f in by_kind(record, "percent")}


@pytest.mark.slow
def test_scanned_pdf_is_ocred_page_by_page(scanned_pdf):
    document = read_document(scanned_pdf)
    check_offsets(document)
    assert [(p.number, p.ocr) for p in document.pages] == [(1, True), (2, True)]
    assert all(p.quality > 0.8 for p in document.pages)
    assert any("OCR" in note for note in document.notes)
    assert "14.911 hồ sơ" in document.text
    _check_scan_facts(facts_of(scanned_pdf))


@pytest.mark.slow
def test_scan_with_garbled_or_stamp_layer_is_ocred_and_never_mode_keeps_it(tmp_path):
    short = make_text_pdf(tmp_path / "one.pdf", pages=2, table=False)
    garbled = make_scanned_pdf(short, tmp_path / "garbled.pdf",
                               overlay="UBND THANH PHO DA NANG CONG Hcok xA HQI CHiJ NGHiA\n" * 4
                               + "S& 5?AD /UBND-SGDDT Dà Näng, ngày ,gtháng 10 nàm 2023")
    stamp = make_scanned_pdf(short, tmp_path / "stamp.pdf",
                             overlay="Ký bởi: Sở Nội vụ tỉnh An Hòa\nThời gian ký: 12/03/2024 09:15:00")
    for path in (garbled, stamp):
        document = read_document(path)
        assert all(p.ocr for p in document.pages), path.name
        assert "Kế hoạch số 862/KH-UBND" in document.text
    kept = read_document(stamp, ReadOptions(ocr="never"))
    assert not any(p.ocr for p in kept.pages) and "Ký bởi" in kept.text


@pytest.mark.slow
def test_good_text_layer_is_not_ocred_unless_always(text_pdf):
    assert not any(p.ocr for p in read_document(text_pdf).pages)
    forced = read_document(text_pdf, ReadOptions(ocr="always", max_ocr_pages=1))
    assert forced.pages[0].ocr and not forced.pages[1].ocr
    assert any(w.code == "ocr_page_limit" for w in forced.warnings)


@pytest.mark.slow
def test_page_image_is_ocred(tmp_path, scanned_pdf):
    image = render_pages(scanned_pdf)[0]
    path = tmp_path / "trang1.png"
    image.save(path, dpi=(300, 300))
    document = read_document(path)
    assert document.format == "image" and document.pages[0].ocr
    record = facts_of(path)
    assert "862/KH-UBND" in {f["value"]["canonical"] for f in by_kind(record, "doc_ref")}
    assert all(f["page"] == 1 for f in record["facts"])


def test_ocr_time_limit_gives_a_clear_error(tmp_path, scanned_pdf):
    with pytest.raises(ReadError) as caught:
        read_document(scanned_pdf, ReadOptions(ocr_timeout=0.01))
    assert caught.value.code == "ocr_timeout" and str(scanned_pdf) in str(caught.value)
    assert "\n" not in caught.value.message("en")


def test_cli_ocr_never_on_a_scan_is_a_one_line_error(scanned_pdf, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(INTRO, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", "--ocr", "never", "--lang", "en", str(scanned_pdf),
                                      str(good)])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(scanned_pdf) in lines[0] and "--ocr auto" in lines[0]
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records[1]["facts"] and not records[1]["errors"]


# --- DOCX, DOC ------------------------------------------------------------------------------

def make_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Số: 999/BC-XYZ ngày 01/01/2020"
    document.sections[0].footer.paragraphs[0].text = "Trang chân: 12,5%"
    document.add_paragraph("BÁO CÁO")
    document.add_paragraph(INTRO)
    document.add_page_break()
    document.add_paragraph("Phụ lục: số liệu theo lĩnh vực")
    table = document.add_table(rows=3, cols=3)
    rows = [["Lĩnh vực", "Hồ sơ", "Căn cứ"],
            ["Đất đai", "đạt 45,5%", "Quyết định số 47/QĐ-UBND ngày 05/01/2024"],
            ["Tư pháp", "863 hồ sơ", "56/56 nhiệm vụ"]]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.add_paragraph("Nơi nhận: như trên.")
    document.save(path)
    return path


def test_docx_paragraphs_tables_pages_and_headers(tmp_path):
    path = make_docx(tmp_path / "bc.docx")
    document = read_document(path)
    check_offsets(document)
    assert document.format == "docx" and [p.number for p in document.pages] == [1, 2]
    text = document.text
    assert text.index(INTRO) < text.index("| Đất đai |") < text.index("Nơi nhận")
    assert "999/BC-XYZ" not in text and any("999/BC-XYZ" in h for h in document.headers_footers)
    table = document.tables[0]
    assert table.page == 2 and table.rows[1][2].text == "Quyết định số 47/QĐ-UBND ngày 05/01/2024"
    record = facts_of(path)
    refs = {f["value"]["canonical"]: f for f in by_kind(record, "doc_ref")}
    assert set(refs) == {"862/KH-UBND", "47/QĐ-UBND"}
    cell = table.rows[1][2]
    assert refs["47/QĐ-UBND"]["page"] == 2
    assert cell.start <= refs["47/QĐ-UBND"]["start"] < refs["47/QĐ-UBND"]["end"] <= cell.end
    assert refs["47/QĐ-UBND"]["value"]["date"] == "2024-01-05"
    assert {f["value"]["value"]: f["page"] for f in by_kind(record, "percent")} == {
        30.4: 1, 99.87: 1, 45.5: 2}
    assert [(f["value"]["numerator"], f["page"]) for f in by_kind(record, "ratio")] == [(56, 2)]


def test_legacy_doc_with_table():
    path = FIXTURES / "bao_cao_bang.doc"
    document = read_document(path)
    check_offsets(document)
    assert document.format == "doc"
    assert [[c.text for c in row] for row in document.tables[0].rows][1] == [
        "Đất đai", "1.204 hồ sơ", "45,5%"]
    record = facts_of(path)
    refs = {f["value"]["canonical"] for f in by_kind(record, "doc_ref")}
    assert {"215/BC-UBND", "862/KH-UBND", "47/QĐ-UBND"} <= refs
    assert {30.4, 99.87, 45.5} <= {f["value"]["value"] for f in by_kind(record, "percent")}


def test_tcvn3_doc_keeps_u_horn():
    """TCVN3's ư (0xAD) is Word's optional hyphen in a .doc: antiword alone drops it."""
    path = FIXTURES / "bao_cao_tcvn3.doc"
    document = read_document(path)
    assert "14.911 hồ sơ, trong đó 4.532 hồ sơ qua mạng" in document.text
    assert "được trình bày theo Nghị định số 30/2020/NĐ-CP" in document.text
    record = facts_of(path)
    assert {"215/BC-UBND", "862/KH-UBND"} <= {f["value"]["canonical"] for f in by_kind(record, "doc_ref")}
    assert [f["value"]["value"] for f in by_kind(record, "percent")] == [30.4, 99.87]


# --- HTML, Markdown -------------------------------------------------------------------------

NEWS_HTML = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>Sở Nội vụ tổng kết công tác cải cách hành chính năm 2023</title>
<script>var visits = "Tổng lượt truy cập: 999.999"; trackVisit("Quyết định số 1/QĐ-XX");</script>
<style>.menu { color: red }</style></head><body>
<nav class="menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/vb">Văn bản</a></li>
<li><a href="/tt">Tin tức - Sự kiện</a></li></ul></nav>
<aside class="sidebar"><h3>Văn bản liên quan</h3><ul>
<li><a href="/vb/1">Kế hoạch số 77/KH-SNV ngày 02/02/2022 về chuyển đổi số</a></li>
<li><a href="/vb/2">Công văn số 88/SNV-VP ngày 03/03/2021</a></li></ul>
<div class="counter">Đang truy cập: 1<br>Hôm nay: 38<br>Tổng lượt truy cập: 269.423</div></aside>
<main><article><h1>Sở Nội vụ tổng kết công tác cải cách hành chính năm 2023</h1>
<p>Sáng ngày 06/3/2024, Sở Nội vụ tỉnh An Hòa tổ chức Hội nghị tổng kết công tác cải cách hành
chính năm 2023 và triển khai nhiệm vụ năm 2024 theo Kế hoạch số 862/KH-UBND ngày 29/3/2023
của Ủy ban nhân dân tỉnh.</p>
<p>Trong năm, Sở đã tiếp nhận 14.911 hồ sơ, trong đó 4.532 hồ sơ qua mạng, đạt 30,4%; tỷ lệ hồ
sơ giải quyết đúng hạn đạt 99,87%. Sở đã hoàn thành 56/56 nhiệm vụ được giao.</p>
<table><tr><th>Lĩnh vực</th><th>Tỷ lệ</th></tr><tr><td>Đất đai</td><td>45,5%</td></tr></table>
<p>Phát biểu kết luận, Giám đốc Sở đề nghị các phòng tiếp tục đẩy mạnh cải cách thủ tục
hành chính, nâng cao chất lượng phục vụ người dân và doanh nghiệp trên địa bàn tỉnh.</p>
</article></main>
<footer>Bản quyền © 2024 Sở Nội vụ. Điện thoại: 0221.3851.209. Đang truy cập: 12</footer>
</body></html>"""


@pytest.mark.slow
def test_html_main_content_only(tmp_path):
    path = tmp_path / "tin.html"
    path.write_text(NEWS_HTML, encoding="utf-8")
    document = read_document(path)
    check_offsets(document)
    assert document.format == "html"
    for chrome in ("269.423", "77/KH-SNV", "88/SNV-VP", "999.999", "Trang chủ", "trackVisit", "Điện thoại"):
        assert chrome not in document.text, chrome
    record = facts_of(path)
    assert {f["value"]["canonical"] for f in by_kind(record, "doc_ref")} == {"862/KH-UBND"}
    assert {30.4, 99.87, 45.5} == {f["value"]["value"] for f in by_kind(record, "percent")}
    assert "2024-03-06" in {f["value"]["iso"] for f in by_kind(record, "date")}
    assert [[c.text for c in row] for row in document.tables[0].rows] == [["Lĩnh vực", "Tỷ lệ"],
                                                                         ["Đất đai", "45,5%"]]
    # the format is found by content, whatever the name
    misnamed = tmp_path / "tin.txt"
    misnamed.write_text(NEWS_HTML, encoding="utf-8")
    assert read_document(misnamed).format == "html"


def test_markdown_crawl_chrome_is_blanked_in_place(tmp_path):
    crawl = ("|\n|\nBản dịch này thuộc quyền sở hữu của **\nTHƯ VIỆN PHÁP LUẬT**. Mọi hành vi sao "
             "chép 13/2023/NĐ-CP\n**\nTHƯ VIỆN PHÁP LUẬT** is a violation against the Law on "
             "Intellectual Property.\n|\nSố: 0124/KH-UBND\n|\n*Đắk Lắk, ngày 18\ntháng 11 năm 2025*\n"
             "Đang truy cập: 1\nHôm nay: 38\nTổng lượt truy cập: 269.423\n\n"
             + INTRO + "\n\nTP. HCM, ngày 31/05/2021\nThưa Quý khách,\nĐúng 14 tháng trước, "
             "ngày 31/3/2020, 250 nhân sự theo Nghị định 13/2023/NĐ-CP.\n")
    path = tmp_path / "kh.md"
    path.write_text(crawl, encoding="utf-8")
    document = read_document(path)
    assert len(document.text) == len(crawl)  # offsets still index the file
    assert "269.423" not in document.text and "Thưa Quý khách" not in document.text
    record = facts_of(path)
    refs = {f["value"]["canonical"] for f in by_kind(record, "doc_ref")}
    assert refs == {"124/KH-UBND", "862/KH-UBND"}
    assert "2021-05-31" not in {f["value"]["iso"] for f in by_kind(record, "date")}
    for fact in record["facts"]:
        assert crawl[fact["start"]:fact["end"]] == fact["text"]


# --- files that cannot be read --------------------------------------------------------------

def _error(path, **options) -> ReadError:
    with pytest.raises(ReadError) as caught:
        read_document(path, ReadOptions(**options))
    error = caught.value
    for lang in ("vi", "en"):
        message = error.message(lang)
        assert str(path) in message and "\n" not in message
    return error


def test_empty_corrupt_truncated_and_encrypted_files(tmp_path, text_pdf):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert _error(empty).code == "empty_file"
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    assert _error(corrupt).code == "corrupt"
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(text_pdf.read_bytes()[:2000])
    assert _error(truncated).code in ("corrupt", "no_pages", "no_text")

    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    locked = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(locked), encrypt=pdfencrypt.StandardEncryption("mat-khau", canPrint=0))
    c.drawString(72, 720, "So 215/BC-UBND")
    c.save()
    error = _error(locked)
    assert error.code == "encrypted" and "mật khẩu" in error.message("vi")

    fake_docx = tmp_path / "fake.docx"
    fake_docx.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    assert _error(fake_docx).code == "corrupt"
    gif = tmp_path / "anh.gif"
    gif.write_bytes(b"GIF89a" + b"\x00" * 100)
    assert _error(gif).code in ("corrupt", "unsupported_format")


def test_zero_page_pdf(tmp_path):
    body = [b"%PDF-1.4\n", b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n",
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"]
    offsets, pos = [], 0
    for part in body:
        offsets.append(pos)
        pos += len(part)
    xref = b"xref\n0 3\n0000000000 65535 f \n" + b"".join(
        b"%010d 00000 n \n" % o for o in offsets[1:])
    path = tmp_path / "zero.pdf"
    path.write_bytes(b"".join(body) + xref + b"trailer << /Size 3 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % pos)
    assert _error(path).code == "no_pages"


def test_zip_bomb_disguised_as_docx(tmp_path):
    path = tmp_path / "bom.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b"\x00" * (1 << 20)
            for _ in range(64):
                member.write(chunk)
    assert path.stat().st_size < 200_000
    error = _error(path, max_unpacked_bytes=32 * 1024 * 1024)
    assert error.code == "zip_bomb"


@pytest.mark.slow
def test_thousands_of_pages_are_refused_over_the_limit(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "many.pdf"
    c = canvas.Canvas(str(path))
    for i in range(3000):
        c.drawString(72, 720, f"Trang {i + 1}")
        c.showPage()
    c.save()
    error = _error(path, max_pages=2000)
    assert error.code == "too_many_pages" and "3000" in error.message("en")


def test_format_is_sniffed_from_content():
    assert sniff_format(b"%PDF-1.7") == "PDF"
    assert sniff_format(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") == "DOC/OLE"
    assert sniff_format(b"\x89PNG\r\n\x1a\n") == "PNG"
    assert sniff_format("Báo cáo".encode()) == "text"


def test_a_docx_named_pdf_is_read_as_docx(tmp_path):
    path = make_docx(tmp_path / "bc.docx")
    misnamed = tmp_path / "bc.pdf"
    misnamed.write_bytes(path.read_bytes())
    assert read_document(misnamed).format == "docx"


def test_cli_walks_folders_for_every_format(tmp_path, text_pdf):
    make_docx(tmp_path / "a.docx")
    (tmp_path / "b.pdf").write_bytes(text_pdf.read_bytes())
    (tmp_path / "c.html").write_text(NEWS_HTML, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", "--format", "json", str(tmp_path)])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert [r["source"]["format"] for r in records] == ["docx", "pdf", "html"]
    assert all(any(f["page"] == 2 for f in r["facts"]) for r in records[:2])
    printed = CliRunner().invoke(cli, ["text", str(tmp_path / "b.pdf")]).stdout
    for fact in records[1]["facts"]:
        assert printed[fact["start"]:fact["end"]] == fact["text"]


def test_reader_options_are_validated():
    with pytest.raises(ValueError):
        ReadOptions(ocr="sometimes")
