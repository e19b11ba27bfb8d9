"""The overview page: documents by type, issuer and year, findings by severity and kind, files
that failed to read."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from .common import DOCS, FINDING_KEYS, JUDGEMENTS, iso, severity_rank, stored_severity


def counts(engine) -> dict[str, Any]:
    """Documents by type, issuer and year; findings by severity and kind; unread files."""
    with engine.connect() as conn:
        def grouped(column, where=None):
            statement = sa.select(column, sa.func.count()).group_by(column).order_by(sa.func.count().desc(), column)
            if where is not None:
                statement = statement.where(where)
            return [{"value": iso(v), "count": c} for v, c in conn.execute(statement)]

        by_status = grouped(DOCS.c.status)
        by_type = grouped(DOCS.c.doc_type)
        by_issuer = grouped(DOCS.c.issuer)
        by_year = sorted(grouped(DOCS.c.year), key=lambda x: -(x["value"] or 0))
        # Findings counted as stored (each copy of a document its own), from the archive's
        # summary of distinct findings and their copies (one pass over an index) rather than
        # from every finding.
        by_severity: Counter = Counter()
        by_kind: Counter = Counter()
        for kind, stored, copies in conn.execute(
                sa.select(FINDING_KEYS.c.kind, FINDING_KEYS.c.severity, sa.func.sum(FINDING_KEYS.c.copies))
                .group_by(FINDING_KEYS.c.kind, FINDING_KEYS.c.severity)):
            by_severity[stored_severity(stored)] += copies
            by_kind[kind] += copies
        severity = sorted(({"value": v, "count": c} for v, c in by_severity.items()),
                          key=lambda x: severity_rank(x["value"]))
        kinds = [{"value": v, "count": c} for v, c in sorted(by_kind.items(), key=lambda x: (-x[1], x[0]))]
        failed = [{"id": r.id, "path": r.path, "name": Path(r.path).name, "error": r.error,
                   "status": r.status, "status_at": iso(r.status_at)}
                  for r in conn.execute(sa.select(DOCS.c.id, DOCS.c.path, DOCS.c.error, DOCS.c.status,
                                                  DOCS.c.status_at)
                                        .where(DOCS.c.status != "ok").order_by(DOCS.c.path))]
        # Each document keeps its count of facts: summing those reads one row per document,
        # where counting the facts reads some hundred index entries per document.
        facts = conn.execute(sa.select(sa.func.coalesce(sa.func.sum(DOCS.c.fact_count), 0))
                             .where(DOCS.c.status == "ok")).scalar_one()
        decided = conn.execute(sa.select(sa.func.count(sa.distinct(JUDGEMENTS.c.finding_key)))
                               .where(JUDGEMENTS.c.subject == "finding")).scalar_one()
    documents = sum(x["count"] for x in by_status)
    return {"documents": documents, "facts": facts, "findings": sum(x["count"] for x in severity),
            "decided": decided, "status": by_status, "type": by_type, "issuer": by_issuer, "year": by_year,
            "severity": severity, "kind": kinds, "failed": failed}
