"""User-facing messages: Vietnamese by default, English on request."""
from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "impossible_date": {
        "vi": "Ngày không tồn tại: {text}",
        "en": "Impossible date: {text}",
    },
    "file_not_found": {
        "vi": "{path}: không tìm thấy tệp",
        "en": "{path}: file not found",
    },
    "not_a_file": {
        "vi": "{path}: không phải là tệp",
        "en": "{path}: not a file",
    },
    "unreadable": {
        "vi": "{path}: không đọc được tệp ({reason})",
        "en": "{path}: cannot read the file ({reason})",
    },
    "binary_file": {
        "vi": "{path}: tệp nhị phân, không phải văn bản ({format})",
        "en": "{path}: binary file, not text ({format})",
    },
    "undecodable": {
        "vi": "{path}: không nhận ra bảng mã ký tự của tệp",
        "en": "{path}: cannot detect the file's character encoding",
    },
    "too_large": {
        "vi": "{path}: tệp quá lớn ({size} byte, tối đa {limit})",
        "en": "{path}: file too large ({size} bytes, limit {limit})",
    },
    "summary_title": {"vi": "Tổng hợp dữ kiện trích xuất", "en": "Extracted facts"},
    "col_document": {"vi": "Văn bản", "en": "Document"},
    "col_total": {"vi": "Tổng", "en": "Total"},
    "col_errors": {"vi": "Lỗi", "en": "Errors"},
    "all_documents": {"vi": "Tất cả ({count} văn bản)", "en": "All ({count} documents)"},
    "no_input": {
        "vi": "Không có tệp nào để xử lý trong {paths}",
        "en": "No files to process in {paths}",
    },
}


def message(code: str, lang: str = "vi", **fields: object) -> str:
    templates = MESSAGES.get(code)
    if templates is None:
        return code
    return templates.get(lang, templates["vi"]).format(**fields)
