"""Checks across documents, on small reports written for each case."""
from __future__ import annotations

from extractor import extract_facts
from extractor.reconcile.crossdoc import check_documents, view


def doc(name: str, text: str):
    return view(name, text, extract_facts(text).facts)


Q1 = """SỞ NỘI VỤ
Số: 120/BC-SNV
An Hòa, ngày 18 tháng 3 năm 2024
BÁO CÁO
Kết quả CCHC quý I năm 2024
Thực hiện Kế hoạch số 15/KH-SNV ngày 15/01/2024 của Sở Nội vụ.
Sở tiếp nhận 4.210 hồ sơ, trong đó 3.105 hồ sơ trực tuyến, 1.005 hồ sơ trực tiếp, 100 hồ sơ từ kỳ trước chuyển sang; đã giải quyết 4.050 hồ sơ; đang giải quyết 160 hồ sơ.
"""

SIX_MONTHS = """SỞ NỘI VỤ
Số: 310/BC-SNV
An Hòa, ngày 18 tháng 6 năm 2024
BÁO CÁO
Kết quả CCHC 6 tháng đầu năm 2024
Thực hiện Kế hoạch số 15/KH-SNV ngày 16/01/2024 của Sở Nội vụ và Kế hoạch số 400/KH-SNV ngày 20/7/2024.
Sở tiếp nhận 4.100 hồ sơ, trong đó 3.000 hồ sơ trực tuyến, 1.000 hồ sơ trực tiếp, 100 hồ sơ từ kỳ trước chuyển sang; đã giải quyết 3.900 hồ sơ; đang giải quyết 200 hồ sơ.
"""

Q3 = """SỞ NỘI VỤ
Số: 290/BC-SNV
An Hòa, ngày 17 tháng 9 năm 2024
BÁO CÁO
Kết quả CCHC quý III năm 2024
Sở tiếp nhận 2.230 hồ sơ, trong đó 1.500 hồ sơ trực tuyến, 500 hồ sơ trực tiếp, 230 hồ sơ từ kỳ trước chuyển sang; đã giải quyết 2.000 hồ sơ; đang giải quyết 230 hồ sơ.
"""


def kinds(findings):
    return sorted(f.kind for f in findings)


def test_consistent_reports_give_no_findings():
    six = SIX_MONTHS.replace("4.100 hồ sơ, trong đó 3.000", "8.310 hồ sơ, trong đó 6.000").replace(
        "1.000 hồ sơ trực tiếp", "2.210 hồ sơ trực tiếp").replace("ngày 16/01/2024", "ngày 15/01/2024").replace(
        " và Kế hoạch số 400/KH-SNV ngày 20/7/2024", "").replace("3.900 hồ sơ", "8.110 hồ sơ")
    q3 = Q3.replace("230 hồ sơ từ kỳ trước", "200 hồ sơ từ kỳ trước").replace("2.230 hồ sơ, trong đó", "2.200 hồ sơ, trong đó").replace("Số: 290", "Số: 620")
    assert check_documents([doc("q1", Q1), doc("6m", six), doc("q3", q3)]) == []


def test_every_planted_inconsistency_is_found():
    findings = check_documents([doc("q1", Q1), doc("6m", SIX_MONTHS), doc("q3", Q3)])
    assert kinds(findings) == sorted([
        "ref_date_conflict",  # 15/KH-SNV cited as 15/01 and 16/01
        "ref_dated_after_citing",  # 400/KH-SNV of 20/7 cited on 18/6
        "numbering_order",  # 290/BC-SNV of 17/9 after 310/BC-SNV of 18/6
        "period_total_mismatch",  # 6 months received 4.100 < Q1 4.210
        "period_total_mismatch",  # 6 months resolved 3.900 < Q1 4.050
        "period_total_mismatch",  # 6 months online 3.000 < Q1 3.105
        "period_total_mismatch",  # 6 months in person 1.000 < Q1 1.005
        "carry_over_mismatch",  # Q3 carried over 230, 6 months pending 200
    ])
    by_kind = {f.kind: f for f in findings}
    conflict = by_kind["ref_date_conflict"]
    assert conflict.detail["reference"] == "15/KH-SNV"
    assert conflict.detail["dates"] == ["2024-01-15", "2024-01-16"]
    assert sorted(conflict.detail["documents"]) == ["6m", "q1"]
    carry = by_kind["carry_over_mismatch"]
    assert (carry.stated, carry.expected) == (230, 200)
    text = Q3
    assert carry.to_dict(text)["message"].startswith("Hồ sơ từ kỳ trước chuyển sang của kỳ")


def test_same_figure_stated_differently():
    annual = """SỞ NỘI VỤ
Số: 900/BC-SNV
An Hòa, ngày 16 tháng 12 năm 2024
BÁO CÁO
Kết quả CCHC năm 2024
Trong quý I năm 2024, Sở tiếp nhận 4.201 hồ sơ.
"""
    findings = check_documents([doc("q1", Q1), doc("nam", annual)])
    restated = [f for f in findings if f.kind == "figure_restated_differently"]
    assert len(restated) == 1
    assert restated[0].detail["metric"] == "dossiers.received"
    assert {restated[0].stated, *restated[0].expected} == {4201, 4210}


def test_two_versions_of_one_report_with_different_figures():
    other = Q1.replace("đã giải quyết 4.050 hồ sơ; đang giải quyết 160", "đã giải quyết 4.060 hồ sơ; đang giải quyết 150")
    findings = [f for f in check_documents([doc("q1.txt", Q1), doc("q1-ban-sua.txt", other)])
                if f.kind == "duplicate_differs"]
    assert len(findings) == 1
    assert sorted(findings[0].detail["figures"]) == [("160 hồ sơ", "150 hồ sơ"), ("4.050 hồ sơ", "4.060 hồ sơ")]
    assert findings[0].to_dict("")["message"].startswith("Hai bản của cùng một văn bản có số liệu khác nhau")


def test_the_character_count_bound_never_drops_a_pair_that_fuzz_ratio_keeps():
    """duplicate_findings skips pairs whose character counts differ by more than a near
    duplicate allows: for random texts and their edits, a skipped pair is never near."""
    import random
    from collections import Counter

    from rapidfuzz import fuzz

    from extractor.reconcile.crossdoc import NEAR_DUPLICATE, _may_be_near

    rng = random.Random(11)
    alphabet = "aăâbcdđeêghiklmnoôơpqrstuưvxy 0123456789.,"
    kept = skipped = 0
    for _ in range(400):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(50, 400)))
        b = list(a)
        for _ in range(rng.randint(0, len(a) // 3)):
            k = rng.randrange(len(b))
            if rng.random() < 0.5:
                b[k] = rng.choice(alphabet)
            else:
                b.insert(k, rng.choice(alphabet))
        b = "".join(b)
        near = fuzz.ratio(a, b) >= NEAR_DUPLICATE
        if not _may_be_near(Counter(a), Counter(b), len(a) + len(b)):
            skipped += 1
            assert not near, (a, b)
        else:
            kept += 1
    assert kept and skipped
