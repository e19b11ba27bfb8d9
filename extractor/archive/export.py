"""Export the archive's tables as JSONL, CSV or SQL, for a data team's own database, or as
an Excel workbook for people to open.

- ``jsonl``: one file per table, one JSON object per row (JSON columns stay nested);
- ``csv``: one file per table with a header row (JSON columns as JSON text), in UTF-8 with a
  byte-order mark so that a spreadsheet reads the Vietnamese right (``bom=False`` leaves it
  out), ready for ``COPY ... CSV HEADER`` or a spreadsheet;
- ``xlsx``: one workbook, ``cchc-archive.xlsx``, one sheet per table, written row by row
  (openpyxl's write-only mode: memory stays flat; a table past Excel's row limit goes on in
  ``facts (2)``, …): numbers, dates and booleans as typed cells, JSON columns as JSON text,
  text always a text cell (a document's ``=HYPERLINK(…)`` is never evaluated), a text longer
  than Excel's cell limit (a long document's full text) cut there with a note on its cell
  saying how long the whole is; the findings sheet also names each finding's documents
  (number, title and path; for a finding across documents, those its evidence is in) and the
  finding_facts sheet each finding's key, so a sheet read alone says which finding a row is;
- ``sql``: one script with ``CREATE TABLE`` (for PostgreSQL or SQLite) and ``INSERT``
  statements, in foreign-key order: ``psql -f cchc-archive.sql`` or ``sqlite3 db < ...``.

The search index is not exported: it is derived from ``document_texts.text``.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.schema import CreateIndex, CreateTable

from ..messages import message
from .models import TABLES

# Tables in foreign-key order, and the groups ``cchc export`` names.
ORDER = ["documents", "document_texts", "facts", "refs", "citations", "bodies", "people", "mentions", "findings",
         "finding_facts", "judgements", "ingest_runs"]
GROUPS = {
    "documents": ["documents", "document_texts"],
    "facts": ["facts"],
    "references": ["refs", "citations"],
    "entities": ["bodies", "people", "mentions"],
    "findings": ["findings", "finding_facts", "judgements"],
    "runs": ["ingest_runs"],
}
FORMATS = ("jsonl", "csv", "sql", "xlsx")
XLSX_FILE = "cchc-archive.xlsx"
XLSX_CELL_LIMIT = 32_767  # characters in one cell
XLSX_ROW_LIMIT = 1_048_576  # rows in one sheet, its header included
DIALECTS = {"postgresql": postgresql.dialect(), "sqlite": sqlite.dialect()}
BATCH = 500


class ExportError(ValueError):
    def __init__(self, code: str, **fields: object):
        self.code = code
        self.fields = fields
        super().__init__(code)


@dataclass
class ExportReport:
    rows: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


def resolve_tables(names: list[str] | tuple[str, ...]) -> list[str]:
    """Table names from group names (``references``) and table names (``refs``)."""
    chosen: set[str] = set()
    for name in names or list(GROUPS):
        if name in GROUPS:
            chosen.update(GROUPS[name])
        elif name in TABLES:
            chosen.add(name)
        else:
            raise ExportError("unknown_table", name=name,
                              known=", ".join(list(GROUPS) + [t for t in ORDER if t not in GROUPS]))
    return [t for t in ORDER if t in chosen]


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def rows(engine: Engine, table: sa.Table, columns: list[sa.Column]) -> Iterator[sa.Row]:
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=1000).execute(
            sa.select(*columns).order_by(*table.primary_key.columns))
        yield from result


def columns_of(table: sa.Table) -> list[sa.Column]:
    return list(table.columns)


def export(engine: Engine, output: str, tables: list[str], fmt: str, *,
           dialect: str = "postgresql", include_text: bool = True, bom: bool = True,
           lang: str = "vi") -> ExportReport:
    """Write the tables to the folder ``output`` (``-``: standard output); without
    ``include_text``, the documents' full texts (``document_texts``) are left out; ``bom``: a
    CSV file starts with a UTF-8 byte-order mark; ``lang``: the language of the notes of an
    XLSX workbook."""
    report = ExportReport()
    if not include_text:
        tables = [t for t in tables if t != "document_texts"]
    if output == "-":
        if fmt == "xlsx":
            raise ExportError("stdout_binary", format=fmt)
        if fmt != "sql" and len(tables) != 1:
            raise ExportError("stdout_one_table", format=fmt)
        if fmt == "csv" and bom:
            sys.stdout.write("\ufeff")
        _write(engine, sys.stdout, tables, fmt, dialect, include_text, report)
        return report
    folder = Path(output)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if fmt == "xlsx":
            path = folder / XLSX_FILE
            write_xlsx(engine, path, tables, report, lang)
            report.files.append(str(path))
        elif fmt == "sql":
            path = folder / "cchc-archive.sql"
            with path.open("w", encoding="utf-8", newline="\n") as fh:
                _write(engine, fh, tables, fmt, dialect, include_text, report)
            report.files.append(str(path))
        else:
            for name in tables:
                path = folder / f"{name}.{fmt}"
                with path.open("w", encoding="utf-8-sig" if fmt == "csv" and bom else "utf-8",
                               newline="") as fh:
                    _write(engine, fh, [name], fmt, dialect, include_text, report)
                report.files.append(str(path))
    except OSError as exc:
        raise ExportError("cannot_write", path=str(getattr(exc, "filename", None) or folder),
                          reason=exc.strerror or type(exc).__name__) from None
    return report


def _write(engine: Engine, out: IO[str], tables: list[str], fmt: str, dialect: str,
           include_text: bool, report: ExportReport) -> None:
    if fmt == "sql":
        _write_sql(engine, out, tables, dialect, include_text, report)
        return
    for name in tables:
        table = TABLES[name]
        columns = columns_of(table)
        names = [c.name for c in columns]
        count = 0
        if fmt == "jsonl":
            for row in rows(engine, table, columns):
                out.write(json.dumps({k: _jsonable(v) for k, v in zip(names, row)},
                                     ensure_ascii=False) + "\n")
                count += 1
        else:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(names)
            json_columns = {i for i, c in enumerate(columns) if is_json(c)}
            for row in rows(engine, table, columns):
                writer.writerow([_csv_value(v, i in json_columns) for i, v in enumerate(row)])
                count += 1
        report.rows[name] = count


def is_json(column: sa.Column) -> bool:
    return isinstance(column.type, sa.JSON) or isinstance(getattr(column.type, "impl", None), sa.JSON)


def _csv_value(value: Any, as_json: bool) -> Any:
    if value is None:
        return ""
    if as_json:
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return _jsonable(value)


def ddl(tables: list[str], dialect: str = "postgresql") -> str:
    """``CREATE TABLE`` and ``CREATE INDEX`` statements of the tables, for ``dialect``; foreign
    keys to tables left out are left out too."""
    target = DIALECTS[dialect]
    chosen = set(tables)
    out = []
    for name in tables:
        table = TABLES[name]
        keep = [fk for fk in table.foreign_key_constraints if fk.referred_table.name in chosen]
        out.append(str(CreateTable(table, include_foreign_key_constraints=keep)
                       .compile(dialect=target)).strip() + ";")
        for index in sorted(table.indexes, key=lambda i: i.name or ""):
            out.append(str(CreateIndex(index).compile(dialect=target)).strip() + ";")
    return "\n\n".join(out) + "\n"


def _literal(value: Any, processors: dict, type_: sa.types.TypeEngine, dialect: str) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE") if dialect == "postgresql" else ("1" if value else "0")
    if isinstance(value, (int, float, Decimal)) and not isinstance(type_, sa.JSON):
        return repr(_jsonable(value)) if isinstance(value, Decimal) else repr(value)
    if isinstance(type_, sa.JSON) or isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, (dt.date, dt.datetime)):
        value = value.isoformat()
    return processors["string"](str(value))


def _write_sql(engine: Engine, out: IO[str], tables: list[str], dialect: str, include_text: bool,
               report: ExportReport) -> None:
    target = DIALECTS[dialect]
    quote = target.identifier_preparer.quote
    processors = {"string": sa.String().literal_processor(target)}
    out.write("-- cchc archive export: tables " + ", ".join(tables) + f" ({dialect})\n")
    out.write("BEGIN;\n\n")
    out.write(ddl(tables, dialect) + "\n")
    for name in tables:
        table = TABLES[name]
        columns = columns_of(table)
        types = [c.type.dialect_impl(target) if hasattr(c.type, "dialect_impl") else c.type
                 for c in columns]
        head = f"INSERT INTO {quote(name)} ({', '.join(quote(c.name) for c in columns)}) VALUES\n"
        batch: list[str] = []
        count = 0
        for row in rows(engine, table, columns):
            batch.append("(" + ", ".join(_literal(v, processors, t, dialect)
                                         for v, t in zip(row, types)) + ")")
            count += 1
            if len(batch) >= BATCH:
                out.write(head + ",\n".join(batch) + ";\n")
                batch = []
        if batch:
            out.write(head + ",\n".join(batch) + ";\n")
        report.rows[name] = count
        out.write("\n")
    out.write("COMMIT;\n")


# ---------------------------------------------------------------------------------------------
# xlsx

CUT_MARK = "…"
# Columns added to a table's own, for a person reading the sheet alone.
EXTRA_COLUMNS = {"findings": ["document_number", "document_title", "document_path"],
                 "finding_facts": ["finding_key"]}


def write_xlsx(engine, path: Path, tables: list[str], report: ExportReport, lang: str = "vi",
               row_limit: int = XLSX_ROW_LIMIT) -> None:
    """The tables as one workbook, a sheet per table (see the module's docstring)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for name in tables:
        table = TABLES[name]
        columns = columns_of(table)
        header = [c.name for c in columns] + EXTRA_COLUMNS.get(name, [])
        as_json = [is_json(c) for c in columns]
        extra = _xlsx_extra(engine, name)
        sheet, count, part, sheet_rows = None, 0, 0, 0
        for row in rows(engine, table, columns):
            if sheet is None or sheet_rows >= row_limit:
                part += 1
                sheet = workbook.create_sheet(name if part == 1 else f"{name} ({part})"[:31])
                sheet.freeze_panes = "A2"
                sheet.append([_bold(sheet, h) for h in header])
                sheet_rows = 1
            values = [_xlsx_value(v, j) for v, j in zip(row, as_json)] + extra(row)
            sheet.append(_xlsx_cells(sheet, values, lang))
            sheet_rows += 1
            count += 1
        if sheet is None:  # an empty table still has its sheet and header
            sheet = workbook.create_sheet(name)
            sheet.append([_bold(sheet, h) for h in header])
        report.rows[name] = count
    workbook.save(path)


def xlsx_bytes(header: list[str], rows: Iterable[list[Any]], sheet: str = "cchc", lang: str = "vi") -> bytes:
    """One sheet as an XLSX file: a bold header row, then the rows, each value as
    ``--format xlsx`` writes it (the web app's spreadsheet twins)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    worksheet.freeze_panes = "A2"
    worksheet.append([_bold(worksheet, h) for h in header])
    for values in rows:
        worksheet.append(_xlsx_cells(worksheet, list(values), lang))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _bold(sheet, text: str):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(sheet, text)
    cell.font = Font(bold=True)
    return cell


def _xlsx_value(value: Any, as_json: bool) -> Any:
    """A stored value as a cell holds it."""
    if value is None:
        return None
    if as_json:
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        # Excel has no time zones: UTC, as the archive stores it.
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    if isinstance(value, (bool, int, float, Decimal, dt.date, dt.datetime)):
        return value
    return str(value)


def _xlsx_cells(sheet, values: list[Any], lang: str) -> list[Any]:
    """A row's values; text that must be a string cell whatever it starts with, or that is cut,
    becomes a cell of its own, and then so does every value of the row (openpyxl's write-only
    rows would otherwise carry one cell's note over to the next)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.comments import Comment

    out, special = [], False
    for value in values:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if len(value) > XLSX_CELL_LIMIT or value.startswith("="):
                special = True
        out.append(value)
    if not special:
        return out
    cells = []
    for value in out:
        if isinstance(value, str) and len(value) > XLSX_CELL_LIMIT:
            cell = WriteOnlyCell(sheet, value[:XLSX_CELL_LIMIT - len(CUT_MARK)] + CUT_MARK)
            cell.comment = Comment(message("export_cell_cut", lang, limit=XLSX_CELL_LIMIT,
                                           length=len(value)), "cchc")
        else:
            cell = WriteOnlyCell(sheet, value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula (set after the value, which sets it too)
        cells.append(cell)
    return cells


def _xlsx_extra(engine, name: str):
    """The values of a table's added columns, as a function of one of its rows."""
    if name == "findings":
        docs = TABLES["documents"]
        with engine.connect() as conn:
            known = conn.execute(sa.select(docs.c.id, docs.c.path, docs.c.number, docs.c.title)).all()
        by_id = {r.id: r for r in known}
        by_path = {r.path: r for r in known}

        def documents_of(row) -> list[Any]:
            if row.document_id is not None:
                found = [by_id[row.document_id]] if row.document_id in by_id else []
            else:
                paths = (row.detail or {}).get("documents") or []
                found = [by_path[p] for p in paths if p in by_path]
            return ["; ".join(r.number or "" for r in found) or None,
                    "; ".join(r.title or "" for r in found) or None,
                    "; ".join(r.path for r in found) or None]

        return documents_of
    if name == "finding_facts":
        findings = TABLES["findings"]
        with engine.connect() as conn:
            keys = dict(conn.execute(sa.select(findings.c.id, findings.c.key)).all())
        return lambda row: [keys.get(row.finding_id)]
    return lambda row: []


__all__ = ["export", "resolve_tables", "ddl", "write_xlsx", "xlsx_bytes", "GROUPS", "FORMATS", "ExportError", "ExportReport"]
