"""What the fact records say about OCR: the page's quality, and a header value the reader
flagged as uncertain (a handwritten number or day) on the facts that hold it."""
from __future__ import annotations

from extractor import Document, Page, process
from extractor.read import ReadWarning

HEADER = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NGÃI

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 899 /UBND-TTHC
V/v rà soát thủ tục hành chính

Quảng Ngãi, ngày 15 tháng 01 năm 2025

Kính gửi: Các sở, ban, ngành.

Thực hiện Kế hoạch số 12/KH-UBND ngày 05/01/2025, đề nghị các cơ quan rà soát 145 TTHC.
"""


def records(warnings: list) -> list[dict]:
    document = Document("scan.pdf", "0" * 64, "PDF", HEADER,
                        pages=[Page(1, 0, len(HEADER), ocr=True, quality=0.9)], warnings=warnings)
    return process(document, reconcile=False).fact_records()


def uncertain(found: list[dict]) -> dict[str, list[str]]:
    return {r["text"]: r["ocr"]["uncertain"] for r in found if "uncertain" in r.get("ocr", {})}


def test_facts_of_an_ocr_page_carry_its_quality():
    found = records([])
    assert found and all(r["ocr"] == {"quality": 0.9} for r in found)
    assert uncertain(found) == {}


def test_a_flagged_handwritten_number_and_day_mark_the_facts_that_hold_them():
    flags = [ReadWarning("ocr_uncertain_number", "scan.pdf", page=1, read="899", reread="299", confidence=31),
             ReadWarning("ocr_uncertain_day", "scan.pdf", page=1, read="15", reread="16", confidence=40)]
    assert uncertain(records(flags)) == {"Số: 899 /UBND-TTHC": ["number"],
                                         "ngày 15 tháng 01 năm 2025": ["day"]}


def test_a_flag_on_another_page_marks_nothing():
    flags = [ReadWarning("ocr_uncertain_number", "scan.pdf", page=2, read="899", reread="299", confidence=31)]
    assert uncertain(records(flags)) == {}
