"""Audit a set of documents: every check within each document and across them all."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any, Iterable

from .facts import Fact
from .pipeline import Processed, process
from .reconcile.checks import Finding, evidence, relation_counts
from .reconcile.citations import citation_graph_findings
from .reconcile.crossdoc import check_documents

SEVERITY_ORDER = ("gross", "error", "minor", "possible")


@dataclass
class Audit:
    documents: list[Processed]
    cross_findings: list[Finding]

    def all_findings(self) -> list[tuple[Finding, list[str]]]:
        """Each finding with the documents it is about."""
        out = [(f, [d.path]) for d in self.documents for f in d.findings]
        for f in self.cross_findings:
            out.append((f, sorted({self._owner(f, fact) for fact in f.facts})))
        return out

    def _owner(self, finding: Finding, fact: Fact) -> str:
        """The document a piece of evidence comes from."""
        if not hasattr(self, "_owners"):
            self._owners = {id(x): d.path for d in self.documents for x in d.facts}
        return self._owners.get(id(fact)) or finding.detail.get("document", "?")

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """The audit as JSON. Each finding has the archive's stable ``key`` (computed as
        ``cchc ingest`` and ``cchc audit --archive`` store it: the same finding of the same
        content has the same key in the archive and in a report, whatever the file's path),
        and each piece of evidence its document's ``line`` beside its page and offsets."""
        from .archive.store import finding_key

        by_path = {d.path: d for d in self.documents}
        within = sum(len(d.findings) for d in self.documents)  # the first findings are the documents' own
        seen: dict[str, set[str]] = {}  # keys taken, per document ("*": across documents)
        sources = {d.path: d.document.sha256 for d in self.documents if d.document is not None}
        lines: dict[str, list[int]] = {}
        findings = []
        for n, (finding, paths) in enumerate(self.all_findings()):
            record = finding.to_dict("", lang, with_evidence=False)
            record["documents"] = paths
            quoted = []
            for fact in finding.facts:
                path = paths[0] if len(paths) == 1 else self._owner(finding, fact)
                document = by_path[path]
                if path not in lines:
                    lines[path] = [m.start() for m in re.finditer("\n", document.text)]
                quoted.append(dict(evidence(document.text, fact, document.layout), document=path,
                                   line=bisect.bisect_left(lines[path], fact.start) + 1))
            record["evidence"] = quoted
            if n < within:
                record["key"] = finding_key(sources[paths[0]], record, seen.setdefault(paths[0], set()))
            else:
                record["key"] = finding_key("*", record, seen.setdefault("*", set()), sources)
            findings.append(record)
        documents = []
        for d in self.documents:
            relations = relation_counts(d.results)
            documents.append({"path": d.path, "facts": len(d.facts), "claims": relations["checked"],
                              "claims_holding": relations["holding"], "claims_unchecked": relations["unchecked"],
                              "relations": relations["by_kind"], "findings": len(d.findings),
                              "error": d.error.message(lang) if d.error is not None else None})
        return {
            "documents": documents,
            "findings": findings,
        }


def audit_paths(paths: Iterable[str], jobs: int = 1) -> Audit:
    """Audit files: each read and checked within itself (in ``jobs`` processes, in the order
    given), then all of them checked across documents."""
    from .budget import process_bounded
    from .read.options import current_options

    paths = list(paths)
    options = current_options()
    if jobs > 1 and len(paths) > 1:
        from .archive.ingest import _executor

        executor = _executor(min(jobs, len(paths)))
        try:
            one_core = options.replace(jobs=1)
            documents = list(executor.map(process_bounded, paths, [one_core] * len(paths)))
        finally:
            executor.shutdown(wait=False, cancel_futures=True)
    else:
        documents = [process_bounded(path, options) for path in paths]
    views = [d.view for d in documents if d.view is not None]
    return Audit(documents, check_documents(views) + citation_graph_findings(views))


def severity_rank(severity: str) -> int:
    return SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)


def _decimals(value: Any) -> Any:
    """Values read back from JSON: floats become the Decimals they were written from."""
    from decimal import Decimal

    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {k: _decimals(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decimals(v) for v in value]
    return value


def audit_archive(archive) -> Audit:
    """Every check over every document of an archive, all held at once; the cross-document
    findings are stored in it (replacing those of the previous audit; decisions on them are
    kept by their key). ``cchc audit --archive`` runs
    :func:`extractor.archive.audit.stream_audit`, in bounded memory, whose report and stored
    findings are checked against this one's (tests/test_archive_audit.py)."""
    import datetime as dt

    import sqlalchemy as sa

    from .archive import db
    from .document import Document
    from .archive.models import TABLES

    documents_t, texts_t, facts_t = TABLES["documents"], TABLES["document_texts"], TABLES["facts"]
    findings_t, links_t = TABLES["findings"], TABLES["finding_facts"]
    audited: list[Processed] = []
    fact_ids: dict[int, int] = {}
    with archive.engine.connect() as conn:
        rows = conn.execute(sa.select(documents_t.c.id, documents_t.c.path, documents_t.c.sha256,
                                      documents_t.c.format, documents_t.c.metadata, texts_t.c.text)
                            .join(texts_t, texts_t.c.document_id == documents_t.c.id)
                            .where(documents_t.c.status == "ok").order_by(documents_t.c.path)).all()
        for document_id, path, sha256, fmt, meta, text in rows:
            facts = []
            for row in conn.execute(sa.select(facts_t).where(facts_t.c.document_id == document_id)
                                    .order_by(facts_t.c.start_offset, facts_t.c.end_offset)):
                if row.kind in ("person", "organization"):
                    continue
                fact = Fact(row.kind, row.text, row.start_offset, row.end_offset, row.pattern or "",
                            _decimals(row.value or {}), row.page)
                fact_ids[id(fact)] = row.id
                facts.append(fact)
            stored = Document(path, sha256 or "", fmt or "", text)
            audited.append(process(stored, facts=facts, metadata=meta))
    views = [d.view for d in audited if d.view is not None]
    audit = Audit(audited, check_documents(views) + citation_graph_findings(views))
    now = dt.datetime.now(dt.timezone.utc)
    with db.writer(archive.engine).begin() as conn:
        # Cross-document findings belong to no one document: the previous audit's are replaced.
        conn.execute(findings_t.delete().where(findings_t.c.document_id.is_(None)))
        record = audit.to_dict("vi")["findings"][-len(audit.cross_findings):] if audit.cross_findings else []
        for finding, shown in zip(audit.cross_findings, record):
            key = shown["key"]
            new_id = conn.execute(findings_t.insert().values(
                key=key, document_id=None, kind=finding.kind, severity=finding.severity, rule=finding.rule,
                message=shown["message"], stated=shown["stated"], expected=shown["expected"],
                tolerance=shown["tolerance"], detail={"evidence": shown["evidence"], "documents": shown["documents"]},
                created_at=now).returning(findings_t.c.id)).scalar_one()
            links = [{"finding_id": new_id, "fact_id": fact_ids[id(f)], "seq": i}
                     for i, f in enumerate(finding.facts) if id(f) in fact_ids]
            unique = list({link["fact_id"]: link for link in links}.values())
            if unique:
                conn.execute(links_t.insert(), unique)
    return audit
