"""Check claims and turn the ones that do not hold into findings with their evidence."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..facts import Fact, to_jsonable
from .arithmetic import computed_percent, implied_wholes, percent_holds, rounds_to
from .claims import Claim
from .claims.changes import change_holds, complement_holds, multiple_holds, plan_holds
from ..structure.layout import Layout
from .wording import finding_message

# A total that is off by more than this share of itself is a gross error, not a slip.
GROSS_SUM_SHARE = Decimal("0.05")
# A percentage more than this many points away from its figures is a gross error.
GROSS_PERCENT_POINTS = Decimal(5)
# A percentage within this many units of its written precision (0,1 for "81,4%") is a rounding
# slip: rounded the wrong way, or from a slightly different figure.
MINOR_PERCENT_QUANTA = Decimal("1.5")
# A piece of evidence quotes its whole sentence up to this length; from a longer one (a list of
# thousands of figures in one sentence) it quotes this many characters either side of the fact,
# so that each quote stays short and a finding over n figures costs n quotes, not n sentences.
QUOTE_CONTEXT_CHARS = 300


@dataclass
class Result:
    """A checked claim: whether it holds, and what was expected where it does not."""

    claim: Claim
    holds: bool
    stated: Any = None
    expected: Any = None
    tolerance: Any = None
    severity: str | None = None
    kind: str | None = None  # the finding kind, when not the claim kind's usual one
    # A relation the wording states but whose figures cannot all be told (a percentage of a
    # plan the document does not give): listed as unchecked, with why, never a finding.
    unchecked: str | None = None

    @property
    def checked(self) -> bool:
        return self.unchecked is None


@dataclass
class Finding:
    kind: str
    severity: str
    rule: str
    stated: Any
    expected: Any
    tolerance: Any
    facts: list[Fact]
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self, text: str, lang: str = "vi", *, with_evidence: bool = True,
                layout: Layout | None = None) -> dict[str, Any]:
        """The finding as JSON; its evidence is quoted from ``text`` with its ``layout`` (a
        caller that holds the facts of several documents quotes them itself,
        ``with_evidence=False``)."""
        if with_evidence and layout is None:
            layout = Layout(text)
        return {
            "kind": self.kind,
            "severity": self.severity,
            "rule": self.rule,
            "stated": to_jsonable(self.stated),
            "expected": to_jsonable(self.expected),
            "tolerance": to_jsonable(self.tolerance),
            "message": finding_message(self, lang),
            "evidence": [evidence(text, f, layout) for f in self.facts] if with_evidence else [],
        }


def evidence(text: str, fact: Fact, layout: Layout | None = None) -> dict[str, Any]:
    """A fact with the sentence it stands in (and where that sentence starts, to highlight the
    fact in it), for the person checking the finding."""
    start, end = (layout or Layout(text)).sentence_span(fact.start)
    if end - start > 2 * QUOTE_CONTEXT_CHARS + (fact.end - fact.start):
        start = _word_start(text, max(start, fact.start - QUOTE_CONTEXT_CHARS), fact.start)
        end = _word_end(text, min(end, fact.end + QUOTE_CONTEXT_CHARS), fact.end)
    sentence = text[start:end]
    return {"kind": fact.kind, "text": fact.text, "start": fact.start, "end": fact.end,
            "page": fact.page, "sentence": sentence.strip(),
            "sentence_start": start + len(sentence) - len(sentence.lstrip())}


def _word_start(text: str, start: int, limit: int) -> int:
    """``start`` moved forward to the beginning of a word, never past ``limit``."""
    space = text.find(" ", start, limit)
    return space + 1 if start > 0 and not text[start - 1].isspace() and space >= 0 else start


def _word_end(text: str, end: int, limit: int) -> int:
    """``end`` moved back to the end of a word, never before ``limit``."""
    space = text.rfind(" ", limit, end)
    return space if end < len(text) and not text[end].isspace() and space >= 0 else end


def check(claim: Claim) -> Result:
    v = claim.values
    if v.get("unchecked"):
        return Result(claim, False, unchecked=v["unchecked"])
    if claim.kind == "sum":
        parts_sum = sum(v["parts"])
        if parts_sum == v["total"] or (v.get("subset") and parts_sum <= v["total"]):
            return Result(claim, True)
        if parts_sum < v["total"] and v.get("exhaustive") is False:
            # "trong đó" may name only the main parts.
            return Result(claim, False, v["total"], parts_sum, 0, "possible")
        gross = abs(parts_sum - v["total"]) > GROSS_SUM_SHARE * abs(v["total"])
        return Result(claim, False, v["total"], parts_sum, 0, "gross" if gross else "error")
    if claim.kind == "share" and claim.rule == "share.plan" and plan_holds(v):
        return Result(claim, True)
    if claim.kind == "share":
        if percent_holds(v["part"], v["whole"], v["percent"], v["decimals"]):
            if v["part"] > v["whole"] and v.get("counts"):
                # "100,44% (4.119/4.101 hồ sơ đã giải quyết)": a part larger than its whole.
                v["over_whole"] = True
                return Result(claim, False, v["percent"], Decimal(100), 0, "gross", "percent_impossible")
            return Result(claim, True)
        computed = computed_percent(v["part"], v["whole"])
        quantum = Decimal(1).scaleb(-v["decimals"])
        expected = computed.quantize(quantum, rounding=ROUND_HALF_UP)
        gap = abs(computed - v["percent"])
        target = v.get("target")
        crosses_target = target is not None and (computed >= target) != (v["percent"] >= target)
        if crosses_target or gap > GROSS_PERCENT_POINTS or (computed > 100) != (v["percent"] > 100):
            severity = "gross"  # "đạt" becomes "không đạt", or far off, or over 100 %
        elif gap <= quantum * MINOR_PERCENT_QUANTA:
            severity = "minor"
        else:
            severity = "error"
        return Result(claim, False, v["percent"], expected, quantum, severity)
    if claim.kind == "implied_whole":
        wholes = implied_wholes(v["part"], v["percent"], v["decimals"])
        if wholes:
            v["whole"] = wholes[0]
            return Result(claim, True)
        return Result(claim, False, v["percent"], None, Decimal(1).scaleb(-v["decimals"]), "error")
    if claim.kind == "difference":
        expected = (v["current"] - v["previous"]) * v["sign"]
        if expected == v["change"]:
            return Result(claim, True)
        return Result(claim, False, v["change"], expected, 0, "error")
    if claim.kind == "percent_change":
        if change_holds(v):
            return Result(claim, True)
        expected = computed_percent((v["current"] - v["previous"]) * v["sign"], v["previous"])
        quantum = Decimal(1).scaleb(-v["decimals"])
        return Result(claim, False, v["percent"], expected.quantize(quantum, rounding=ROUND_HALF_UP), quantum,
                      "gross" if abs(expected - v["percent"]) > GROSS_PERCENT_POINTS else "error")
    if claim.kind == "multiple":
        if multiple_holds(v):
            return Result(claim, True)
        quantum = Decimal(1).scaleb(-max(v["decimals"], 1))
        return Result(claim, False, v["times"], (v["current"] / v["base"]).quantize(quantum, rounding=ROUND_HALF_UP),
                      quantum, "error")
    if claim.kind == "complement":
        if complement_holds(v):
            return Result(claim, True)
        return Result(claim, False, v["rest"], 100 - sum(v["parts"]), sum(v["quanta"]) / 2, "error")
    if claim.kind == "product":
        # A result may be cut at its decimals; a figure "làm tròn" is rounded half up.
        if rounds_to(v["computed"], v["stated"], v["places"], cut=claim.rule != "product.rounded"):
            return Result(claim, True)
        expected = v["computed"].quantize(Decimal(1).scaleb(-v["places"]), rounding=ROUND_HALF_UP)
        gross = abs(v["computed"] - v["stated"]) > GROSS_SUM_SHARE * abs(v["computed"])
        return Result(claim, False, v["stated"], expected, Decimal(1).scaleb(-v["places"]), "gross" if gross else "error")
    if claim.kind == "restatement":
        first, *others = v["values"]
        differing = [x for x in others if x != first]
        if not differing:
            return Result(claim, True)
        return Result(claim, False, first, differing[0], 0, "error")
    raise ValueError(f"unknown claim kind {claim.kind}")


def relation_counts(results: list[Result]) -> dict[str, Any]:
    """What the audit says it did: relations checked, holding, broken and unchecked, in all and
    by kind of relation (a sum, a share, a restatement …)."""
    def counts(items: list[Result]) -> dict[str, int]:
        checked = [r for r in items if r.checked]
        holding = sum(r.holds for r in checked)
        return {"checked": len(checked), "holding": holding, "broken": len(checked) - holding,
                "unchecked": len(items) - len(checked)}

    kinds = sorted({r.claim.kind for r in results})
    return {**counts(results), "by_kind": {k: counts([r for r in results if r.claim.kind == k]) for k in kinds}}


FINDING_KINDS = {"sum": "sum_mismatch", "share": "percent_mismatch",
                 "implied_whole": "percent_impossible", "difference": "difference_mismatch",
                 "restatement": "restatement_mismatch", "product": "formula_mismatch",
                 "percent_change": "percent_change_mismatch", "multiple": "multiple_mismatch",
                 "complement": "complement_mismatch"}


def findings(results: list[Result]) -> list[Finding]:
    return [Finding(r.kind or r.claim.values.get("finding") or FINDING_KINDS[r.claim.kind], r.severity, r.claim.rule, r.stated, r.expected,
                    r.tolerance, r.claim.facts, dict(r.claim.values))
            for r in results if not r.holds and r.checked]
