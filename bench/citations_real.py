"""Citation relations and short references on real documents, against hand annotations.

    python3 bench/citations_real.py [--set dev|held_out|held_out2|held_out3] [--verbose]

Reads ``bench/annotations/citations/<set>/*.json`` (see the README there), runs each document
through the pipeline and prints, beside a baseline measured in the same run:

- relations: the share of annotated citations whose relation is right, over all of them and
  over those whose wording states one (the issue's criterion); baseline: every citation is a
  ``basis`` (the commonest relation);
- short references: the share resolved right (to the canonical the annotator gives, or to the
  document itself), how many were resolved wrongly, and the short references found that the
  annotation does not list; baseline: the nearest full reference of the same type before it.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor import process  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "public"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus/public")


def covering(facts, offset: int):
    return next((f for f in facts if f.start <= offset < f.end), None)


def key(canonical: str | None) -> str | None:
    """A canonical compared: blanks, case and the number's leading zeros aside (the tool writes
    a normative number without them, "7/2024/TT-BNV"; annotators wrote some as printed)."""
    return regex.sub(r"^0+(?=\d)", "", canonical.replace(" ", "").lower()) if canonical else None


def score(annotation: dict, verbose: bool) -> dict:
    result = process(str(CORPUS / annotation["path"]), reconcile=False)
    lo, hi = annotation["region"]
    refs = [f for f in result.facts if f.kind == "doc_ref"]
    full = [f for f in refs if f.value.get("canonical") and not f.value.get("own")]
    shorts = [f for f in refs if f.value.get("short") and not f.value.get("canonical")]
    # A year-less "Nghị định số 61/NĐ-CP" is a full citation and a short one at once.
    shorts += [f for f in refs if f.value.get("short") and f.value.get("canonical")]
    out = {"citations": 0, "right": 0, "stated": 0, "stated_right": 0, "baseline_right": 0,
           "baseline_stated_right": 0, "shorts": 0, "short_right": 0, "short_wrong": 0,
           "short_baseline_right": 0, "short_extra": 0, "misses": []}
    for c in annotation["citations"]:
        if c.get("uncertain"):
            continue
        fact = covering(full, c["start"])
        got = fact.value.get("relation") if fact else "(not found)"
        out["citations"] += 1
        out["right"] += got == c["relation"]
        out["baseline_right"] += c["relation"] == "basis"
        if c["relation"] is not None:
            out["stated"] += 1
            out["stated_right"] += got == c["relation"]
            out["baseline_stated_right"] += c["relation"] == "basis"
        if got != c["relation"]:
            out["misses"].append(f"{annotation['path']}@{c['start']} {c['canonical']}: {c['relation']} got {got}")
    annotated = set()
    for s in annotation["short_references"]:
        out["shorts"] += 1
        fact = covering(shorts, s["start"])
        expected = s["resolves_to"]
        if fact is not None:
            annotated.add(id(fact))
        if fact is None:
            got = "(not found)"
        elif fact.value.get("self"):
            got = "self"
        elif fact.value.get("resolved"):
            got = fact.value["resolves_to"]["canonical"]
        else:
            got = None
        right = key(got) == key(expected)
        out["short_right"] += right
        out["short_wrong"] += (not right) and got not in (None, "(not found)")
        if not right:
            out["misses"].append(f"{annotation['path']}@{s['start']} short: {expected} got {got}")
        # Baseline: the nearest full reference before it of the type it names ("này" the own).
        if fact is not None and fact.value.get("doc_type"):
            before = [f for f in full if f.end <= fact.start and f.value.get("doc_type") == fact.value["doc_type"]]
            guess = "self" if fact.value.get("self") else (before[-1].value["canonical"] if before else None)
            out["short_baseline_right"] += key(guess) == key(expected)
    extra = [f for f in shorts if lo <= f.start < hi and id(f) not in annotated and not f.value.get("canonical")]
    out["short_extra"] = len(extra)
    out["misses"] += [f"{annotation['path']}@{f.start} found, not annotated: {f.text!r} -> "
                      f"{'self' if f.value.get('self') else (f.value.get('resolves_to') or {}).get('canonical')}"
                      for f in extra]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", default="held_out", help="Folder of annotations under bench/annotations/citations/.")
    parser.add_argument("--verbose", action="store_true", help="List every citation that is wrong.")
    args = parser.parse_args()
    folder = ROOT / "bench" / "annotations" / "citations" / args.set
    files = sorted(folder.glob("*.json"))
    if not files or not CORPUS.is_dir():
        print(f"no annotations in {folder} or no corpus at {CORPUS}", file=sys.stderr)
        return 1
    total: dict = {}
    for path in files:
        part = score(json.loads(path.read_text(encoding="utf-8")), args.verbose)
        for k, v in part.items():
            total[k] = total.get(k, 0 if k != "misses" else []) + v

    def share(a: int, b: int) -> str:
        return f"{a}/{b} = {100 * a / b:.1f} %" if b else "n/a"

    print(f"{len(files)} documents ({args.set})")
    print(f"relations right, all citations:        {share(total['right'], total['citations']):>20}"
          f"   baseline (all basis): {share(total['baseline_right'], total['citations'])}")
    print(f"relations right, stating a relation:   {share(total['stated_right'], total['stated']):>20}"
          f"   baseline (all basis): {share(total['baseline_stated_right'], total['stated'])}")
    print(f"short references resolved right:       {share(total['short_right'], total['shorts']):>20}"
          f"   baseline (nearest before): {share(total['short_baseline_right'], total['shorts'])}")
    print(f"short references resolved wrongly:     {total['short_wrong']:>20}")
    print(f"short references found, not annotated: {total['short_extra']:>20}")
    if args.verbose:
        print("\n".join(total["misses"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
