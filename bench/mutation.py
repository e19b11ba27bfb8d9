"""Mutation benchmark for the reconciler.

From documents whose arithmetic holds, change one figure at a time (the last written digit goes
up by one: 14.911 → 14.912, 42,4% → 42,5%), re-run extraction and the checks, and measure:

- recall: the share of mutants that break a relation the gold lists (a sum, a share with its
  percentage, a difference, an implied whole) that the checks flag with a finding whose
  evidence includes the changed figure;
- precision: of all findings raised on the mutants and on the untouched documents, the share
  that are right (they involve the changed figure, or the gold expects them).

    python3 bench/mutation.py [--seeds-only | --corpus-only]

Uses corpus/*.gold.json, corpus/series/*.gold.json and, when present,
../shared/corpus/seeds/*.gold.json.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor import extract_facts  # noqa: E402
from extractor.reconcile import check_document  # noqa: E402
from extractor.reconcile.arithmetic import implied_wholes, percent_holds  # noqa: E402
from extractor.extract.numbers import parse_number  # noqa: E402

VERBOSE = "--verbose" in sys.argv
ARITHMETIC = {"sum_mismatch", "percent_mismatch", "percent_impossible", "difference_mismatch"}


def bump(number_text: str) -> str:
    """The written number with its last digit raised by one, in the same written form."""
    value, decimals = parse_number(number_text)
    bumped = value + Decimal(1).scaleb(-decimals)
    integer, _, fraction = f"{bumped:.{decimals}f}".partition(".")
    width = len(number_text.partition(",")[0].replace(".", ""))
    integer = integer.zfill(width)
    if "." in number_text:
        groups = []
        while len(integer) > 3:
            groups.insert(0, integer[-3:])
            integer = integer[:-3]
        integer = ".".join([integer] + groups)
    return integer + ("," + fraction if decimals else "")


def relation_holds(check: dict, values: dict[Decimal, Decimal]) -> bool:
    """Whether a gold relation still holds once each figure is replaced by its mutated value."""
    def v(x) -> Decimal:
        d = Decimal(str(x))
        return values.get(d, d)

    kind = check["kind"]
    if kind == "sum":
        return sum(v(p) for p in check["parts"]) == v(check["total"])
    if kind == "ratio_percent":
        p = Decimal(str(check["percent"]))
        decimals = max(0, -p.normalize().as_tuple().exponent)
        stated = v(check["percent"])
        return percent_holds(v(check["part"]), v(check["whole"]), stated, decimals)
    if kind == "implied_whole":
        p = Decimal(str(check["percent"]))
        decimals = max(0, -p.normalize().as_tuple().exponent)
        return bool(implied_wholes(v(check["part"]), v(check["percent"]), decimals))
    if kind == "difference":
        return abs(v(check["a"]) - v(check["b"])) == v(check["difference"])
    return True


@dataclass
class Tally:
    mutants: int = 0
    breaking: int = 0
    caught: int = 0
    findings: int = 0
    right_findings: int = 0


def gold_documents(which: str) -> list[tuple[dict, str]]:
    dirs = []
    seeds = ROOT.parent / "shared" / "corpus" / "seeds"
    if which in ("all", "seeds") and seeds.is_dir():
        dirs.append(seeds)
    if which in ("all", "corpus"):
        dirs += [ROOT / "corpus", ROOT / "corpus" / "series"]
    out = []
    for d in dirs:
        for gold_path in sorted(d.glob("*.gold.json")):
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            if isinstance(gold, dict) and "file" in gold:
                out.append((gold, (d / gold["file"]).read_text(encoding="utf-8")))
    return out


def run(which: str) -> Tally:
    tally = Tally()
    for gold, text in gold_documents(which):
        expected = [f["kind"] for f in gold.get("expected_findings", []) if f["kind"] in ARITHMETIC]
        checks = [c for c in gold.get("checks", []) if c.get("holds") and c["kind"] in
                  ("sum", "ratio_percent", "implied_whole", "difference")]
        facts = extract_facts(text).facts
        results, base_findings = check_document(text, facts)
        base = [f for f in base_findings if f.kind in ARITHMETIC]
        tally.findings += len(base)
        tally.right_findings += min(len(base), len(expected))
        relations = _relation_spans(checks, results, facts)
        figures = [f for f in facts if f.kind in ("quantity", "money", "percent", "ratio")]
        seen: set[int] = set()
        for fact in figures:
            for number_start, number_text, scale in _numbers_of(fact):
                if number_start in seen:
                    continue
                seen.add(number_start)
                mutated_text = bump(number_text)
                old, new = parse_number(number_text)[0], parse_number(mutated_text)[0]
                changes = {old: new, old * scale: new * scale}
                mutant = text[:number_start] + mutated_text + text[number_start + len(number_text):]
                tally.mutants += 1
                breaks = any(not relation_holds(c, changes) for c, spans in relations
                             if any(a <= number_start < b for a, b in spans))
                _, found = check_document(mutant, extract_facts(mutant).facts)
                found = [f for f in found if f.kind in ARITHMETIC]
                involving = [f for f in found if any(e.start <= number_start < e.end for e in f.facts)]
                tally.findings += len(found)
                tally.right_findings += len(involving) + min(len(found) - len(involving), len(expected))
                if breaks:
                    tally.breaking += 1
                    tally.caught += bool(involving)
                    if not involving and VERBOSE:
                        print("missed:", gold["file"], number_text, "->", mutated_text,
                              repr(text[max(0, number_start - 60):number_start + 40]))
    return tally


def _relation_spans(checks: list[dict], results, facts) -> list[tuple[dict, list[tuple[int, int]]]]:
    """Where each gold relation stands in the text: the facts of the claim that reads it, or,
    for a relation no claim reads, every figure carrying one of its values."""
    import sys as _sys

    _sys.path.insert(0, str(ROOT / "tests"))
    from test_reconcile import as_check, gold_check

    by_check = {as_check(r): r.claim for r in results}
    out = []
    for check in checks:
        claim = by_check.get(gold_check(check))
        if claim is not None:
            out.append((check, [(f.start, f.end) for f in claim.facts]))
            continue
        values = _check_values(check)
        spans = []
        for fact in facts:
            if fact.kind not in ("quantity", "money", "percent", "ratio"):
                continue
            for start, written, scale in _numbers_of(fact):
                value = parse_number(written)[0]
                if value in values or value * scale in values:
                    spans.append((start, start + len(written)))
        out.append((check, spans))
    return out


def _check_values(check: dict) -> set[Decimal]:
    keys = {"sum": ["total"], "ratio_percent": ["part", "whole", "percent"],
            "implied_whole": ["part", "percent"], "difference": ["a", "b", "difference"]}[check["kind"]]
    values = {Decimal(str(check[k])) for k in keys}
    values |= {Decimal(str(p)) for p in check.get("parts", [])}
    return values


def _numbers_of(fact):
    """(offset, written number, scale) of each number a figure fact is made of."""
    import regex

    scale = fact.value.get("scale", 1) if fact.kind in ("money", "ratio") else 1
    for m in regex.finditer(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?", fact.text):
        yield fact.start + m.start(), m.group(), Decimal(scale)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--seeds-only", action="store_true")
    group.add_argument("--corpus-only", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="print the mutants that were missed")
    args = parser.parse_args()
    which = "seeds" if args.seeds_only else "corpus" if args.corpus_only else "all"
    t = run(which)
    recall = t.caught / t.breaking if t.breaking else 1.0
    precision = t.right_findings / t.findings if t.findings else 1.0
    print(f"mutants: {t.mutants}, breaking a gold relation: {t.breaking}, caught: {t.caught}")
    print(f"recall (caught / breaking):   {recall:.3f}   target >= 0.95")
    print(f"precision of findings:        {precision:.3f}   ({t.right_findings}/{t.findings}) target >= 0.95")


if __name__ == "__main__":
    main()
