"""Pattern lint: every pattern compiles, every example matches exactly with its value, and no
counter-example matches. Every document type's examples are read as that type."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extractor import extract_facts
from extractor.extract import Context, run_pattern
from extractor.normalize import normalize
from extractor.patterns import load_patterns, tables

PATTERNS = [p for kind in load_patterns().values() for p in kind]


def same(expected, actual) -> bool:
    if isinstance(expected, (int, float)) and not isinstance(expected, bool) and isinstance(actual, (int, float, Decimal)):
        return Decimal(str(expected)) == Decimal(actual)
    return expected == actual


def test_there_are_patterns_for_every_kind():
    kinds = {p.kind for p in PATTERNS}
    assert {"doc_ref", "date", "period", "ratio", "percent", "money", "quantity"} <= kinds


def test_every_pattern_is_documented_and_has_examples():
    for pattern in PATTERNS:
        assert pattern.doc.strip(), pattern.id
        assert pattern.examples, f"{pattern.id} has no examples"
        assert pattern.counter_examples, f"{pattern.id} has no counter-examples"


EXAMPLES = [(p, e) for p in PATTERNS for e in p.examples]


@pytest.mark.parametrize("pattern,example", EXAMPLES, ids=[f"{p.id}:{e.text[:40]}" for p, e in EXAMPLES])
def test_example_matches_exactly_with_its_value(pattern, example):
    norm = normalize(example.text)
    found, _ = run_pattern(pattern, Context(norm.text))
    spans = {}
    for c in found:
        start, end = norm.source_span(c.start, c.end)
        spans[example.text[start:end]] = c
    assert example.match in spans, f"{pattern.id}: {example.match!r} not matched; got {list(spans)}"
    value = spans[example.match].value
    for key, expected in example.value.items():
        assert key in value, f"{pattern.id}: no {key} in {value}"
        assert same(expected, value[key]), f"{pattern.id}: {key} = {value[key]!r}, expected {expected!r}"


COUNTER = [(p, c) for p in PATTERNS for c in p.counter_examples]


@pytest.mark.parametrize("pattern,text", COUNTER, ids=[f"{p.id}:{c[:40]}" for p, c in COUNTER])
def test_counter_example_does_not_match(pattern, text):
    found, _ = run_pattern(pattern, Context(normalize(text).text))
    assert not found, f"{pattern.id} matched {[text[c.start:c.end] for c in found]}"


TYPE_EXAMPLES = [
    (group, entry["name"], example)
    for group in ("administrative", "copies", "normative", "party")
    for entry in tables()["doc_types"][group]
    for example in entry["examples"]
]


@pytest.mark.parametrize("group,name,example", TYPE_EXAMPLES, ids=[f"{g}:{e}" for g, _, e in TYPE_EXAMPLES])
def test_document_type_examples_are_read_as_their_type(group, name, example):
    refs = [f for f in extract_facts(example).facts if f.kind == "doc_ref"]
    assert len(refs) == 1, refs
    value = refs[0].value
    assert value["doc_type"] == name
    assert refs[0].text == example
    expected_family = {"normative": {"normative", "joint"}, "party": {"party"}}.get(
        group, {"administrative", "official_letter"})
    assert value["family"] in expected_family


def test_case_and_stroke_are_significant_in_type_codes():
    def doc_type(ref):
        return [f for f in extract_facts(ref).facts if f.kind == "doc_ref"][0].value["doc_type"]

    assert doc_type("12/HĐ-UBND") == "Hợp đồng"
    assert doc_type("12/HD-UBND") == "Hướng dẫn"
    assert doc_type("12/ĐA-UBND") == "Đề án"
    assert doc_type("12/DA-UBND") == "Dự án"
    assert doc_type("12/TTr-UBND") == "Tờ trình"
    assert doc_type("12/TT-UBND") == "Công văn"  # TT is not an administrative type
    assert doc_type("12/CTr-UBND") == "Chương trình"
    assert doc_type("12/CT-UBND") == "Chỉ thị"
    assert doc_type("12/QyĐ-UBND") == "Quy định"
    assert doc_type("12/QĐ-UBND") == "Quyết định"


def test_the_administrative_table_has_the_29_types_of_decree_30():
    assert len(tables()["doc_types"]["administrative"]) == 29


def test_pattern_files_have_no_repeated_keys():
    """YAML keeps the last of two equal keys silently: a repeated block would be dead data."""
    import yaml

    from extractor.patterns import patterns_dir

    class Strict(yaml.SafeLoader):
        def construct_mapping(self, node, deep=False):
            keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
            repeated = {k for k in keys if keys.count(k) > 1}
            assert not repeated, f"{node.start_mark}: repeated keys {sorted(repeated)}"
            return super().construct_mapping(node, deep=deep)

    for path in sorted(patterns_dir().glob("*.yaml")):
        yaml.load(path.read_text(encoding="utf-8"), Loader=Strict)
