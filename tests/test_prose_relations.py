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

# A target of the body copied into a row of the appendix (its cells one under another).
TARGETS = ("II. MỤC TIÊU\n\n- Tỷ lệ hồ sơ thủ tục hành chính được số hóa kết quả giải quyết đạt {body}.\n\n"
           "- Tỷ lệ người dân hài lòng với dịch vụ công đạt tối thiểu 90%.\n\nIII. TỔ CHỨC THỰC HIỆN\n\n"
           "Các sở, ngành thực hiện nhiệm vụ tại Phụ lục của Kế hoạch.\n\n**PHỤ LỤC**\n\nCHỈ TIÊU\n\n \n1\n \n"
           "Tỷ lệ hồ sơ thủ tục hành chính được số hóa kết quả giải quyết đạt {appendix}.\n \nSở Nội vụ\n \n")

# A formula written out, and a figure rounded in words.
FORMULA = "Số phiếu mỗi xã sẽ là: P = (46.800 x 1.500)/ 325.000 = {result} phiếu (làm tròn {rounded} phiếu)."

# A list of procedures written one cell under another: the row's number, its name, its time
# limit and, in its note, the cut of that limit.
CUT_ROWS = ("4\n \nCấp phép khai thác cát sỏi lòng sông (1.004321)\n \nTrong thời hạn {limit} ngày làm việc,\n"
            "kể từ ngày nhận đủ hồ sơ\n \nCắt giảm thời gian giải quyết\ntừ 20 ngày xuống 18 ngày\n \n"
            "5\n \nGia hạn giấy phép khai thác cát sỏi (1.004322)\n \n12 ngày\n \nKhông quy định\n")

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
    (TARGETS.format(body="80%", appendix="80%"), [("restatement", "restatement.appendix_row", True)], []),
    (TARGETS.format(body="80%", appendix="85%"), [("restatement", "restatement.appendix_row", False)],
     ["restatement_mismatch"]),
    # A label the appendix states for several rows is a template, not the body's figure.
    (TARGETS.format(body="80%", appendix="85%").replace("Sở Nội vụ\n", "Sở Nội vụ\n \n2\n \nTỷ lệ hồ sơ thủ tục "
                                                       "hành chính được số hóa kết quả giải quyết đạt 60%.\n"), [], []),
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
    # A time limit and the cut its note gives: the limit stated is the one after the cut.
    (CUT_ROWS.format(limit="18"), [("restatement", "restatement.time_cut", True)], []),
    (CUT_ROWS.format(limit="20"), [("restatement", "restatement.time_cut", False)], ["restatement_mismatch"]),
    ("| 3 | Cấp đổi chứng chỉ hành nghề | Thời hạn giải quyết: 10 ngày | Cắt giảm thời gian giải quyết từ 12 ngày "
     "xuống 10 ngày |\n", [("restatement", "restatement.time_cut", True)], []),
    # A cut noted in a row that states no limit is not held against another row's limit.
    ("4\n \nCấp phép (1.1)\n \nTrong thời hạn 20 ngày làm việc\n \n5\n \nGia hạn (1.2)\n \n"
     "Cắt giảm thời gian giải quyết từ 20 ngày xuống 18 ngày\n", [], []),
    # A change in percent against the figure of the other period, stated after or before it.
    ("Năm 2024 tiếp nhận 2.760 hồ sơ, tăng 15% so với năm 2023 (2.400 hồ sơ).",
     [("percent_change", "change.percent", True)], []),
    ("Năm 2024 tiếp nhận 2.760 hồ sơ, tăng 13% so với năm 2023 (2.400 hồ sơ).",
     [("percent_change", "change.percent", False)], ["percent_change_mismatch"]),
    ("Năm 2024 tiếp nhận 2.160 hồ sơ (năm 2023: 2.400 hồ sơ), giảm 10%.",
     [("percent_change", "change.percent", True)], []),
    # A rise written as a fall is a broken relation.
    ("Năm 2024 tiếp nhận 2.760 hồ sơ, giảm 15% so với năm 2023 (2.400 hồ sơ).",
     [("percent_change", "change.percent", False)], ["percent_change_mismatch"]),
    # The base is not stated: unchecked, whatever figure of the paragraph would fit.
    ("Năm 2023 tiếp nhận 2.400 hồ sơ. Năm 2024 tiếp nhận 2.760 hồ sơ, tăng 15% so với cùng kỳ.",
     [("percent_change", "change.percent", "unchecked")], []),
    # Figures written rounded in a scale ("8,1 triệu") are known to half their last digit: 8,05 to
    # 8,15 million against 7,15 to 7,25 million allows 11,0% to 14,0%.
    ("Năm 2024 đón 8,1 triệu lượt khách, tăng 11,8% so với năm 2023 (7,2 triệu lượt).",
     [("percent_change", "change.percent", True)], []),
    ("Năm 2024 đón 8,1 triệu lượt khách, tăng 20% so với năm 2023 (7,2 triệu lượt).",
     [("percent_change", "change.percent", False)], ["percent_change_mismatch"]),
    # A number whose unit is only inferred is not the other figure; nor one further on.
    ("Kinh phí năm 2024 là 500 tỷ đồng, tăng 15% so với năm 2023, hỗ trợ 433 hộ.",
     [("percent_change", "change.percent", "unchecked")], []),
    ("Thu 680 tỷ đồng, đạt 42,5% kế hoạch năm, trong khi các huyện mới giải ngân được 90 tỷ đồng.",
     [("share", "share.plan", "unchecked")], []),
    # A multiple.
    ("Năm 2024 có 1.260 tài khoản định danh, gấp 3 lần năm 2023 (420 tài khoản).",
     [("multiple", "change.multiple", True)], []),
    ("Năm 2024 có 1.260 tài khoản định danh, gấp 4 lần năm 2023 (420 tài khoản).",
     [("multiple", "change.multiple", False)], ["multiple_mismatch"]),
    ("Năm 2024 có 1.360 tài khoản định danh, gấp hơn 3 lần năm 2023 (420 tài khoản).",
     [("multiple", "change.multiple", True)], []),
    ("Năm 2024 có 1.260 tài khoản định danh, gấp 3 lần năm trước.", [("multiple", "change.multiple", "unchecked")], []),
    # A part of a plan or an estimate, in đồng whatever the scale each is written in.
    ("Thu ngân sách 6 tháng đạt 680 tỷ đồng, bằng 42,5% dự toán năm (1.600 tỷ đồng).",
     [("share", "share.plan", True)], []),
    ("Thu ngân sách 6 tháng đạt 680 tỷ đồng, bằng 42,5% dự toán năm (1.600.000 triệu đồng).",
     [("share", "share.plan", True)], []),
    ("Thu ngân sách 6 tháng đạt 680 tỷ đồng, bằng 45,2% dự toán năm (1.600 tỷ đồng).",
     [("share", "share.plan", False)], ["percent_mismatch"]),
    ("Thu ngân sách 6 tháng đạt 680 tỷ đồng, bằng 42,5% dự toán năm.", [("share", "share.plan", "unchecked")], []),
    # The rest of a whole.
    ("Hồ sơ nộp trực tuyến chiếm 71,5%, còn lại 28,5% là hồ sơ nộp trực tiếp.",
     [("complement", "complement.percent", True)], []),
    ("Hồ sơ nộp trực tuyến chiếm 71,5%, còn lại 18,5% là hồ sơ nộp trực tiếp.",
     [("complement", "complement.percent", False)], ["complement_mismatch"]),
    ("Cấp tỉnh chiếm 20%, cấp huyện chiếm 35%, còn lại 45% ở cấp xã.",
     [("complement", "complement.percent", True)], []),
    # Two percentages that are not parts of one whole: no rest is read.
    ("Tỷ lệ trực tuyến đạt 71,5%, đúng hạn 98%, còn lại 28,5% nộp trực tiếp.", [], []),
    # A product of a count and a figure per item.
    ("Khảo sát tại 18 xã, mỗi xã 40 phiếu, tổng cộng 720 phiếu.", [("product", "product.per_item", True)], []),
    ("Khảo sát tại 18 xã, mỗi xã 40 phiếu, tổng cộng 760 phiếu.", [("product", "product.per_item", False)],
     ["formula_mismatch"]),
    ("Khảo sát tại 18 xã, mỗi đơn vị 40 phiếu, tổng cộng 760 phiếu.", [], []),
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


def test_the_audit_says_what_it_checked_by_kind(tmp_path):
    from click.testing import CliRunner

    from extractor.audit import audit_paths
    from extractor.cli import cli

    path = tmp_path / "bc.txt"
    path.write_text("Năm 2024 tiếp nhận 2.760 hồ sơ, tăng 13% so với năm 2023 (2.400 hồ sơ).\n"
                    "Thu ngân sách 6 tháng đạt 680 tỷ đồng, bằng 42,5% dự toán năm.\n", encoding="utf-8")
    (document,) = audit_paths([str(path)]).to_dict()["documents"]
    assert document["relations"]["percent_change"] == {"checked": 1, "holding": 0, "broken": 1, "unchecked": 0}
    assert document["relations"]["share"]["unchecked"] == 1 and document["claims_unchecked"] == 1
    shown = CliRunner().invoke(cli, ["audit", str(path)]).output
    assert (f"{document['claims']} quan hệ số liệu đã kiểm tra: {document['claims_holding']} khớp, "
            f"{document['claims'] - document['claims_holding']} không khớp; 1 quan hệ chưa kiểm tra được") in " ".join(shown.split())
