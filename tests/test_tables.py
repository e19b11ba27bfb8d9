"""Table totals against their rows, in Markdown tables and in tables the readers give."""
from __future__ import annotations

import pytest

from extractor.document import Cell, Table
from extractor.reconcile.checks import check, findings
from extractor.reconcile.tables import table_claims
from extractor.structure.tables import markdown_tables, table_views
from table_fixtures import reader_table


def table_findings(text, tables):
    return findings([check(claim) for claim in table_claims(text, table_views(text, tables))])

TABLE = """Kết quả tiếp nhận hồ sơ:

| Lĩnh vực | Hồ sơ tiếp nhận | Trực tuyến | Tỷ lệ (%) |
|---|---|---|---|
| Đất đai | 1.204 | 800 | 66,4 |
| Tư pháp | 863 | 500 | 57,9 |
| Xây dựng | 233 | 100 | 42,9 |
| Tổng cộng | {total} | 1.400 | 60,9 |

Hết.
"""


def test_markdown_table_cells_keep_their_offsets():
    text = TABLE.format(total="2.300")
    (table,) = markdown_tables(text)
    assert [c.text for c in table.rows[-1]] == ["Tổng cộng", "2.300", "1.400", "60,9"]
    for row in table.rows:
        for cell in row:
            assert text[cell.start:cell.end] == cell.text


def test_total_row_that_adds_up_gives_nothing_and_percent_columns_are_not_summed():
    text = TABLE.format(total="2.300")
    assert table_findings(text, markdown_tables(text)) == []


def test_total_row_that_does_not_add_up():
    text = TABLE.format(total="2.310")
    (finding,) = table_findings(text, markdown_tables(text))
    assert finding.kind == "table_total_mismatch" and finding.severity == "error"
    assert (finding.stated, finding.expected) == (2310, 2300)
    assert [f.text for f in finding.facts] == ["2.310", "1.204", "863", "233"]
    assert finding.to_dict(text)["message"].startswith("Dòng 'Tổng cộng' của bảng không khớp ở cột 'Hồ sơ tiếp nhận'")


GROUPED = [["STT", "Nội dung", "Kinh phí"], ["", "Tổng cộng", "{total}"],
           ["I", "Chi đầu tư", "500"], ["1", "Dự án A", "300"], ["2", "Dự án B", "{b}"],
           ["II", "Chi thường xuyên", "400"], ["1", "Lương", "400"]]


@pytest.mark.parametrize("total, b, expected", [
    ("900", "200", []),
    ("900", "250", [("table.group_total", 500, 550)]),
    ("950", "200", [("table.column_total", 950, 900)]),
])
def test_grouped_tables_are_summed_level_by_level(total, b, expected):
    text, table = reader_table([[c.format(total=total, b=b) for c in row] for row in GROUPED])
    assert len(table_claims(text, table_views(text, [table]))) == 3
    assert [(f.rule, f.stated, f.expected) for f in table_findings(text, [table])] == expected


def test_a_breakdown_under_a_row_is_not_summed_as_its_siblings():
    rows = [["STT", "Nội dung", "Hồ sơ"], ["1", "Cấp tỉnh", "100"], ["", "Trong đó: trực tuyến", "60"],
            ["2", "Cấp huyện", "50"], ["", "Tổng cộng", "150"]]
    text, table = reader_table(rows)
    assert table_claims(text, table_views(text, [table])) == []


def test_reader_table_with_total_at_the_top():
    rows = [["Đơn vị", "Hồ sơ"], ["Tổng số", "30"], ["Phòng A", "10"], ["Phòng B", "15"]]
    text = "\n".join(" | ".join(row) for row in rows)
    cells, offset = [], 0
    for row in rows:
        line = []
        for value in row:
            start = text.index(value, offset)
            line.append(Cell(value, start, start + len(value)))
            offset = start + len(value)
        cells.append(line)
    (finding,) = table_findings(text, [Table(2, cells)])
    assert (finding.stated, finding.expected, finding.severity) == (30, 25, "gross")
    assert all(f.page == 2 for f in finding.facts)


ROWS = """| Đơn vị | Tổng số | Trực tuyến | Trực tiếp |
|---|---|---|---|
| Sở Tư pháp | 120 | 80 | 40 |
| Sở Xây dựng | 95 | 60 | {direct} |
"""


def test_a_total_column_against_the_columns_it_totals():
    text = ROWS.format(direct="35")
    assert table_findings(text, markdown_tables(text)) == []
    text = ROWS.format(direct="30")
    (finding,) = table_findings(text, markdown_tables(text))
    assert finding.rule == "table.row_total" and (finding.stated, finding.expected) == (95, 90)
    assert [f.text for f in finding.facts] == ["95", "60", "30"]


def _markdown_tables_line_by_line(text):
    """The reading ``markdown_tables`` must give: every line visited in turn."""
    from extractor.structure.tables import _CELL, _SEPARATOR_ROW, MIN_MARKDOWN_ROWS
    tables, rows, position = [], [], 0
    for line in text.splitlines(keepends=True):
        if line.count("|") >= 2 and not _SEPARATOR_ROW.fullmatch(line.strip()):
            cells = []
            for m in _CELL.finditer(line):
                raw = m.group()
                start = position + m.start() + len(raw) - len(raw.lstrip())
                cells.append(Cell(raw.strip(), start, start + len(raw.strip())))
            if cells:
                rows.append(cells)
        elif not line.strip() or not _SEPARATOR_ROW.fullmatch(line.strip()):
            if len(rows) >= MIN_MARKDOWN_ROWS:
                tables.append(Table(None, rows))
            rows = []
        position += len(line)
    if len(rows) >= MIN_MARKDOWN_ROWS:
        tables.append(Table(None, rows))
    return tables


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["|", "| a | b |\n", "|---|---|\n", "\n", "x\n", " \n", "---\n", "\r", "\r\n",
                                 "\x0b", "\u2028", "| 1 | 2 | 3 |\n", ":-|\n", "a|b|c", " ", "\x85", "|x\n"]),
                max_size=25))
def test_markdown_tables_read_as_line_by_line(pieces):
    text = "".join(pieces)
    assert markdown_tables(text) == _markdown_tables_line_by_line(text)


# A list of procedures whose caption and group rows state how many rows they hold.
COUNTED = """A. DANH MỤC THỦ TỤC HÀNH CHÍNH CÔNG BỐ ({all} TTHC)

| TT | Tên TTHC | Thời hạn giải quyết |
|---|---|---|
| I | LĨNH VỰC HỘ TỊCH ({civil} TTHC) | |
| I.1 | Thủ tục cấp tỉnh (02 TTHC) | |
| 1 | Đăng ký khai sinh có yếu tố nước ngoài | 15 ngày |
| 2 | Đăng ký kết hôn có yếu tố nước ngoài | 15 ngày |
| I.2 | Thủ tục cấp xã ({commune} TTHC) | |
| 1 | Đăng ký khai tử | 01 ngày |
| II | LĨNH VỰC CHỨNG THỰC (02 TTHC) | |
| 1 | Chứng thực bản sao | Trong ngày |
| 2 | Chứng thực chữ ký | Trong ngày |
"""


@pytest.mark.parametrize("counts, expected", [
    ({"all": "05", "civil": "03", "commune": "01"}, []),
    # The field says 4 where its subgroups list 2 + 1 rows, and the part says 6 for 5 rows.
    ({"all": "06", "civil": "04", "commune": "01"},
     [("table.row_count", 6, 5), ("table.row_count", 4, 3), ("table.group_count", 4, 3)]),
    # A subgroup's count off by one: its rows, and the field's sum of its subgroups.
    ({"all": "05", "civil": "03", "commune": "02"}, [("table.group_count", 3, 4), ("table.row_count", 2, 1)]),
])
def test_the_counts_a_list_states_against_its_rows(counts, expected):
    text = COUNTED.format(**counts)
    found = table_findings(text, markdown_tables(text))
    assert [(f.rule, f.stated, f.expected) for f in found] == expected
    assert {f.kind for f in found} <= {"table_count_mismatch", "table_total_mismatch"}


def test_a_group_with_an_unnumbered_row_is_not_counted():
    text = COUNTED.format(all="05", civil="03", commune="01").replace("| 1 | Đăng ký khai tử |", "| | Đăng ký khai tử |")
    # The caption, the field I and its subgroup I.2 hold the unnumbered row: only I.1 and II are counted.
    assert [(c.rule, c.values["label"]) for c in table_claims(text, table_views(text, markdown_tables(text)))
            if "count" in c.rule] == [("table.row_count", "Thủ tục cấp tỉnh (02 TTHC)"),
                                      ("table.row_count", "LĨNH VỰC CHỨNG THỰC (02 TTHC)")]
