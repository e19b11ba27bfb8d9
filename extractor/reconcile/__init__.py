"""Reconcile the figures of a document: find the claims it makes and check them."""
from __future__ import annotations

from typing import Sequence

from ..facts import Fact
from .checks import Finding, Result, check, findings
from .claims import Claim, find_claims


def check_document(text: str, facts: Sequence[Fact]) -> tuple[list[Result], list[Finding]]:
    """Every claim of the document checked, and the findings for those that do not hold."""
    results = [check(claim) for claim in find_claims(text, facts)]
    return results, findings(results)


__all__ = ["Claim", "Finding", "Result", "check", "check_document", "find_claims"]
