"""Messages of the readers kept apart from extractor/messages.py: Vietnamese by default,
English on request. :func:`message` falls back to that table for codes it does not hold."""
from __future__ import annotations

from ..messages import MESSAGES as BASE_MESSAGES
from ..messages import render

MESSAGES: dict[str, dict[str, str]] = {
    # A header value OCR could not read for sure (see extractor/read/header_ocr.py): "read" is
    # what the page's OCR gave, "reread" Tesseract's second reading of its slot, "second" the
    # handwriting recogniser's, "written" what the text holds.
    "ocr_uncertain_number": {
        "vi": "{path}: trang {page}: số của văn bản (thường viết tay) đọc chưa chắc chắn: OCR đọc "
              "\"{read}\" (độ tin cậy {confidence}%), đọc lại \"{reread}\", nhận dạng chữ viết tay \"{second}\"; "
              "văn bản ghi \"{written}\"; cần đối chiếu bản quét",
        "en": "{path}: page {page}: the document's number (often handwritten) is uncertain: OCR read "
              "\"{read}\" (confidence {confidence}%), re-read \"{reread}\", handwriting recogniser \"{second}\"; "
              "the text has \"{written}\"; check it against the scan",
    },
    "ocr_uncertain_day": {
        "vi": "{path}: trang {page}: ngày ban hành (thường viết tay) đọc chưa chắc chắn: OCR đọc "
              "\"{read}\" (độ tin cậy {confidence}%), đọc lại \"{reread}\", nhận dạng chữ viết tay \"{second}\"; "
              "văn bản ghi \"{written}\"; cần đối chiếu bản quét",
        "en": "{path}: page {page}: the day of the issue date (often handwritten) is uncertain: OCR "
              "read \"{read}\" (confidence {confidence}%), re-read \"{reread}\", handwriting recogniser "
              "\"{second}\"; the text has \"{written}\"; check it against the scan",
    },
    "ocr_uncertain_month": {
        "vi": "{path}: trang {page}: tháng ban hành (thường viết tay) đọc chưa chắc chắn: OCR đọc "
              "\"{read}\" (độ tin cậy {confidence}%), đọc lại \"{reread}\", nhận dạng chữ viết tay \"{second}\"; "
              "văn bản ghi \"{written}\"; cần đối chiếu bản quét",
        "en": "{path}: page {page}: the month of the issue date (often handwritten) is uncertain: OCR "
              "read \"{read}\" (confidence {confidence}%), re-read \"{reread}\", handwriting recogniser "
              "\"{second}\"; the text has \"{written}\"; check it against the scan",
    },
}


def message(code: str, lang: str = "vi", **fields: object) -> str:
    return render(MESSAGES if code in MESSAGES else BASE_MESSAGES, code, lang, **fields)
