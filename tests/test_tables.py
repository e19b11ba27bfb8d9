"""Table totals against their rows, in Markdown tables and in tables the readers give."""
from __future__ import annotations

from extractor.document import Cell, Table
from extractor.reconcile.tables import table_findings
from extractor.structure.tables import markdown_tables

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


def test_grouped_tables_are_left_alone():
    rows = [["STT", "Nội dung", "Kinh phí"], ["I", "Chi đầu tư", "500"], ["1", "Dự án A", "300"],
            ["2", "Dự án B", "200"], ["", "Tổng cộng", "900"]]
    table = Table(None, [[Cell(c) for c in row] for row in rows])
    assert table_findings("", [table]) == []


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
