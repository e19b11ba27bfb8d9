"""Short references resolved within the document (patterns/short_refs.yaml).

Rows write the short reference as <s>…</s> and the full reference it must resolve to as
<1>…</1>; an ambiguous row lists the candidates instead, and resolves to nothing.
"""
from __future__ import annotations

import re

import pytest

from extractor import extract_facts
from extractor.extract.shortrefs import forms

MARKS = re.compile(r"<(s|1)>(.*?)</\1>", re.S)


def unmark(text: str) -> tuple[str, dict[str, tuple[int, int]]]:
    spans: dict[str, tuple[int, int]] = {}
    out, last = [], 0
    for m in MARKS.finditer(text):
        out.append(text[last:m.start()])
        start = sum(len(p) for p in out)
        out.append(m.group(2))
        spans[m.group(1)] = (start, start + len(m.group(2)))
        last = m.end()
    out.append(text[last:])
    return "".join(out), spans


def short_at(text: str) -> tuple[dict, dict[str, tuple[int, int]]]:
    plain, spans = unmark(text)
    refs = [f for f in extract_facts(plain).facts if f.kind == "doc_ref"]
    found = [f for f in refs if (f.start, f.end) == spans["s"]]
    assert found, f"no short reference at {plain[slice(*spans['s'])]!r}; got {[f.text for f in refs]}"
    assert found[0].value["short"] is True
    return found[0].value, spans


RESOLVED = [
    ("Thực hiện <1>Kế hoạch số 862/KH-SGTVT ngày 29/3/2023</1>. Giao Sở Nội vụ triển khai <s>Kế hoạch nêu trên</s>."),
    ("Số: 12/KH-UBND\nCăn cứ <1>Quyết định số 35/QĐ-UBND ngày 09/01/2024</1>, UBND tỉnh chỉ đạo thực hiện <s>Quyết định nói trên</s>."),
    ("Sở nhận được <1>Công văn số 398/SGTVT-VP ngày 16/02/2023</1>. Căn cứ <s>văn bản trên</s>, Sở đề nghị"),
    ("Theo <1>Kế hoạch số 862/KH-SGTVT ngày 29/3/2023</1>; các đơn vị thực hiện <s>Kế hoạch số 862</s> đúng hạn."),
    ("Căn cứ <1>Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ</1>;\nTheo <s>Nghị định 61</s> nói trên,"),
    ("Căn cứ <1>Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ</1>;\nThực hiện <s>Nghị định số 61/NĐ-CP</s>,"),
    ("Thực hiện <1>Chỉ thị số 05/CT-TTg ngày 10/3/2025 của Thủ tướng Chính phủ</1>. Triển khai <s>Chỉ thị số 05 của Thủ tướng</s>,"),
    ("Căn cứ Luật Tổ chức chính quyền địa phương <1>số 72/2025/QH15</1>;\nTheo <s>Luật Tổ chức chính quyền địa phương</s>,"),
    ("<1>Số: 74/QĐ-UBND</1>\nQUYẾT ĐỊNH\nĐiều 1. Ban hành kèm theo <s>Quyết định này</s> Quy chế làm việc."),
    ("<1>Số: 08/2025/TT-BNV</1>\nTHÔNG TƯ\nĐiều 1. Phạm vi điều chỉnh của <s>Thông tư này</s>."),
    # "Luật này" in a công văn that has just named a law: that law, not the công văn.
    ("Số: 10/BNV-CQĐP\n\nQuốc hội đã thông qua Luật Tổ chức chính quyền địa phương <1>số 72/2025/QH15</1>. "
     "Để triển khai thi hành <s>Luật\nnày</s>, Bộ Nội vụ xây dựng văn bản."),
    ("Số: 12/KH-UBND\n\nThực hiện <1>Thông tư số 01/2024/TT-BNV ngày 05/01/2024</1>, phạm vi của <s>Thông tư này</s> gồm"),
    # "Luật này" in a quoted provision: the law whose provision is quoted.
    ("Số: 56/BTC-CS\n\n- Tại Điều 16 Luật Khoa học, Công nghệ và Đổi mới sáng tạo <1>số 93/2025/QH15</1> quy định:\n\n"
     "“Điều 16.\n1. Nhiệm vụ thực hiện từ nguồn kinh phí theo quy định\ntại Điều 62 của <s>Luật này</s>.”"),
    # A law named with its number, its name holding "và", a line break or a small letter.
    ("Căn cứ Luật Phí và\nlệ phí <1>số 97/2015/QH13</1>;\nCăn cứ Nghị định số 120/2016/NĐ-CP quy định chi tiết một số điều "
     "của <s>Luật Phí và lệ phí</s>;"),
    ("Căn cứ Luật Quản lý\nthuế <1>số 38/2019/QH14</1>;\nThực hiện <s>Luật Quản\nlý thuế</s>,"),
    ("- Tại Điều 11 Luật thuế thu nhập cá nhân <1>số 04/2007/QH12</1> quy định thu nhập chịu thuế. Các văn bản hướng "
     "dẫn <s>Luật thuế thu nhập cá nhân</s>."),
]

AMBIGUOUS = [
    # Two plans named before in the same paragraph: "Kế hoạch nêu trên" could be either.
    ("Thực hiện Kế hoạch số 15/KH-SNV và Kế hoạch số 400/KH-SNV, Sở triển khai <s>Kế hoạch nêu trên</s>.",
     ["400/KH-SNV", "15/KH-SNV"]),
    # Number 61 of two codes.
    ("Căn cứ Nghị định số 61/2018/NĐ-CP; Quyết định số 61/QĐ-UBND; Chỉ thị số 61/CT-UBND.\nTheo <s>Nghị định 61</s>,",
     ["61/2018/NĐ-CP"]),
    ("Căn cứ Nghị định số 61/2018/NĐ-CP và Nghị định số 61/2015/NĐ-CP;\nTheo <s>Nghị định 61</s>,",
     ["61/2015/NĐ-CP", "61/2018/NĐ-CP"]),
    # A number the document never gives in full.
    ("Các đơn vị thực hiện <s>Kế hoạch số 862</s> đúng hạn.", []),
    # A named law with two versions and no date.
    ("Căn cứ <s>Luật Tổ chức chính quyền địa phương</s>;", ["77/2015/QH13", "72/2025/QH15"]),
    ("Sở triển khai <s>Kế hoạch nêu trên</s>.", []),
    # "Thông tư này" in a plan naming two circulars just before: either.
    ("Số: 12/KH-UBND\n\nThực hiện Thông tư số 01/2024/TT-BNV và Thông tư số 02/2024/TT-BNV, phạm vi của <s>Thông tư này</s> gồm",
     ["2/2024/TT-BNV", "1/2024/TT-BNV"]),
    # A draft of a law named like the one in force, or the law amending it: not that one.
    ("Căn cứ Luật Phí và lệ phí số 97/2015/QH13;\nBộ Tài chính đang trình dự thảo <s>Luật Phí và lệ phí</s> sửa đổi.", []),
    ("Căn cứ Luật Phí và lệ phí số 97/2015/QH13;\nQuốc hội sẽ thông qua <s>Luật Phí và lệ phí</s> (sửa đổi).", []),
    ("Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;\nTheo dự thảo <s>Luật Tổ chức chính quyền địa phương</s>,", []),
    # "Nghị định này" in the new wording of an article quoted by an amending decree: the amended
    # decree's words, which no citation before the quotation names.
    ("Số: 107/2021/NĐ-CP\n\nĐiều 1. Sửa đổi, bổ sung khoản 1 Điều 5 như sau:\n“1. Theo quy định tại <s>Nghị định này</s>.”", []),
]


@pytest.mark.parametrize("text", RESOLVED, ids=[t[:60] for t in RESOLVED])
def test_short_references_resolve_to_their_full_reference(text):
    value, spans = short_at(text)
    plain, _ = unmark(text)
    assert value["resolved"] is True
    target = value["resolves_to"]
    assert (target["start"], target["end"]) == spans["1"], target
    full = [f for f in extract_facts(plain).facts if (f.start, f.end) == spans["1"]][0]
    assert target["canonical"] == full.value["canonical"]


@pytest.mark.parametrize("text,candidates", AMBIGUOUS[:1] + AMBIGUOUS[2:], ids=[t[:60] for t, _ in AMBIGUOUS[:1] + AMBIGUOUS[2:]])
def test_ambiguous_short_references_are_not_resolved(text, candidates):
    value, _ = short_at(text)
    assert value["resolved"] is False and value["resolves_to"] is None
    assert value["candidates"] == candidates


def test_only_a_number_of_the_same_type_is_a_candidate():
    value, _ = short_at(AMBIGUOUS[1][0])
    assert value["resolved"] is True and value["resolves_to"]["canonical"] == "61/2018/NĐ-CP"


def test_a_named_law_is_resolved_by_its_date():
    value, _ = short_at("Căn cứ <s>Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015</s>;")
    assert value["resolves_to"]["canonical"] == "77/2015/QH13" and value["resolved_by"] == "laws_table"


def test_a_short_reference_is_never_a_full_reference_or_a_figure():
    facts = extract_facts("Kế hoạch số 862/KH-SGTVT; Kế hoạch số 862 có 14 nhiệm vụ").facts
    assert [(f.text, bool(f.value.get("short"))) for f in facts if f.kind == "doc_ref"] == [
        ("Kế hoạch số 862/KH-SGTVT", False), ("Kế hoạch số 862", True)]
    assert all(f.value.get("canonical") is None for f in facts if f.value.get("short") and f.pattern.startswith("doc_ref.short"))


FORM_EXAMPLES = [(f, e) for f in forms() for e in f.examples]
FORM_COUNTER = [(f, e) for f in forms() for e in f.counter_examples]


@pytest.mark.parametrize("form,text", FORM_EXAMPLES, ids=[f"{f.id}:{e[:40]}" for f, e in FORM_EXAMPLES])
def test_form_examples_match_exactly(form, text):
    m = re.search(r"<0>(.*?)</0>", text, re.S)
    plain = text.replace("<0>", "").replace("</0>", "")
    assert [x.group() for x in form.compiled.finditer(plain)] == [m.group(1)]
    assert [x.group() for x in form.finditer(plain)] == [m.group(1)], "the anchor misses it"


@pytest.mark.parametrize("form,text", FORM_COUNTER, ids=[f"{f.id}:{e[:40]}" for f, e in FORM_COUNTER])
def test_form_counter_examples_match_nothing(form, text):
    assert not list(form.compiled.finditer(text)) and not list(form.finditer(text))


def test_a_law_named_with_its_number_is_found_by_its_name_elsewhere():
    text = "Căn cứ Luật Thủ đô <1>số 39/2024/QH15</1>;\nThực hiện khoản 1 Điều 35 <s>Luật Thủ đô</s>."
    value, spans = short_at(text)
    assert value["resolves_to"]["canonical"] == "39/2024/QH15"
    assert (value["resolves_to"]["start"], value["resolves_to"]["end"]) == spans["1"]


def test_this_decree_is_the_number_of_a_header_laid_out_in_a_table_row():
    value, spans = short_at("| CHÍNH PHỦ Số: <1>30/2020/NĐ-CP</1> | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
                            "NGHỊ ĐỊNH\nĐiều 1. Phạm vi điều chỉnh của <s>Nghị định này</s>.")
    assert value["self"] is True and value["resolves_to"]["canonical"] == "30/2020/NĐ-CP"


def test_a_law_named_in_the_title_of_an_amending_law_is_not_given_its_number():
    text = ("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Thủ đô số 47/2019/QH14;\n"
            "Thực hiện Luật Thủ đô.")
    refs = [f for f in extract_facts(text).facts if f.kind == "doc_ref" and f.value.get("short")]
    assert not [f for f in refs if (f.value.get("resolves_to") or {}).get("canonical") == "47/2019/QH14"], refs


# Laws named without their number, resolved against the laws table (patterns/short_refs.yaml):
# by the year written after the name, by initials, or by the version in force when the document
# was written (on or after the latest date it gives); (text, the canonical, or None: unresolved).
LAWS_TABLE = [
    ("Thu nhập này chịu thuế theo <s>Luật thuế thu nhập cá nhân</s>.", "4/2007/QH12"),
    ("Thu nhập chịu thuế theo <s>Luật thuế TNCN năm 2007</s> đã được sửa đổi.", "4/2007/QH12"),
    ("Các văn bản hướng dẫn <s>Luật sửa đổi, bổ sung một số điều của Luật Thuế thu nhập cá nhân</s>.", "26/2012/QH13"),
    ("theo quy định tại <s>Luật Đất đai năm 2013</s> và", "45/2013/QH13"),
    # Written after 1/8/2024 (it cites a plan of 2025): the land law in force then.
    ("Thực hiện Kế hoạch số 15/KH-UBND ngày 16/01/2025; theo <s>Luật Đất đai</s>,", "31/2024/QH15"),
    # Written on or after 16/01/2020 only: the 2013 law or the 2024 one.
    ("Thực hiện Kế hoạch số 15/KH-UBND ngày 16/01/2020; theo <s>Luật Đất đai</s>,", None),
    # Initials: two versions and no date, then a date after the second came into force.
    ("Theo <s>Luật NSNN</s>, dự toán được giao", None),
    ("Thực hiện Kế hoạch số 15/KH-UBND ngày 16/01/2026; theo <s>Luật NSNN</s>,", "89/2025/QH15"),
    ("Theo <s>Luật thuế TNCN</s>, thu nhập chịu thuế", "4/2007/QH12"),
    # A year after the name later than the document's date is the period it plans for.
    ("Số: 2638/LĐTBXH-KHTC\nHà Nội, ngày 03 tháng 7 năm 2019\n\nDự toán thực hiện <s>Pháp lệnh ưu đãi người có công "
     "với cách mạng năm 2020</s>.", "26/2005/PL-UBTVQH11"),
    ("Theo quy định tại <s>Luật NSNN 2015</s>, Nghị định số 45/2017/NĐ-CP", "83/2015/QH13"),
    ("trọng tâm là <s>Luật Bảo vệ BMNN năm 2018</s>;", "29/2018/QH14"),
    ("tuân thủ <s>Luật Ban hành văn bản QPPL</s> và", None),
    ("Căn cứ <s>Pháp lệnh Ưu đãi người có công với cách mạng ngày 09 tháng 12 năm 2020</s>;", "2/2020/UBTVQH14"),
    ("Rà soát <s>Luật Quản lý và sử dụng tài sản công</s>; Luật Giá", "15/2017/QH14"),
    ("ưu đãi theo <s>Luật Thuế xuất khẩu, nhập khẩu</s> để", "107/2016/QH13"),
    # By the header's date: the version in force then; none while a newer one has passed and
    # is not yet in force (the document may mean either).
    ("Số: 12/KH-UBND\nHà Nội, ngày 05 tháng 5 năm 2025\nKẾ HOẠCH\nTheo <s>Luật Ban hành văn bản QPPL</s>,", "64/2025/QH15"),
    ("Số: 12/KH-UBND\nHà Nội, ngày 20 tháng 11 năm 2025\nKẾ HOẠCH\nTheo <s>Luật Ngân sách nhà nước</s>,", None),
    ("Số: 12/KH-UBND\nHà Nội, ngày 20 tháng 11 năm 2024\nKẾ HOẠCH\nTheo <s>Luật Ngân sách nhà nước</s>,", "83/2015/QH13"),
    # "(sửa đổi, bổ sung …)" tells the amendments of the law in force; "(sửa đổi)" alone a draft.
    ("<s>Bộ Luật hình sự năm 2015</s> (sửa đổi, bổ sung năm 2017)", "100/2015/QH13"),
    # A small word after the name that may be the rest of a longer name: not that law.
    ("theo <s>Luật Giáo dục</s> quốc phòng và an ninh", None),
    # The date after a name picks the version, over the one the document named before.
    ("Căn cứ Luật Tổ chức chính quyền địa phương số 77/2015/QH13;\n"
     "Căn cứ <s>Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025</s>;", "72/2025/QH15"),
    ("Dự thảo <s>Luật thuế TNCN</s> (sửa đổi) dự kiến được thông qua.", None),
]


@pytest.mark.parametrize("text,canonical", LAWS_TABLE, ids=[t[:60] for t, _ in LAWS_TABLE])
def test_named_laws_resolve_against_the_laws_table(text, canonical):
    value, _ = short_at(text)
    assert value["form"] == "named_law"
    assert (value["resolves_to"] or {}).get("canonical") == canonical, value


def test_a_law_written_with_initials_resolves_to_the_law_the_document_names_with_its_number():
    value, spans = short_at("Theo Luật Khoa học, Công nghệ và Đổi mới sáng tạo <1>số 93/2025/QH15 ngày 27/6/2025</1> "
                            "(<s>Luật KH, CN&ĐMST</s> có hiệu lực từ ngày 01/10/2025) quy định:")
    assert (value["resolves_to"]["start"], value["resolves_to"]["end"]) == spans["1"]


# The document's own type written bare where it speaks of itself (a plan's "Kế hoạch", a
# decision's "Quyết định"); in a document of another type it is no short reference.
OWN_TYPE = [
    ("<1>Số: 308/KH-UBND</1>\nKẾ HOẠCH\nCác Sở triển khai nhiệm vụ được nêu trong <s>Kế hoạch</s> theo đúng tiến độ.", True),
    ("<1>Số: 308/KH-UBND</1>\nKẾ HOẠCH\nTrong quá trình thực hiện <s>Kế hoạch</s>, nếu có khó khăn, báo cáo UBND.", True),
    ("<1>Số: 74/QĐ-UBND</1>\nQUYẾT ĐỊNH\nĐiều 3. Giám đốc các Sở chịu trách nhiệm thi hành <s>Quyết định</s>.", True),
    ("<1>Số: 50/BC-UBND</1>\nBÁO CÁO\nTrong quá trình thực hiện <s>Kế hoạch</s>, còn khó khăn.", False),
    ("<1>Số: 12/KH-UBND</1>\nKẾ HOẠCH\nUBND tỉnh ban hành <s>Kế hoạch</s>\nnâng cao năng lực như sau:", True),
    ("<1>Số: 12/KH-UBND</1>\nKẾ HOẠCH\nTrên đây là <s>kế hoạch</s> tổ chức phong trào thi đua.", True),
    ("<1>Số: 50/BC-UBND</1>\nBÁO CÁO\nTrên đây là <s>kế hoạch</s> của Sở.", False),
    # "ban hành Kế hoạch" in the title of a decision the plan cites: that decision's plan.
    ("<1>Số: 124/KH-UBND</1>\nKẾ HOẠCH\nThực hiện Quyết định số 2437/QĐ-TTg ngày 04/11/2025 của Thủ tướng Chính phủ "
     "ban hành <s>Kế hoạch</s> triển khai Đợt thi đua,", False),
    # Across a line break, before a parenthesis; after "triển khai".
    ("<1>Số: 17/KH-UBND</1>\nKẾ HOẠCH\nbáo cáo tình hình thực hiện\n<s>Kế hoạch</s> (định kỳ hằng năm).", True),
    ("<1>Số: 17/KH-UBND</1>\nKẾ HOẠCH\nCác doanh nghiệp tham gia triển khai <s>Kế hoạch</s>; tích cực đầu tư.", True),
    # Followed by the first words of the plan's own title; by another title it is another plan.
    ("<1>Số: 17/KH-UBND</1>\n\n**KẾ HOẠCH**\n\nPHÁT TRIỂN KINH TẾ SỐ TRÊN ĐỊA BÀN TỈNH\n\nCác Sở triển khai "
     "<s>Kế hoạch</s> phát triển kinh tế số của tỉnh.", True),
    ("<1>Số: 17/KH-UBND</1>\n\n**KẾ HOẠCH**\n\nPHÁT TRIỂN KINH TẾ SỐ TRÊN ĐỊA BÀN TỈNH\n\nCác Sở triển khai "
     "<s>Kế hoạch</s> chuyển đổi số của tỉnh.", False),
    # In small letters a bare type is as often any plan; "kế hoạch này" is the document.
    ("<1>Số: 17/KH-UBND</1>\nKẾ HOẠCH\nTrong quá trình tổ chức thực hiện <s>kế hoạch</s>, nếu có phát sinh.", False),
    ("<1>Số: 17/KH-UBND</1>\nKẾ HOẠCH\nGiao Công an tỉnh kiểm tra việc thực hiện <s>kế hoạch này</s>.", True),
]

# "… này" in a page with no number of its own (a news article): the document it reports on.
ARTICLE_SELF = [
    ("Bộ Nội vụ ban hành <1>Thông tư 07/2024/TT-BNV</1> hướng dẫn chế độ tiền thưởng. Chế độ quy định tại "
     "<s>Thông tư này</s> được thực hiện từ ngày 01/7/2024.", "7/2024/TT-BNV"),
    ("Bộ trưởng đã ký <1>Quyết định số 4864/QĐ-BCA-C06</1> về việc công bố thủ tục hành chính.\n\n"
     "Công bố kèm theo <s>Quyết định này</s> là 27 thủ tục.", "4864/QĐ-BCA-C06"),
]


@pytest.mark.parametrize("text,canonical", ARTICLE_SELF, ids=[t[-40:] for t, _ in ARTICLE_SELF])
def test_this_decision_in_a_news_article_is_the_one_it_reports_on(text, canonical):
    value, spans = short_at(text)
    assert value["resolves_to"]["canonical"] == canonical and (
        value["resolves_to"]["start"], value["resolves_to"]["end"]) == spans["1"]


@pytest.mark.parametrize("text,found", OWN_TYPE, ids=[t[-60:] for t, _ in OWN_TYPE])
def test_the_documents_own_type_written_bare_is_the_document(text, found):
    plain, spans = unmark(text)
    shorts = [f for f in extract_facts(plain).facts if f.kind == "doc_ref" and (f.start, f.end) == spans["s"]]
    assert bool(shorts) == found
    if found:
        assert shorts[0].value["self"] is True
        assert (shorts[0].value["resolves_to"]["start"], shorts[0].value["resolves_to"]["end"]) == spans["1"]


def test_every_law_of_the_table_has_its_versions_dated_and_in_force_after_they_passed():
    from extractor.extract.shortrefs import short_data

    for law in short_data()["laws"]:
        passed = [v["date"] for v in law["versions"]]
        assert passed == sorted(passed), law["name"]
        for v in law["versions"]:
            assert re.fullmatch(r"[1-9]\d*/(19|20)\d\d/(PL-UBTV|UBTV)?QH1[0-5]", v["canonical"]), v
            assert v["date"][:4] == v["canonical"].split("/")[1] and v["in_force"] >= v["date"], v


def test_a_law_in_the_title_of_the_law_amending_it_is_the_version_it_amends():
    text = ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật Sửa đổi bổ sung một số "
            "điều của Luật Tổ chức Chính phủ và Luật Tổ chức Chính quyền địa phương ngày 22 tháng 11 năm 2019;\n"
            "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Đất đai và Luật Xây dựng ngày 15 tháng 6 năm 2018;")
    shorts = [f for f in extract_facts(text).facts if f.kind == "doc_ref" and f.value.get("short")]
    # The amending law of the table by its date; the laws an amending law outside the table
    # amends: their versions passed before it (its date is not theirs).
    assert [(f.text, f.value["resolves_to"]["canonical"]) for f in shorts] == [
        ("Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015", "77/2015/QH13"),
        ("Luật Sửa đổi bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức Chính quyền địa phương "
         "ngày 22 tháng 11 năm 2019", "47/2019/QH14"),
        ("Luật Đất đai", "45/2013/QH13"), ("Luật Xây dựng", "50/2014/QH13")]


def test_this_decree_in_the_new_wording_an_amending_decree_quotes_is_the_amended_one():
    value, spans = short_at("Số: 55/2023/NĐ-CP\nNGHỊ ĐỊNH\nSửa đổi, bổ sung một số điều của <1>Nghị định số 75/2021/NĐ-CP</1>\n\n"
                            "Điều 1. Sửa đổi, bổ sung một số điều như sau:\n\n1. Sửa đổi, bổ sung Điều 1 như sau:\n\n"
                            "“Điều 1. Phạm vi điều chỉnh\n\n<s>Nghị định này</s> quy định mức hưởng trợ cấp.”")
    assert (value["resolves_to"]["start"], value["resolves_to"]["end"]) == spans["1"]


@pytest.mark.parametrize("text,canonical", [
    ("Theo <s>Nghị định 98/2024 của Chính phủ</s> quy định chi tiết", "98/2024/NĐ-CP"),
    ("Phí thực hiện theo <s>Thông tư số 60/2023 của Bộ Tài chính</s> quy định", "60/2023/TT-BTC"),
    ("Căn cứ Thông tư số 07/2024/TT-BNV;\nTheo <s>Thông tư 7/2024</s>,", "7/2024/TT-BNV"),
    # A circular whose issuer is not written: no code to give it.
    ("Theo <s>Thông tư 07/2024</s>,", None),
])
def test_a_decree_or_circular_by_number_and_year_gets_its_code(text, canonical):
    value, _ = short_at(text)
    assert (value["resolves_to"] or {}).get("canonical") == canonical


def test_the_part_a_decision_issues_is_the_document():
    plain, spans = unmark("<1>Số: 254/QĐ-UBND</1>\nQUYẾT ĐỊNH\nĐiều 1. Ban hành kèm theo Quyết định này <s>Kế hoạch</s> thực hiện.")
    [short] = [f for f in extract_facts(plain).facts if (f.start, f.end) == spans["s"]]
    assert short.value["self"] is True and short.value["form"] == "issued_part"


def test_law_name_followers_examples_and_counter_examples():
    from extractor.extract.shortrefs import name_may_continue, short_data

    named = [f for f in forms() if f.id == "named_law"][0]
    data = short_data()["law_name_followers"]
    for example in data["examples"]:
        plain = example.replace("<0>", "").replace("</0>", "")
        assert not name_may_continue(plain, example.index("</0>") - len("<0>")), example
    for counter in data["counter_examples"]:
        m = named.compiled.search(counter)
        assert m is not None and name_may_continue(counter, m.end()), counter
