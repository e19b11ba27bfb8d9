"""The figures of a simplification plan: each procedure's cut of its time (time before - cut =
time after) and the compliance cost it saves (the cost formula, the working day in hours, the
saving and its rate, the days of each cost line); and of a procedure's internal process, whose
steps' times add up to its total. Each row is an invented text, the claims read
from it (kind, rule, holds or "unchecked") and the findings it must give; the broken rows are the
same texts with one figure changed."""
from __future__ import annotations

import pytest

from extractor import extract_facts
from extractor.reconcile import check_document

# A plan's item: its cut against the prescribed time, then the time before and after.
ITEM = ("a. Nội dung cắt giảm, đơn giản hóa: Giảm {cut} so với quy định.\n\n"
        "- Thời gian giải quyết theo quy\nđịnh: {before} kể từ ngày Sở Tư pháp nhận đủ hồ sơ.\n\n"
        "- Thời gian thực hiện: {after} kể từ ngày Sở Tư pháp nhận đủ hồ sơ.\n")
# A reason line: the time, the cut and what remains in one sentence.
REASON = ("b. Lý do: Thời gian giải quyết tại Sở Tư pháp là {before}, thực tế giải quyết thấy có thể rút "
          "ngắn được\n{cut} còn {after}.\n")
# A change of the procedure's time, and the days its benefit says are saved.
BENEFIT = ("1.1. Nội dung đơn giản hóa\n\nGiảm thời gian giải quyết thủ tục hành chính từ 15 ngày làm việc còn "
           "{after} ngày làm việc kể từ ngày nhận được hồ sơ hợp lệ.\n\n1.2. Kiến nghị thực thi\n\nSửa đổi Điều 7 "
           "của Thông tư.\n\n1.3. Lợi ích phương án đơn giản hóa\n\nGiảm được {saved} ngày làm việc giải quyết hồ sơ.\n")
# The compliance-cost lines of a procedure whose time goes from 15 to 12 working days.
COST = (BENEFIT.format(after="12", saved="03")
        + "\n- Chi phí tuân thủ TTHC trước\nkhi đơn giản hóa: (15 ngày làm việc = 120 giờ x 50.000 đồng/giờ) x 20 hồ "
          "sơ/năm\n= {before_cost} đồng/năm.\n\n"
          "- Chi phí tuân thủ TTHC sau khi\nđơn giản hóa: {after_days} ngày làm việc = {after_hours} giờ x 50.000 đồng/giờ) "
          "x20 hồ sơ/năm =\n96.000.000 đồng/năm.\n\n"
          "- Chi phí tiết kiệm: {saving}\nđồng/năm.\n\n- Tỷ lệ cắt giảm chi phí: {rate}%.\n")
COST_CLAIMS = [("product", "product.formula", True), ("product", "product.formula", True),
               ("product", "product.working_hours", True), ("product", "product.working_hours", True),
               ("difference", "difference.time_cut", True), ("difference", "difference.cost_saving", True),
               ("share", "share.cost_cut", True), ("restatement", "restatement.cut_cost_days", True),
               ("restatement", "restatement.cut_cost_days", True)]

# A procedure's internal process, its cells written one under another.
STEP = "Bước {n}\n \n{work}\n \nChuyên viên Phòng Hộ tịch\n \n{time}\n \n \n"
PROCESS = ("**Quy trình số 03**\n \n**Thứ tự công việc**\n \n**Thời gian thực hiện**\n \n \n"
           + STEP.format(n=1, work="Tiếp nhận hồ sơ trong không quá 01 ngày làm việc", time="0,5 ngày làm việc")
           + STEP.format(n=2, work="Thẩm định hồ sơ", time="{second}")
           + STEP.format(n=3, work="Trả kết quả", time="Không tính thời gian")
           + "**Tổng thời gian giải quyết TTHC**\n \n**{total} ngày làm việc**\n")
# A process in two parts, one per level of government, each heading stating its time.
PARTS = ("**Quy trình số 04**\n \n**I**\n \n**Quy trình giải quyết tại cấp\nxã (02 ngày làm việc)**\n \n"
         + STEP.format(n=1, work="Tiếp nhận", time="0,5 ngày làm việc") + STEP.format(n=2, work="Xác minh", time="{commune}")
         + "**II**\n \n**Quy trình giải quyết tại cấp\ntỉnh (05 ngày làm việc)**\n \n"
         + STEP.format(n=1, work="Thẩm định", time="05 ngày làm việc")
         + "**Tổng thời gian giải quyết TTHC**\n \n**{total} ngày làm việc**\n")

ROWS = [
    # (text, [(claim kind, rule, verdict)], [finding kinds])
    (PROCESS.format(second="04 ngày làm việc", total="4,5"), [("sum", "sum.step_times", True)], []),
    (PROCESS.format(second="04 ngày làm việc", total="05"), [("sum", "sum.step_times", False)], ["sum_mismatch"]),
    # A step whose time is not stated, or stated in hours: unchecked.
    (PROCESS.format(second="Theo quy định", total="4,5"), [("sum", "sum.step_times", "unchecked")], []),
    (PROCESS.format(second="04 giờ", total="4,5"), [("sum", "sum.step_times", "unchecked")], []),
    # A step numbered twice is no list of steps that can be added up.
    (PROCESS.format(second="04 ngày làm việc", total="4,5").replace("Bước 3", "Bước 2"),
     [("sum", "sum.step_times", "unchecked")], []),
    (PARTS.format(commune="1,5 ngày làm việc", total="07"),
     [("sum", "sum.step_times", True), ("sum", "sum.step_times", True), ("sum", "sum.step_parts", True)], []),
    (PARTS.format(commune="02 ngày làm việc", total="07"),
     [("sum", "sum.step_times", False), ("sum", "sum.step_times", True), ("sum", "sum.step_parts", True)],
     ["sum_mismatch"]),
    (PARTS.format(commune="1,5 ngày làm việc", total="08"),
     [("sum", "sum.step_times", True), ("sum", "sum.step_times", True), ("sum", "sum.step_parts", False)],
     ["sum_mismatch"]),
    (ITEM.format(cut="02 ngày", before="07 ngày", after="05 ngày"), [("difference", "difference.time_cut", True)], []),
    (ITEM.format(cut="02 ngày", before="07 ngày", after="04 ngày"), [("difference", "difference.time_cut", False)],
     ["difference_mismatch"]),
    # Cases matched in order; a time written in words before its figure.
    (ITEM.format(cut="1,5 ngày và 2,5 ngày", before="05 ngày hoặc 08 ngày", after="3,5 ngày hoặc 5,5 ngày"),
     [("difference", "difference.time_cut", True), ("difference", "difference.time_cut", True)], []),
    (ITEM.format(cut="4,5 ngày", before="15 ngày", after="Mười ngày rưỡi\n10,5 ngày làm việc"),
     [("difference", "difference.time_cut", True)], []),
    # Lists of different lengths, or a time the item does not state: unchecked, never a finding.
    (ITEM.format(cut="1,5 ngày và 2,5 ngày", before="05 ngày", after="3,5 ngày"),
     [("difference", "difference.time_cut", "unchecked")], []),
    (ITEM.format(cut="02 ngày", before="07 ngày", after="05 ngày").replace("- Thời gian thực hiện:", "- Ghi chú:"),
     [("difference", "difference.time_cut", "unchecked")], []),
    # Cases listed under the label on lines of their own are not read as the label's time.
    ("a. Nội dung cắt giảm: Giảm 7,5 ngày, 03 ngày so với quy định.\n\n- Thời gian giải quyết theo quy định:\n\n"
     "1. Đối với trường hợp gia hạn: 17,5 ngày làm việc\n\n2. Đối với trường hợp cấp lại: 07 ngày làm việc\n",
     [("difference", "difference.time_cut", "unchecked")], []),
    (REASON.format(before="12 ngày", cut="03 ngày", after="9 ngày"), [("difference", "difference.time_cut", True)], []),
    (REASON.format(before="12 ngày", cut="03 ngày", after="8 ngày"), [("difference", "difference.time_cut", False)],
     ["difference_mismatch"]),
    (REASON.format(before="25 ngày,10 ngày", cut="7,5, 03 ngày", after="17,5 ngày, 7 ngày"),
     [("difference", "difference.time_cut", True), ("difference", "difference.time_cut", True)], []),
    # A cut with no time before it in its sentence is no cut of a stated time.
    ("Thực tế giải quyết thấy có thể rút ngắn được 02 ngày.\n", [], []),
    (BENEFIT.format(after="12", saved="03"), [("difference", "difference.time_cut", True)], []),
    (BENEFIT.format(after="12", saved="02"), [("difference", "difference.time_cut", False)], ["difference_mismatch"]),
    # A change of a step's time ("thẩm định"), not of the procedure's, is not what the benefit saves.
    (BENEFIT.format(after="12", saved="03").replace("thời gian giải quyết thủ tục hành chính", "thời gian thẩm định"),
     [], []),
    (COST.format(before_cost="120.000.000", after_days="12", after_hours="96", saving="24.000.000", rate="20"),
     COST_CLAIMS, []),
    # The saving is off; the rate is computed from it and holds.
    (COST.format(before_cost="120.000.000", after_days="12", after_hours="96", saving="20.000.000", rate="20"),
     [c if c[1] not in ("difference.cost_saving", "share.cost_cut") else (c[0], c[1], False) for c in COST_CLAIMS],
     ["difference_mismatch", "percent_mismatch"]),
    # The cost after counts 13 days where the cut leaves 12; 13 days are not 96 hours.
    (COST.format(before_cost="120.000.000", after_days="13", after_hours="96", saving="24.000.000", rate="20"),
     [c if c[1] != "product.working_hours" or i != 3 else (c[0], c[1], False) for i, c in enumerate(COST_CLAIMS)][:8]
     + [("restatement", "restatement.cut_cost_days", False)], ["formula_mismatch", "restatement_mismatch"]),
]


def relations(text: str):
    results, findings = check_document(text, extract_facts(text).facts)
    read = [(r.claim.kind, r.claim.rule, "unchecked" if not r.checked else r.holds) for r in results
            if r.claim.rule.split(".")[0] in ("difference", "product", "share", "restatement")
            or r.claim.rule.startswith("sum.step")]
    return read, [f.kind for f in findings]


@pytest.mark.parametrize("text,claims,finding_kinds", ROWS, ids=[f"{i}:{r[0][:50]}" for i, r in enumerate(ROWS)])
def test_rows(text, claims, finding_kinds):
    read, found = relations(text)
    assert sorted(read, key=str) == sorted(claims, key=str)
    assert sorted(found) == sorted(finding_kinds)


def test_a_cut_finding_quotes_the_three_times():
    text = REASON.format(before="12 ngày", cut="03 ngày", after="8 ngày")
    _, findings = check_document(text, extract_facts(text).facts)
    (finding,) = findings
    assert [e["text"] for e in finding.to_dict(text)["evidence"]] == ["12 ngày", "03 ngày", "8 ngày"]
