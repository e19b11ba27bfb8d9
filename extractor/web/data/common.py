"""What every page reads: the archive's tables, a document's row, severities, dates and
figures as JSON shows them."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ...archive.models import TABLES

DOCS = TABLES["documents"]
TEXTS = TABLES["document_texts"]
FACTS = TABLES["facts"]
REFS = TABLES["refs"]
CITATIONS = TABLES["citations"]
FINDINGS = TABLES["findings"]
FINDING_FACTS = TABLES["finding_facts"]
JUDGEMENTS = TABLES["judgements"]
FINDING_KEYS = TABLES["finding_keys"]
FINDING_DOCUMENTS = TABLES["finding_documents"]
DOCUMENT_FINDING_COUNTS = TABLES["document_finding_counts"]

SEVERITIES = ("gross", "error", "minor", "possible")


def iso(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def json_number(value: Any) -> Any:
    """A stored figure as JSON shows it: whole numbers without ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, float):
        return round(value, 6)
    return value


def document_row(r) -> dict[str, Any]:
    return {"id": r.id, "path": r.path, "name": Path(r.path).name, "status": r.status,
            "doc_type": r.doc_type, "number": r.number, "date": iso(r.doc_date),
            "title": r.title, "issuer": r.issuer, "province": r.province, "year": r.year}


def document_rows(conn, ids: list[int]):
    columns = [DOCS.c.id, DOCS.c.path, DOCS.c.status, DOCS.c.doc_type, DOCS.c.number,
               DOCS.c.doc_date, DOCS.c.title, DOCS.c.issuer, DOCS.c.province, DOCS.c.year]
    out = []
    for start in range(0, len(ids), 500):
        out += conn.execute(sa.select(*columns).where(DOCS.c.id.in_(ids[start:start + 500]))).all()
    return out


def stored_severity(value: str) -> str | None:
    """A severity as the finding summaries store it ('' for none) back as the finding's own."""
    return value or None


def severity_rank(severity: str | None) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)
