"""cchc review: list the archive's findings, confirm or dismiss one, and keep the decision when
the documents are ingested again."""
from __future__ import annotations

import sqlite3

from click.testing import CliRunner

from extractor.cli import cli

REPORT = ("SỞ NỘI VỤ\nSố: 12/BC-SNV\nAn Hòa, ngày 18 tháng 3 năm 2024\nBÁO CÁO\n"
          "Sở tiếp nhận 1.200 hồ sơ, trong đó 700 hồ sơ trực tuyến, 501 hồ sơ trực tiếp.\n")


def ingested(tmp_path):
    """The report ingested into a new archive, and the key of its sum finding."""
    doc = tmp_path / "bc.txt"
    doc.write_text(REPORT, encoding="utf-8")
    archive = str(tmp_path / "kho.sqlite")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", "--quiet", "--jobs", "1", "--archive", archive, str(doc)]).exit_code == 0
    (key,) = sqlite3.connect(archive).execute("SELECT key FROM findings WHERE kind = 'sum_mismatch'").fetchone()
    return runner, doc, archive, key


def test_review_keeps_decisions_across_reingest(tmp_path):
    runner, doc, archive, key = ingested(tmp_path)
    listed = runner.invoke(cli, ["review", "--archive", archive])
    assert listed.exit_code == 0 and key in listed.stdout and "Tổng không khớp" in listed.stdout
    done = runner.invoke(cli, ["review", "--archive", archive, key, "--dismiss", "--note", "đã sửa ở bản ký"])
    assert done.exit_code == 0, done.output
    assert runner.invoke(cli, ["ingest", "--quiet", "--force", "--jobs", "1", "--archive", archive, str(doc)]).exit_code == 0
    assert "dismiss: đã sửa ở bản ký" in runner.invoke(cli, ["review", "--archive", archive]).stdout
    missing = runner.invoke(cli, ["review", "--archive", archive, "khong-co", "--confirm"])
    assert missing.exit_code == 1 and "khong-co" in missing.stderr
    shown = runner.invoke(cli, ["review", "--archive", archive, key])
    assert shown.exit_code == 0 and "Tổng không khớp" in shown.stdout and "đã sửa ở bản ký" in shown.stdout


def test_review_loop_prefixes_one_decision_json_and_filters(tmp_path):
    import json

    runner, doc, archive, key = ingested(tmp_path)
    both = runner.invoke(cli, ["review", "--archive", archive, key, "--confirm", "--dismiss"])
    assert both.exit_code == 2 and "--confirm" in both.output
    assert runner.invoke(cli, ["review", "--archive", archive, "--confirm"]).exit_code == 2
    short = runner.invoke(cli, ["review", "--archive", archive, key[:8], "--confirm", "--who", "Lan"])
    assert short.exit_code == 0 and key in short.stdout
    wildcard = runner.invoke(cli, ["review", "--archive", archive, "%", "--confirm"])
    assert wildcard.exit_code == 1  # a LIKE wildcard typed is a character, not "every key"
    one = json.loads(runner.invoke(cli, ["review", "--archive", archive, key[:8], "--format", "json"]).stdout)
    assert one["key"] == key and [h["who"] for h in one["history"]] == ["Lan"]
    confirmed = json.loads(runner.invoke(cli, ["review", "--archive", archive, "--decision", "confirm",
                                               "--format", "json"]).stdout)
    assert [r["key"] for r in confirmed] == [key]
    assert json.loads(runner.invoke(cli, ["review", "--archive", archive, "--decision", "none", "--kind",
                                          "sum_mismatch", "--format", "json"]).stdout) == []


def test_audit_over_an_archive_matches_the_audit_of_the_files_and_stores_cross_findings(tmp_path):
    import json
    from pathlib import Path

    from extractor.audit import audit_paths

    series = Path(__file__).resolve().parent.parent / "corpus" / "series"
    archive = str(tmp_path / "kho.sqlite")
    result = CliRunner().invoke(cli, ["audit", "--format", "json", "--archive", archive, str(series)])
    assert result.exit_code == 0, result.output
    from_archive = sorted((f["kind"], tuple(sorted(Path(p).name for p in f["documents"])))
                          for f in json.loads(result.stdout)["findings"])
    paths = sorted(str(p) for p in series.iterdir() if p.suffix in (".txt", ".md") and p.name != "README.md")
    file_audit = audit_paths(paths)
    from_files = sorted((f.kind, tuple(sorted(Path(p).name for p in docs))) for f, docs in file_audit.all_findings())
    assert from_archive == from_files
    stored = sqlite3.connect(archive).execute(
        "SELECT count(*) FROM findings WHERE document_id IS NULL").fetchone()[0]
    assert stored == len(file_audit.cross_findings) > 0
    # Auditing again replaces the stored cross-document findings instead of adding to them.
    assert CliRunner().invoke(cli, ["audit", "--archive", archive]).exit_code == 0
    assert sqlite3.connect(archive).execute(
        "SELECT count(*) FROM findings WHERE document_id IS NULL").fetchone()[0] == stored
