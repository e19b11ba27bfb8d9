"""Auditing a folder: findings within and across documents, and the HTML report."""
from __future__ import annotations

from pathlib import Path

from extractor.audit import audit_paths
from extractor.reconcile.report import render_html

from test_crossdoc import Q1, Q3, SIX_MONTHS


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_audit_reports_findings_with_their_documents(tmp_path):
    broken = Q1.replace("100 hồ sơ từ kỳ trước", "101 hồ sơ từ kỳ trước")
    paths = [write(tmp_path, "q1.txt", broken), write(tmp_path, "6m.txt", SIX_MONTHS),
             write(tmp_path, "q3.txt", Q3), str(tmp_path / "missing.txt")]
    audit = audit_paths(paths)
    record = audit.to_dict()
    assert [d["error"] is not None for d in record["documents"]] == [False, False, False, True]
    kinds = sorted(f["kind"] for f in record["findings"])
    assert "sum_mismatch" in kinds and "carry_over_mismatch" in kinds and "ref_date_conflict" in kinds
    within = next(f for f in record["findings"] if f["kind"] == "sum_mismatch")
    assert within["documents"] == [paths[0]]
    assert within["message"] == "Tổng không khớp: 3.105 + 1.005 + 101 = 4.211, nhưng văn bản ghi tổng là 4.210"
    across = next(f for f in record["findings"] if f["kind"] == "ref_date_conflict")
    assert sorted(across["documents"]) == sorted(paths[:2])
    for finding in record["findings"]:
        for e in finding["evidence"]:
            text = Path(e["document"]).read_text(encoding="utf-8")
            assert text[e["start"]:e["end"]] == e["text"]


def test_html_report_is_self_contained_and_highlights_evidence(tmp_path):
    audit = audit_paths([write(tmp_path, "q1.txt", Q1.replace("100 hồ sơ từ kỳ trước", "101 hồ sơ từ kỳ trước"))])
    page = render_html(audit.to_dict())
    assert page.startswith('<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">')
    assert "<mark>4.210 hồ sơ</mark>" in page and "<mark>101 hồ sơ</mark>" in page
    assert "Tổng không khớp" in page and "src=" not in page and "href=" not in page
    english = render_html(audit_paths([str(tmp_path / "q1.txt")]).to_dict("en"), "en")
    assert "Total does not add up" in english and "Figure audit report" in english


def test_seed_audits_give_exactly_the_expected_findings(shared_dir):
    import json

    for gold_path in sorted((shared_dir / "corpus" / "seeds").glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        audit = audit_paths([str(gold_path.parent / gold["file"])])
        assert sorted(f.kind for f, _ in audit.all_findings()) == sorted(
            f["kind"] for f in gold["expected_findings"]), gold["file"]


def test_findings_have_the_archive_keys_and_evidence_its_line(tmp_path):
    """A paths audit gives each finding the key the archive stores for it (its own findings at
    ingest, the cross-document ones at `cchc audit --archive`), so a report and a review
    speak of the same finding."""
    import sqlite3

    from extractor.archive import Archive
    from extractor.audit import audit_archive

    broken = Q1.replace("100 hồ sơ từ kỳ trước", "101 hồ sơ từ kỳ trước")
    paths = [write(tmp_path, "q1.txt", broken), write(tmp_path, "6m.txt", SIX_MONTHS),
             write(tmp_path, "q3.txt", Q3)]
    record = audit_paths(paths).to_dict()
    keys = [f["key"] for f in record["findings"]]
    assert len(set(keys)) == len(keys) and all(len(k) == 32 for k in keys)
    archive_path = tmp_path / "archive.sqlite"
    with Archive.open(str(archive_path)) as archive:
        archive.ingest(paths, jobs=1)
        audit_archive(archive)
    stored = {k for (k,) in sqlite3.connect(archive_path).execute("SELECT key FROM findings")}
    assert set(keys) == stored
    assert audit_paths(paths).to_dict("en")["findings"][0]["key"] == keys[0]  # whatever the language
    for finding in record["findings"]:
        for e in finding["evidence"]:
            text = Path(e["document"]).read_text(encoding="utf-8")
            assert e["line"] == text.count("\n", 0, e["start"]) + 1
