"""Figures in table cells take the unit the table states: a caption, a column header, a unit
column. Rows are (document text, expected figures as (kind, cell text, value)); a number whose
unit is not stated gives nothing."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extractor import Document, extract_facts
from extractor.extract.cells import resolve_unit
from extractor.structure.tables import grammar
from table_fixtures import reader_table

BUDGET = """Đơn vị tính: triệu đồng

| STT | Nội dung | Kế hoạch | Thực hiện | Tỷ lệ (%) |
|---|---|---|---|---|
| 1 | Chi đầu tư | 1.250 | 1.000 | 80 |
| | Tổng cộng | 5.385,9 | 2.174,5 | 40,4 |
"""

UNIT_COLUMN = """| TT | Chỉ tiêu | ĐVT | Năm 2024 |
|---|---|---|---|
| 1 | Hồ sơ tiếp nhận | hồ sơ | 14.911 |
| 2 | Kinh phí | tỷ đồng | 12,5 |
| 3 | Tỷ lệ đúng hạn | % | 99,2 |
| 4 | Số chuyên đề | chuyên đề | 7 |
"""

HEADER_UNITS = """| Đơn vị | Kinh phí (đồng) | Số hồ sơ (hồ sơ) |
|---|---|---|
| Sở Nội vụ | 1.364.329 | 120 |
| Sở Tư pháp | 800.000 | 95 |
"""

COLUMN_NUMBERS = """ĐVT: tỷ đồng

| Nội dung | Dự toán | Thực hiện | Còn lại |
|---|---|---|---|
| 1 | 2 | 3 | 4 |
| Vốn trong nước | 4.135,9 | 1.174 | 2.961,9 |
"""

NO_UNIT = """| STT | Tên xã | Số phiếu |
|---|---|---|
| 1 | Xã An Hòa | 50 |
| 2 | Xã An Phú | 40 |
"""

ALREADY_WRITTEN = """| Nội dung | Số tiền |
|---|---|
| Chi đầu tư | 1.174 tỷ đồng |
| Chi khác | 12 tỷ đồng |
"""

# Units in the row labels: a row's own unit over the table's caption; a row label and a
# column header stating different units leave the cell unread.
ROW_LABEL_UNITS = """Đơn vị tính: hồ sơ

| STT | Chỉ tiêu | Năm 2023 | Năm 2024 |
|---|---|---|---|
| 1 | Kinh phí thực hiện (triệu đồng) | 1.200 | 1.350,5 |
| 2 | Tỷ lệ hồ sơ trực tuyến | 45,2 | 60 |
| 3 | Số hồ sơ tiếp nhận | 14.911 | 15.002 |
"""

ROW_AND_COLUMN_DIFFER = """| Nội dung | Kinh phí (tỷ đồng) | Tỷ lệ (%) |
|---|---|---|
| Vốn trong nước | 12,5 | 40 |
| Tỷ lệ giải ngân (%) | 7 | 56 |
"""

CASES = [
    ("caption and percent header", BUDGET, [
        ("money", "1.250", Decimal("1250000000")), ("money", "1.000", Decimal("1000000000")),
        ("percent", "80", Decimal("80")), ("money", "5.385,9", Decimal("5385900000")),
        ("money", "2.174,5", Decimal("2174500000")), ("percent", "40,4", Decimal("40.4"))]),
    ("unit column", UNIT_COLUMN, [
        ("quantity", "14.911", Decimal("14911")), ("money", "12,5", Decimal("12500000000")),
        ("percent", "99,2", Decimal("99.2"))]),
    ("units in column headers", HEADER_UNITS, [
        ("money", "1.364.329", Decimal("1364329")), ("quantity", "120", Decimal("120")),
        ("money", "800.000", Decimal("800000")), ("quantity", "95", Decimal("95"))]),
    ("a row numbering the columns is header", COLUMN_NUMBERS, [
        ("money", "4.135,9", Decimal("4135900000000")), ("money", "1.174", Decimal("1174000000000")),
        ("money", "2.961,9", Decimal("2961900000000"))]),
    ("units in row labels, over the caption", ROW_LABEL_UNITS, [
        ("money", "1.200", Decimal("1200000000")), ("money", "1.350,5", Decimal("1350500000")),
        ("percent", "45,2", Decimal("45.2")), ("percent", "60", Decimal("60")),
        ("quantity", "14.911", Decimal("14911")), ("quantity", "15.002", Decimal("15002"))]),
    ("a row label and a column header stating different units", ROW_AND_COLUMN_DIFFER, [
        ("money", "12,5", Decimal("12500000000")), ("percent", "40", Decimal("40")),
        ("percent", "56", Decimal("56"))]),
    ("no unit stated", NO_UNIT, []),
    ("written with its unit: found by the patterns, once", ALREADY_WRITTEN, []),
]


def _value(fact):
    return fact.value["amount"] if fact.kind == "money" else fact.value["value"]


@pytest.mark.parametrize("text, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_cells_take_the_unit_the_table_states(text, expected):
    found = [(f.kind, f.text, _value(f)) for f in extract_facts(text).facts if f.pattern.startswith("table.")]
    assert found == expected
    for fact in extract_facts(text).facts:
        assert text[fact.start:fact.end] == fact.text


def test_a_cell_keeps_its_row_and_column_labels_and_where_the_unit_was_stated():
    fact = next(f for f in extract_facts(BUDGET).facts if f.text == "1.000")
    assert fact.value["table"] == {"row": "Chi đầu tư", "column": "Thực hiện"}
    stated = fact.value["unit_stated"]
    assert stated["from"] == "caption" and BUDGET[stated["start"]:stated["end"]] == "triệu đồng"


def test_reader_tables_are_read_with_their_cell_offsets():
    rows = [["Nội dung", "Kinh phí (triệu đồng)"], ["Chi đầu tư", "1.250"], ["Chi khác", "300"]]
    text, table = reader_table(rows, separator="\t")
    found = extract_facts(text, tables=[table]).facts
    assert [(f.kind, f.text, f.value["amount"]) for f in found] == [
        ("money", "1.250", Decimal("1250000000")), ("money", "300", Decimal("300000000"))]


@pytest.mark.parametrize("unit, expected", [
    ("triệu đồng", ("money", 1000000, None)), ("Tỷ đồng", ("money", 1000000000, None)),
    ("đồng", ("money", 1, None)), ("tr.đ", ("money", 1000000, None)), ("%", ("percent", 1, None)),
    ("hồ sơ", ("quantity", 1, "hồ sơ")), ("chuyên đề", None), ("triệu lượt", None),
])
def test_units_resolve_to_what_they_make_a_number(unit, expected):
    assert resolve_unit(unit) == expected


GRAMMAR_KEYS = ["unit_caption", "header_unit", "unit_column", "index_column", "percent_header", "number_cell"]


@pytest.mark.parametrize("key", GRAMMAR_KEYS)
def test_table_grammar_examples_match_and_counter_examples_do_not(key):
    entry = grammar().data[key]
    pattern = getattr(grammar(), key)
    assert entry["examples"] and entry["counter_examples"]
    for example in entry["examples"]:
        text = example["text"] if isinstance(example, dict) else example
        m = pattern.search(text)
        assert m, (key, text)
        for group in ("unit", "number"):
            if isinstance(example, dict) and group in example:
                assert m[group] == example[group], (key, text, m[group])
    for counter in entry["counter_examples"]:
        assert not pattern.search(counter), (key, counter)


def test_money_unit_examples_resolve_to_money_and_counter_examples_do_not():
    entry = grammar().data["money_units"]
    assert all(resolve_unit(u)[0] == "money" for u in entry["examples"])
    assert all((resolve_unit(u) or ("",))[0] != "money" for u in entry["counter_examples"])


def test_a_document_through_the_pipeline_gets_its_table_figures():
    from extractor import process

    result = process(Document("bang.md", "0" * 64, "text", BUDGET))
    assert sum(f.pattern == "table.money" for f in result.facts) == 4
