"""Reconcile the figures of a document: find the claims it makes and check them."""
from __future__ import annotations

from typing import Sequence

from ..facts import Fact
from .checks import Finding, Result, check, findings
from .claims import Claim, find_claims
from .series import draft_findings, numbering_findings


def check_document(text: str, facts: Sequence[Fact]) -> tuple[list[Result], list[Finding]]:
    """Every claim of the document checked, and the findings: claims that do not hold,
    citations numbered against their dates, and the signs of an unsigned draft."""
    results = [check(claim) for claim in find_claims(text, facts)]
    return results, findings(results) + numbering_findings(facts) + draft_findings(facts)


__all__ = ["Claim", "Finding", "Result", "check", "check_document", "find_claims"]
