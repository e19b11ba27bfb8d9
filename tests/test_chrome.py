"""Page chrome is not the document: a legal portal's site block, editorial summary and trailer of
related documents, a blog's front matter, images, bylines and photo captions give no fact, and
what they say about the document is page metadata (`document.page`). The pages are written here."""
from __future__ import annotations

import pytest

from extractor import process

PORTAL_PAGE = """\
**Số hiệu:**
|
45/KH-UBND
|
**Loại văn bản:**
|
Kế hoạch
|
**Nơi ban hành:**
|
Tỉnh An Hòa
|
**Người ký:**
|
Lê Văn Bình
|
**Ngày ban hành:**
|
12/03/2025
|
**Tình trạng:**
|
Đã biết
|
## Tỉnh An Hòa đẩy mạnh cải cách hành chính năm 2025
**Ngày 12/3/2025, Ủy ban nhân dân tỉnh An Hòa ban hành Kế hoạch 45/KH-UBND về cải cách hành chính.**
Theo đó, từ ngày 01/4/2025 các sở, ngành báo cáo hằng tháng.
Xem chi tiết tại Kế hoạch 45/KH-UBND ngày 12/3/2025.
**ỦY BAN NHÂN DÂN
TỈNH AN HÒA**
-------
**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
Số: 45/KH-UBND
*An Hòa, ngày 12 tháng 3 năm 2025*
**KẾ HOẠCH**
Cải cách hành chính năm 2025
Căn cứ Quyết định số 120/QĐ-UBND ngày 05/01/2025 của Ủy ban nhân dân tỉnh;
1. Hoàn thành các nhiệm vụ trước ngày 15/12/2025.
**TM. ỦY BAN NHÂN DÂN**
**CHỦ TỊCH**
**Lê Văn Bình**
Kế hoạch 45/KH-UBND năm 2025 về cải cách hành chính do tỉnh An Hòa ban hành
Văn bản này chưa cập nhật nội dung Tiếng Anh
Kế hoạch 45/KH-UBND ngày 12/03/2025 về cải cách hành chính do tỉnh An Hòa ban hành
## Văn bản liên quan
Ban hành:
09/12/2024
Hiệu lực: Đã biết
Cập nhật:
10/12/2024
"""

BLOG_POST = """\
---
layout: post
title: " [Cải cách hành chính] Tỉnh An Hòa tiếp nhận 12.500 hồ sơ trong tháng 3 ..."
date: Tue, 01 Apr 2025 09:00:00 +0700
categories: entries VN
---
[Tỉnh An Hòa tiếp nhận 12.500 hồ sơ trong tháng 3 ...](https://tin.example.vn/an-hoa-12500-ho-so)

![Tỉnh An Hòa tiếp nhận 12.500 hồ sơ trong tháng 3 ...](https://tin.example.vn/anh/ho-so.jpg)

NGUYỄN AN - Thứ ba, 01/04/2025 08:30 (GMT+7)

Trong tháng 3/2025, Trung tâm Phục vụ hành chính công tỉnh An Hòa tiếp nhận 12.500 hồ sơ, trong đó 9.800 hồ sơ trực tuyến, đạt 78,4%.

Người dân nộp hồ sơ ngày 28/3/2025 tại Trung tâm. Ảnh: Minh Hà

(Ảnh minh họa)

Tổng kinh phí đầu tư cho hệ thống là 3,5 tỷ đồng.
"""

# A report whose own words look like chrome: a table cell, a form's photo count, a date at the end.
REPORT = """\
ỦY BAN NHÂN DÂN TỈNH AN HÒA
Số: 12/BC-UBND
An Hòa, ngày 20 tháng 6 năm 2025
BÁO CÁO
Kết quả cải cách hành chính 6 tháng đầu năm 2025
1. Hồ sơ đề nghị gồm ảnh: 02 ảnh 4x6, nộp trước ngày 30/6/2025.
| Văn bản liên quan |
| Kế hoạch số 45/KH-UBND ngày 12/3/2025 |
2. Báo cáo gửi về Sở Nội vụ trước ngày 05/7/2025.
"""

# (name, text, facts that must not be found, facts that must be found once, page metadata)
ROWS = [
    ("legal portal", PORTAL_PAGE,
     [("date", "2025-04-01"), ("date", "2024-12-09"), ("date", "2024-12-10")],
     [("date", "2025-03-12"), ("date", "2025-01-05"), ("date", "2025-12-15"), ("doc_ref", "120/QĐ-UBND")],
     {"number": "45/KH-UBND", "doc_type": "Kế hoạch", "issuer": "Tỉnh An Hòa", "signer": "Lê Văn Bình",
      "issued": "2025-03-12"}),
    ("blog post", BLOG_POST,
     [("date", "2025-04-01"), ("date", "2025-03-28")],
     [("quantity", "12.500 hồ sơ"), ("percent", "78,4%"), ("money", "3,5 tỷ đồng")],
     {"published": "2025-04-01",
      "title": "[Cải cách hành chính] Tỉnh An Hòa tiếp nhận 12.500 hồ sơ trong tháng 3 ..."}),
    ("report", REPORT,
     [],
     [("date", "2025-06-30"), ("date", "2025-03-12"), ("date", "2025-07-05"), ("doc_ref", "45/KH-UBND")],
     None),
]


def _key(record: dict) -> str:
    value = record["value"]
    if record["kind"] == "date":
        return value["iso"]
    if record["kind"] == "doc_ref":
        return value.get("canonical") or ""
    return record["text"]


@pytest.mark.parametrize("name,text,absent,present,page", ROWS, ids=[r[0] for r in ROWS])
def test_page_chrome_gives_no_fact_and_is_page_metadata(tmp_path, name, text, absent, present, page):
    path = tmp_path / "page.md"
    path.write_text(text, encoding="utf-8")
    result = process(str(path), reconcile=False)
    records = result.fact_records()
    found = [(r["kind"], _key(r)) for r in records]
    for fact in absent:
        assert fact not in found, fact
    for fact in present:
        assert fact in found, (fact, found)
    if present and present[0][0] == "quantity":
        # The headline's figure is in the front matter, the link and the image too: once here.
        assert found.count(present[0]) == 1
    document = result.metadata()
    assert document.get("page") == page
    text = result.text
    for key, span in (document["spans"].get("page") or {}).items():
        assert text[span["start"]:span["end"]] == span["text"], key
