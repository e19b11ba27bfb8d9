"""A self-contained HTML audit report: findings by document and severity, the arithmetic spelled
out, and every piece of evidence highlighted in its sentence."""
from __future__ import annotations

import html
from collections import Counter
from typing import Any

from ..messages import message

SEVERITIES = ("gross", "error", "minor", "possible")
# The report's words, each the catalogue's report_<label>.
LABELS = ("title", "documents", "findings", "severity", "none", "read_error", "claims", "holding",
          "rule", "stated", "expected", "evidence", "page", "across")

STYLE = """
body{font-family:system-ui,'Segoe UI',Roboto,sans-serif;margin:2rem;color:#1d232a;max-width:70rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccd}
table{border-collapse:collapse}td,th{border:1px solid #ccd;padding:.3rem .6rem;text-align:left}
.finding{border-left:.3rem solid #999;padding:.4rem .8rem;margin:.8rem 0;background:#f7f8fa}
.gross{border-color:#b00020}.error{border-color:#e07000}.minor{border-color:#c9b300}.possible{border-color:#6b7f99}
.sev{font-weight:600;text-transform:uppercase;font-size:.8rem}
.quote{font-size:.92rem;margin:.3rem 0 .3rem 1rem;color:#333}
mark{background:#ffe58a;padding:0 .1rem}.meta{color:#556;font-size:.85rem}
"""


def labels(lang: str) -> dict[str, str]:
    return {**{label: message(f"report_{label}", lang) for label in LABELS},
            **{severity: message(f"severity_{severity}", lang) for severity in SEVERITIES}}


def render_html(audit: dict[str, Any], lang: str = "vi") -> str:
    """The report for ``Audit.to_dict(lang)``."""
    t = labels(lang)
    out = [f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">',
           f"<title>{t['title']}</title><style>{STYLE}</style></head><body>",
           f"<h1>{t['title']}</h1>"]
    counts: dict[str, Counter] = {}
    for finding in audit["findings"]:
        for path in finding["documents"]:
            counts.setdefault(path, Counter())[finding["severity"]] += 1
    out.append(f"<h2>{t['documents']}</h2><table><tr><th>{t['documents']}</th><th>{t['claims']}</th>")
    out += [f"<th>{t.get(s, s)}</th>" for s in SEVERITIES]
    out.append("</tr>")
    for doc in audit["documents"]:
        c = counts.get(doc["path"], Counter())
        status = (f"{t['read_error']}: {html.escape(doc['error'])}" if doc["error"]
                  else f"{doc['claims']} ({doc['claims_holding']} {t['holding']})")
        out.append(f"<tr><td>{html.escape(doc['path'])}</td><td>{status}</td>"
                   + "".join(f"<td>{c[s] or ''}</td>" for s in SEVERITIES) + "</tr>")
    out.append("</table>")
    out.append(f"<h2>{t['findings']}</h2>")
    if not audit["findings"]:
        out.append(f"<p>{t['none']}</p>")
    groups: dict[str, list[dict]] = {}
    for finding in audit["findings"]:
        key = finding["documents"][0] if len(finding["documents"]) == 1 else t["across"]
        groups.setdefault(key, []).append(finding)
    for key, findings in groups.items():
        out.append(f"<h3>{html.escape(key)}</h3>")
        findings.sort(key=lambda f: SEVERITIES.index(f["severity"]) if f["severity"] in SEVERITIES else 9)
        for f in findings:
            out.append(_finding(f, t))
    out.append("</body></html>")
    return "".join(out)


def _finding(f: dict[str, Any], t: dict[str, str]) -> str:
    parts = [f'<div class="finding {html.escape(f["severity"])}">',
             f'<div class="sev">{html.escape(t.get(f["severity"], f["severity"]))} · {html.escape(f["kind"])}</div>',
             f"<p>{html.escape(f['message'])}</p>",
             f'<p class="meta">{t["rule"]}: {html.escape(f["rule"])}']
    if f.get("stated") is not None:
        parts.append(f' · {t["stated"]}: {html.escape(str(f["stated"]))}')
    if f.get("expected") is not None:
        parts.append(f' · {t["expected"]}: {html.escape(str(f["expected"]))}')
    parts.append(f'</p><div class="meta">{t["evidence"]}:</div>')
    for e in f["evidence"]:
        sentence, offset = e["sentence"], e["start"] - e["sentence_start"]
        if 0 <= offset and sentence[offset : offset + len(e["text"])] == e["text"]:
            quote = (html.escape(sentence[:offset]) + "<mark>" + html.escape(e["text"]) + "</mark>"
                     + html.escape(sentence[offset + len(e["text"]) :]))
        else:
            quote = "<mark>" + html.escape(e["text"]) + "</mark>"
        where = html.escape(e.get("document", ""))
        if e.get("page"):
            where += f", {t['page']} {e['page']}"
        parts.append(f'<div class="quote">{quote} <span class="meta">({where}; {e["start"]}–{e["end"]})</span></div>')
    parts.append("</div>")
    return "".join(parts)
