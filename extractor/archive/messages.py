"""Messages of the archive commands: Vietnamese by default, English on request."""
from __future__ import annotations

from ..messages import render

MESSAGES: dict[str, dict[str, str]] = {
    "review_needs_decision": {"vi": "Hãy chọn --confirm hoặc --dismiss", "en": "Choose --confirm or --dismiss"},
    "unknown_finding": {"vi": "{url}: không có phát hiện mang khóa {key}",
                        "en": "{url}: no finding with the key {key}"},
    "review_recorded": {"vi": "Đã ghi quyết định '{decision}' cho phát hiện {key}",
                        "en": "Recorded '{decision}' for finding {key}"},
    "review_title": {"vi": "Các phát hiện trong kho ({count})", "en": "Findings in the archive ({count})"},
    "review_col_key": {"vi": "Khóa", "en": "Key"},
    "review_col_severity": {"vi": "Mức độ", "en": "Severity"},
    "review_col_document": {"vi": "Văn bản", "en": "Document"},
    "review_col_finding": {"vi": "Phát hiện", "en": "Finding"},
    "review_col_decision": {"vi": "Quyết định", "en": "Decision"},
    # Errors: one line, naming the archive or the file.
    "bad_url": {
        "vi": "{url}: địa chỉ kho lưu trữ không hợp lệ ({reason})",
        "en": "{url}: invalid archive address ({reason})",
    },
    "unsupported_backend": {
        "vi": "{url}: chỉ hỗ trợ kho SQLite và PostgreSQL",
        "en": "{url}: only SQLite and PostgreSQL archives are supported",
    },
    "archive_not_found": {
        "vi": "{url}: không có kho lưu trữ (hãy chạy cchc ingest trước)",
        "en": "{url}: no archive there (run cchc ingest first)",
    },
    "not_an_archive": {
        "vi": "{url}: không phải kho lưu trữ cchc ({reason})",
        "en": "{url}: not a cchc archive ({reason})",
    },
    "no_directory": {
        "vi": "{url}: thư mục {directory} không tồn tại",
        "en": "{url}: the folder {directory} does not exist",
    },
    "archive_too_new": {
        "vi": "{url}: kho có lược đồ phiên bản {revision}, mới hơn phiên bản cchc này hỗ trợ; hãy cập nhật cchc",
        "en": "{url}: the archive's schema version {revision} is newer than this cchc supports; upgrade cchc",
    },
    "cannot_connect": {
        "vi": "{url}: không kết nối được kho lưu trữ ({reason})",
        "en": "{url}: cannot connect to the archive ({reason})",
    },
    "database_error": {
        "vi": "{url}: lỗi cơ sở dữ liệu ({reason})",
        "en": "{url}: database error ({reason})",
    },
    "missing_driver": {
        "vi": "{url}: thiếu thư viện {package} để dùng PostgreSQL (pip install '{package}')",
        "en": "{url}: the {package} library is needed for PostgreSQL (pip install '{package}')",
    },
    "no_input": {
        "vi": "Không có tệp nào để đưa vào kho trong {paths}",
        "en": "No files to ingest in {paths}",
    },
    "worker_crashed": {
        "vi": "{path}: tiến trình trích xuất bị dừng đột ngột khi đọc tệp này",
        "en": "{path}: the extraction process died while reading this file",
    },
    "internal_error": {
        "vi": "{path}: lỗi nội bộ khi trích xuất ({reason})",
        "en": "{path}: internal error while extracting ({reason})",
    },
    "cannot_store": {
        "vi": "{path}: không lưu được vào kho ({reason})",
        "en": "{path}: cannot be stored in the archive ({reason})",
    },
    "empty_query": {
        "vi": "Truy vấn không có từ nào để tìm; hãy nhập từ khóa hoặc dùng bộ lọc (--cites, --issuer, --year...)",
        "en": "The query has no words to search for; give keywords or filters (--cites, --issuer, --year...)",
    },
    "bad_date": {
        "vi": "{option}: ngày không hợp lệ {value!r} (dùng YYYY-MM-DD, YYYY-MM hoặc YYYY)",
        "en": "{option}: invalid date {value!r} (use YYYY-MM-DD, YYYY-MM or YYYY)",
    },
    "stdout_one_table": {
        "vi": "Xuất ra màn hình (--output -) định dạng {format} chỉ được một bảng; hãy chọn bảng (ví dụ: facts) hoặc một thư mục",
        "en": "Writing {format} to standard output (--output -) takes one table; name it (e.g. facts) or give a folder",
    },
    "cannot_write": {
        "vi": "{path}: không ghi được ({reason})",
        "en": "{path}: cannot write ({reason})",
    },
    "unknown_table": {
        "vi": "Không có bảng {name}; các bảng: {known}",
        "en": "No table {name}; tables: {known}",
    },
    # Progress and summary of an ingest.
    "progress": {"vi": "Đưa vào kho", "en": "Ingesting"},
    "progress_line": {
        "vi": "[{done}/{total}] {status}: {path}",
        "en": "[{done}/{total}] {status}: {path}",
    },
    "status_new": {"vi": "mới", "en": "new"},
    "status_changed": {"vi": "đã thay đổi", "en": "changed"},
    "status_reextracted": {"vi": "trích xuất lại", "en": "re-extracted"},
    "status_unchanged": {"vi": "không đổi", "en": "unchanged"},
    "status_failed": {"vi": "lỗi", "en": "failed"},
    "status_missing": {"vi": "không còn tệp", "en": "missing"},
    "errors_count": {"vi": "lỗi", "en": "errors"},
    "summary_title": {"vi": "Kết quả đưa vào kho {archive}", "en": "Ingest into {archive}"},
    "col_outcome": {"vi": "Kết quả", "en": "Outcome"},
    "col_documents": {"vi": "Văn bản", "en": "Documents"},
    "col_facts": {"vi": "Dữ kiện", "en": "Facts"},
    "summary_total": {"vi": "Tổng", "en": "Total"},
    "summary_time": {
        "vi": "{count} văn bản trong {seconds:.1f} giây ({rate:.1f} văn bản/giây)",
        "en": "{count} documents in {seconds:.1f} s ({rate:.1f} documents/s)",
    },
    "archive_totals": {
        "vi": "Kho hiện có {documents} văn bản ({failed} lỗi, {missing} không còn tệp), {facts} dữ kiện, {refs} văn bản được dẫn chiếu",
        "en": "The archive holds {documents} documents ({failed} failed, {missing} missing), {facts} facts, {refs} referenced documents",
    },
    # Search output.
    "search_title": {"vi": "Kết quả tìm kiếm: {query}", "en": "Search results: {query}"},
    "col_rank": {"vi": "#", "en": "#"},
    "col_document": {"vi": "Văn bản", "en": "Document"},
    "col_type": {"vi": "Loại / Số", "en": "Type / Number"},
    "col_date": {"vi": "Ngày", "en": "Date"},
    "col_snippet": {"vi": "Trích đoạn", "en": "Snippet"},
    "col_kind": {"vi": "Loại dữ kiện", "en": "Kind"},
    "col_fact": {"vi": "Dữ kiện", "en": "Fact"},
    "col_where": {"vi": "Vị trí", "en": "Where"},
    "no_results": {"vi": "Không tìm thấy văn bản nào.", "en": "No documents found."},
    "no_facts": {"vi": "Không tìm thấy dữ kiện nào.", "en": "No facts found."},
    "results_count": {
        "vi": "{shown} trên {total} văn bản khớp",
        "en": "{shown} of {total} matching documents",
    },
    "results_window": {
        "vi": "{shown} kết quả; hơn {window} văn bản khớp: đã xếp hạng {window} văn bản mới nhất (thu hẹp bằng bộ lọc, hoặc dùng --rank-all)",
        "en": "{shown} results; more than {window} documents match: the {window} newest were ranked (narrow with filters, or use --rank-all)",
    },
    "facts_count": {"vi": "{count} dữ kiện", "en": "{count} facts"},
    # Export.
    "export_done": {
        "vi": "Đã xuất {rows} dòng của {tables} bảng vào {path}",
        "en": "Exported {rows} rows of {tables} tables to {path}",
    },
}


def message(code: str, lang: str = "vi", **fields: object) -> str:
    return render(MESSAGES, code, lang, **fields)
