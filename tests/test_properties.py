"""Properties: extraction never raises, and every fact's text is its slice of the document."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import extract_facts

# Pieces real reports are made of, so random texts reach deep into the patterns.
PIECES = st.sampled_from([
    "Kế hoạch số ", "862/KH-SGTVT", " ngày ", "29/3/2023", "06 tháng 3 năm 2024", "số ",
    "Nghị định ", "130/2005/NĐ-CP", "540-QĐ/TU", " của UBND tỉnh", "14.911", " hồ sơ", "4.135,9",
    " tỷ đồng", "/", "%", "99,87", "quý III", " năm 2023", "từ ", " - ", " đến ", "\n", " ",
    "Số: ", "/BC-SGTVT", "ngày tháng 9 năm 2023", "hoá", "Ð", "\u200b", "\u00a0", "\u0301",
    "giai đoạn 2021-2025", "6 tháng đầu năm 2024", "Ngày 29/12/2022 Sở đã ban hành ", "31/02/2023",
])


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_on_arbitrary_unicode(text):
    result = extract_facts(text)
    for fact in result.facts:
        assert text[fact.start:fact.end] == fact.text
    for problem in result.problems:
        assert text[problem.start:problem.end] == problem.text


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=40).map("".join))
def test_every_fact_is_its_slice_on_report_like_text(text):
    for fact in extract_facts(text).facts:
        assert 0 <= fact.start < fact.end <= len(text)
        assert text[fact.start:fact.end] == fact.text
        assert fact.text == fact.text.strip()
