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
