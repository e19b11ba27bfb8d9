"""cchc review: list the archive's findings, confirm or dismiss one, and keep the decision when
the documents are ingested again."""
from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from archive_fixtures import archive_url, pg_server  # noqa: F401 - fixtures
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


# ---------------------------------------------------------------------------------------------
# Decisions follow the content: a finding's key is its document's sha256, its kind and its
# evidence's offsets and text, never the path.


def _moved(doc, folder):
    target = folder / "nam-2024" / "bao-cao-quy-1.txt"
    target.parent.mkdir(parents=True)
    doc.rename(target)
    return target, [str(target)]


def _renamed(doc, folder):
    target = doc.with_name("bc-da-ky.txt")
    doc.rename(target)
    return target, [str(folder)]


def _forced(doc, folder):
    return doc, ["--force", str(folder)]


def _again(doc, folder):
    return doc, [str(folder)]


def _copied(doc, folder):
    import shutil

    target = folder / "ban-sao" / "bc.txt"
    target.parent.mkdir()
    shutil.copy(doc, target)
    return target, [str(folder)]


@pytest.mark.parametrize("change, documents", [
    # Moved to a folder ingested next: the old row is marked missing, both rows hold the
    # finding, and the decision shows on both.
    (_moved, 2),
    (_renamed, 2),
    (_forced, 1),  # extracted again: the same keys
    (_again, 1),  # unchanged: skipped, nothing rewritten
    # A byte-identical copy says exactly what the original says: it shares the finding's key,
    # and so the decision taken on the original (deciding on either decides for both).
    (_copied, 2),
])
def test_a_decision_follows_the_content_of_the_file(tmp_path, change, documents):
    import json

    folder = tmp_path / "ho-so"
    folder.mkdir()
    doc = folder / "bc.txt"
    doc.write_text(REPORT, encoding="utf-8")
    archive = str(tmp_path / "kho.sqlite")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", "--quiet", "--jobs", "1", "--archive", archive, str(folder)]).exit_code == 0
    (key,) = sqlite3.connect(archive).execute("SELECT key FROM findings WHERE kind = 'sum_mismatch'").fetchone()
    assert runner.invoke(cli, ["review", "--archive", archive, key, "--dismiss", "--note", "đã sửa"]).exit_code == 0
    target, args = change(doc, folder)
    again = runner.invoke(cli, ["ingest", "--quiet", "--jobs", "1", "--archive", archive, *args])
    assert again.exit_code == 0, again.output
    listed = json.loads(runner.invoke(cli, ["review", "--archive", archive, "--kind", "sum_mismatch",
                                            "--format", "json"]).stdout)
    assert [(r["key"], r["decision"], r["note"]) for r in listed] == [(key, "dismiss", "đã sửa")] * documents
    assert str(target) in {r["path"] for r in listed}
    shown = json.loads(runner.invoke(cli, ["review", "--archive", archive, key, "--format", "json"]).stdout)
    assert sorted(shown["documents"]) == sorted(r["path"] for r in listed)
    assert [h["decision"] for h in shown["history"]] == ["dismiss"]
    # The report of the file where it is now names the same finding.
    from extractor.audit import audit_paths

    report = audit_paths([str(target)]).to_dict()
    assert key in {f["key"] for f in report["findings"]}


def test_copies_of_one_document_are_one_finding_on_the_web(tmp_path):
    import shutil

    from starlette.testclient import TestClient

    from extractor.archive import Archive
    from extractor.web import create_app

    folder = tmp_path / "ho-so"
    (folder / "ban-sao").mkdir(parents=True)
    (folder / "bc.txt").write_text(REPORT, encoding="utf-8")
    shutil.copy(folder / "bc.txt", folder / "ban-sao" / "bc.txt")
    with Archive.open(str(tmp_path / "kho.sqlite")) as archive:
        archive.ingest([str(folder)], jobs=1)
        data = TestClient(create_app(archive)).get("/findings.json").json()
    sums = [f for f in data["findings"] if f["kind"] == "sum_mismatch"]
    assert len(sums) == 1 and len(sums[0]["documents"]) == 2


def test_upgrading_an_archive_of_path_keys_moves_its_decisions(archive_url, tmp_path):
    """Revision 0005 gives every stored finding (within and across documents) its content key
    and moves the decisions with them; going back gives the path keys again."""
    import sqlalchemy as sa

    from archive_fixtures import CORPUS, check_consistent
    from extractor.archive import Archive, db
    from extractor.audit import audit_archive

    def state(archive):
        with archive.engine.connect() as conn:
            keys = conn.execute(sa.text("SELECT id, key FROM findings ORDER BY id")).all()
            links = conn.execute(sa.text("SELECT count(*) FROM finding_facts")).scalar_one()
            judged = conn.execute(sa.text("SELECT finding_key FROM judgements ORDER BY id")).scalars().all()
        return keys, links, judged

    with Archive.open(archive_url) as archive:
        archive.ingest([str(CORPUS / "series")], jobs=1)
        audit_archive(archive)
        content_keys, links, _ = state(archive)
        assert links and any(row.key for row in content_keys)
        with archive.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM findings WHERE document_id IS NULL")).scalar_one()
        db.downgrade(archive.engine, "0004")
        path_keys, old_links, _ = state(archive)
        assert old_links == links and {k for _, k in path_keys}.isdisjoint(k for _, k in content_keys)
        for _, key in path_keys:  # decisions taken under revision 0004
            archive.judge(decision="dismiss", finding_key=key, note="cũ", who="Lan")
        db.upgrade(archive.engine)
        assert state(archive) == (content_keys, links, [k for _, k in content_keys])
        db.downgrade(archive.engine, "0004")
        assert state(archive) == (path_keys, links, [k for _, k in path_keys])
        db.upgrade(archive.engine)
        # Extracted again, the documents' own findings get the same keys (and new ids).
        assert archive.ingest([str(CORPUS / "series")], jobs=1, force=True).failed == 0
        keys, _, judged = state(archive)
        assert sorted(k for _, k in keys) == sorted(k for _, k in content_keys) and set(judged) <= {k for _, k in keys}
    check_consistent(archive_url)
