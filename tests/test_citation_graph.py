"""The citation graph in the archive: relations stored on citations, search by what a document
cites, is cited by and replaces, and ``cchc graph`` (SQLite, and PostgreSQL when marked slow)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.archive import Archive
from extractor.archive.graph import graph
from extractor.archive.search import Filters
from extractor.cli import cli

from archive_fixtures import archive_url, pg_server  # noqa: F401 - fixtures

DATA = Path(__file__).resolve().parent / "data" / "citation_graph"


def ingested(url: str, tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    shutil.copytree(DATA, folder)
    with Archive.open(url) as archive:
        archive.ingest([str(folder)])
    return folder


def names(hits) -> list[str]:
    return sorted(Path(h.path).name for h in hits)


def test_search_by_citation_relation(archive_url, tmp_path):  # noqa: F811
    ingested(archive_url, tmp_path)
    with Archive.open(archive_url) as archive:
        def find(**filters):
            return names(archive.search(None, Filters(**filters)).documents)

        assert find(cites="10/KH-UBND") == ["bc_40_bao_cao.txt", "kh_25_moi.txt"]
        assert find(replaces="10/KH-UBND") == ["kh_25_moi.txt"]
        assert find(cited_by="25/KH-UBND") == ["kh_10_cu.txt"]
        assert find(cited_by="40/BC-SNV") == ["kh_10_cu.txt"]
        # "Kế hoạch này" in the plan is the plan itself: never a citation of itself.
        assert "kh_10_cu.txt" not in find(cites="10/KH-UBND")
        assert find(replaces="25/KH-UBND") == []


def test_a_document_citing_its_own_number_is_not_among_those_citing_it(archive_url, tmp_path):  # noqa: F811
    folder = tmp_path / "own"
    folder.mkdir()
    (folder / "qd.txt").write_text(
        "Số: 74/QĐ-UBND\n\nQUYẾT ĐỊNH\n\nĐiều 1. Ban hành kèm theo Quyết định này Quy chế làm việc.\n\n"
        "QUY CHẾ\n(Ban hành kèm theo Quyết định số 74/QĐ-UBND ngày 05/02/2024 của UBND tỉnh)\n",
        encoding="utf-8")
    with Archive.open(archive_url) as archive:
        archive.ingest([str(folder)])
        assert archive.search(None, Filters(cites="74/QĐ-UBND")).documents == []


def test_graph_edges_carry_relations_and_reach_archived_documents(archive_url, tmp_path):  # noqa: F811
    ingested(archive_url, tmp_path)
    with Archive.open(archive_url) as archive:
        g = graph(archive.engine, "10/KH-UBND", depth=1)
    edges = {(e["source"], e["target"], e["relation"]) for e in g.edges}
    assert edges == {("25/KH-UBND", "10/KH-UBND", "replaces"), ("40/BC-SNV", "10/KH-UBND", "basis"),
                     ("10/KH-UBND", "30/2020/NĐ-CP", "basis")}
    nodes = {n["id"]: n for n in g.to_dict()["nodes"]}
    assert Path(nodes["25/KH-UBND"]["path"]).name == "kh_25_moi.txt"
    assert nodes["30/2020/NĐ-CP"]["document_id"] is None  # not archived: the reference alone
    with Archive.open(archive_url) as archive:
        deeper = graph(archive.engine, "10/KH-UBND", depth=2)
    assert ("25/KH-UBND", "30/2020/NĐ-CP", "basis") in {(e["source"], e["target"], e["relation"]) for e in deeper.edges}


def test_graph_command_prints_json_and_dot(archive_url, tmp_path):  # noqa: F811
    ingested(archive_url, tmp_path)
    runner = CliRunner()
    out = runner.invoke(cli, ["graph", "10/KH-UBND", "--archive", archive_url])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["root"] == "10/KH-UBND"
    dot = runner.invoke(cli, ["graph", "10/kh-ubnd", "--archive", archive_url, "--format", "dot"])
    assert dot.exit_code == 0, dot.output
    assert dot.output.startswith("digraph citations {")
    assert '"25/KH-UBND" -> "10/KH-UBND" [label="replaces"];' in dot.output
    search = runner.invoke(cli, ["search", "--replaces", "10/KH-UBND", "--archive", archive_url, "--format", "json"])
    assert search.exit_code == 0, search.output
    assert [Path(d["path"]).name for d in json.loads(search.output)["documents"]] == ["kh_25_moi.txt"]


def test_graph_of_an_unknown_reference_is_its_node_alone(archive_url, tmp_path):  # noqa: F811
    ingested(archive_url, tmp_path)
    with Archive.open(archive_url) as archive:
        g = graph(archive.engine, "999/KH-XYZ")
    assert g.edges == [] and [n["id"] for n in g.to_dict()["nodes"]] == ["999/KH-XYZ"]


def test_a_number_without_its_code_resolves_to_the_one_archived_document_that_fits(archive_url, tmp_path):  # noqa: F811
    folder = ingested(archive_url, tmp_path)
    later = folder / "later"
    later.mkdir()
    (later / "bc_50.txt").write_text(
        "UBND TỈNH AN HÒA\nSỞ NỘI VỤ\n\nSố: 50/BC-SNV\n\nAn Hòa, ngày 20 tháng 7 năm 2024\n\nBÁO CÁO\n\n"
        "Thực hiện Kế hoạch số 25 của Ủy ban nhân dân tỉnh, Sở Nội vụ báo cáo như sau.\n"
        "Sở đã hoàn thành Kế hoạch số 99 đúng hạn.\n", encoding="utf-8")
    with Archive.open(archive_url) as archive:
        archive.ingest([str(later)])
        assert names(archive.search(None, Filters(cites="25/KH-UBND")).documents) == ["bc_50.txt"]
        g = graph(archive.engine, "50/BC-SNV")
    assert {(e["source"], e["target"], e["relation"], e["short"]) for e in g.edges} == {
        ("50/BC-SNV", "25/KH-UBND", "implements", True)}


# --- short references resolved across the archive -------------------------------------------

def _document(header: str, number: str, place: str, day: str, doc_type: str, body: str) -> str:
    return (f"{header}\n-------\n\nSố: {number}\n\n{place}, ngày {day}\n\n{doc_type}\n"
            f"Về công tác năm 2024\n\n{body}\n\nNGƯỜI KÝ\nNguyễn Văn An\n")


# Archived before the citing documents: two plans numbered 25 in An Hòa (of the province's
# committee and of its Sở Nội vụ), one in another province, one issued after the citing
# documents, and a decree.
TARGETS = {
    "kh_25_ubnd.txt": _document("UBND TỈNH AN HÒA", "25/KH-UBND", "An Hòa", "01 tháng 3 năm 2024", "KẾ HOẠCH", "Nội dung kế hoạch."),
    "kh_25_snv.txt": _document("UBND TỈNH AN HÒA\nSỞ NỘI VỤ", "25/KH-SNV", "An Hòa", "05 tháng 02 năm 2024", "KẾ HOẠCH", "Nội dung kế hoạch."),
    "kh_31_other.txt": _document("UBND TỈNH BÌNH AN", "31/KH-UBND", "Bình An", "05 tháng 02 năm 2024", "KẾ HOẠCH", "Nội dung kế hoạch."),
    "kh_32_later.txt": _document("UBND TỈNH AN HÒA", "32/KH-UBND", "An Hòa", "05 tháng 11 năm 2024", "KẾ HOẠCH", "Nội dung kế hoạch."),
    "nd_61.txt": _document("CHÍNH PHỦ", "61/2018/NĐ-CP", "Hà Nội", "23 tháng 4 năm 2018", "NGHỊ ĐỊNH", "Điều 1. Phạm vi điều chỉnh."),
}

# (the citing sentence, the short reference's text, expected: the archived canonical, a list of
# candidates, or None)
ACROSS_ROWS = [
    ("Thực hiện Kế hoạch số 25 của Ủy ban nhân dân tỉnh, Sở báo cáo như sau.", "Kế hoạch số 25 của Ủy ban nhân dân tỉnh", "25/KH-UBND"),
    ("Thực hiện Kế hoạch số 25 của Sở Nội vụ, Sở báo cáo như sau.", "Kế hoạch số 25 của Sở Nội vụ", "25/KH-SNV"),
    ("Thực hiện Kế hoạch số 25 ngày 01/3/2024, Sở báo cáo như sau.", "Kế hoạch số 25 ngày 01/3/2024", "25/KH-UBND"),
    ("Thực hiện Kế hoạch số 25, Sở báo cáo như sau.", "Kế hoạch số 25", ["25/KH-SNV", "25/KH-UBND"]),
    ("Thực hiện Kế hoạch số 25 của Sở Tư pháp, Sở báo cáo như sau.", "Kế hoạch số 25 của Sở Tư pháp", None),
    ("Thực hiện Kế hoạch số 31, Sở báo cáo như sau.", "Kế hoạch số 31", None),  # another province
    ("Thực hiện Kế hoạch số 32, Sở báo cáo như sau.", "Kế hoạch số 32", None),  # issued later
    ("Thực hiện Kế hoạch số 99, Sở báo cáo như sau.", "Kế hoạch số 99", None),
    ("Căn cứ Nghị định số 61/NĐ-CP của Chính phủ;", "Nghị định số 61/NĐ-CP của Chính phủ", "61/2018/NĐ-CP"),
]


@pytest.fixture(scope="module")
def across_archive(tmp_path_factory):
    """An archive of the targets, then one citing report per row (ingested after them)."""
    base = tmp_path_factory.mktemp("across")
    targets, citing = base / "targets", base / "citing"
    targets.mkdir()
    citing.mkdir()
    for name, text in TARGETS.items():
        (targets / name).write_text(text, encoding="utf-8")
    for i, (sentence, _, _) in enumerate(ACROSS_ROWS):
        (citing / f"bc_{i}.txt").write_text(_document("UBND TỈNH AN HÒA\nSỞ NỘI VỤ", f"{60 + i}/BC-SNV", "An Hòa",
                                                      "20 tháng 7 năm 2024", "BÁO CÁO", sentence), encoding="utf-8")
    url = f"sqlite:///{base / 'archive.sqlite'}"
    with Archive.open(url) as archive:
        archive.ingest([str(targets)])
        archive.ingest([str(citing)])
    return url


@pytest.mark.parametrize("row", range(len(ACROSS_ROWS)), ids=[r[1] for r in ACROSS_ROWS])
def test_a_short_reference_resolved_across_the_archive(across_archive, row):
    import sqlalchemy as sa
    from extractor.archive.models import TABLES

    _, text, expected = ACROSS_ROWS[row]
    facts, docs = TABLES["facts"], TABLES["documents"]
    with Archive.open(across_archive) as archive:
        with archive.engine.connect() as conn:
            value = conn.execute(sa.select(facts.c.value).join(docs, docs.c.id == facts.c.document_id)
                                 .where(docs.c.path.like(f"%/bc_{row}.txt"), facts.c.kind == "doc_ref",
                                        facts.c.text == text)).scalar_one()
        cites = {canonical: names(archive.search(None, Filters(cites=canonical)).documents)
                 for canonical in ("25/KH-UBND", "25/KH-SNV", "31/KH-UBND", "32/KH-UBND", "61/2018/NĐ-CP")}
    archived = value.get("archived")
    citing = [name for name, found in cites.items() if f"bc_{row}.txt" in found]
    if expected is None:
        assert archived is None and citing == []
    elif isinstance(expected, list):
        # Ambiguous: the candidates, and no citation of any of them.
        assert archived == {"resolves_to": None, "candidates": expected} and citing == []
    else:
        assert archived == {"resolves_to": expected} and citing == [expected]
