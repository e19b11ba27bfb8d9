"""What each citation does (patterns/relations.yaml): every example's marked citation gets its
relation, no counter-example's marked citation does."""
from __future__ import annotations

import re

import pytest

from extractor import extract_facts
from extractor.extract.relations import article_numbers, quoted_title, relations

MARK = re.compile(r"<0>(.*?)</0>", re.S)


def marked(text: str) -> tuple[str, int, int]:
    """The text without its marks, and the marked span."""
    m = MARK.search(text)
    plain = text[:m.start()] + m.group(1) + text[m.end():]
    return plain, m.start(), m.start() + len(m.group(1))


def citation(text: str) -> dict:
    plain, start, end = marked(text)
    refs = [f for f in extract_facts(plain).facts if f.kind == "doc_ref"]
    exact = [f for f in refs if (f.start, f.end) == (start, end)]
    assert exact, f"no citation at {plain[start:end]!r}; got {[f.text for f in refs]}"
    return exact[0].value


DATA = relations().data
EXAMPLES = [(e["relation"], x) for e in DATA["relations"] for x in e["examples"]]
COUNTER = [(e["relation"], x) for e in DATA["relations"] for x in e["counter_examples"]]


@pytest.mark.parametrize("relation,text", EXAMPLES, ids=[f"{r}:{t[:50]}" for r, t in EXAMPLES])
def test_relation_examples(relation, text):
    assert citation(text)["relation"] == relation


@pytest.mark.parametrize("relation,text", COUNTER, ids=[f"{r}:{t[:50]}" for r, t in COUNTER])
def test_relation_counter_examples(relation, text):
    assert citation(text)["relation"] != relation


def test_every_relation_has_examples_and_counter_examples():
    for entry in DATA["relations"]:
        assert entry["examples"] and entry["counter_examples"] and entry["doc"], entry["relation"]


@pytest.mark.parametrize("text", DATA["neutral"]["examples"])
def test_neutral_cues_stop_the_search(text):
    assert citation(text)["relation"] is None


@pytest.mark.parametrize("text", DATA["neutral"]["counter_examples"])
def test_neutral_counter_examples(text):
    assert citation(text)["relation"] is not None


@pytest.mark.parametrize("example", DATA["articles"]["examples"])
def test_article_lists(example):
    m = relations().articles.fullmatch(example["text"])
    assert m, example
    assert article_numbers(m.group()) == example["articles"]


@pytest.mark.parametrize("text", DATA["articles"]["counter_examples"])
def test_article_counter_examples(text):
    assert not relations().articles.fullmatch(text)


@pytest.mark.parametrize("text,relation,articles", [
    ("Sửa đổi, bổ sung Điều 5, Điều 7 của <0>Quyết định số 15/2021/QĐ-UBND</0> như sau:", "amends", ["5", "7"]),
    ("Bãi bỏ khoản 2 Điều 3 của <0>Quyết định số 12/2020/QĐ-UBND</0>.", "repeals", ["3"]),
    ("Sửa đổi một số điều của <0>Quyết định số 15/2021/QĐ-UBND</0>", "amends", None),
    ("Văn phòng Sở đã nhận <0>Công văn số 398/SGTVT-VP</0>.", None, None),
])
def test_relation_and_articles(text, relation, articles):
    value = citation(text)
    assert (value["relation"], value["articles"]) == (relation, articles)


def test_the_header_number_has_no_relation():
    facts = extract_facts("Số: 74/QĐ-SGTVT\nCăn cứ Quyết định số 12/QĐ-UBND;").facts
    own = [f for f in facts if f.kind == "doc_ref" and f.value.get("own")]
    assert own and "relation" not in own[0].value


@pytest.mark.parametrize("text", DATA["transparent"]["examples"])
def test_transparent_cues_let_the_search_go_on(text):
    assert citation(text)["relation"] is not None


@pytest.mark.parametrize("text", DATA["transparent"]["counter_examples"])
def test_transparent_cues_give_no_relation(text):
    assert citation(text)["relation"] is None


def test_articles_listed_after_one_article_word():
    value = citation("Sửa đổi, bổ sung Điều 8 và 9 của <0>Nghị định số 76/2018/NĐ-CP</0>")
    assert (value["relation"], value["articles"]) == ("amends", ["8", "9"])


def test_a_cue_in_an_odd_case_is_read_like_its_plain_spelling():
    # The caseless cue search finds 'ſửa đổi' (long s); its relation is looked up by the same
    # folding, not lost in a KeyError.
    from extractor import extract_facts

    (ref,) = [f for f in extract_facts("ſửa đổi Điều 5 của Quyết định số 12/QĐ-UBND ngày 01/02/2024.").facts
              if f.kind == "doc_ref"]
    assert ref.value["relation"] == "amends"


@pytest.mark.parametrize("example", DATA["quoted_title"]["examples"])
def test_quoted_titles(example):
    found = quoted_title(example["text"], 0)
    assert found is not None and found[0] == example["title"]
    assert example["text"][found[1]:found[2]] == example["title"]


@pytest.mark.parametrize("text", DATA["quoted_title"]["counter_examples"])
def test_quoted_title_counter_examples(text):
    assert quoted_title(text, 0) is None


@pytest.mark.parametrize("text", DATA["opening"]["examples"], ids=[t[:50] for t in DATA["opening"]["examples"]])
def test_a_paragraph_cue_opening_its_line_governs_the_whole_list(text):
    assert citation(text)["relation"] == "basis"


@pytest.mark.parametrize("text", DATA["opening"]["counter_examples"], ids=[t[:50] for t in DATA["opening"]["counter_examples"]])
def test_an_opening_cue_stops_at_a_clause_of_its_own_or_the_paragraph_end(text):
    assert citation(text)["relation"] != "basis"


@pytest.mark.parametrize("example", DATA["parts"]["examples"], ids=[e["text"][:50] for e in DATA["parts"]["examples"]])
def test_a_cue_on_a_part_tied_to_a_citation(example):
    assert citation(example["text"])["relation"] == example["relation"]


@pytest.mark.parametrize("example", DATA["parts"]["counter_examples"],
                         ids=[e["text"][:50] for e in DATA["parts"]["counter_examples"]])
def test_a_part_cue_counter_examples(example):
    assert citation(example["text"])["relation"] != example["relation"]


@pytest.mark.parametrize("text", DATA["planned_task_row"]["examples"], ids=[t[:50] for t in DATA["planned_task_row"]["examples"]])
def test_a_citation_a_task_row_plans_to_amend_has_no_relation(text):
    assert citation(text)["relation"] is None


@pytest.mark.parametrize("text", DATA["planned_task_row"]["counter_examples"],
                         ids=[t[:50] for t in DATA["planned_task_row"]["counter_examples"]])
def test_a_citation_amended_outside_a_task_row_keeps_its_relation(text):
    assert citation(text)["relation"] in DATA["planned_task_row"]["relations"]


@pytest.mark.parametrize("text", DATA["quoted_provision"]["examples"], ids=[t[:50] for t in DATA["quoted_provision"]["examples"]])
def test_a_citation_in_a_quoted_provision_has_no_relation(text):
    assert citation(text)["relation"] is None


@pytest.mark.parametrize("text", DATA["quoted_provision"]["counter_examples"],
                         ids=[t[:50] for t in DATA["quoted_provision"]["counter_examples"]])
def test_a_citation_outside_a_quoted_provision_keeps_its_relation(text):
    assert citation(text)["relation"] is not None


@pytest.mark.parametrize("text,relation", [
    # Each ";" item opening with a citation shares the relation of the item before it.
    ("Thực hiện Nghị quyết số 214/NQ-CP ngày 23/7/2025 của Chính phủ ban hành Kế hoạch hành động; "
     "Nghị định số 278/2025/NĐ-CP của Chính phủ quy định về kết nối, chia sẻ dữ liệu; "
     "<0>Quyết định số 142/QĐ-TTg của Thủ tướng Chính phủ</0> phê duyệt Chiến lược dữ liệu quốc gia;", "implements"),
    ("Xét Tờ trình số 444/TTr-UBND về việc ban hành Nghị quyết; <0>Tờ trình số 445/TTr-UBND</0> về việc bổ sung;",
     "proposed_by"),
    # An item that opens with words of its own does not.
    ("Xét Tờ trình số 444/TTr-UBND về việc ban hành Nghị quyết; Báo cáo thẩm tra <0>số 123/BC-BPC</0>;", None),
    # Joined by "và" to a citation whose title holds the nearest cue: listed with it.
    ("Thực hiện ý kiến của Ban Tổ chức Trung ương tại Văn bản số 9151-CV/BTCTW ngày 29/7/2025 về triển khai "
     "các kết luận của Bộ Chính trị, Ban Bí thư và <0>Văn bản số 9671-CV/BTCTW ngày 17/9/2025</0> về vị trí việc làm",
     "implements"),
    # The cue of the title governs the citation it names.
    ("Sửa đổi 01 thủ tục tại Quyết định 897/QĐ-TTPVHCC ngày 24/6/2025 về việc công bố Danh mục thủ tục thực hiện "
     "theo <0>Nghị quyết 66/NQ-CP ngày 26/3/2025</0>", None),
])
def test_citations_listed_with_another_share_its_relation(text, relation):
    assert citation(text)["relation"] == relation
