"""The tabular pages for a spreadsheet. CSV: UTF-8 with a byte-order mark (so that Excel reads
the Vietnamese right), one header row, and cells that a spreadsheet would take for a formula
(``=``, ``+``, ``-``, ``@``, tab, carriage return) prefixed with ``'``: the documents are
hostile input, and so is what they put in a cell. XLSX: one sheet, text as inline strings
(never evaluated), numbers as numbers."""
from __future__ import annotations

import csv
import io
import re
import zipfile
from typing import Any, Iterable
from xml.sax.saxutils import escape as xml_escape

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


# ---------------------------------------------------------------------------------------------
# XLSX: one sheet, written directly (Office Open XML, ECMA-376) with the standard library.
# Text cells are inline strings, which a spreadsheet never evaluates: no formula can come in.

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '</Types>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'styles" Target="styles.xml"/></Relationships>')
# Style 1: bold (the header row).
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>')
# Characters XML 1.0 cannot hold (control characters a hostile text may carry).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _xml_cell(ref: str, value: Any, style: int = 0) -> str:
    s = f' s="{style}"' if style else ""
    if isinstance(value, bool) or value is None or isinstance(value, (list, tuple, dict)):
        value = "" if value is None else (cell(value) if not isinstance(value, dict) else str(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    text = _NOT_XML.sub("", str(value))[:32767]
    return (f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">'
            f'{xml_escape(text)}</t></is></c>')


def to_xlsx(columns: list[str], rows: Iterable[dict[str, Any]], sheet: str = "cchc") -> bytes:
    """One sheet: a bold header row, then one row per item; numbers stay numbers."""
    lines = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
             'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>']
    lines.append('<row r="1">' + "".join(_xml_cell(f"{_column(i)}1", c, 1) for i, c in enumerate(columns))
                 + "</row>")
    for n, row in enumerate(rows, start=2):
        lines.append(f'<row r="{n}">' + "".join(_xml_cell(f"{_column(i)}{n}", row.get(c))
                                               for i, c in enumerate(columns)) + "</row>")
    lines.append("</sheetData></worksheet>")
    workbook = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                f'<sheets><sheet name="{xml_escape(sheet[:31])}" sheetId="1" r:id="rId1"/></sheets></workbook>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        z.writestr("xl/styles.xml", _STYLES)
        z.writestr("xl/worksheets/sheet1.xml", "".join(lines))
    return out.getvalue()
