"""The HTML audit report of ``cchc audit --format html``: one self-contained page (the web
app's stylesheet inlined, no script, no external request) rendered from the web app's
templates (``templates/report.html`` and the finding card of ``_macros.html``).

A summary (documents, relations checked, holding and broken, findings by severity), a contents
list, then the findings most severe first and by document, each with its arithmetic, its
evidence (each sentence quoted once with all its figures marked, at its line and page), its
stable key (the archive's, so ``cchc review KEY`` finds it) and, from an archive, the
reviewers' decisions. Every value that comes from a document is escaped by the templates.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..messages import message
from . import templating
from .data.common import SEVERITIES, severity_rank
from .data.findings import judgements, quotes

# Rules of the report's own on top of the web app's stylesheet.
REPORT_STYLE = """
main{max-width:70rem}
nav.contents ol{margin:.2rem 0;padding-left:1.4rem}nav.contents li{margin:.1rem 0}nav.contents a{margin-right:0;opacity:1}nav.contents a:hover{border-bottom:0}
table.counts{border-collapse:collapse;margin:.4rem 0}
table.counts td,table.counts th{border:1px solid var(--line);padding:.25rem .6rem;text-align:left}
table.counts td.num,table.counts th.num{text-align:right;font-variant-numeric:tabular-nums}
dl.meta-list{max-width:52rem}
.finding-docs{font-size:.85rem;color:var(--muted);margin-top:.8rem}
"""


def decision_history(archive) -> dict[str, list[dict[str, Any]]]:
    """The reviewers' decisions on every finding of ``archive``, oldest first, by key."""
    with archive.engine.connect() as conn:
        return judgements(conn)


def render_html(audit: dict[str, Any], lang: str = "vi",
                history: dict[str, list[dict[str, Any]]] | None = None) -> str:
    """The report of ``Audit.to_dict(lang)``; ``history``: the decisions on its findings by key
    (:func:`decision_history`), shown on each finding, when it was audited in an archive."""
    env = templating.environment()
    css = (templating.STATIC / "style.css").read_text(encoding="utf-8") + REPORT_STYLE
    context = {**templating.words(lang), "msg": lambda code, **fields: message(code, lang, **fields),
               "url": lambda path, **params: path, "review": False, "css": Markup(css),
               "csrf_token": lambda key: None, "severities": SEVERITIES,
               "d": report_data(audit, lang, history)}
    return env.get_template("report.html").render(context)


def report_data(audit: dict[str, Any], lang: str,
                history: dict[str, list[dict[str, Any]]] | None = None) -> dict[str, Any]:
    """What the report shows, as plain dicts: the summary, the documents and the findings
    grouped by severity."""
    across = message("report_across", lang)
    per_document: dict[str, Counter] = {}
    findings = []
    for n, f in enumerate(audit["findings"]):
        for path in f["documents"]:
            per_document.setdefault(path, Counter())[f["severity"]] += 1
        evidence = [{**e, "path": e.get("document"), "name": Path(e["document"]).name if e.get("document") else None,
                     "document_id": None, "fact_id": None} for e in f["evidence"]]
        names = [Path(p).name for p in f["documents"]]
        card = {**f, "tolerance": f.get("tolerance"), "quotes": quotes(evidence),
                "where": names[0] if len(names) == 1 else f"{across}: {', '.join(names)}",
                "history": [], "decision": None, "order": n}
        if history is not None:
            card["history"] = history.get(f["key"], [])
            card["decision"] = card["history"][-1]["decision"] if card["history"] else None
        findings.append(card)
    # Most severe first; then by document (a document's own before those across documents).
    findings.sort(key=lambda f: (severity_rank(f["severity"]), len(f["documents"]) > 1,
                                 f["documents"], f["order"]))
    groups = []
    for severity in [*SEVERITIES, None]:
        found = [f for f in findings if (f["severity"] if f["severity"] in SEVERITIES else None) == severity]
        if found:
            groups.append({"severity": severity or "other", "findings": found})
    documents = []
    for doc in audit["documents"]:
        counts = per_document.get(doc["path"], Counter())
        documents.append({"path": doc["path"], "name": Path(doc["path"]).name, "error": doc["error"],
                          "claims": doc["claims"], "holding": doc["claims_holding"],
                          "broken": doc["claims"] - doc["claims_holding"], "unchecked": doc.get("claims_unchecked", 0),
                          "severity": {s: counts[s] for s in SEVERITIES}})
    severities = Counter(f["severity"] for f in findings)
    summary = {"documents": len(documents), "unread": sum(1 for d in documents if d["error"]),
               "claims": sum(d["claims"] for d in documents), "holding": sum(d["holding"] for d in documents),
               "broken": sum(d["broken"] for d in documents), "unchecked": sum(d["unchecked"] for d in documents),
               "findings": len(findings),
               "severity": [{"value": s, "count": severities[s]} for s in SEVERITIES], "decisions": None}
    if history is not None:
        decided = Counter(f["decision"] or "undecided" for f in findings)
        summary["decisions"] = [{"value": v, "count": decided[v]} for v in ("confirm", "dismiss", "undecided")]
    return {"summary": summary, "documents": documents, "groups": groups}
