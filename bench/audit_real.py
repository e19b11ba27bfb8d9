"""The audit on real documents annotated by hand, blind to the tool (bench/annotations/relations).

For each named set (``dev``: the rules are written against it; ``held_out`` and the fresh
``held_out2``: only reported),
every relation the annotator says a document states (a total and its parts, a percentage and
its ratio, a restatement …) is matched against what the audit read:

- read: a checked claim covers the relation's figures (at least two of them, or all when it
  has fewer);
- broken and found: a finding covers the figures of a relation that does not hold;
- a finding is right when it covers a broken relation's figures; a finding on a relation that
  holds, or on nothing annotated, is a false alarm. Findings that are not arithmetic (numbering,
  drafts, spelling) are counted apart, and so is nothing outside the part of a document its
  annotation covers (``coverage``).

    python3 bench/audit_real.py [--set dev|held_out|held_out2|all] [--show] [--mutate]

With ``--mutate``, each relation that holds is broken by changing one digit of its first figure
(in the document text and in the reader's table cells), the document is audited again, and the
mutant counts as caught when a finding covers the relation's figures.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor import process  # noqa: E402
from extractor.document import Cell, Table  # noqa: E402

ANNOTATIONS = ROOT / "bench" / "annotations" / "relations"
PUBLIC = ROOT.parent / "shared" / "corpus" / "public"
# held_out2, held_out3: fresh held-out sets, annotated after held_out (then held_out2) had been looked at
SETS = ("dev", "held_out", "held_out2", "held_out3")
# The finding kinds the audit raises about arithmetic (the others: numbering, drafts, spelling).
ARITHMETIC_FINDINGS = {"sum_mismatch", "percent_mismatch", "percent_impossible", "difference_mismatch",
                       "table_total_mismatch", "table_count_mismatch", "figure_restated_differently", "period_total_mismatch",
                       "carry_over_mismatch", "restatement_mismatch", "formula_mismatch",
                       "rounding_mismatch", "percent_change_mismatch", "multiple_mismatch", "complement_mismatch"}


def figure_spans(relation: dict) -> list[tuple[int, int]]:
    """Every figure of a relation, wherever the annotation schema puts it."""
    spans = []

    def visit(value):
        if isinstance(value, dict):
            if isinstance(value.get("start"), int) and isinstance(value.get("end"), int):
                spans.append((value["start"], value["end"]))
            else:
                for v in value.values():
                    visit(v)
        elif isinstance(value, list):
            for v in value:
                visit(v)

    for key, value in relation.items():
        if key not in ("id", "kind", "holds", "where", "note"):
            visit(value)
    return sorted(set(spans))


def covers(facts, spans: list[tuple[int, int]]) -> bool:
    needed = min(2, len(spans))
    hit = sum(any(f.start < e and s < f.end for f in facts) for s, e in spans)
    return needed > 0 and hit >= needed


def score(files: list[Path], show: bool) -> dict:
    totals = Counter()
    by_kind_read, by_kind = Counter(), Counter()
    for path in files:
        annotation = json.loads(path.read_text(encoding="utf-8"))
        result = process(str(PUBLIC / annotation["path"]))
        if not result.ok:
            print(f"  {annotation['path']}: {result.error}", file=sys.stderr)
            continue
        coverage = annotation.get("coverage") or {"full": True}
        low, high = (0, len(result.text)) if coverage.get("full", True) else (coverage["start"], coverage["end"])
        claims = [r.claim.facts for r in result.results if r.checked]
        relations = annotation["relations"]
        matched_findings = set()
        for relation in relations:
            spans = figure_spans(relation)
            by_kind[relation["kind"]] += 1
            totals["relations"] += 1
            read = any(covers(facts, spans) for facts in claims)
            totals["read"] += read
            by_kind_read[relation["kind"]] += read
            if not relation["holds"]:
                totals["broken"] += 1
                found = [i for i, f in enumerate(result.findings) if covers(f.facts, spans)]
                totals["broken_found"] += bool(found)
                matched_findings.update(found)
                if show and not found:
                    print(f"  missed broken {annotation['path']} {relation['id']} {relation['kind']}: {relation.get('note')}")
            elif show and not read:
                print(f"  unread {annotation['path']} {relation['id']} {relation['kind']}: {relation.get('note')}")
        for i, finding in enumerate(result.findings):
            if not any(low <= f.start < high for f in finding.facts):
                continue  # outside the part of the document that was annotated
            if finding.kind not in ARITHMETIC_FINDINGS:
                totals["other_findings"] += 1
                continue
            totals["findings"] += 1
            right = i in matched_findings
            totals["findings_right"] += right
            if show and not right:
                where = ", ".join(f"{f.text!r}@{f.start}" for f in finding.facts[:4])
                print(f"  false alarm {annotation['path']} {finding.kind} {finding.rule}: {where}")
    return {"totals": totals, "by_kind": by_kind, "by_kind_read": by_kind_read}


# Relations whose figures are arithmetic on the page: a changed figure must break them.
MUTABLE = ("sum", "share", "difference", "product", "score", "percent_change", "complement", "mean")


def mutated(document, span: tuple[int, int]):
    """The document with the last digit of the figure at ``span`` changed (same length, so
    every other offset holds)."""
    start, end = span
    digits = [i for i in range(start, end) if document.text[i].isdigit()]
    if not digits:
        return None
    at = digits[-1]
    text = document.text[:at] + str((int(document.text[at]) + 1) % 10) + document.text[at + 1:]

    def cell(c: Cell) -> Cell:
        if c.start is None or not (c.start <= at < c.end):
            return c
        return Cell(text[c.start:c.end], c.start, c.end)

    tables = [Table(t.page, [[cell(c) for c in row] for row in t.rows]) for t in document.tables]
    return type(document)(document.path, document.sha256, document.format, text, document.pages, tables)


def mutation_score(files: list[Path]) -> Counter:
    counts = Counter()
    for path in files:
        annotation = json.loads(path.read_text(encoding="utf-8"))
        original = process(str(PUBLIC / annotation["path"]), reconcile=False)
        if not original.ok:
            continue
        for relation in annotation["relations"]:
            spans = figure_spans(relation)
            if not relation["holds"] or relation["kind"] not in MUTABLE or len(spans) < 2:
                continue
            document = mutated(original.document, spans[0])
            if document is None:
                continue
            counts["mutants"] += 1
            result = process(document)
            counts["caught"] += any(covers(f.facts, spans) for f in result.findings)
    return counts


def share(a: int, b: int) -> str:
    return f"{a}/{b} = {a / b:.0%}" if b else f"{a}/0"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=[*SETS, "all"], default="all")
    parser.add_argument("--annotations", type=Path, default=ANNOTATIONS)
    parser.add_argument("--show", action="store_true", help="list relations not read, broken ones missed, false alarms")
    parser.add_argument("--mutate", action="store_true", help="also break each holding relation and count it caught")
    args = parser.parse_args()
    if not PUBLIC.is_dir():
        sys.exit(f"{PUBLIC} is absent: the annotated documents are there")
    for name in (SETS if args.set == "all" else [args.set]):
        files = sorted((args.annotations / name).glob("*.json"))
        print(f"== {name}: {len(files)} documents")
        s = score(files, args.show)
        t = s["totals"]
        print(f"relations read        {share(t['read'], t['relations'])}")
        print(f"broken ones found     {share(t['broken_found'], t['broken'])}")
        print(f"findings right        {share(t['findings_right'], t['findings'])}"
              f"  (and {t['other_findings']} findings that are not arithmetic)")
        print("read by kind          " + ", ".join(f"{k} {s['by_kind_read'][k]}/{n}" for k, n in s["by_kind"].most_common()))
        if args.mutate:
            m = mutation_score(files)
            print(f"mutants caught        {share(m['caught'], m['mutants'])}"
                  f"  (precision: the findings right above, on the untouched documents)")


if __name__ == "__main__":
    main()
