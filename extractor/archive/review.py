"""Findings as a reviewer reads them: each with its document and the latest decision on it, one
finding found by a prefix of its key, and the history of decisions on it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .models import TABLES

DECISIONS = ("confirm", "dismiss")
# The decision filter: a decision taken, or none yet.
UNDECIDED = "none"


@dataclass(frozen=True)
class Reviewed:
    key: str
    kind: str
    severity: str | None
    message: str | None
    path: str | None
    decision: str | None
    note: str | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def findings(engine: Engine, *, severity: str | None = None, kind: str | None = None,
             decision: str | None = None, key: str | None = None) -> list[Reviewed]:
    """The archive's findings with the latest decision on each, by document."""
    f, documents, judgements = TABLES["findings"], TABLES["documents"], TABLES["judgements"]
    latest = (sa.select(judgements.c.finding_key, judgements.c.decision, judgements.c.note,
                        sa.func.row_number().over(partition_by=judgements.c.finding_key,
                                                  order_by=judgements.c.id.desc()).label("rank"))
              .where(judgements.c.subject == "finding").subquery())
    query = (sa.select(f.c.key, f.c.kind, f.c.severity, f.c.message, documents.c.path, latest.c.decision,
                       latest.c.note)
             .select_from(f.outerjoin(documents, f.c.document_id == documents.c.id)
                          .outerjoin(latest, sa.and_(latest.c.finding_key == f.c.key, latest.c.rank == 1)))
             .order_by(documents.c.path, f.c.id))
    if severity:
        query = query.where(f.c.severity == severity)
    if kind:
        query = query.where(f.c.kind == kind)
    if key:
        query = query.where(f.c.key == key)
    if decision == UNDECIDED:
        query = query.where(latest.c.decision.is_(None))
    elif decision:
        query = query.where(latest.c.decision == decision)
    with engine.connect() as conn:
        return [Reviewed(*row) for row in conn.execute(query).all()]


def keys_starting(engine: Engine, prefix: str) -> list[str]:
    """The finding keys that start with ``prefix`` (a reviewer types the first characters)."""
    f = TABLES["findings"]
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    with engine.connect() as conn:
        return sorted(set(conn.execute(sa.select(f.c.key).where(f.c.key.like(escaped + "%", escape="\\"))).scalars()))


def history(engine: Engine, key: str) -> list[dict[str, Any]]:
    """Every decision on the finding, oldest first."""
    j = TABLES["judgements"]
    with engine.connect() as conn:
        rows = conn.execute(sa.select(j.c.decision, j.c.note, j.c.who, j.c.decided_at)
                            .where(j.c.subject == "finding", j.c.finding_key == key).order_by(j.c.id)).all()
    return [{"decision": d, "note": n, "who": w, "decided_at": at.isoformat() if at else None}
            for d, n, w, at in rows]
