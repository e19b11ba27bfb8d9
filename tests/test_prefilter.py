"""The Hyperscan prefilter must never change what extraction finds: with it, every pattern is
only tried where its prefilter starts, and that must give exactly the plain search's result."""
from __future__ import annotations

from pathlib import Path

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.extract import Context, find_candidates
from extractor.extract.prefilter import matches_at, prefilter
from extractor.normalize import normalize
from extractor.patterns import load_patterns, scan_groups

ROOT = Path(__file__).resolve().parent.parent
PATTERNS = [p for kind in load_patterns().values() for p in kind]

needs_hyperscan = pytest.mark.skipif(prefilter() is None, reason="Hyperscan is not built for this platform")


def found(text: str, use_prefilter: bool) -> list[tuple]:
    candidates, problems = find_candidates(Context(normalize(text).text), use_prefilter=use_prefilter)
    return ([(c.kind, c.start, c.end, c.pattern.id, repr(c.value)) for c in candidates]
            + [(p.code, p.start, p.end) for p in problems])


def test_every_pattern_has_a_prefilter():
    assert [p.id for p in PATTERNS if not p.prefilter] == []


@needs_hyperscan
def test_every_scan_group_is_prefiltered():
    assert prefilter().covered == frozenset(range(len(scan_groups())))


TEXTS = sorted({e.text for p in PATTERNS for e in p.examples} | {c for p in PATTERNS for c in p.counter_examples})


@needs_hyperscan
@pytest.mark.parametrize("text", TEXTS, ids=[t[:40] for t in TEXTS])
def test_examples_are_found_the_same_with_the_prefilter(text):
    assert found(text, True) == found(text, False)


CORPUS = sorted(p for p in (ROOT / "corpus").rglob("*") if p.suffix in (".txt", ".md"))


@needs_hyperscan
@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_documents_are_found_the_same_with_the_prefilter(path):
    text = path.read_text(encoding="utf-8")
    with_prefilter = found(text, True)
    assert with_prefilter  # the corpus documents are full of facts
    assert with_prefilter == found(text, False)


@needs_hyperscan
def test_offsets_survive_multibyte_text_and_odd_characters():
    text = ("Ðoàn kiểm tra: Quyết định số 12/QĐ-UBND ngày 5/3/2024 🙂, tiếp nhận 1.204 hồ sơ "
            "(đạt 45,5%), kinh phí 2,5 tỷ đồng, 56/56 nhiệm vụ; năm 2023 và quý I/2024.\r\n"
            "Số: /BC-UBND\n")
    assert found(text, True) == found(text, False)
    assert prefilter().starts("\ud800 lone surrogate 12/QĐ-UBND") is None


def test_matches_at_gives_finditer_matches_from_any_superset_of_their_starts():
    pattern = regex.compile(r"(?<!\d)\d+(?:/\d+)?")
    text = "a 12/34 b 5 c 678/9 d"
    truth = [m.span() for m in pattern.finditer(text)]
    every_position = list(range(len(text)))
    assert [m.span() for m in matches_at(pattern, text, every_position)] == truth
    assert [m.span() for m in matches_at(pattern, text, [s for s, _ in truth])] == truth
    assert [m.span() for m in matches_at(pattern, text, [2, 3, 4])] == [truth[0]]


@pytest.mark.slow
def test_public_documents_are_found_the_same_with_the_prefilter(shared_dir):
    if prefilter() is None:
        pytest.skip("Hyperscan is not built for this platform")
    public = shared_dir / "corpus" / "public"
    paths = sorted(p for p in public.rglob("*") if p.suffix.lower() in (".md", ".txt"))
    assert len(paths) > 50
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert found(text, True) == found(text, False), path.name


PIECES = sorted({e.text for p in PATTERNS for e in p.examples})


@pytest.mark.slow
@needs_hyperscan
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(PIECES),
                          st.sampled_from([" ", "\n", "\t", "-", "/", ".", ",", "x", "7", "năm ", "số "]),
                          st.text(max_size=6)), max_size=12))
def test_any_mix_of_examples_is_found_the_same_with_the_prefilter(pieces):
    text = "".join(pieces)
    assert found(text, True) == found(text, False)


# Short references and relation cues (extract/citescan.py): their Hyperscan starts must give
# the plain search's facts.

def found_refs(text: str, use_prefilter: bool) -> list[tuple]:
    from extractor.extract import _with_short_refs
    ctx = Context(normalize(text).text)
    candidates, _ = find_candidates(ctx, use_prefilter=True)
    candidates = _with_short_refs(ctx.text, candidates, use_prefilter=use_prefilter)
    return [(c.kind, c.start, c.end, c.pattern.id, repr(sorted(c.value.items()))) for c in candidates
            if c.kind == "doc_ref"]


def _ref_texts() -> list[str]:
    from extractor.extract.relations import relations
    from extractor.extract.shortrefs import forms
    texts = {t for f in forms() for t in f.examples + f.counter_examples}
    data = relations().data
    for entry in [data["neutral"], data["transparent"], *data["relations"]]:
        texts |= {t.replace("<0>", "").replace("</0>", "") for t in entry.get("examples", []) + entry.get("counter_examples", [])}
    return sorted(texts)


REF_TEXTS = _ref_texts()


@needs_hyperscan
@pytest.mark.parametrize("text", REF_TEXTS, ids=[t[:40] for t in REF_TEXTS])
def test_short_refs_and_relations_are_found_the_same_with_the_prefilter(text):
    assert found_refs(text, True) == found_refs(text, False)


@needs_hyperscan
@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_short_refs_and_relations_are_found_the_same_with_the_prefilter(path):
    text = path.read_text(encoding="utf-8")
    assert found_refs(text, True) == found_refs(text, False)


@needs_hyperscan
def test_nested_cues_and_odd_cases_are_found_the_same_with_the_prefilter():
    text = ("Việc này thực hiện theo quy định tại Nghị định số 33/2023/NĐ-CP; "
            "THAY THẾ Quyết định số 12/2020/QĐ-UBND, Sửa Đổi Thông tư số 5/2019/TT-BNV. "
            "Căn cứ\nLuật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Kế hoạch nêu trên 🙂 "
            "Quyết định này có hiệu lực. Kế hoạch số 862 của Sở Nội vụ.")
    assert found_refs(text, True) == found_refs(text, False)


@pytest.mark.slow
def test_cue_prefilters_match_every_case_the_regex_engine_matches():
    from extractor.extract.citescan import cases
    from extractor.extract.relations import relations
    rel = relations()
    letters = sorted({ch for w in [*rel.before_cues, *rel.after_cues] for ch in w if not ch.isspace()})
    every = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    hits = set(regex.findall("(?i)[" + "".join(regex.escape(c) for c in letters) + "]", every))
    for x in hits:
        for c in letters:
            if regex.fullmatch("(?i)" + regex.escape(c), x):
                assert x in cases(c), (c, x)


@pytest.mark.slow
def test_public_short_refs_and_relations_are_found_the_same_with_the_prefilter(shared_dir):
    if prefilter() is None:
        pytest.skip("Hyperscan is not built for this platform")
    public = shared_dir / "corpus" / "public"
    paths = sorted(p for p in public.rglob("*") if p.suffix.lower() in (".md", ".txt"))
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert found_refs(text, True) == found_refs(text, False), path.name
