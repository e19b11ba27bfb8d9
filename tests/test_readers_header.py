"""The header's number and date on scanned first pages: found, checked, corrected when two
readings agree, flagged when uncertain.

The synthetic cases need Tesseract; the 11 scanned Quảng Ngãi documents need ../shared and
are skipped without it. Their truth was read on the page images (the handwritten values).
"""
from __future__ import annotations

import pytest

from extractor import extract_facts
from extractor.read import ReadOptions, read_document, reading_options
from extractor.read import second_reader
from extractor.read.header_ocr import HeaderValue, TsvWord, header_values, one_number, uncertain_values
from extractor.read.ocr import fix_ocr_confusions, missing_tool
from extractor.structure import analyse

needs_tesseract = pytest.mark.skipif(missing_tool("vie") is not None, reason="Tesseract vie missing")


def _line(*words: tuple[int, int, float, str]) -> list[TsvWord]:
    """Words of one header line: (left, right, confidence, text)."""
    return [TsvWord((1, 1, 1), left, 400, right, 450, conf, text) for left, right, conf, text in words]


@pytest.mark.parametrize("words, expected", [
    # printed, read with confidence
    (_line((500, 580, 96, "Số:"), (600, 680, 95, "23"), (700, 950, 90, "/BC-UBND")),
     [("number", "23", 95)]),
    # the number run into the label, and into the code ("$/UBND-KTTH")
    (_line((500, 620, 21, "Số:0+"), (640, 900, 91, "/CT-UBND")), [("number", "0+", 21)]),
    (_line((500, 580, 85, "Số:"), (600, 950, 28, "$/UBND-KTTH")), [("number", "$", 28)]),
    # a normative number with its year; a slash in a scribble is not the code's
    (_line((500, 580, 96, "Số:"), (600, 950, 96, "25/2024/QĐ-UBND")), [("number", "25", 96)]),
    (_line((500, 580, 96, "Số:"), (600, 700, 24, "/ƑW⁄"), (720, 950, 90, "/BC-UBND")),
     [("number", "/ƑW⁄", 24)]),
    # a blank number: an unsigned draft
    (_line((500, 580, 96, "Số:"), (700, 950, 90, "/BC-UBND")), [("number", "", None)]),
    # the date line: day and month between their printed words
    (_line((1500, 1600, 93, "ngày"), (1620, 1700, 29, "12"), (1720, 1840, 85, "tháng"),
           (1860, 1880, 96, "3"), (1900, 1980, 96, "năm"), (2000, 2100, 96, "2018")),
     [("day", "12", 29), ("month", "3", 96)]),
    (_line((1500, 1700, 57, "ngày 04 tháng"), (1720, 1780, 96, "02"), (1800, 1880, 96, "năm"),
           (1900, 2000, 96, "2025")),
     [("day", "04", 57), ("month", "02", 96)]),
    # not a header: "Sở" is no label, a date without "năm" is not the issue date
    (_line((500, 580, 96, "Sở"), (600, 900, 96, "Tư pháp/Nội vụ")), []),
    (_line((1500, 1600, 93, "ngày"), (1620, 1700, 96, "12"), (1720, 1840, 85, "tháng")), []),
])
def test_header_values_between_their_printed_words(words, expected):
    values = header_values(words, 2480, 3508)
    assert [(v.field, v.text, v.confidence) for v in values] == expected
    for value in values:
        left, _, right, _ = value.box
        assert right > left


@pytest.mark.parametrize("text, confidence, reread, second, ink, agreed", [
    ("23", 80.0, None, None, True, None),  # read with confidence: certain without another reading
    ("280", 0.0, "280", None, True, "280"),  # unsure, confirmed by the re-read
    ("11", 21.0, "11", None, True, "11"),
    ("899", 31.0, "299", None, True, None),  # the two readings differ: "299" written by hand
    ("899", 31.0, "299", "299", True, "299"),  # the re-read and the second recogniser agree
    ("13", 0.0, "23", "23", True, "23"),
    ("†", 43.0, "4", "04", True, "04"),  # the same number, the spelling with its zero kept
    ("⁄11", 50.0, "4", "11", True, "11"),  # the page's digits and the second recogniser agree
    ("đ", 68.0, "68", "08", True, None),  # three different readings
    ("899", 31.0, "", "", True, None),  # nothing re-read
    ("0+", 22.0, "04", None, True, None),  # not a number
    ("", None, "5", "575", True, None),  # ink where OCR read nothing: not a blank draft
    ("", None, "545", "545", True, "545"),
    ("", None, None, None, False, None),  # a blank slot: a draft, read right
])
def test_a_header_value_is_certain_only_when_read_well_or_two_readings_agree(
        text, confidence, reread, second, ink, agreed):
    value = HeaderValue("number", text, confidence, (0, 0, 10, 10), reread, ink, second)
    assert value.agreed == agreed
    assert value.certain is (agreed is not None or value.read_well or not text and not ink)


@pytest.mark.parametrize("read, number", [
    ("299", "299"), ("574/U", "574"), ("g 02", "02"), ("0 8", "08"), ("#", ""), ("", ""),
    ("1M1", ""),  # two numbers: no reading
])
def test_one_number_in_a_second_reading(read, number):
    assert one_number(read) == number


def _inked_page(words: list[TsvWord]):
    """A white page with a blob of ink in each header slot of the words."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(image)
    for value in header_values(words, image.width, image.height):
        left, top, right, bottom = value.box
        draw.rectangle((left + 10, top + 5, right - 10, bottom - 5), fill=0)
    return image


def test_a_value_two_tesseract_readings_agree_on_is_written_in_the_words():
    # the page's digits under a stray mark, confirmed by the re-read
    words = _line((500, 580, 96, "Số:"), (600, 680, 50, "⁄11"), (700, 950, 90, "/CT-UBND"))
    asked = []
    uncertain = uncertain_values(words, _inked_page(words), lambda image: "11", asked.append)
    assert uncertain == [] and asked == []  # the second recogniser is not even loaded
    assert [w.text for w in words] == ["Số: 11", "", "/CT-UBND"]


def test_the_second_recogniser_settles_a_disagreement_but_never_alone():
    # the day and the month's label read as one word with the day's label
    words = _line((1500, 1700, 20, "ngày 13 tháng"), (1720, 1780, 30, "0+"), (1800, 1880, 96, "năm"),
                  (1900, 2000, 96, "2025"))
    rereads, seconds = iter(["23", "7"]), iter([("23", 0.99), ("01", 0.97)])
    uncertain = uncertain_values(words, _inked_page(words), lambda image: next(rereads),
                                 lambda image: next(seconds))
    # The day: two of three agree, taken. The month: only the second recogniser reads it, surely:
    # its reading is written, and the month stays uncertain.
    assert " ".join(w.text for w in words if w.text) == "ngày 23 tháng 01 năm 2025"
    assert [(v.field, v.text, v.page_reading, v.reread, v.second) for v in uncertain] == [
        ("month", "01", "0+", "7", "01")]


@pytest.mark.parametrize("second", [("01", 0.3), ("13", 0.99), ("", 0.0)],
                         ids=["unsure", "no such month", "nothing read"])
def test_a_lone_second_reading_is_written_only_when_sure_and_possible(second):
    words = _line((1500, 1700, 96, "ngày 23 tháng"), (1720, 1780, 30, "0+"), (1800, 1880, 96, "năm"),
                  (1900, 2000, 96, "2025"))
    uncertain = uncertain_values(words, _inked_page(words), lambda image: "7", lambda image: second)
    assert " ".join(w.text for w in words if w.text) == "ngày 23 tháng 0+ năm 2025"
    assert [(v.field, v.text, v.page_reading) for v in uncertain] == [("month", "0+", None)]


def test_second_reader_reads_printed_digits():
    from PIL import Image, ImageDraw, ImageFont

    from test_readers import DEJAVU

    image = Image.new("L", (260, 90), 255)
    ImageDraw.Draw(image).text((20, 10), "2025", font=ImageFont.truetype(str(DEJAVU), 60), fill=0)
    text, score = second_reader.read_line(image)
    assert one_number(text) == "2025" and score > 0.9


@pytest.mark.parametrize("read, fixed", [
    ("|3", "13"), ("l6/4/2021", "16/4/2021"), ("Ø3", "03"), ("2O23", "2023"),
    ("04tháng", "04 tháng"), ("ngày04", "ngày 04"), ("2025năm", "2025 năm"),
    ("lỗi", "lỗi"), ("Ølà", "Ølà"), ("tháng", "tháng"),
])
def test_ocr_confusions_in_numbers_and_dates(read, fixed):
    assert fix_ocr_confusions(read) == fixed


def _header_scan(path, number: str | None, scribble: bool = False):
    """A first page at 300 dpi with a printed header; its number printed, left blank, or a
    scribble no reader can take for digits."""
    from PIL import Image, ImageDraw, ImageFont

    from test_readers import DEJAVU

    image = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(DEJAVU), 50)
    draw.text((300, 250), "ỦY BAN NHÂN DÂN", font=font, fill=0)
    draw.text((1250, 250), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=font, fill=0)
    draw.text((300, 330), "TỈNH AN HÒA", font=font, fill=0)
    draw.text((1450, 330), "Độc lập - Tự do - Hạnh phúc", font=font, fill=0)
    draw.text((300, 450), "Số:", font=font, fill=0)
    if number:
        draw.text((420, 450), number, font=font, fill=0)
    if scribble:
        draw.line([(420, 500), (450, 455), (480, 505), (510, 450), (540, 500), (570, 460)],
                  fill=0, width=7)
    draw.text((620, 450), "/BC-UBND", font=font, fill=0)
    draw.text((1300, 450), "An Hòa, ngày 15 tháng 3 năm 2024", font=font, fill=0)
    draw.text((1000, 650), "BÁO CÁO", font=font, fill=0)
    for row in range(12):
        draw.text((300, 800 + 80 * row), "Ủy ban nhân dân tỉnh báo cáo kết quả cải cách hành chính "
                  "trong tháng.", font=font, fill=0)
    image.save(path, dpi=(300, 300))
    return path


@pytest.mark.slow
@needs_tesseract
@pytest.mark.parametrize("number, scribble, flagged", [
    ("123", False, set()),  # printed: read with confidence, nothing to flag
    (None, False, set()),  # blank: an unsigned draft
    (None, True, {"ocr_uncertain_number"}),  # ink that is not read as digits
])
def test_scanned_header_number_is_flagged_only_when_uncertain(tmp_path, number, scribble, flagged):
    document = read_document(_header_scan(tmp_path / "header.png", number, scribble))
    codes = {w.code for w in document.warnings}
    assert {c for c in codes if c.startswith("ocr_uncertain")} == flagged
    text = " ".join(document.text.split())
    assert "ngày 15 tháng 3 năm 2024" in text
    if number:
        assert f"Số: {number} /BC-UBND" in text
    flagged_message = [w.message("en") for w in document.warnings if w.code in flagged]
    assert all("page 1" in m and "check it against the scan" in m for m in flagged_message)


# The 11 scanned Quảng Ngãi documents: own number (canonical, without leading zeros) and issue
# date as written on the page.
QUANG_NGAI_SCANS = [
    ("23BC.*", "23/BC-UBND", "2025-01-23"),
    ("280_BC.*", "280/BC-UBND", "2024-11-22"),
    ("299_UB.*", "299/UBND-TTHC", "2025-01-15"),
    ("22_TTR.*", "22/TTr-UBND", "2025-02-05"),
    ("575_UB.*", "575/UBND-KTTH", "2025-02-04"),
    ("574_UB.*", "574/UBND-KTTH", "2025-02-04"),
    ("2352_07-CT-UBND*", "7/CT-UBND", "2018-03-20"),
    ("2770_08-CT-UBND*", "8/CT-UBND", "2018-04-03"),
    ("11CT_*", "11/CT-UBND", "2021-05-11"),
    ("01CT_*", "1/CT-UBND", "2021-01-04"),
    ("04CT.*", "4/CT-UBND", "2024-03-15"),
]
# What is found now: right as first read, corrected where two of the three readings (the
# page's, Tesseract's re-read, the second recogniser's) agree, or written from the second
# recogniser's lone reading (still flagged): every number and date.
FOUND_NUMBERS = {number for _, number, _ in QUANG_NGAI_SCANS}
FOUND_DATES = {(pattern, date) for pattern, _, date in QUANG_NGAI_SCANS}


@pytest.mark.slow
def test_scanned_quang_ngai_headers_are_right_or_flagged(shared_dir):
    """Each scan's own number and date are either right or flagged as uncertain; never a
    wrong value without a warning."""
    folder = shared_dir / "corpus" / "public" / "quangngai-pdf"
    numbers, dates = set(), set()
    with reading_options(ReadOptions(max_ocr_pages=1)):
        for pattern, number, date in QUANG_NGAI_SCANS:
            path = next(folder.glob(pattern + ".pdf"))
            document = read_document(path)
            facts = extract_facts(document.text, document.page_ranges()).facts
            header = analyse(document.text, facts, document.page_ranges()).document or {}
            codes = {w.code for w in document.warnings}
            # The header analysis needs its label read as "Số:"; where Tesseract read "Sô:", the
            # number the reader gives is still the text's first reference.
            first = next((f.value["canonical"] for f in facts if f.kind == "doc_ref"), None)
            if (header.get("canonical") or first) == number:
                numbers.add(number)
            else:
                assert "ocr_uncertain_number" in codes, (path.name, header.get("canonical"))
            found = header.get("date")
            found = found.isoformat() if hasattr(found, "isoformat") else found
            if found == date:
                dates.add((pattern, date))
            else:
                assert codes & {"ocr_uncertain_day", "ocr_uncertain_month"}, (path.name, found)
    assert numbers >= FOUND_NUMBERS
    assert dates >= FOUND_DATES
