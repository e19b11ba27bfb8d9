"""Checks the citation graph makes possible (reconcile/citations.py), on documents of our own
(tests/data/citation_graph): a plan replaced by a later plan, and a later report that still
cites the old one as its basis."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from archive_fixtures import archive_url, pg_server  # noqa: F401 - fixtures
from extractor.archive.models import TABLES
from extractor.archive import Archive
from extractor.audit import audit_archive, audit_paths
from extractor.reconcile.citations import TITLE_MATCH, title_similarity

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


BASIS_LINE = ("Căn cứ Kế hoạch số 10/KH-UBND ngày 10/01/2024 của Ủy ban nhân dân tỉnh về cải cách hành chính "
              "năm 2024;")


@pytest.mark.parametrize("line", [
    # The old plan second in a Căn cứ list, after a title holding cue words and an issuer with a comma.
    "Căn cứ Quyết định số 5/QĐ-UBND ngày 02/01/2024 của Chủ tịch, Phó Chủ tịch Ủy ban nhân dân tỉnh hướng dẫn "
    "thực hiện cải cách hành chính; Kế hoạch số 10/KH-UBND ngày 10/01/2024 của Ủy ban nhân dân tỉnh;",
    # On a line of its own, continuing the list.
    "Căn cứ Quyết định số 5/QĐ-UBND ngày 02/01/2024 của Ủy ban nhân dân tỉnh sửa đổi, bổ sung quy chế;\n"
    "Kế hoạch số 10/KH-UBND ngày 10/01/2024 của Ủy ban nhân dân tỉnh về cải cách hành chính năm 2024;",
])
def test_a_report_citing_the_replaced_plan_deep_in_its_basis_list(tmp_path, line):
    report = tmp_path / "bc_40_bao_cao.txt"
    text = (DATA / "bc_40_bao_cao.txt").read_text(encoding="utf-8")
    assert BASIS_LINE in text
    report.write_text(text.replace(BASIS_LINE, line), encoding="utf-8")
    audit = audit_paths([str(DATA / "kh_10_cu.txt"), str(DATA / "kh_25_moi.txt"), str(report)])
    found = graph_findings(audit)
    assert [f.kind for f, _ in found] == ["basis_superseded"]
    assert sorted(Path(p).name for p in found[0][1]) == ["bc_40_bao_cao.txt", "kh_25_moi.txt"]


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


# --- a report on a plan whose period or title differs from the plan's own ---------------------

HEADER = ("UBND TỈNH AN HÒA\n{unit}-------\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
          "Độc lập - Tự do - Hạnh phúc\n---------------\n\nSố: {number}\n\nAn Hòa, ngày {day}\n\n")


def plan_text(title: str = "Cải cách hành chính năm 2024", number: str = "12/KH-UBND",
              day: str = "15 tháng 01 năm 2024") -> str:
    return (HEADER.format(unit="", number=number, day=day) + f"KẾ HOẠCH\n{title}\n\n"
            "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:\n\nI. MỤC ĐÍCH, YÊU CẦU\n\n"
            "Hoàn thành 20 nhiệm vụ cải cách hành chính.\n\nCHỦ TỊCH\nNguyễn Văn An\n")


def report_text(title: str, sentence: str, day: str = "10 tháng 12 năm 2024") -> str:
    return (HEADER.format(unit="SỞ NỘI VỤ\n", number="41/BC-SNV", day=day) + f"BÁO CÁO\n{title}\n\n"
            f"{sentence}\n\nI. KẾT QUẢ\n\nSở đã hoàn thành 12 nhiệm vụ.\n\nGIÁM ĐỐC\nTrần Thị Bình\n")


REPORTS_ON = "Sở Nội vụ báo cáo kết quả thực hiện Kế hoạch số 12/KH-UBND ngày 15/01/2024 của Ủy ban nhân dân tỉnh"
CITATION = "Kế hoạch số 12/KH-UBND ngày 15/01/2024 của Ủy ban nhân dân tỉnh"

# (report title, sentence citing the plan, report date, plan title, expected: None or
# (severity, period differs, title differs))
REPORT_PLAN_ROWS = [
    ("Kết quả cải cách hành chính năm 2024", REPORTS_ON + " về cải cách hành chính năm 2024 như sau:",
     "10 tháng 12 năm 2024", "Cải cách hành chính năm 2024", None),
    ("Kết quả cải cách hành chính 6 tháng đầu năm 2024", REPORTS_ON + " về CCHC năm 2024 như sau:",
     "20 tháng 6 năm 2024", "Cải cách hành chính năm 2024", None),
    ("Kết quả cải cách hành chính quý I năm 2024", REPORTS_ON + ", về việc triển khai công tác cải cách hành chính năm 2024;",
     "20 tháng 3 năm 2024", "Cải cách hành chính năm 2024", None),
    ("Kết quả cải cách hành chính năm 2024", REPORTS_ON + " như sau:",
     "10 tháng 12 năm 2024", "Cải cách hành chính giai đoạn 2021 - 2025", None),
    ("Kết quả cải cách hành chính năm 2025", REPORTS_ON + " về cải cách hành chính năm 2024 như sau:",
     "10 tháng 12 năm 2025", "Cải cách hành chính năm 2024", ("error", True, False)),
    ("Kết quả cải cách hành chính năm 2024", REPORTS_ON + " về chuyển đổi số năm 2024 như sau:",
     "10 tháng 12 năm 2024", "Cải cách hành chính năm 2024", ("possible", False, True)),
    ("Kết quả cải cách hành chính năm 2024", REPORTS_ON + " về cải cách hành chính năm 2023 như sau:",
     "10 tháng 12 năm 2024", "Cải cách hành chính năm 2024", ("possible", False, True)),
    ("Kết quả cải cách hành chính năm 2025", REPORTS_ON + " về kiểm soát thủ tục hành chính năm 2024 như sau:",
     "10 tháng 12 năm 2025", "Cải cách hành chính năm 2024", ("error", True, True)),
    # Cited as its basis, not reported on: no comparison.
    ("Kết quả cải cách hành chính năm 2025", "Căn cứ " + CITATION + " về chuyển đổi số;",
     "10 tháng 12 năm 2025", "Cải cách hành chính năm 2024", None),
]


def _kinds(audit, kinds=("report_plan_mismatch",)):
    return [(f, paths) for f, paths in audit.all_findings() if f.kind in kinds]


@pytest.mark.parametrize("title,sentence,day,plan_title,expected", REPORT_PLAN_ROWS,
                         ids=[f"{r[0][-15:]}|{r[1][len(REPORTS_ON):][:30]}|{r[3][-10:]}" for r in REPORT_PLAN_ROWS])
def test_a_report_on_a_plan_against_the_plan(tmp_path, title, sentence, day, plan_title, expected):
    (tmp_path / "kh.txt").write_text(plan_text(plan_title), encoding="utf-8")
    (tmp_path / "bc.txt").write_text(report_text(title, sentence, day), encoding="utf-8")
    found = _kinds(audit_paths([str(tmp_path / "kh.txt"), str(tmp_path / "bc.txt")]))
    if expected is None:
        assert found == []
        return
    assert len(found) == 1, [f.detail for f, _ in found]
    finding, paths = found[0]
    severity, period_differs, title_differs = expected
    assert (finding.severity, finding.detail["period_differs"], finding.detail["title_differs"]) == expected
    assert sorted(Path(p).name for p in paths) == ["bc.txt", "kh.txt"]
    assert finding.facts[0].text == CITATION
    assert "Số: 12/KH-UBND" in [f.text for f in finding.facts]


def test_a_report_on_a_plan_messages_in_both_languages(tmp_path):
    (tmp_path / "kh.txt").write_text(plan_text(), encoding="utf-8")
    (tmp_path / "bc.txt").write_text(report_text("Kết quả cải cách hành chính năm 2025",
                                                 REPORTS_ON + " về chuyển đổi số năm 2024 như sau:",
                                                 "10 tháng 12 năm 2025"), encoding="utf-8")
    audit = audit_paths([str(tmp_path / "kh.txt"), str(tmp_path / "bc.txt")])
    vi = next(r for r in audit.to_dict("vi")["findings"] if r["kind"] == "report_plan_mismatch")
    en = next(r for r in audit.to_dict("en")["findings"] if r["kind"] == "report_plan_mismatch")
    assert vi["message"] == ('41/BC-SNV báo cáo kết quả thực hiện 12/KH-UBND cho kỳ năm 2025, nhưng 12/KH-UBND là '
                             'kế hoạch năm 2024; trích yếu được dẫn "chuyển đổi số năm 2024" cũng khác trích yếu '
                             'của kế hoạch: "Cải cách hành chính năm 2024"')
    assert en["message"] == ("41/BC-SNV reports on 12/KH-UBND for năm 2025, but 12/KH-UBND is a plan for năm 2024; "
                             "the title quoted, \"chuyển đổi số năm 2024\", is not the plan's either: "
                             "\"Cải cách hành chính năm 2024\"")
    assert [(Path(e["document"]).name, e["text"]) for e in vi["evidence"]] == [
        ("bc.txt", CITATION), ("bc.txt", "năm 2025"), ("kh.txt", "Số: 12/KH-UBND"), ("kh.txt", "năm 2024")]


# Quoted titles against the plan's own, and whether they are the same title: the pairs
# TITLE_MATCH was chosen on (our own wording, not the held-out documents').
TITLE_PAIRS = [
    ("cải cách hành chính năm 2024", "Cải cách hành chính năm 2024", True),
    ("CCHC năm 2024", "Cải cách hành chính năm 2024", True),
    ("triển khai công tác cải cách hành chính", "Cải cách hành chính năm 2024", True),
    ("thực hiện công tác cải cách hành chính của Sở", "Thực hiện công tác cải cách hành chính năm 2024", True),
    ("cải cách hành chính nhà nước tỉnh An Hòa", "Cải cách hành chính nhà nước năm 2024", True),
    ("kiểm soát TTHC năm 2024", "Kiểm soát thủ tục hành chính năm 2024", True),
    ("chuyển đổi số năm 2024", "Cải cách hành chính năm 2024", False),
    ("kiểm soát thủ tục hành chính", "Cải cách hành chính năm 2024", False),
    ("phòng, chống tham nhũng", "Cải cách hành chính năm 2024", False),
    ("ứng dụng công nghệ thông tin", "Chuyển đổi số năm 2024", False),
    ("tuyên truyền, phổ biến pháp luật", "Cải cách hành chính năm 2024", False),
]


@pytest.mark.parametrize("quoted,title,same", TITLE_PAIRS)
def test_title_similarity_against_its_threshold(quoted, title, same):
    assert (title_similarity(quoted, title) >= TITLE_MATCH) is same


# --- a document that amends articles the amended document does not have -------------------

def decision_text(number: str, day: str, body: str) -> str:
    return HEADER.format(unit="", number=number, day=day) + f"QUYẾT ĐỊNH\n{body}\n\nCHỦ TỊCH\nNguyễn Văn An\n"


AMENDED = decision_text("15/QĐ-UBND", "05 tháng 02 năm 2024",
                        "Ban hành Quy chế làm việc\n\nĐiều 1. Ban hành kèm theo Quyết định này Quy chế làm việc.\n\n"
                        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n\n"
                        "Điều 3. Chánh Văn phòng chịu trách nhiệm thi hành Quyết định này.")
AMENDING = "15/QĐ-UBND ngày 05/02/2024 của Ủy ban nhân dân tỉnh"

# (the amending article's wording, expected: None or (relation, missing articles))
ARTICLE_ROWS = [
    ("Sửa đổi, bổ sung Điều 2 của Quyết định số " + AMENDING + " như sau:", None),
    ("Sửa đổi, bổ sung Điều 2, Điều 3 của Quyết định số " + AMENDING + " như sau:", None),
    ("Sửa đổi, bổ sung Điều 5 của Quyết định số " + AMENDING + " như sau:", ("amends", ["5"])),
    ("Sửa đổi, bổ sung Điều 2, Điều 7 của Quyết định số " + AMENDING + " như sau:", ("amends", ["7"])),
    ("Bãi bỏ Điều 9 của Quyết định số " + AMENDING + ".", ("repeals", ["9"])),
    # No article named: nothing to compare.
    ("Sửa đổi, bổ sung một số điều của Quyết định số " + AMENDING + " như sau:", None),
    # Articles of a document the set does not hold.
    ("Sửa đổi, bổ sung Điều 5 của Quyết định số 16/QĐ-UBND ngày 06/02/2024 của Ủy ban nhân dân tỉnh như sau:", None),
]


@pytest.mark.parametrize("sentence,expected", ARTICLE_ROWS, ids=[r[0][:40] for r in ARTICLE_ROWS])
def test_amended_articles_against_the_amended_document(tmp_path, sentence, expected):
    (tmp_path / "qd_15.txt").write_text(AMENDED, encoding="utf-8")
    (tmp_path / "qd_20.txt").write_text(decision_text("20/QĐ-UBND", "10 tháng 5 năm 2024",
                                                      f"Điều 1. {sentence}\n\nĐiều 2. Quyết định này có hiệu lực kể từ ngày ký."),
                                        encoding="utf-8")
    found = _kinds(audit_paths([str(tmp_path / "qd_15.txt"), str(tmp_path / "qd_20.txt")]), ("amended_article_missing",))
    if expected is None:
        assert found == []
        return
    assert len(found) == 1
    finding, paths = found[0]
    assert (finding.detail["relation"], finding.detail["articles"], finding.detail["last_article"]) == (*expected, 3)
    assert sorted(Path(p).name for p in paths) == ["qd_15.txt", "qd_20.txt"]
    assert [f.text for f in finding.facts] == ["Quyết định số " + AMENDING, "Số: 15/QĐ-UBND"]


def test_amended_article_messages(tmp_path):
    (tmp_path / "qd_15.txt").write_text(AMENDED, encoding="utf-8")
    (tmp_path / "qd_20.txt").write_text(decision_text(
        "20/QĐ-UBND", "10 tháng 5 năm 2024", "Điều 1. Sửa đổi, bổ sung Điều 5 của Quyết định số " + AMENDING + " như sau:"),
        encoding="utf-8")
    audit = audit_paths([str(tmp_path / "qd_15.txt"), str(tmp_path / "qd_20.txt")])
    shown = {lang: next(r["message"] for r in audit.to_dict(lang)["findings"] if r["kind"] == "amended_article_missing")
             for lang in ("vi", "en")}
    assert shown == {"vi": "20/QĐ-UBND sửa đổi, bổ sung Điều 5 của 15/QĐ-UBND, nhưng 15/QĐ-UBND chỉ có đến Điều 3",
                     "en": "20/QĐ-UBND amends article 5 of 15/QĐ-UBND, whose last article is 3"}


def test_the_archive_audit_stores_the_new_findings_once_with_both_documents(archive_url, tmp_path):  # noqa: F811
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "kh.txt").write_text(plan_text(), encoding="utf-8")
    (folder / "bc.txt").write_text(report_text("Kết quả cải cách hành chính năm 2025",
                                               REPORTS_ON + " về cải cách hành chính năm 2024 như sau:",
                                               "10 tháng 12 năm 2025"), encoding="utf-8")
    (folder / "qd_15.txt").write_text(AMENDED, encoding="utf-8")
    (folder / "qd_20.txt").write_text(decision_text(
        "20/QĐ-UBND", "10 tháng 5 năm 2024", "Điều 1. Bãi bỏ Điều 9 của Quyết định số " + AMENDING + "."), encoding="utf-8")
    kinds = ("report_plan_mismatch", "amended_article_missing")
    with Archive.open(archive_url) as archive:
        archive.ingest([str(folder)])
        found = _kinds(audit_archive(archive), kinds)
        assert sorted(f.kind for f, _ in found) == sorted(kinds)
        findings, links, facts, docs = TABLES["findings"], TABLES["finding_facts"], TABLES["facts"], TABLES["documents"]
        with archive.engine.connect() as conn:
            for kind, names in (("report_plan_mismatch", ["bc.txt", "kh.txt"]), ("amended_article_missing", ["qd_15.txt", "qd_20.txt"])):
                stored = conn.execute(sa.select(findings.c.id).where(findings.c.kind == kind)).all()
                assert len(stored) == 1, kind
                linked = conn.execute(sa.select(docs.c.path).distinct().select_from(
                    links.join(facts, facts.c.id == links.c.fact_id).join(docs, docs.c.id == facts.c.document_id))
                    .where(links.c.finding_id == stored[0].id)).scalars().all()
                assert sorted(Path(p).name for p in linked) == names


def test_the_web_document_pages_list_the_new_findings(tmp_path):
    from starlette.testclient import TestClient

    from extractor.web import create_app

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "kh.txt").write_text(plan_text(), encoding="utf-8")
    (folder / "bc.txt").write_text(report_text("Kết quả cải cách hành chính năm 2025",
                                               REPORTS_ON + " về cải cách hành chính năm 2024 như sau:",
                                               "10 tháng 12 năm 2025"), encoding="utf-8")
    (folder / "qd_15.txt").write_text(AMENDED, encoding="utf-8")
    (folder / "qd_20.txt").write_text(decision_text(
        "20/QĐ-UBND", "10 tháng 5 năm 2024", "Điều 1. Bãi bỏ Điều 9 của Quyết định số " + AMENDING + "."), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'archive.sqlite'}"
    with Archive.open(url) as archive:
        archive.ingest([str(folder)])
        audit_archive(archive)
        with archive.engine.connect() as conn:
            ids = {Path(p).name: i for i, p in conn.execute(sa.select(TABLES["documents"].c.id, TABLES["documents"].c.path))}
        client = TestClient(create_app(archive))
        expected = {"kh.txt": "report_plan_mismatch", "bc.txt": "report_plan_mismatch",
                    "qd_15.txt": "amended_article_missing", "qd_20.txt": "amended_article_missing"}
        for name, kind in expected.items():
            page = client.get(f"/documents/{ids[name]}.json").json()
            assert [f["kind"] for f in page["findings"]] == [kind], name
            assert sorted(r["name"] for r in page["findings"][0]["document_refs"]) == sorted(
                n for n, k in expected.items() if k == kind)
        html = client.get(f"/documents/{ids['kh.txt']}?lang=en").text
        assert "report unlike its plan" in html
