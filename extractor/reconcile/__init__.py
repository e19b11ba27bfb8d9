"""Reconcile the figures of a document: find the claims it makes and check them."""
from __future__ import annotations

from typing import Sequence

from ..facts import Fact
from ..structure.layout import Layout
from ..structure.tables import TableView, table_views
from .checks import Finding, Result, check, findings
from .claims import Claim, find_claims
from .series import draft_findings, numbering_findings
from .tables import table_claims


def check_document(text: str, facts: Sequence[Fact], tables: Sequence = (), *,
                   layout: Layout | None = None,
                   views: Sequence[TableView] | None = None) -> tuple[list[Result], list[Finding]]:
    """Every claim of the document checked, and the findings: claims that do not hold, table
    totals that do not add up, citations numbered against their dates, and the signs of an
    unsigned draft. ``tables`` are the reader's tables (Markdown tables are read from the text);
    ``layout`` is the text's layout and ``views`` its tables when the caller has read them
    already."""
    views = views if views is not None else table_views(text, tables)
    claims = find_claims(text, facts, layout=layout) + table_claims(text, views, facts)
    results = [check(claim) for claim in claims]
    return results, findings(results) + numbering_findings(facts) + draft_findings(facts)


__all__ = ["Claim", "Finding", "Result", "check", "check_document", "find_claims"]
