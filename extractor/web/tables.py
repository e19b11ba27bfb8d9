"""The tabular pages for a spreadsheet. CSV: UTF-8 with a byte-order mark (so that Excel reads
the Vietnamese right), one header row, and cells that a spreadsheet would take for a formula
(``=``, ``+``, ``-``, ``@``, tab, carriage return) prefixed with ``'``: the documents are
hostile input, and so is what they put in a cell. XLSX: one sheet (written as ``cchc export
--format xlsx`` writes its sheets), text as text cells (never evaluated), numbers as numbers."""
from __future__ import annotations

import csv
import io
from typing import Any, Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        value = "; ".join(cell(v) for v in value)
    text = str(value)
    if text.startswith(FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_csv(columns: list[str], rows: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(c)) for c in columns])
    return out.getvalue()


def findings_rows(result: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    columns = ["key", "severity", "kind", "decision", "message", "stated", "expected", "tolerance",
               "rule", "documents", "evidence", "decided_by", "note", "decided_at"]
    rows = []
    for f in result["findings"]:
        last = f["history"][-1] if f["history"] else {}
        rows.append({**f, "documents": [d["number"] or d["name"] for d in f.get("document_refs", [])],
                     "evidence": [e["text"] for e in f["evidence"]], "decided_by": last.get("who"),
                     "note": last.get("note"), "decided_at": last.get("decided_at")})
    return columns, rows


def search_rows(result: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    columns = ["id", "doc_type", "number", "date", "title", "issuer", "province", "status", "score",
               "path"]
    return columns, result["documents"]


def figures_rows(result: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    columns = ["period", "start", "end", "body", "metric", "value", "unit", "document", "date",
               "file", "contradiction", "findings"]
    rows = []
    for p in result["periods"]:
        for v in p["values"]:
            rows.append({"period": p["label"], "start": p["start"], "end": p["end"], "body": p["body"],
                         "metric": result["metric"], "value": v["value"], "unit": v["unit"],
                         "document": v["number"], "date": v["date"], "file": v["name"],
                         "contradiction": p["contradiction"], "findings": [f["key"] for f in v["findings"]]})
    return columns, rows


def to_xlsx(columns: list[str], rows: Iterable[dict[str, Any]], sheet: str = "cchc") -> bytes:
    """One sheet: a bold header row, then one row per item; numbers stay numbers, lists are
    joined as in the CSV, and text is always a text cell, never a formula."""
    from ..archive.export import xlsx_bytes

    def value(v: Any) -> Any:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return v
        return cell(v) if not isinstance(v, dict) else str(v)

    return xlsx_bytes(columns, ([value(row.get(c)) for c in columns] for row in rows), sheet=sheet)
