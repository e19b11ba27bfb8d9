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
    in_tables = table_claims(text, views, facts)
    claims = _not_read_in_tables(find_claims(text, facts, layout=layout), in_tables) + in_tables
    results = [check(claim) for claim in claims]
    return results, findings(results) + numbering_findings(facts) + draft_findings(facts)


# The claims the text reader of a procedure's steps makes, and the table claims that read the
# same process from its table (extractor/reconcile/claims/steps.py, .step_tables).
_STEP_RULES = {"sum.step_times", "sum.step_parts"}
_TABLE_STEP_RULES = {"table.step_times", "table.step_parts"}


def _not_read_in_tables(claims: list[Claim], in_tables: list[Claim]) -> list[Claim]:
    """The text's claims without the step sums a table claim reads too (the same total): a
    process is checked once, from its table, where its steps and times stand in their cells."""
    totals = [c.facts[0] for c in in_tables if c.rule in _TABLE_STEP_RULES and not c.values.get("unchecked")]
    return [c for c in claims if c.rule not in _STEP_RULES or not c.facts
            or not any(t.start < c.facts[0].end and c.facts[0].start < t.end for t in totals)]


__all__ = ["Claim", "Finding", "Result", "check", "check_document", "find_claims"]
