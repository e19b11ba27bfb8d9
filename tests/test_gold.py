"""Extraction against hand-checked gold: the two seed documents and our own corpus."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from extractor import extract_document
from extractor.score import KINDS, Score

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def score_dir(gold_dir: Path, doc_dir: Path) -> Score:
    score = Score()
    golds = sorted(gold_dir.glob("*.gold.json"))
    assert golds, f"no gold files in {gold_dir}"
    for gold_path in golds:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if not isinstance(gold, dict) or "file" not in gold:
            continue  # a series' cross-document gold, checked in tests/test_series.py
        record = extract_document(str(doc_dir / gold["file"]))
        assert not record["errors"], record["errors"]
        score.add(gold["file"], gold, record["facts"])
    return score


def test_seed_gold_is_met_exactly(shared_dir):
    score = score_dir(shared_dir / "corpus" / "seeds", shared_dir / "corpus" / "seeds")
    for kind in KINDS:
        assert score.f1(kind) == 1.0, "\n".join(score.misses)


@pytest.mark.slow
def test_seed_gold_with_the_shared_scorer(shared_dir):
    seeds = shared_dir / "corpus" / "seeds"
    run = subprocess.run(
        [sys.executable, str(shared_dir / "tools" / "score_gold.py"), str(seeds), str(seeds),
         "--cmd", f"{sys.executable} -m extractor extract --format jsonl", "--min-f1", "1.0"],
        capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "worst F1 1.000" in run.stdout


@pytest.mark.parametrize("folder", [CORPUS, CORPUS / "series"], ids=["corpus", "series"])
def test_own_corpus_gold_is_met(folder):
    score = score_dir(folder, folder)
    for kind in KINDS:
        assert score.f1(kind) == 1.0, "\n".join(score.misses)


GOLD_FILES = sorted(p for p in list(CORPUS.glob("*.gold.json")) + list((CORPUS / "series").glob("*.gold.json"))
                    if p.name != "series.gold.json")


@pytest.mark.parametrize("gold_path", GOLD_FILES, ids=[p.name for p in GOLD_FILES])
def test_own_corpus_periods_quantities_and_problems(gold_path):
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    facts = extract_document(str(gold_path.parent / gold["file"]))["facts"]
    periods = {(f["value"]["start"], f["value"]["end"]) for f in facts if f["kind"] == "period"}
    for period in gold.get("periods", []):
        assert (period["start"], period["end"]) in periods, period
    quantities = sorted((float(f["value"]["value"]), f["value"]["unit"]) for f in facts if f["kind"] == "quantity")
    expected = sorted((float(q["value"]), q["unit"]) for q in gold.get("quantities", []))
    missing = [q for q in expected if q not in quantities]
    assert not missing, f"missing quantities {missing}"
