"""Headers as real files lay them out: a PDF line where the issuer runs into the quốc hiệu, the
place and date in the right-hand column, a header table's own number with its date, and an
appendix issued as a file of its own (its type, its document and that document's issuer)."""
from __future__ import annotations

import pytest

from extractor import process

BODY = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\nNội dung chính của văn bản.\n"

CASES = [
    pytest.param(
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH HÀ NAM\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 12/KH-UBND\tHà Nam, ngày 05 tháng 3 năm 2025\nKẾ HOẠCH\nCải cách hành chính năm 2025\n" + BODY,
        {"issuer": "Ủy ban nhân dân tỉnh Hà Nam", "place": "Hà Nam", "canonical": "12/KH-UBND",
         "date": "2025-03-05", "doc_type": "Kế hoạch"}, id="issuer-beside-quoc-hieu"),
    pytest.param(
        "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH HÀ NAM\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: /TB-UBND\tHà Nam, ngày tháng 03 năm 2025\nTHÔNG BÁO\nKết luận cuộc họp\n" + BODY,
        {"issuer": "Ủy ban nhân dân tỉnh Hà Nam", "place": "Hà Nam", "canonical": None, "date": None,
         "month": "2025-03"}, id="blank-number-place-in-its-column"),
    pytest.param(
        "| BỘ NỘI VỤ | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc |\n"
        "| Số: 3/2026/TT-BNV | Hà Nội, ngày 09 tháng 01 năm 2026 |\nTHÔNG TƯ\nHướng dẫn xếp lương\n" + BODY,
        {"issuer": "Bộ Nội vụ", "canonical": "3/2026/TT-BNV", "date": "2026-01-09", "doc_type": "Thông tư"},
        id="header-table"),
    pytest.param(
        "Phụ lục II\nDANH MỤC THỦ TỤC HÀNH CHÍNH\n(Kèm theo Quyết định số 12/QĐ-UBND\n"
        "ngày 02/01/2025 của Ủy ban nhân dân tỉnh Hà Nam)\n1. Thủ tục cấp phép.\n2. Thủ tục gia hạn.\n",
        {"doc_type": "Phụ lục", "attached_to": "12/QĐ-UBND", "issuer": "Ủy ban nhân dân tỉnh Hà Nam",
         "title": "DANH MỤC THỦ TỤC HÀNH CHÍNH", "canonical": None, "date": None,
         "kind": "state_administrative"}, id="appendix-of-a-decision"),
    pytest.param(
        "PHỤ LỤC I\nMẪU BÁO CÁO\n(Ban hành kèm theo Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 "
        "của Chính phủ)\nI. Yêu cầu chung\n",
        {"doc_type": "Phụ lục", "attached_to": "30/2020/NĐ-CP", "issuer": "Chính phủ", "kind": "normative"},
        id="appendix-of-a-decree"),
    pytest.param(
        "Phụ lục 3\nDanh sách đại biểu dự họp\n1. Ông Nguyễn Văn An.\n",
        {"doc_type": "Phụ lục", "attached_to": None, "issuer": None}, id="appendix-naming-no-document"),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_header_layout(tmp_path, text, expected):
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    result = process(str(path), reconcile=False)
    meta = result.metadata()
    assert {key: meta.get(key) for key in expected} == expected
    assert "CỘNG HÒA" not in (meta.get("issuer") or "").upper()
    own = [f for f in result.facts if f.kind == "doc_ref" and f.value.get("own") and f.value.get("canonical")]
    if expected.get("canonical"):  # the own number is the document's own, with its date
        assert [(f.value["canonical"], f.value["date"]) for f in own] == [(expected["canonical"], expected["date"])]
    else:
        assert not own
