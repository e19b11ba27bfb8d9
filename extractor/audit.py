"""Audit a set of documents: every check within each document and across them all."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from .extract import extract_facts
from .facts import Fact
from .read import ReadError, read_document
from .reconcile import check_document
from .reconcile.checks import Finding, Result, evidence
from .reconcile.crossdoc import check_documents, view
from .reconcile.text import Layout
from .structure import analyse

# Problems of the structure stage that an audit reports: names of places and bodies misspelt.
SPELLING_PROBLEMS = ("place_spelling", "body_spelling")


def spelling_finding(problem) -> Finding:
    """A misspelt place or body, as a finding whose evidence is the misspelt text."""
    evidence = Fact("name", problem.text, problem.start, problem.end, "structure.spelling",
                    {"text": problem.text}, problem.page)
    return Finding(problem.code, "minor", "structure.spelling", problem.text,
                   problem.detail.get("corrected"), None, [evidence],
                   {**problem.detail, "text": problem.text, "problem": problem})

SEVERITY_ORDER = ("gross", "error", "minor", "possible")


@dataclass
class AuditedDocument:
    path: str
    text: str = ""
    facts: list[Fact] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    metadata: dict[str, Any] | None = None


@dataclass
class Audit:
    documents: list[AuditedDocument]
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
        texts = {d.path: d.text for d in self.documents}
        layouts: dict[str, Layout] = {}
        findings = []
        for finding, paths in self.all_findings():
            record = finding.to_dict("", lang, with_evidence=False)
            record["documents"] = paths
            quoted = []
            for fact in finding.facts:
                path = paths[0] if len(paths) == 1 else self._owner(finding, fact)
                layout = layouts.setdefault(path, Layout(texts[path]))
                quoted.append(dict(evidence(texts[path], fact, layout), document=path))
            record["evidence"] = quoted
            findings.append(record)
        return {
            "documents": [{"path": d.path, "facts": len(d.facts), "claims": len(d.results),
                           "claims_holding": sum(r.holds for r in d.results),
                           "findings": len(d.findings), "error": d.error} for d in self.documents],
            "findings": findings,
        }


def audit_paths(paths: Iterable[str]) -> Audit:
    documents = []
    for path in paths:
        try:
            document = read_document(path)
        except ReadError as exc:
            documents.append(AuditedDocument(str(path), error=exc.message("vi")))
            continue
        extraction = extract_facts(document.text, document.page_ranges())
        structure = analyse(document.text, extraction.facts, document.page_ranges())
        facts = extraction.facts
        results, findings = check_document(document.text, facts, document.tables)
        findings += [spelling_finding(p) for p in structure.problems if p.code in SPELLING_PROBLEMS]
        audited = AuditedDocument(document.path, document.text, facts, results, findings)
        audited.metadata = structure.document
        documents.append(audited)
    views = [view(d.path, d.text, d.facts, d.metadata) for d in documents if d.error is None]
    return Audit(documents, check_documents(views))


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
    """Every check over every document of an archive; the cross-document findings are stored
    in it (replacing those of the previous audit; decisions on them are kept by their key)."""
    import datetime as dt

    import sqlalchemy as sa

    from .archive import db
    from .archive.models import TABLES
    from .archive.store import finding_key

    documents_t, texts_t, facts_t = TABLES["documents"], TABLES["document_texts"], TABLES["facts"]
    findings_t, links_t = TABLES["findings"], TABLES["finding_facts"]
    audited: list[AuditedDocument] = []
    fact_ids: dict[int, int] = {}
    with archive.engine.connect() as conn:
        rows = conn.execute(sa.select(documents_t.c.id, documents_t.c.path, documents_t.c.metadata, texts_t.c.text)
                            .join(texts_t, texts_t.c.document_id == documents_t.c.id)
                            .where(documents_t.c.status == "ok").order_by(documents_t.c.path)).all()
        for document_id, path, meta, text in rows:
            facts = []
            for row in conn.execute(sa.select(facts_t).where(facts_t.c.document_id == document_id)
                                    .order_by(facts_t.c.start_offset, facts_t.c.end_offset)):
                fact = Fact(row.kind, row.text, row.start_offset, row.end_offset, row.pattern or "",
                            _decimals(row.value or {}), row.page)
                fact_ids[id(fact)] = row.id
                facts.append(fact)
            core = [f for f in facts if f.kind not in ("person", "organization")]
            results, findings = check_document(text, core)
            document = AuditedDocument(path, text, core, results, findings)
            document.metadata = meta
            audited.append(document)
    views = [view(d.path, d.text, d.facts, d.metadata) for d in audited]
    audit = Audit(audited, check_documents(views))
    now = dt.datetime.now(dt.timezone.utc)
    seen: set[str] = set()
    with db.writer(archive.engine).begin() as conn:
        # Cross-document findings belong to no one document: the previous audit's are replaced.
        conn.execute(findings_t.delete().where(findings_t.c.document_id.is_(None)))
        record = audit.to_dict("vi")["findings"][-len(audit.cross_findings):] if audit.cross_findings else []
        for finding, shown in zip(audit.cross_findings, record):
            key = finding_key("*", shown, seen)
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
