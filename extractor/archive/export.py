"""Export the archive's tables as JSONL, CSV or SQL, for a data team's own database.

- ``jsonl``: one file per table, one JSON object per row (JSON columns stay nested);
- ``csv``: one file per table with a header row (JSON columns as JSON text), ready for
  ``COPY ... CSV HEADER`` or a spreadsheet;
- ``sql``: one script with ``CREATE TABLE`` (for PostgreSQL or SQLite) and ``INSERT``
  statements, in foreign-key order: ``psql -f cchc-archive.sql`` or ``sqlite3 db < ...``.

The search index is not exported: it is derived from ``document_texts.text``.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Iterator

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.schema import CreateIndex, CreateTable

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
FORMATS = ("jsonl", "csv", "sql")
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


def _rows(engine: Engine, table: sa.Table, columns: list[sa.Column]) -> Iterator[sa.Row]:
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=1000).execute(
            sa.select(*columns).order_by(*table.primary_key.columns))
        yield from result


def _columns(table: sa.Table) -> list[sa.Column]:
    return list(table.columns)


def export(engine: Engine, output: str, tables: list[str], fmt: str, *,
           dialect: str = "postgresql", include_text: bool = True) -> ExportReport:
    """Write the tables to the folder ``output`` (``-``: standard output); without
    ``include_text``, the documents' full texts (``document_texts``) are left out."""
    report = ExportReport()
    if not include_text:
        tables = [t for t in tables if t != "document_texts"]
    if output == "-":
        if fmt != "sql" and len(tables) != 1:
            raise ExportError("stdout_one_table", format=fmt)
        _write(engine, sys.stdout, tables, fmt, dialect, include_text, report)
        return report
    folder = Path(output)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if fmt == "sql":
            path = folder / "cchc-archive.sql"
            with path.open("w", encoding="utf-8", newline="\n") as fh:
                _write(engine, fh, tables, fmt, dialect, include_text, report)
            report.files.append(str(path))
        else:
            for name in tables:
                path = folder / f"{name}.{fmt}"
                with path.open("w", encoding="utf-8", newline="") as fh:
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
        columns = _columns(table)
        names = [c.name for c in columns]
        count = 0
        if fmt == "jsonl":
            for row in _rows(engine, table, columns):
                out.write(json.dumps({k: _jsonable(v) for k, v in zip(names, row)},
                                     ensure_ascii=False) + "\n")
                count += 1
        else:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(names)
            json_columns = {i for i, c in enumerate(columns) if isinstance(c.type, sa.JSON)
                            or isinstance(getattr(c.type, "impl", None), sa.JSON)}
            for row in _rows(engine, table, columns):
                writer.writerow([_csv_value(v, i in json_columns) for i, v in enumerate(row)])
                count += 1
        report.rows[name] = count


def _csv_value(value: Any, is_json: bool) -> Any:
    if value is None:
        return ""
    if is_json:
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
        columns = _columns(table)
        types = [c.type.dialect_impl(target) if hasattr(c.type, "dialect_impl") else c.type
                 for c in columns]
        head = f"INSERT INTO {quote(name)} ({', '.join(quote(c.name) for c in columns)}) VALUES\n"
        batch: list[str] = []
        count = 0
        for row in _rows(engine, table, columns):
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


__all__ = ["export", "resolve_tables", "ddl", "GROUPS", "FORMATS", "ExportError", "ExportReport"]
