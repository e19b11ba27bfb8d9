"""The web app's words, in Vietnamese (default) and English. Templates call ``t("key")``;
metric names come from ``patterns/metrics.yaml`` (``metric("dossiers.received")``)."""
from __future__ import annotations

import functools

LANGS = ("vi", "en")

LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "app": "Kho văn bản CCHC", "search": "Tìm kiếm", "documents": "Văn bản",
        "findings": "Phát hiện", "figures": "Số liệu theo kỳ", "overview": "Tổng quan",
        "search_placeholder": "Tìm văn bản (không cần dấu): ke hoach giao thong, \"cải cách hành chính\", 862/KH-SGTVT",
        "search_button": "Tìm", "results": "{total} văn bản", "results_more": "hơn {more} văn bản khớp: đã xếp hạng {more} văn bản mới nhất",
        "no_results": "Không có văn bản nào khớp.", "all_documents": "Mọi văn bản (mới nhất trước)",
        "facet_type": "Loại văn bản", "facet_issuer": "Cơ quan ban hành", "facet_province": "Tỉnh",
        "facet_year": "Năm", "facet_kind": "Loại phát hiện", "facet_severity": "Mức độ",
        "facet_decision": "Quyết định", "remove_filter": "bỏ lọc", "page": "Trang {page}/{pages}",
        "previous": "‹ Trước", "next": "Sau ›", "language": "English", "empty_query": "Hãy nhập từ cần tìm.",
        "metadata": "Thông tin văn bản", "outline": "Mục lục", "text": "Toàn văn",
        "cites": "Văn bản này dẫn chiếu", "cited_by": "Văn bản dẫn chiếu văn bản này",
        "not_archived": "chưa có trong kho", "none": "Không có.", "facts": "Dữ kiện",
        "no_outline": "Chưa có mục nào được nhận diện.", "evidence": "Căn cứ", "stated": "Văn bản ghi",
        "expected": "Tính lại", "tolerance": "sai số cho phép", "rule": "Quy tắc",
        "no_findings": "Không có phát hiện nào.", "decision": "Quyết định", "history": "Lịch sử quyết định",
        "confirm": "Xác nhận", "dismiss": "Bác bỏ", "undecided": "Chưa quyết định",
        "confirmed": "đã xác nhận", "dismissed": "đã bác bỏ",
        "note": "Ghi chú", "who": "Người xem xét", "record": "Ghi quyết định",
        "read_only": "Chế độ chỉ đọc: chạy cchc serve --review để xác nhận hoặc bác bỏ phát hiện.",
        "gross": "nghiêm trọng", "error": "lỗi", "minor": "nhỏ", "possible": "có thể",
        "path": "Tệp", "format": "Định dạng", "status": "Trạng thái", "doc_type": "Loại",
        "number": "Số, ký hiệu", "date": "Ngày", "issuer": "Cơ quan ban hành", "province": "Tỉnh",
        "title": "Trích yếu", "signer": "Người ký", "period": "Kỳ báo cáo", "pages": "Số trang",
        "ingested_at": "Lưu vào kho", "sha256": "SHA-256", "fact_count": "Số dữ kiện",
        "recipients": "Nơi nhận", "problems": "Vấn đề", "warnings": "Cảnh báo",
        "status_ok": "đọc được", "status_failed": "lỗi đọc", "status_missing": "không còn tệp",
        "body": "Cơ quan", "metric": "Chỉ tiêu", "show": "Xem", "choose": "— chọn —",
        "period_col": "Kỳ", "value": "Giá trị", "document": "Văn bản",
        "contradiction": "số liệu mâu thuẫn", "choose_metric": "Chọn cơ quan và chỉ tiêu để xem số liệu qua các kỳ.",
        "no_figures": "Không có số liệu nào cho lựa chọn này.",
        "by_type": "Văn bản theo loại", "by_issuer": "Văn bản theo cơ quan ban hành",
        "by_year": "Văn bản theo năm", "by_severity": "Phát hiện theo mức độ", "by_kind": "Phát hiện theo loại",
        "failed_files": "Tệp không đọc được", "count": "Số lượng", "unknown": "(không rõ)",
        "totals": "{documents} văn bản, {facts} dữ kiện, {findings} phát hiện ({decided} đã có quyết định)",
        "across": "giữa các văn bản", "json": "JSON", "not_found": "Không tìm thấy trang này.",
        "bad_request": "Yêu cầu không hợp lệ.", "csrf_failed": "Mã bảo vệ biểu mẫu không hợp lệ hoặc đã hết hạn: hãy tải lại trang.",
        "unknown_finding": "Không có phát hiện có khóa {key}.", "who_required": "Hãy nhập tên người xem xét.",
        "flag": "Có phát hiện", "review_mode": "Chế độ xem xét",
        "highlight_legend": "Di chuột lên phần được tô để xem giá trị.", "document_findings": "Phát hiện trong văn bản",
        "open_document": "mở văn bản", "facets_over": "bộ lọc đếm trên {count} văn bản khớp nhất",
        "newest": "{count} văn bản mới nhất",
    },
    "en": {
        "app": "CCHC document archive", "search": "Search", "documents": "Documents",
        "findings": "Findings", "figures": "Figures over time", "overview": "Overview",
        "search_placeholder": "Search documents (tone marks optional): ke hoach giao thong, \"cải cách hành chính\", 862/KH-SGTVT",
        "search_button": "Search", "results": "{total} documents", "results_more": "more than {more} documents match: the {more} newest were ranked",
        "no_results": "No document matches.", "all_documents": "All documents (newest first)",
        "facet_type": "Document type", "facet_issuer": "Issuer", "facet_province": "Province",
        "facet_year": "Year", "facet_kind": "Finding kind", "facet_severity": "Severity",
        "facet_decision": "Decision", "remove_filter": "remove", "page": "Page {page}/{pages}",
        "previous": "‹ Previous", "next": "Next ›", "language": "Tiếng Việt", "empty_query": "Type something to search for.",
        "metadata": "Metadata", "outline": "Outline", "text": "Full text",
        "cites": "This document cites", "cited_by": "Documents citing this one",
        "not_archived": "not in the archive", "none": "None.", "facts": "Facts",
        "no_outline": "No section recognised.", "evidence": "Evidence", "stated": "Stated",
        "expected": "Recomputed", "tolerance": "tolerance", "rule": "Rule",
        "no_findings": "No findings.", "decision": "Decision", "history": "Decision history",
        "confirm": "Confirm", "dismiss": "Dismiss", "undecided": "Undecided",
        "confirmed": "confirmed", "dismissed": "dismissed",
        "note": "Note", "who": "Reviewer", "record": "Record decision",
        "read_only": "Read-only: run cchc serve --review to confirm or dismiss findings.",
        "gross": "gross", "error": "error", "minor": "minor", "possible": "possible",
        "path": "File", "format": "Format", "status": "Status", "doc_type": "Type",
        "number": "Number", "date": "Date", "issuer": "Issuer", "province": "Province",
        "title": "Title", "signer": "Signed by", "period": "Period", "pages": "Pages",
        "ingested_at": "Archived", "sha256": "SHA-256", "fact_count": "Facts",
        "recipients": "Recipients", "problems": "Problems", "warnings": "Warnings",
        "status_ok": "read", "status_failed": "failed", "status_missing": "missing",
        "body": "Body", "metric": "Metric", "show": "Show", "choose": "— choose —",
        "period_col": "Period", "value": "Value", "document": "Document",
        "contradiction": "contradicting values", "choose_metric": "Choose a body and a metric to see its figures period by period.",
        "no_figures": "No figures for this choice.",
        "by_type": "Documents by type", "by_issuer": "Documents by issuer",
        "by_year": "Documents by year", "by_severity": "Findings by severity", "by_kind": "Findings by kind",
        "failed_files": "Files that failed to read", "count": "Count", "unknown": "(unknown)",
        "totals": "{documents} documents, {facts} facts, {findings} findings ({decided} decided)",
        "across": "across documents", "json": "JSON", "not_found": "This page does not exist.",
        "bad_request": "Bad request.", "csrf_failed": "The form's protection token is invalid or expired: reload the page.",
        "unknown_finding": "No finding has the key {key}.", "who_required": "Give the reviewer's name.",
        "flag": "Finding", "review_mode": "Review mode",
        "highlight_legend": "Hover over a highlight to see its value.", "document_findings": "Findings in this document",
        "open_document": "open document", "facets_over": "facets count the {count} best matches",
        "newest": "the {count} newest",
    },
}


def translate(lang: str, label: str, /, **fields: object) -> str:
    text = LABELS.get(lang, LABELS["vi"]).get(label) or LABELS["vi"].get(label) or label
    return text.format(**fields) if fields else text

# What each kind of finding is (the facets and cards show it; the id stays in the JSON).
KINDS: dict[str, dict[str, str]] = {
    "sum_mismatch": {"vi": "tổng không khớp", "en": "total does not add up"},
    "table_total_mismatch": {"vi": "tổng của bảng không khớp", "en": "table total does not add up"},
    "percent_mismatch": {"vi": "tỷ lệ không khớp", "en": "percentage does not match"},
    "percent_impossible": {"vi": "tỷ lệ không thể có", "en": "impossible percentage"},
    "difference_mismatch": {"vi": "chênh lệch không khớp", "en": "difference does not match"},
    "numbering_order": {"vi": "số văn bản ngược thứ tự ngày", "en": "numbering against dates"},
    "unnumbered_draft": {"vi": "bản chưa ký số", "en": "unnumbered draft"},
    "blank_day_draft": {"vi": "bản chưa ghi ngày", "en": "draft with a blank day"},
    "ref_date_conflict": {"vi": "một văn bản, hai ngày", "en": "one reference, two dates"},
    "ref_type_conflict": {"vi": "một văn bản, hai loại", "en": "one reference, two types"},
    "ref_dated_after_citing": {"vi": "dẫn văn bản ban hành sau", "en": "cites a later document"},
    "period_total_mismatch": {"vi": "lũy kế giữa các kỳ không khớp", "en": "cumulative periods disagree"},
    "carry_over_mismatch": {"vi": "số chuyển kỳ không khớp", "en": "carry-over does not match"},
    "figure_restated_differently": {"vi": "số liệu nêu khác nhau", "en": "figure restated differently"},
    "duplicate_differs": {"vi": "bản trùng khác nhau", "en": "duplicate differs"},
    "place_spelling": {"vi": "sai chính tả địa danh", "en": "misspelt place"},
    "body_spelling": {"vi": "sai chính tả tên cơ quan", "en": "misspelt body"},
}


def kind_label(lang: str, kind: str | None) -> str:
    if not kind:
        return ""
    return KINDS.get(kind, {}).get(lang) or kind


@functools.lru_cache(maxsize=1)
def _metric_labels() -> dict[str, dict[str, str]]:
    import yaml

    from ..patterns import patterns_dir

    with (patterns_dir() / "metrics.yaml").open(encoding="utf-8") as fh:
        entries = (yaml.safe_load(fh) or {}).get("metrics", [])
    return {e["id"]: e["label"] for e in entries if isinstance(e.get("label"), dict)}


def metric_label(lang: str, metric: str | None) -> str:
    """What a metric measures, in words (``hồ sơ tiếp nhận mới``); its id when unnamed."""
    if not metric:
        return ""
    labels = _metric_labels().get(metric, {})
    return labels.get(lang) or labels.get("vi") or metric
