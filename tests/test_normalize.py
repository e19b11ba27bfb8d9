"""Normalisation keeps every offset pointing into the source text."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import extract_facts
from extractor.multiscan import AVAILABLE
from extractor.normalize import (_OLD_TONE_PLACEMENT, _SAME_LENGTH, _SAME_LENGTH_RE, _TONE_TABLE,
                                 _same_length_edits, fold_tone_placement, normalize)


@pytest.mark.parametrize("old,new", [
    ("hoá", "hóa"), ("Hoá", "Hóa"), ("thuỷ", "thủy"), ("Uỷ ban", "Ủy ban"), ("khoẻ", "khỏe"),
    ("hoà", "hòa"), ("HOÁ", "HÓA"),
    ("quý", "quý"), ("hoàn", "hoàn"), ("toán", "toán"), ("quỹ", "quỹ"),
])
def test_tone_placement_is_unified(old, new):
    assert fold_tone_placement(old) == new


def test_eth_and_odd_spaces_are_same_length_substitutions():
    source = "35/QÐ-UBND\u00a0và\u202f5"
    norm = normalize(source)
    assert norm.text == "35/QĐ-UBND và 5"
    assert norm.is_identity


def test_decomposed_text_is_composed_with_offsets_kept():
    source = unicodedata.normalize("NFD", "Kế hoạch số 862/KH-SGTVT ngày 29/3/2023 đạt 99,5%")
    norm = normalize(source)
    assert norm.text == unicodedata.normalize("NFC", source)
    facts = extract_facts(source).facts
    ref = next(f for f in facts if f.kind == "doc_ref")
    assert ref.value["canonical"] == "862/KH-SGTVT"
    assert ref.value["doc_type"] == "Kế hoạch"
    for f in facts:
        assert source[f.start:f.end] == f.text
    assert unicodedata.normalize("NFC", ref.text) == "Kế hoạch số 862/KH-SGTVT ngày 29/3/2023"


def test_zero_width_characters_are_removed_for_matching_only():
    source = "Kế\u200b hoạch số 86\u200b2/KH-SGTVT và\u00ad 14.911 hồ sơ"
    facts = extract_facts(source).facts
    ref = next(f for f in facts if f.kind == "doc_ref")
    assert ref.value["canonical"] == "862/KH-SGTVT"
    assert ref.text == source[ref.start:ref.end]
    assert "\u200b" in ref.text
    quantity = next(f for f in facts if f.kind == "quantity")
    assert quantity.text == "14.911 hồ sơ"


def test_source_span_widens_to_whole_edits():
    source = "a\u200bb"
    norm = normalize(source)
    assert norm.text == "ab"
    assert norm.source_span(0, 1) == (0, 1)
    assert norm.source_span(1, 2) == (2, 3)
    assert norm.source_span(0, 2) == (0, 3)


@pytest.mark.parametrize("text,canonical", [
    ("Quyết định số 35/QĐ-\nUBND", "35/QĐ-UBND"),
    ("Nghị định số\n08/2022/NĐ-CP", "8/2022/NĐ-CP"),
    ("Quyết định số 44 /2005/QĐ-UBND", "44/2005/QĐ-UBND"),
    ("Kế hoạch số 94- KH/BTGDVTW", "94-KH/BTGDVTW"),
    ("35/QÐ-UBND", "35/QĐ-UBND"),
])
def test_broken_and_spaced_references(text, canonical):
    refs = [f for f in extract_facts(text).facts if f.kind == "doc_ref"]
    assert [r.value["canonical"] for r in refs] == [canonical]
    assert refs[0].text == text


def test_date_split_across_lines():
    text = "ban hành ngày 18\ntháng 11 năm 2025 của"
    dates = [f for f in extract_facts(text).facts if f.kind == "date"]
    assert [d.value["iso"] for d in dates] == ["2025-11-18"]
    assert dates[0].text == "ngày 18\ntháng 11 năm 2025"


@pytest.mark.skipif(not AVAILABLE, reason="Hyperscan is not built for this platform")
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["hoá", "Hoà", "HOẢ", "thuỷ", "quý", "Quỳ", "khoẻ", "loà", "oá",
                                 "hoáñ", "toạ", "ủy", "oáα", "Ðoàn", "\u00a0", "–", "\u2215", " ", "\n", ".",
                                 "q", "u", "ý", "đ", "1"]), max_size=20))
def test_the_one_pass_scan_agrees_with_the_regexes(pieces):
    text = "".join(pieces)
    expected = _SAME_LENGTH_RE.sub(lambda m: m.group().translate(_SAME_LENGTH), text)
    expected = _OLD_TONE_PLACEMENT.sub(lambda m: _TONE_TABLE.get(m.group(), m.group()), expected)
    unified, encoded = _same_length_edits(text)
    assert unified == expected
    assert encoded is None or encoded == unified.encode("utf-8")


def test_without_hyperscan_normalising_gives_the_same_text(monkeypatch):
    import extractor.normalize as module

    text = "Ðoàn\u00a0kiểm tra hoá đơn, thuỷ lợi – quý I; 12\u2215QĐ-UBND ngày 5/3/2024"
    expected = normalize(text)
    monkeypatch.setattr(module, "_same_length_scan", lambda: None)
    plain = normalize(text)
    assert (plain.text, plain.encoded) == (expected.text, None)
    assert expected.text == "Đoàn kiểm tra hóa đơn, thủy lợi - quý I; 12/QĐ-UBND ngày 5/3/2024"


@pytest.mark.parametrize("text,blanked", [
    ("280/2025/NĐ-CP ngày* *27/10/2025", "280/2025/NĐ-CP ngày   27/10/2025"),
    ("ngày 01 tháng* *12* *năm 2025", "ngày 01 tháng   12   năm 2025"),
    ("165/2024/NĐ-CP__\nngày 26/12/2024", "165/2024/NĐ-CP  \nngày 26/12/2024"),
    ("364/ĐA-CP **ngày 09 tháng 5 năm 2025", "364/ĐA-CP   ngày 09 tháng 5 năm 2025"),
    ("Luật số** 203**/2025/QH15", "Luật số   203  /2025/QH15"),
    # not inside a reference or a date: a product, a bold cell, the bold label, a blank to fill
    ("D = (209.929 * 5.000)", None),
    ("| **12** |", None),
    ("**Số:** 12/BC-UBND", None),
    ("ngày ___ tháng 3 năm 2025", None),
    ("**Kết quả** đạt 98%", None),
    ("https://image.vn/Uploaded/2024_12_10/01-1.jpg", None),
])
def test_emphasis_inside_references_and_dates_is_blanked(text, blanked):
    norm = normalize(text)
    assert norm.text == (blanked if blanked is not None else text)
    assert len(norm.text) == len(text) and norm.source_span(0, len(text)) == (0, len(text))
