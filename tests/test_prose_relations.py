"""Relations that prose states beyond sums and shares of a ratio: a figure restated within the
document, a change against another period, a multiple, a part of a plan, the rest of a whole,
a product. Each row is an invented text, the claims read from it (kind, rule, holds or
"unchecked") and the findings it must give; the broken rows are the same texts with one figure
changed."""
from __future__ import annotations

import pytest

from extractor import extract_facts
from extractor.reconcile import check_document
from extractor.reconcile.checks import relation_counts

APPENDIX = ("Điều 1. Phân bổ kế hoạch vốn năm 2024 cho Đề án nâng cấp trụ sở xã: {body} triệu đồng "
            "(Chi tiết tại Phụ lục 01 kèm theo Quyết định này).\n\nĐiều 2. Tổ chức thực hiện.\n\n"
            "PHỤ LỤC 01:\n\nDANH MỤC DỰ ÁN\n\nĐVT: triệu đồng\n\n| STT | Dự án | Kế hoạch vốn |\n|---|---|---|\n"
            "|  | TỔNG SỐ | {table} |\n| 1 | Trụ sở xã An Bình | 6.400 |\n| 2 | Trụ sở xã An Phú | 6.400 |\n")
# A summary and the body restating its sentence, with another figure (the anchor) stated alike.
SUMMARY = ("Tóm tắt: đến hết năm 2024 số trạm sạc xe điện đạt {first} trạm, bằng 64,5% số xã.\n\n"
           "Ý kiến của các đơn vị được tổng hợp tại mục sau.\n\n"
           "Kết quả: các huyện cho biết đến hết năm 2024 số trạm sạc xe điện đạt {second} trạm "
           "(64,5% số xã), vượt kế hoạch.\n")
# Sibling items of a list share their words and a border value: not one figure.
BANDS = ("- Trên 1.250 người đến 2.500 người, cứ 125 người tăng thêm được thêm 2 điểm.\n"
         "- Trên 2.500 người, cứ 125 người tăng thêm được thêm 1 điểm.\n")

# A formula written out, and a figure rounded in words.
FORMULA = "Số phiếu mỗi xã sẽ là: P = (46.800 x 1.500)/ 325.000 = {result} phiếu (làm tròn {rounded} phiếu)."

ROWS = [
    # (text, [(claim kind, rule, verdict)], [finding kinds])
    (APPENDIX.format(body="12.800", table="12.800"),
     [("restatement", "restatement.appendix_total", True)], []),
    (APPENDIX.format(body="12.500", table="12.800"),
     [("restatement", "restatement.appendix_total", False)], ["restatement_mismatch"]),
    # 12,8 tỷ đồng is 12.800 triệu đồng: amounts are compared in đồng, not as written.
    (APPENDIX.format(body="12.800", table="12.800").replace("12.800 triệu đồng", "12,8 tỷ đồng"),
     [("restatement", "restatement.appendix_total", True)], []),
    (SUMMARY.format(first="1.236", second="1.236"),
     [("restatement", "restatement.equal", True), ("restatement", "restatement.equal", True)], []),
    (SUMMARY.format(first="1.263", second="1.236"),
     [("restatement", "restatement.label_anchor", False), ("restatement", "restatement.equal", True)],
     ["restatement_mismatch"]),
    (BANDS, [], []),
    # The same words in two periods are two figures.
    ("Năm 2023, toàn tỉnh tiếp nhận 12.345 hồ sơ trực tuyến, đạt 61,5% tổng số hồ sơ.\n\nNội dung khác.\n\n"
     "Năm 2024, toàn tỉnh tiếp nhận 13.579 hồ sơ trực tuyến, đạt 61,5% tổng số hồ sơ.\n", [], []),
    # 46.800 × 1.500 / 325.000 = 216: the result and its rounding hold, or one of them does not.
    (FORMULA.format(result="216", rounded="220"),
     [("product", "product.formula", True), ("product", "product.rounded", True)], []),
    (FORMULA.format(result="261", rounded="260"),
     [("product", "product.formula", False), ("product", "product.rounded", True)], ["formula_mismatch"]),
    (FORMULA.format(result="216", rounded="210"),
     [("product", "product.formula", True), ("product", "product.rounded", False)], ["rounding_mismatch"]),
    # The result on the next line; a unit after an operand.
    ("C = (2.400 x 100.000)/ 3.000.000 người\n= 80 người.", [("product", "product.formula", True)], []),
    # Operands in two scales are not computed together.
    ("Mức hỗ trợ: 5 tỷ đồng x 20 triệu đồng = 100 tỷ đồng.", [("product", "product.formula", "unchecked")], []),
    # A ratio with its percentage is the share reader's; an equation with no operator is no formula.
    ("Tỷ lệ đúng hạn: 4.081/4.101 = 99,5%.", [("share", "share.ratio", True)], []),
    ("Quy đổi: 1 USD = 25.400 đồng.", [], []),
]


def relations(text: str):
    results, findings = check_document(text, extract_facts(text).facts)
    read = [(r.claim.kind, r.claim.rule, "unchecked" if not r.checked else r.holds) for r in results
            if r.claim.kind not in ("sum", "implied_whole") or r.claim.rule.startswith("restatement")]
    return results, read, [f.kind for f in findings]


@pytest.mark.parametrize("text,claims,finding_kinds", ROWS, ids=[f"{i}:{r[0][:50]}" for i, r in enumerate(ROWS)])
def test_rows(text, claims, finding_kinds):
    _, read, found = relations(text)
    assert read == claims
    assert found == finding_kinds


def test_a_restated_finding_quotes_both_places():
    text = APPENDIX.format(body="12.500", table="12.800")
    results, findings = check_document(text, extract_facts(text).facts)
    (finding,) = findings
    record = finding.to_dict(text)
    assert [e["text"] for e in record["evidence"]] == ["12.500 triệu đồng", "12.800"]
    assert record["message"] == "Cùng một số liệu được nêu khác nhau trong văn bản: 12.500 triệu đồng / 12.800"


def test_unchecked_relations_are_counted_apart_and_give_no_finding():
    # The appendix table states two totals of the amount's kind: which one the body restates
    # is not said, so the relation is listed as unchecked.
    text = APPENDIX.format(body="12.500", table="12.800").replace(
        "| Kế hoạch vốn |\n|---|---|---|\n|  | TỔNG SỐ | 12.800 |",
        "| Kế hoạch vốn | Vốn đã giao |\n|---|---|---|---|\n|  | TỔNG SỐ | 12.800 | 9.000 |")
    results, findings = check_document(text, extract_facts(text).facts)
    assert not [f for f in findings if f.kind == "restatement_mismatch"]
    counts = relation_counts(results)
    assert counts["by_kind"]["restatement"]["unchecked"] == 1
    assert counts["unchecked"] == 1 and counts["checked"] == len(results) - 1
