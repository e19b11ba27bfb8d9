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
    "empty_file": {
        "vi": "{path}: tệp rỗng (0 byte)",
        "en": "{path}: empty file (0 bytes)",
    },
    "no_text": {
        "vi": "{path}: không lấy được chữ nào từ tệp {format}",
        "en": "{path}: no text could be read from the {format} file",
    },
    "no_text_ocr_off": {
        "vi": "{path}: tệp {format} là bản quét, không có lớp chữ; hãy chạy với --ocr auto để nhận dạng chữ",
        "en": "{path}: the {format} file is a scan with no text layer; run with --ocr auto to OCR it",
    },
    "encrypted": {
        "vi": "{path}: tệp {format} được đặt mật khẩu, không đọc được",
        "en": "{path}: the {format} file is password-protected and cannot be read",
    },
    "corrupt": {
        "vi": "{path}: tệp {format} bị hỏng hoặc không đầy đủ ({reason})",
        "en": "{path}: damaged or incomplete {format} file ({reason})",
    },
    "no_pages": {
        "vi": "{path}: tệp PDF không có trang nào",
        "en": "{path}: the PDF file has no pages",
    },
    "too_many_pages": {
        "vi": "{path}: tệp có {pages} trang, vượt giới hạn {limit} trang",
        "en": "{path}: the file has {pages} pages, over the limit of {limit}",
    },
    "zip_bomb": {
        "vi": "{path}: tệp nén bất thường (giải nén ra {size} byte từ {packed} byte), từ chối đọc",
        "en": "{path}: abnormal compressed file ({size} bytes unpacked from {packed}), refused",
    },
    "unsupported_format": {
        "vi": "{path}: chưa hỗ trợ định dạng {format}",
        "en": "{path}: the {format} format is not supported",
    },
    "tool_missing": {
        "vi": "{path}: thiếu chương trình {tool} để đọc tệp {format} (cài bằng scripts/install-system-deps.sh)",
        "en": "{path}: the program {tool} is needed to read the {format} file (install it with scripts/install-system-deps.sh)",
    },
    "ocr_timeout": {
        "vi": "{path}: nhận dạng chữ (OCR) vượt giới hạn {limit} giây; mới xử lý {done}/{total} trang",
        "en": "{path}: OCR went over the {limit} s limit; {done}/{total} pages done",
    },
    "ocr_page_failed": {
        "vi": "{path}: trang {page}: nhận dạng chữ (OCR) bị lỗi ({reason})",
        "en": "{path}: page {page}: OCR failed ({reason})",
    },
    "ocr_page_limit": {
        "vi": "{path}: chỉ nhận dạng chữ (OCR) {done}/{total} trang cần OCR (giới hạn số trang)",
        "en": "{path}: OCR done on {done} of the {total} pages that need it (page limit)",
    },
    "ocr_unavailable": {
        "vi": "{path}: {count} trang cần nhận dạng chữ (OCR) nhưng thiếu {tool}; giữ lớp chữ sẵn có",
        "en": "{path}: {count} pages need OCR but {tool} is missing; the existing text layer is kept",
    },
    "summary_title": {"vi": "Tổng hợp dữ kiện trích xuất", "en": "Extracted facts"},
    "col_document": {"vi": "Văn bản", "en": "Document"},
    "col_total": {"vi": "Tổng", "en": "Total"},
    "col_errors": {"vi": "Lỗi", "en": "Errors"},
    "all_documents": {"vi": "Tất cả ({count} văn bản)", "en": "All ({count} documents)"},
    "audit_title": {"vi": "Kiểm tra số liệu: {documents} văn bản, {findings} phát hiện",
                    "en": "Figure audit: {documents} documents, {findings} findings"},
    "col_severity": {"vi": "Mức độ", "en": "Severity"},
    "col_finding": {"vi": "Phát hiện", "en": "Finding"},
    "report_written": {"vi": "Đã ghi báo cáo: {path}", "en": "Report written: {path}"},
    "no_input": {
        "vi": "Không có tệp nào để xử lý trong {paths}",
        "en": "No files to process in {paths}",
    },
}


def render(table: dict[str, dict[str, str]], code: str, lang: str = "vi", **fields: object) -> str:
    """The message ``code`` of a table in ``lang`` (Vietnamese when it has no such language)."""
    templates = table.get(code)
    if templates is None:
        return code
    return templates.get(lang, templates["vi"]).format(**fields)


def message(code: str, lang: str = "vi", **fields: object) -> str:
    return render(MESSAGES, code, lang, **fields)
