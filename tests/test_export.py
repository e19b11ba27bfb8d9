"""cchc export for people to open: an Excel workbook (a sheet per table, typed cells, texts cut
at Excel's cell limit with a note, findings with their documents and key, text never a
formula) read back with openpyxl, and CSV with a UTF-8 byte-order mark unless --no-bom."""
from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from extractor.archive import Archive
from extractor.archive.commands import export as export_command
from extractor.archive.export import XLSX_CELL_LIMIT, ExportReport, write_xlsx
from web_fixtures import copy_archive, web_archive  # noqa: F401 - fixture

LONG = "=HYPERLINK(\"http://evil.example\",\"bấm\")\nSỞ NỘI VỤ\nSố: 12/BC-SNV\nBÁO CÁO\n" + (
    "Sở tiếp nhận 1.200 hồ sơ, trong đó 700 hồ sơ trực tuyến và 500 hồ sơ trực tiếp.\n" * 600)


@pytest.fixture(scope="module")
def archive_path(web_archive, tmp_path_factory):
    """The web fixtures' archive (findings within and across documents, a hostile document)
    with one more document: longer than an Excel cell, opening with a formula."""
    folder = tmp_path_factory.mktemp("export")
    path = copy_archive(web_archive, folder / "archive.sqlite")
    (folder / "long").mkdir()
    (folder / "long" / "dai.txt").write_text(LONG, encoding="utf-8")
    with Archive.open(str(path), create=False) as archive:
        archive.ingest([str(folder / "long")], jobs=1)
    return path


def _export(archive_path, out, *args):
    result = CliRunner().invoke(export_command, ["--archive", str(archive_path), "--output", str(out), *args])
    assert result.exit_code == 0, result.output
    return result


def _sheet(workbook, name):
    rows = list(workbook[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def test_xlsx_has_a_sheet_per_table_with_typed_cells(archive_path, tmp_path):
    _export(archive_path, tmp_path / "out", "--format", "xlsx")
    workbook = load_workbook(tmp_path / "out" / "cchc-archive.xlsx")
    assert workbook.sheetnames == ["documents", "document_texts", "facts", "refs", "citations", "bodies",
                                   "people", "mentions", "findings", "finding_facts", "judgements",
                                   "ingest_runs"]
    db = sqlite3.connect(archive_path)
    for name in workbook.sheetnames:
        assert len(_sheet(workbook, name)) == db.execute(f"SELECT count(*) FROM {name}").fetchone()[0], name
    facts = _sheet(workbook, "facts")
    figures = [f for f in facts if f["kind"] in ("quantity", "percent", "money")]
    assert figures and all(isinstance(f["numeric_value"], (int, float)) for f in figures)
    assert any(isinstance(f["numeric_value"], float) and not f["numeric_value"].is_integer() for f in figures)
    assert all(isinstance(f["start_offset"], int) for f in facts)
    assert isinstance(json.loads(facts[0]["value"]), dict)  # JSON columns as JSON text
    documents = _sheet(workbook, "documents")
    assert any(isinstance(d["doc_date"], dt.datetime) for d in documents)  # dates are dates
    assert all(isinstance(d["ingested_at"], dt.datetime) for d in documents)


def test_xlsx_cuts_long_texts_with_a_note_and_never_writes_a_formula(archive_path, tmp_path):
    _export(archive_path, tmp_path / "out", "documents", "--format", "xlsx", "--lang", "en")
    workbook = load_workbook(tmp_path / "out" / "cchc-archive.xlsx")
    sheet = workbook["document_texts"]
    header = [c.value for c in sheet[1]]
    column = header.index("text")
    long_row = next(row for row in sheet.iter_rows(min_row=2) if row[column].value.startswith("=HYPERLINK"))
    cell = long_row[column]
    assert cell.data_type == "s"  # a string, not a formula
    assert len(cell.value) == XLSX_CELL_LIMIT and cell.value.endswith("…")
    assert LONG.startswith(cell.value[:-1])
    assert cell.comment is not None and f"{len(LONG):,}".replace(",", "") in cell.comment.text.replace(",", "")
    assert "Excel's limit of 32767 characters" in cell.comment.text
    # The note is on that cell alone.
    others = [c for row in sheet.iter_rows(min_row=2) for c in row if c.comment is not None]
    assert others == [cell]
    # Nothing anywhere in the workbook is a formula.
    assert not [c for ws in workbook for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_xlsx_findings_name_their_documents_and_key(archive_path, tmp_path):
    _export(archive_path, tmp_path / "out", "findings", "--format", "xlsx")
    workbook = load_workbook(tmp_path / "out" / "cchc-archive.xlsx")
    assert workbook.sheetnames == ["findings", "finding_facts", "judgements"]
    db = sqlite3.connect(archive_path)
    findings = _sheet(workbook, "findings")
    stored = dict(db.execute("SELECT key, document_id FROM findings").fetchall())
    assert {f["key"] for f in findings} == set(stored)
    documents = {i: (p, n, t) for i, p, n, t in db.execute("SELECT id, path, number, title FROM documents")}
    for f in findings:
        if f["document_id"] is not None:
            path, number, title = documents[f["document_id"]]
            assert (f["document_path"], f["document_number"], f["document_title"]) == (path, number, title)
    across = [f for f in findings if f["document_id"] is None]
    assert across and any(";" in f["document_path"] for f in across)
    for f in across:  # the documents its evidence is in
        assert f["document_path"] == "; ".join(json.loads(f["detail"])["documents"])
    keys = {i: k for i, k in db.execute("SELECT id, key FROM findings")}
    links = _sheet(workbook, "finding_facts")
    assert links and all(link["finding_key"] == keys[link["finding_id"]] for link in links)


def test_xlsx_goes_on_over_sheets_past_the_row_limit(archive_path, tmp_path):
    with Archive.open(str(archive_path), create=False) as archive:
        report = ExportReport()
        write_xlsx(archive.engine, tmp_path / "small.xlsx", ["facts"], report, row_limit=50)
    workbook = load_workbook(tmp_path / "small.xlsx")
    total = report.rows["facts"]
    assert total > 100 and workbook.sheetnames[:3] == ["facts", "facts (2)", "facts (3)"]
    assert sum(len(_sheet(workbook, name)) for name in workbook.sheetnames) == total
    assert all(workbook[name].max_row <= 50 for name in workbook.sheetnames)


def test_xlsx_is_not_written_to_standard_output(archive_path):
    result = CliRunner().invoke(export_command, ["--archive", str(archive_path), "--format", "xlsx", "--output", "-"])
    assert result.exit_code == 1 and "thư mục" in result.output


def test_csv_has_a_byte_order_mark_unless_no_bom(archive_path, tmp_path):
    _export(archive_path, tmp_path / "bom", "findings", "--format", "csv")
    _export(archive_path, tmp_path / "plain", "findings", "--format", "csv", "--no-bom")
    for name in ("findings.csv", "finding_facts.csv", "judgements.csv"):
        with_bom = (tmp_path / "bom" / name).read_bytes()
        without = (tmp_path / "plain" / name).read_bytes()
        assert with_bom.startswith(b"\xef\xbb\xbf") and not without.startswith(b"\xef\xbb\xbf")
        assert with_bom[3:] == without
    rows = list(csv.DictReader((tmp_path / "bom" / "findings.csv").open(encoding="utf-8-sig")))
    stored = {k for (k,) in sqlite3.connect(archive_path).execute("SELECT key FROM findings")}
    assert {r["key"] for r in rows} == stored and "id" in rows[0]
    one = CliRunner().invoke(export_command, ["refs", "--archive", str(archive_path), "--format", "csv",
                                              "--output", "-"])
    assert one.exit_code == 0 and one.output.startswith("\ufeffid,")
