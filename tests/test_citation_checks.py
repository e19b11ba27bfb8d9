"""Checks the citation graph makes possible (reconcile/citations.py), on documents of our own
(tests/data/citation_graph): a plan replaced by a later plan, and a later report that still
cites the old one as its basis."""
from __future__ import annotations

import shutil
from pathlib import Path

import sqlalchemy as sa

from archive_fixtures import archive_url, pg_server  # noqa: F401 - fixtures
from extractor.archive.models import TABLES
from extractor.archive import Archive
from extractor.audit import audit_archive, audit_paths

DATA = Path(__file__).resolve().parent / "data" / "citation_graph"
KINDS = ("basis_superseded", "replaced_twice")


def graph_findings(audit):
    return [(f, paths) for f, paths in audit.all_findings() if f.kind in KINDS]


def test_a_report_citing_a_replaced_plan_gives_exactly_that_finding():
    audit = audit_paths(sorted(str(p) for p in DATA.glob("*.txt")))
    found = graph_findings(audit)
    assert len(found) == 1, [f.kind for f, _ in found]
    finding, paths = found[0]
    assert finding.kind == "basis_superseded"
    assert sorted(Path(p).name for p in paths) == ["bc_40_bao_cao.txt", "kh_25_moi.txt"]
    assert [f.text for f in finding.facts] == [
        "Kế hoạch số 10/KH-UBND ngày 10/01/2024 của Ủy ban nhân dân tỉnh",
        "Kế hoạch số 10/KH-UBND ngày 10/01/2024 của Ủy ban nhân dân tỉnh"]
    record = audit.to_dict("vi")["findings"]
    shown = next(r for r in record if r["kind"] == "basis_superseded")
    assert shown["message"] == ("40/BC-SNV ngày 20/06/2024 căn cứ 10/KH-UBND, văn bản đã được "
                                "25/KH-UBND thay thế từ ngày 01/03/2024")
    assert {Path(e["document"]).name for e in shown["evidence"]} == {"bc_40_bao_cao.txt", "kh_25_moi.txt"}
    english = next(r for r in audit.to_dict("en")["findings"] if r["kind"] == "basis_superseded")
    assert english["message"] == "40/BC-SNV of 20/06/2024 cites 10/KH-UBND as its basis, which 25/KH-UBND replaced on 01/03/2024"


def test_a_basis_cited_before_it_was_replaced_is_no_finding(tmp_path):
    early = tmp_path / "bc_early.txt"
    early.write_text((DATA / "bc_40_bao_cao.txt").read_text(encoding="utf-8")
                     .replace("Số: 40/BC-SNV", "Số: 05/BC-SNV").replace("ngày 20 tháng 6 năm 2024", "ngày 15 tháng 02 năm 2024"),
                     encoding="utf-8")
    audit = audit_paths([str(DATA / "kh_10_cu.txt"), str(DATA / "kh_25_moi.txt"), str(early)])
    assert graph_findings(audit) == []


def test_two_documents_replacing_the_same_one(tmp_path):
    other = tmp_path / "kh_30.txt"
    other.write_text((DATA / "kh_25_moi.txt").read_text(encoding="utf-8")
                     .replace("Số: 25/KH-UBND", "Số: 30/KH-UBND").replace("ngày 01 tháng 3 năm 2024", "ngày 05 tháng 4 năm 2024"),
                     encoding="utf-8")
    audit = audit_paths([str(DATA / "kh_10_cu.txt"), str(DATA / "kh_25_moi.txt"), str(other)])
    found = graph_findings(audit)
    assert [f.kind for f, _ in found] == ["replaced_twice"]
    finding, paths = found[0]
    assert sorted(Path(p).name for p in paths) == ["kh_25_moi.txt", "kh_30.txt"]
    assert finding.to_dict("", "en", with_evidence=False)["message"] == (
        "10/KH-UBND is replaced by two documents: 25/KH-UBND of 01/03/2024 and 30/KH-UBND of 05/04/2024")


def test_the_archive_audit_stores_the_finding_on_both_documents(archive_url, tmp_path):  # noqa: F811
    folder = tmp_path / "docs"
    shutil.copytree(DATA, folder)
    with Archive.open(archive_url) as archive:
        archive.ingest([str(folder)])
        audit = audit_archive(archive)
        found = graph_findings(audit)
        assert [f.kind for f, _ in found] == ["basis_superseded"]
        assert sorted(Path(p).name for p in found[0][1]) == ["bc_40_bao_cao.txt", "kh_25_moi.txt"]
        findings, links = TABLES["findings"], TABLES["finding_facts"]
        with archive.engine.connect() as conn:
            stored = conn.execute(sa.select(findings.c.id, findings.c.detail)
                                  .where(findings.c.kind == "basis_superseded")).all()
            assert len(stored) == 1
            linked = conn.execute(sa.select(sa.func.count()).select_from(links)
                                  .where(links.c.finding_id == stored[0].id)).scalar_one()
    assert linked == 2
    assert sorted(Path(p).name for p in stored[0].detail["documents"]) == ["bc_40_bao_cao.txt", "kh_25_moi.txt"]
