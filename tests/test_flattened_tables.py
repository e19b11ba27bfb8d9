"""Tables a crawl flattened to one cell per block of lines, each cell border alone on its line
(as the text reader leaves them: a line of one space), read back into rows with their offsets,
and what the audit then checks in them. The documents are written here."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extractor.reconcile.checks import check, findings
from extractor.reconcile.tables import table_claims
from extractor.structure.flattened import flattened_tables, grammar
from extractor.structure.tables import grammar as table_grammar, table_views

BORDER = " "
EMPTY = None  # an empty cell


def flattened(*blocks) -> str:
    """A text in the crawl's layout. A block is prose (a string) or a table (a list of rows,
    each a list of cells; ``EMPTY`` for an empty cell)."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            lines += block.split("\n")
            continue
        for row in block:
            lines.append(BORDER)  # the row opens
            for cell in row:
                if cell is not EMPTY:
                    lines += cell.split("\n")
                lines.append(BORDER)  # the cell closes
    return "\n".join(lines) + "\n"


def rows_of(text: str) -> list[list[list[str]]]:
    tables = flattened_tables(text)
    for table in tables:
        for row in table.rows:
            for cell in row:
                assert cell.start is None or text[cell.start:cell.end] == cell.text
    return [[[c.text for c in row] for row in table.rows] for table in tables]


STEPS = [["**Bước**", "**Nội dung**", "**Thời gian**"],
         ["Bước 1", "Tiếp nhận hồ sơ", "0,5 ngày làm việc"],
         ["Bước 2", "Thẩm định\nhồ sơ", "03 ngày làm việc"],
         ["Bước 3", "Trả kết quả", "Không tính thời gian"]]
LIST = [["**STT**", "**Tên thủ tục**", "**Ghi chú**"],
        ["**I**", "**LĨNH VỰC HỘ TỊCH (02 TTHC)**"],
        ["1", "Đăng ký khai sinh", EMPTY],
        ["2", "Đăng ký kết hôn", "Mới"]]


@pytest.mark.parametrize("blocks, expected", [
    # One table between prose: the text before the first border and after the last is none.
    (("Quy trình nội bộ:", STEPS, "Hết."),
     [[["**Bước**", "**Nội dung**", "**Thời gian**"], ["Bước 1", "Tiếp nhận hồ sơ", "0,5 ngày làm việc"],
       ["Bước 2", "Thẩm định\nhồ sơ", "03 ngày làm việc"], ["Bước 3", "Trả kết quả", "Không tính thời gian"]]]),
    # An empty last cell ends its row; a group row merged across keeps its two cells.
    (("Danh mục:", LIST),
     [[["**STT**", "**Tên thủ tục**", "**Ghi chú**"], ["**I**", "**LĨNH VỰC HỘ TỊCH (02 TTHC)**"],
       ["1", "Đăng ký khai sinh", ""], ["2", "Đăng ký kết hôn", "Mới"]]]),
    # Two tables with prose between: the first one's total row (a merged label and its time),
    # the prose, and the second one's header come as one run of cells; the widths split them.
    (("Quy trình số 01", STEPS + [["**Tổng thời gian**", "**3,5 ngày làm việc**"]],
      "Quy trình số 02\nQuy trình nội bộ cấp lại", STEPS[:3] + [["**Tổng thời gian**", "**3,5 ngày làm việc**"]]),
     [[["**Bước**", "**Nội dung**", "**Thời gian**"], ["Bước 1", "Tiếp nhận hồ sơ", "0,5 ngày làm việc"],
       ["Bước 2", "Thẩm định\nhồ sơ", "03 ngày làm việc"], ["Bước 3", "Trả kết quả", "Không tính thời gian"],
       ["**Tổng thời gian**", "", "**3,5 ngày làm việc**"]],
      [["**Bước**", "**Nội dung**", "**Thời gian**"], ["Bước 1", "Tiếp nhận hồ sơ", "0,5 ngày làm việc"],
       ["Bước 2", "Thẩm định\nhồ sơ", "03 ngày làm việc"], ["**Tổng thời gian**", "", "**3,5 ngày làm việc**"]]]),
    # A row under a merged number cell opens with an empty cell: the empties go where every row
    # gets the header's width.
    (([["**TT**", "**Nội dung**", "**Đơn vị tính**", "**Định mức**"], ["**1**", "**Cơ quan**", EMPTY, EMPTY],
       [EMPTY, "Dưới 30 biên chế", "Đồng/năm", "95.000.000"], [EMPTY, "Từ 30 biên chế", "Đồng/năm", "92.000.000"]],),
     [[["**TT**", "**Nội dung**", "**Đơn vị tính**", "**Định mức**"], ["**1**", "**Cơ quan**", "", ""],
       ["", "Dưới 30 biên chế", "Đồng/năm", "95.000.000"], ["", "Từ 30 biên chế", "Đồng/năm", "92.000.000"]]]),
    # The header's second row divides a column it does not name: the table is not read.
    (("Định mức:", [["**TT**", "**Nội dung**", "**Định mức**"], ["**Đô thị**", "**Nông thôn**"],
                    ["1", "Mầm non", "16.500", "18.000"], ["2", "Tiểu học", "9.500", "10.500"]]), []),
    # A header of figures or marks names no column.
    (([["100", "X"], ["1", "Thuế"], ["2", "Phí"]],), []),
])
def test_flattened_tables_are_read_with_their_rows(blocks, expected):
    assert rows_of(flattened(*blocks)) == expected


@pytest.mark.parametrize("text", [
    # Paragraphs set apart by lines of one space: no table (one cell each, or one run).
    " \nĐoạn một.\n \nĐoạn hai.\n \nĐoạn ba.\n \n",
    " \nĐoạn một.\n \n \nĐoạn hai.\n \n \nĐoạn ba.\n \n \nĐoạn bốn.\n \n",
    # A header and one row: too little to be told from a layout line.
    flattened([["**STT**", "**Tên**"], ["1", "Một"]]),
    "Văn bản không có bảng.\n",
])
def test_text_that_is_no_flattened_table_gives_none(text):
    assert flattened_tables(text) == []


def test_a_short_row_of_figures_stands_in_the_last_columns():
    text = flattened([["**STT**", "**Đơn vị**", "**Năm 2024**", "**Năm 2025**"], ["1", "Sở A", "10", "12"],
                      ["2", "Sở B", "5", "8"], ["**Tổng cộng**", "**15**", "**20**"]])
    assert rows_of(text)[0][-1] == ["**Tổng cộng**", "", "**15**", "**20**"]


@pytest.mark.parametrize("key", ["flattened_border", "flattened_group_index", "flattened_figure_cell"])
def test_flattened_layout_examples_match_and_counter_examples_do_not(key):
    entry = table_grammar().data[key]
    pattern = getattr(grammar(), key.removeprefix("flattened_"))
    assert entry["examples"] and entry["counter_examples"]
    for example in entry["examples"]:
        assert pattern.fullmatch(example) if key == "flattened_border" else pattern.match(example), (key, example)
    for counter in entry["counter_examples"]:
        assert not (pattern.fullmatch(counter) if key == "flattened_border" else pattern.match(counter)), (key, counter)


def count_findings(text):
    return [(f.rule, f.stated, f.expected)
            for f in findings([check(c) for c in table_claims(text, table_views(text, []))])]


@pytest.mark.parametrize("stated, expected", [
    ("03", []),
    ("04", [("table.row_count", 4, 3), ("table.group_count", 4, 3)]),
])
def test_counts_stated_in_a_flattened_list_are_checked_against_its_rows(stated, expected):
    text = flattened("Danh mục thủ tục:", [
        ["**STT**", "**Tên thủ tục**", "**Ghi chú**"],
        ["**I**", f"**THỦ TỤC CẤP TỈNH ({stated} TTHC)**"],
        ["**LĨNH VỰC HỘ TỊCH (02 TTHC)**"], ["1", "Đăng ký khai sinh", EMPTY], ["2", "Đăng ký kết hôn", EMPTY],
        ["**LĨNH VỰC CHỨNG THỰC (01 TTHC)**"], ["3", "Chứng thực bản sao", EMPTY]], "Hết danh mục.")
    assert count_findings(text) == expected


def process_table(steps: list[tuple[str, str]], total: str, parts: list[tuple[str, list]] | None = None):
    """A step table: header, (part headings and) steps, the total row."""
    rows = [["**Thứ tự**", "**Nội dung công việc**", "**Thời gian thực hiện**"]]
    for heading, part in (parts or [(None, steps)]):
        if heading:
            rows.append(["**I**", heading])
        rows += [[label, "Xử lý hồ sơ", time] for label, time in part]
    return rows + [["**Tổng thời gian giải quyết**", f"**{total}**"]]


def step_results(text):
    results = [check(c) for c in table_claims(text, table_views(text, [])) if c.rule.startswith("table.step")]
    return [(r.claim.rule, r.holds, r.unchecked, r.stated, r.expected) for r in results]


STEPS_OK = [("Bước 1", "0,5 ngày làm việc"), ("Bước 2", "02 ngày làm việc"), ("Bước 3", "Không tính thời gian")]


@pytest.mark.parametrize("table, expected", [
    (process_table(STEPS_OK, "2,5 ngày làm việc"), [("table.step_times", True, None, None, None)]),
    (process_table(STEPS_OK, "03 ngày làm việc"), [("table.step_times", False, None, 3, Decimal("2.5"))]),
    # A step's time in hours: a working day's hours are not written, the sum is not made.
    (process_table([("Bước 1", "04 giờ"), ("Bước 2", "01 ngày làm việc")], "1,5 ngày làm việc"),
     [("table.step_times", False, "mixed_units", None, None)]),
    # A step whose time is no plain time leaves the process unchecked.
    (process_table([("Bước 1", "Theo quy định"), ("Bước 2", "01 ngày làm việc")], "01 ngày làm việc"),
     [("table.step_times", False, "step_time_not_stated", None, None)]),
    # Two parts, each heading stating its time: each part's steps, then the parts, against the total.
    (process_table([], "04 ngày làm việc", [
        ("**Tại cấp xã (01 ngày làm việc)**", [("Bước 1", "0,5 ngày làm việc"), ("Bước 2", "0,5 ngày làm việc")]),
        ("**Tại cấp tỉnh (03 ngày làm việc)**", [("Bước 1", "01 ngày làm việc"), ("Bước 2", "01 ngày làm việc")])]),
     [("table.step_times", True, None, None, None), ("table.step_times", False, None, 3, 2),
      ("table.step_parts", True, None, None, None)]),
])
def test_step_times_in_a_flattened_table_are_checked_against_the_total(table, expected):
    text = flattened("Quy trình nội bộ:", table, "Hết quy trình.")
    assert step_results(text) == expected


def numbered_steps(*times):
    """A step table whose first column numbers its steps ("TT"), with no total row."""
    return [["**TT**", "**Cơ quan, bộ phận, người thực hiện**", "**Nội dung công việc**", "**Thời gian**"]] + [
        [str(i), "Văn phòng đăng ký đất đai", "Xử lý hồ sơ", time] for i, time in enumerate(times, 1)]


@pytest.mark.parametrize("stated, times, expected", [
    # The time stated on the line before the table, the steps in a numbered first column; the
    # return step "Giờ hành chính" adds nothing.
    ("Không quá 17 ngày làm việc.", ("0,5 ngày", "16,5 ngày", "Giờ hành chính"), [("table.step_times", True, None, None, None)]),
    ("Không quá 18 ngày làm việc.", ("0,5 ngày", "16,5 ngày", "Giờ hành chính"),
     [("table.step_times", False, None, 18, 17)]),
    # A step with no time (the tax office's, which the procedure's time does not count): the
    # others reaching the total hold; falling short of it, they are not checked.
    ("Không quá 08 ngày làm việc.", ("0,5 ngày", "4,5 ngày", EMPTY, "3 ngày"), [("table.step_times", True, None, None, None)]),
    ("Không quá 10 ngày làm việc.", ("0,5 ngày", "4,5 ngày", EMPTY, "3 ngày"),
     [("table.step_times", False, "step_time_not_stated", None, None)]),
    # Two times stated: which steps make which is not written.
    ("Không quá 15 ngày + 08 ngày làm việc.", ("0,5 ngày", "14,5 ngày", "8 ngày"), []),
])
def test_step_times_are_checked_against_the_time_stated_before_the_table(stated, times, expected):
    text = flattened(f"**Điều 10. Đăng ký biến động**\n1. Thời gian thực hiện: {stated}\n2. Trình tự thực hiện",
                     numbered_steps(*times), "Hết quy trình.")
    assert step_results(text) == expected


def test_a_step_table_in_markdown_is_read_the_same_way():
    text = "Quy trình:\n\n" + "".join("| " + " | ".join(row) + " |\n" for row in
                                     [["Bước", "Nội dung", "Thời gian"], ["Bước 1", "Tiếp nhận", "01 ngày"],
                                      ["Bước 2", "Giải quyết", "02 ngày"], ["Tổng thời gian", "", "04 ngày"]])
    assert step_results(text) == [("table.step_times", False, None, 4, 3)]


def test_a_process_is_checked_once_when_its_text_and_its_table_both_state_it():
    from extractor import process
    from extractor.document import Document
    text = flattened("Quy trình nội bộ:", process_table(STEPS_OK, "03 ngày làm việc"), "Hết quy trình.")
    result = process(Document("quy-trinh.md", "", "markdown", text))
    assert [(f.kind, f.rule) for f in result.findings] == [("table_total_mismatch", "table.step_times")]
