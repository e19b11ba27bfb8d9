"""Score extracted facts against gold files (precision, recall and F1 per fact kind).

A gold file is JSON with the keys of ``corpus/*.gold.json``: ``doc_refs`` (with ``canonical``
and ``date``), ``dates``, ``ratios``, ``percents``, ``money``. Sets of distinct values are
compared per document and summed over documents (micro average).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

KINDS = ("doc_ref", "ref_date", "date", "ratio", "percent", "money")


def _num(x: Any) -> float:
    return round(float(x), 6)


def gold_sets(gold: dict) -> tuple[dict[str, set], dict[str, set]]:
    refs = gold.get("doc_refs", [])
    ref_dates = {r["canonical"]: set(r.get("dates") or ([r["date"]] if r.get("date") else [])) for r in refs}
    return {
        "doc_ref": {r["canonical"] for r in refs},
        "date": set(gold.get("dates", [])),
        "ratio": {(_num(a), _num(b)) for a, b in gold.get("ratios", [])},
        "percent": {_num(p) for p in gold.get("percents", [])},
        "money": {_num(m["value"] if isinstance(m, dict) else m) for m in gold.get("money", [])},
    }, ref_dates


def predicted_sets(facts: Iterable[dict]) -> tuple[dict[str, set], dict[str, set]]:
    out: dict[str, set] = defaultdict(set)
    ref_dates: dict[str, set] = defaultdict(set)
    for fact in facts:
        value, kind = fact["value"], fact["kind"]
        if kind == "doc_ref" and value.get("canonical"):
            out["doc_ref"].add(value["canonical"])
            if value.get("date"):
                ref_dates[value["canonical"]].add(value["date"])
        elif kind == "date":
            out["date"].add(value["iso"])
        elif kind == "ratio":
            out["ratio"].add((_num(value["numerator"]), _num(value["denominator"])))
        elif kind == "percent":
            out["percent"].add(_num(value["value"]))
        elif kind == "money":
            out["money"].add(_num(value["amount"]))
    return out, ref_dates


@dataclass
class Score:
    tp: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    fp: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    fn: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: list[str] = field(default_factory=list)

    def add(self, name: str, gold: dict, facts: Iterable[dict]) -> None:
        gold_by_kind, gold_ref_dates = gold_sets(gold)
        pred, pred_ref_dates = predicted_sets(facts)
        for kind, expected in gold_by_kind.items():
            found = pred.get(kind, set())
            self.tp[kind] += len(expected & found)
            self.fp[kind] += len(found - expected)
            self.fn[kind] += len(expected - found)
            if expected != found:
                self.misses.append(f"{name} {kind} missed={sorted(map(str, expected - found))} "
                                   f"extra={sorted(map(str, found - expected))}")
        for canonical, dates in gold_ref_dates.items():
            if not dates:
                continue
            ok = bool(pred_ref_dates.get(canonical, set()) & dates)
            self.tp["ref_date"] += ok
            self.fn["ref_date"] += not ok
            if not ok:
                self.misses.append(f"{name} ref_date {canonical} gold={sorted(dates)} "
                                   f"got={sorted(pred_ref_dates.get(canonical, set()))}")

    def f1(self, kind: str) -> float:
        tp, fp, fn = self.tp[kind], self.fp[kind], self.fn[kind]
        if tp + fp + fn == 0:
            return 1.0
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def table(self) -> str:
        lines = [f"{'kind':9} {'gold':>6} {'found':>6} {'F1':>6}"]
        for kind in KINDS:
            lines.append(f"{kind:9} {self.tp[kind] + self.fn[kind]:6d} {self.tp[kind] + self.fp[kind]:6d} "
                         f"{self.f1(kind):6.3f}")
        return "\n".join(lines)
