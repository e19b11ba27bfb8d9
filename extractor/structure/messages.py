"""Messages of the structure analysis: Vietnamese by default, English on request.

Kept apart from extractor/messages.py; :func:`message` falls back to that table for codes it
does not hold, so one call serves both.
"""
from __future__ import annotations

from ..messages import MESSAGES as BASE_MESSAGES
from ..messages import render

MESSAGES: dict[str, dict[str, str]] = {
    "place_spelling": {
        "vi": "Địa danh viết sai chính tả: \"{text}\" (đúng là \"{corrected}\")",
        "en": "Misspelt place name: \"{text}\" (should read \"{corrected}\")",
    },
    "body_spelling": {
        "vi": "Tên cơ quan viết sai chính tả: \"{text}\" (đúng là \"{corrected}\")",
        "en": "Misspelt body name: \"{text}\" (should read \"{corrected}\")",
    },
    "unnumbered_draft": {
        "vi": "Văn bản chưa có số (\"{text}\"): có thể là bản dự thảo chưa đăng ký, chưa ký ban hành",
        "en": "The document has no number (\"{text}\"): probably an unregistered, unsigned draft",
    },
    "blank_day_draft": {
        "vi": "Ngày ban hành để trống ngày (\"{text}\"): có thể là bản dự thảo chưa ký ban hành",
        "en": "The issue date has no day (\"{text}\"): probably an unsigned draft",
    },
    "draft_mark": {
        "vi": "Văn bản ghi là dự thảo (\"{text}\")",
        "en": "The document is marked as a draft (\"{text}\")",
    },
    "unsigned": {
        "vi": "Khối chữ ký không có tên người ký (\"{text}\")",
        "en": "The signature block names no signer (\"{text}\")",
    },
    # Names of document kinds, for reports.
    "kind_state_administrative": {"vi": "Văn bản hành chính", "en": "State administrative document"},
    "kind_normative": {"vi": "Văn bản quy phạm pháp luật", "en": "Legal normative document"},
    "kind_party": {"vi": "Văn bản của Đảng", "en": "Party document"},
    "kind_news_article": {"vi": "Tin bài", "en": "News article"},
}


def message(code: str, lang: str = "vi", **fields: object) -> str:
    return render(MESSAGES if code in MESSAGES else BASE_MESSAGES, code, lang, **fields)