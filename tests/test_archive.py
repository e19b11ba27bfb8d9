"""The archive on SQLite and PostgreSQL: ingest, nothing lost, search, export, schema, CLI."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from archive_fixtures import (  # noqa: F401 - fixtures
    archive_url, check_consistent, check_finding_summaries, copy_sample, pg_server, snapshot)
from extractor import extract_document, read_document
from extractor.archive import Archive, ArchiveError, Filters
from extractor.archive import db as archive_db
from extractor.archive.audit import stream_audit
from extractor.archive.commands import export as export_command
from extractor.archive.commands import ingest as ingest_command
from extractor.archive.commands import search as search_command
from extractor.archive.fold import find_hits, fold, index_text, make_snippet, parse_query
from extractor.archive.models import TABLES, Base
from extractor.archive.store import Payload, write_document
from extractor.archive.worker import extractor_version

DOCS = {
    "kh_giao_thong.txt": """ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI
SỞ GIAO THÔNG VẬN TẢI
Số: 862/KH-SGTVT
Đồng Nai, ngày 29 tháng 3 năm 2023

KẾ HOẠCH
Cải cách hành chính năm 2023 của Sở Giao thông vận tải

Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;
Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ về thực hiện cơ chế một cửa;
Sở Giao thông vận tải ban hành Kế hoạch cải cách hành chính năm 2023 như sau:
1. Phấn đấu tỷ lệ hồ sơ trực tuyến đạt 85,5% trên tổng số hồ sơ tiếp nhận.
2. Số hóa 100% kết quả giải quyết thủ tục hành chính.
""",
    "bc_tai_chinh.txt": """UBND TỈNH AN HÒA
SỞ TÀI CHÍNH
Số: 120/BC-STC
An Hòa, ngày 18 tháng 6 năm 2024

BÁO CÁO
Kết quả công tác 6 tháng đầu năm 2024

Thực hiện Kế hoạch số 862/KH-SGTVT ngày 29/3/2023 của Sở Giao thông vận tải, Sở Tài chính báo cáo:
Trong kỳ, Sở tiếp nhận 1.250 hồ sơ, trong đó 860 hồ sơ qua mạng, đạt 68,8%.
Việc cải cách thủ tục được chú trọng; công tác hành chính văn phòng ổn định.
""",
    "cv_dich_vu_cong.txt": """SỞ NỘI VỤ
Số: 45/SNV-VP
An Hòa, ngày 10 tháng 01 năm 2025
V/v triển khai dịch vụ công trực tuyến

Kính gửi: Các phòng, đơn vị thuộc Sở.

Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ, Sở Nội vụ đề nghị các đơn vị đẩy \
mạnh dịch vụ công trực tuyến toàn trình, bảo đảm 95% hồ sơ được giải quyết đúng hạn.
""",
    "tin_chuyen_doi_so.md": """# Hội nghị chuyển đổi số năm 2024

Ngày 15/01/2024, Sở Thông tin và Truyền thông tổ chức hội nghị về chuyển đổi số với 862 đại biểu. \
Đại biểu KH của SGTVT thảo luận về dịch vụ một cửa.
""",
}


@pytest.fixture
def docs_dir(tmp_path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def names(hits) -> list[str]:
    return [Path(h.path).name for h in hits]


# ---------------------------------------------------------------------------------------------
# Folding, queries, hits (no database)


def test_fold_removes_tones_and_d_keeping_length():
    text = "Kế hoạch số 862/KH-SGTVT của Sở Giao thông ĐỒNG NAI, Nghị định"
    folded = fold(text)
    assert folded == "ke hoach so 862/kh-sgtvt cua so giao thong dong nai, nghi dinh"
    assert len(folded) == len(text)
    assert index_text(text) == "ke hoach so 862 kh sgtvt cua so giao thong dong nai nghi dinh"
    # Decomposed text, zero-width characters and the look-alike Ð fold the same way.
    assert index_text("Nghi\u0323 \u0110i\u0323nh Ð\u200bồng") == index_text("Nghị Định Đồng") == "nghi dinh dong"


def test_query_language():
    q = parse_query('kế hoạch "cải cách hành chính" 862/KH-SGTVT OR nghi dinh chuyen*')
    assert [[(t.words, t.prefix) for t in g] for g in q.groups] == [
        [(("ke",), False), (("hoach",), False), (("cai", "cach", "hanh", "chinh"), False),
         (("862", "kh", "sgtvt"), False)],
        [(("nghi",), False), (("dinh",), False), (("chuyen",), True)]]
    assert q.fts5() == ('("ke" AND "hoach" AND "cai cach hanh chinh" AND "862 kh sgtvt") OR '
                        '("nghi" AND "dinh" AND "chuyen"*)')
    assert q.tsquery() == ("(ke & hoach & (cai <-> cach <-> hanh <-> chinh) & (862 <-> kh <-> sgtvt)) | "
                           "(nghi & dinh & chuyen:*)")
    assert parse_query("  ... ;; ") is None
    assert parse_query('"đ"').fts5() == '"d"'


def test_hits_index_the_original_text_and_snippets_mark_them():
    text = "Thực hiện Kế hoa\u0323ch số 862/KH- SGTVT của Sở Giao\u200b thông vận tải; giáo dục."
    q = parse_query("ke hoach 862/KH-SGTVT giao thong")
    hits = find_hits(text, q)
    assert [text[h.start:h.end] for h in hits] == ["Kế", "hoa\u0323ch", "862/KH- SGTVT", "Giao",
                                                   "thông", "giáo"]
    snippet = make_snippet(text, hits)
    assert snippet.text == text[snippet.start:snippet.end]
    assert snippet.marked() == ("Thực hiện «Kế hoa\u0323ch» số «862/KH- SGTVT» của Sở «Giao»\u200b "
                                "«thông» vận tải; «giáo» dục.")


# ---------------------------------------------------------------------------------------------
# Ingest


def test_ingest_keeps_documents_and_facts_with_provenance(archive_url, tmp_path):
    folder = copy_sample(tmp_path / "corpus", ["bc_quy1_so_tai_chinh.txt", "cv_so_xay_dung.txt"])
    with Archive.open(archive_url) as archive:
        report = archive.ingest([str(folder)])
        assert report.documents == {"new": 2} and not report.errors
        with archive.engine.connect() as conn:
            doc = conn.execute(sa.text(
                "SELECT * FROM documents WHERE path LIKE '%cv_so_xay_dung.txt'")).mappings().one()
            facts = conn.execute(sa.text(
                "SELECT * FROM facts WHERE document_id = :d ORDER BY seq"), {"d": doc["id"]}).mappings().all()
            cited = conn.execute(sa.text(
                "SELECT r.canonical, r.family FROM citations c JOIN refs r ON r.id = c.ref_id "
                "WHERE c.document_id = :d AND NOT c.own"), {"d": doc["id"]}).all()
        source = folder / "cv_so_xay_dung.txt"
        document = read_document(source)
        assert doc["path"] == str(source.resolve())
        assert doc["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
        assert doc["format"] == "text" and doc["status"] == "ok" and doc["error"] is None
        with archive.engine.connect() as conn:
            texts = TABLES["document_texts"]
            stored = conn.execute(sa.select(texts.c.text).where(texts.c.document_id == doc["id"])).scalar_one()
        assert stored == document.text
        assert doc["extractor_version"] == extractor_version()
        assert doc["doc_type"] == "Công văn" and doc["number"] == "412/SXD-VP"
        assert doc["fact_count"] == len(facts) > 10
        for f in facts:
            assert document.text[f["start_offset"]:f["end_offset"]] == f["text"]
        by_kind = {}
        for f in facts:
            by_kind.setdefault(f["kind"], []).append(f)
        ref = next(f for f in by_kind["doc_ref"] if f["ref_canonical"] == "862/KH-SGTVT")
        value = ref["value"] if isinstance(ref["value"], dict) else json.loads(ref["value"])
        assert value["canonical"] == "862/KH-SGTVT" and str(ref["iso_date"]) == value["date"]
        date = by_kind["date"][0]
        assert str(date["iso_date"]) == (date["value"] if isinstance(date["value"], dict)
                                         else json.loads(date["value"]))["iso"]
        assert ("862/KH-SGTVT", "administrative") in cited
        assert ("66.7/2025/NQ-CP", "normative") in cited
        # What each counted figure measures is stored as cchc extract gives it.
        extracted = {(r["start"], r["kind"]): r.get("meaning") for r in extract_document(str(source))["facts"]}
        stored_meanings = {(f["start_offset"], f["kind"]): f["meaning"] if not isinstance(f["meaning"], str)
                           else json.loads(f["meaning"]) for f in facts}
        assert stored_meanings == extracted
        assert any(m for m in stored_meanings.values())
        assert all(f["ocr"] is None for f in facts)  # a text file: nothing was OCR'd
    check_consistent(archive_url)


def test_reingest_skips_unchanged_replaces_changed_and_marks_missing(archive_url, tmp_path):
    folder = copy_sample(tmp_path / "corpus", ["bc_quy1_so_tai_chinh.txt", "cv_so_xay_dung.txt",
                                               "kh_so_noi_vu_cchc.txt"])
    with Archive.open(archive_url) as archive:
        first = archive.ingest([str(folder)])
        assert first.documents == {"new": 3}
        before = snapshot(archive_url)
        again = archive.ingest([str(folder)])
        assert again.documents == {"unchanged": 3}
        assert snapshot(archive_url) == before

        letter = folder / "cv_so_xay_dung.txt"
        with archive.engine.connect() as conn:
            old_id = conn.execute(sa.text("SELECT id FROM documents WHERE path = :p"),
                                  {"p": str(letter)}).scalar_one()
        letter.write_text(letter.read_text(encoding="utf-8").replace("862/KH-SGTVT", "863/KH-SGTVT"),
                          encoding="utf-8")
        changed = archive.ingest([str(folder)])
        assert changed.documents == {"changed": 1, "unchanged": 2}
        with archive.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT id, sha256 FROM documents WHERE path = :p"),
                                {"p": str(letter)}).all()
            refs = {r[0] for r in conn.execute(sa.text(
                "SELECT f.ref_canonical FROM facts f WHERE f.document_id = :d AND f.kind = 'doc_ref'"),
                {"d": old_id})}
        assert rows == [(old_id, hashlib.sha256(letter.read_bytes()).hexdigest())]
        assert "863/KH-SGTVT" in refs and "862/KH-SGTVT" not in refs
        assert names(archive.citing("863/KH-SGTVT")) == ["cv_so_xay_dung.txt"]
        assert archive.citing("862/KH-SGTVT") == []

        kept = letter.read_bytes()
        letter.unlink()
        gone = archive.ingest([str(folder)])
        assert gone.documents == {"missing": 1, "unchanged": 2}
        hits = archive.search("863/KH-SGTVT").documents
        assert [(Path(h.path).name, h.status) for h in hits] == [("cv_so_xay_dung.txt", "missing")]
        assert archive.totals()["missing"] == 1 and archive.totals()["documents"] == 3

        letter.write_bytes(kept)
        back = archive.ingest([str(folder)])
        assert back.documents == {"reextracted": 1, "unchanged": 2}
        assert archive.totals()["missing"] == 0

        # The whole folder gone: its documents are missing, the folder itself is an error.
        moved = tmp_path / "elsewhere"
        folder.rename(moved)
        gone = archive.ingest([str(folder)])
        assert gone.documents == {"missing": 3, "failed": 1}
        assert gone.errors[0][0] == str(folder) and "không tìm thấy" in gone.errors[0][1]
        assert archive.totals() | {"refs": 0} == {"documents": 3, "ok": 0, "failed": 0, "missing": 3,
                                                  "facts": len(before["facts"]), "refs": 0}
    check_consistent(archive_url)


def test_a_file_that_fails_is_recorded_and_the_batch_goes_on(archive_url, tmp_path):
    folder = copy_sample(tmp_path / "in", ["cv_so_xay_dung.txt"])
    bad = folder / "scan.txt"
    bad.write_bytes(b"\x00\x01\x02binary\x00" * 100)
    result = CliRunner().invoke(ingest_command, [str(folder), "--archive", archive_url, "--jobs", "1"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if str(bad) in line and "[" not in line]
    assert len(errors) == 1 and "nhị phân" in errors[0]
    with Archive.open(archive_url, create=False) as archive:
        with archive.engine.connect() as conn:
            rows = dict(conn.execute(sa.text("SELECT path, status FROM documents")).all())
            error = conn.execute(sa.text("SELECT error FROM documents WHERE status = 'failed'")).scalar_one()
        assert rows == {str(bad): "failed", str(folder / "cv_so_xay_dung.txt"): "ok"}
        assert str(bad) in error
        # Fixed, it is archived on the next run.
        bad.write_text("Kế hoạch số 12/KH-UBND ngày 01/02/2024.", encoding="utf-8")
        report = archive.ingest([str(folder)])
        assert report.documents == {"changed": 1, "unchanged": 1}
        assert archive.totals()["failed"] == 0
    check_consistent(archive_url)


@pytest.mark.slow
def test_a_crashing_worker_costs_only_its_file(tmp_path):
    from archive_fixtures import crashing_extract, make_documents

    folder = make_documents(tmp_path / "in", 6)
    (folder / "crash_me.txt").write_text("Kế hoạch số 1/KH-UBND.", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    with Archive.open(url) as archive:
        report = archive.ingest([str(folder)], jobs=2, extract=crashing_extract)
        assert report.documents == {"new": 6, "failed": 1}
        assert [Path(p).name for p, _ in report.errors] == ["crash_me.txt"]
        assert "dừng đột ngột" in report.errors[0][1]
    check_consistent(url)


def test_findings_and_entities_are_stored_and_judgements_kept(archive_url, tmp_path):
    folder = copy_sample(tmp_path / "in", ["tt_so_gddt_kinh_phi.txt"])
    path = str(folder / "tt_so_gddt_kinh_phi.txt")
    with Archive.open(archive_url) as archive:
        archive.ingest([str(folder)])
        with archive.engine.connect() as conn:
            findings = conn.execute(sa.text(
                "SELECT id, key, kind FROM findings ORDER BY id")).all()
            linked = conn.execute(sa.text(
                "SELECT count(*) FROM finding_facts ff JOIN facts f ON f.id = ff.fact_id")).scalar_one()
        assert findings, "the draft (blank header number) is a finding"
        assert linked >= len(findings)
        key = findings[0].key
        archive.judge(finding_key=key, decision="dismiss", note="bản dự thảo", who="chuyên viên A")
        archive.judge(decision="merge", entity_type="body", entity_key="so gd&dt",
                      target_key="so giao duc va dao tao", who="chuyên viên A")
        archive.ingest([str(folder)], force=True)
        with archive.engine.connect() as conn:
            keys = {r[0] for r in conn.execute(sa.text("SELECT key FROM findings"))}
            judged = conn.execute(sa.text(
                "SELECT finding_key, decision, note FROM judgements WHERE subject = 'finding'")).all()
            merges = conn.execute(sa.text(
                "SELECT count(*) FROM judgements WHERE subject = 'entity'")).scalar_one()
        assert key in keys, "a finding keeps its key across re-runs"
        assert judged == [(key, "dismiss", "bản dự thảo")] and merges == 1

        # Organisation and person facts and the metadata's issuer fill bodies, people, mentions.
        text = "Sở Tài chính báo cáo; ông Nguyễn Văn An ký."
        payload = Payload(
            path=path, ok=True, sha256="0" * 64, size=len(text), format="text", text=text,
            facts=[{"kind": "organization", "text": "Sở Tài chính", "start": 0, "end": 12,
                    "page": None, "pattern": "org", "value": {"name": "Sở Tài chính"}},
                   {"kind": "person", "text": "Nguyễn Văn An", "start": 26, "end": 39, "page": None,
                    "pattern": "person", "value": {"name": "Nguyễn Văn An", "role": "signer"}}],
            metadata={"doc_type": "Báo cáo", "number": "5/BC-STC", "issuer": "Sở Tài chính",
                      "province": "An Hòa", "date": "2024-02-01"})
        for _ in range(2):  # written twice: entities are not duplicated
            with archive_db.writer(archive.engine).begin() as conn:
                write_document(conn, payload, extractor_version(), dt.datetime.now(dt.timezone.utc))
        with archive.engine.connect() as conn:
            bodies = conn.execute(sa.text("SELECT key, name FROM bodies")).all()
            people = conn.execute(sa.text("SELECT key, name FROM people")).all()
            mentions = conn.execute(sa.text(
                "SELECT role, text, start_offset FROM mentions ORDER BY id")).all()
            doc = conn.execute(sa.text(
                "SELECT issuer, province_key, year, doc_type FROM documents WHERE path = :p"),
                {"p": path}).one()
        # The ingested corpus brings its own bodies and people (from the structure stage); the
        # payload's are there once each however often it is written.
        assert bodies.count(("so tai chinh", "Sở Tài chính")) == 1
        assert people.count(("nguyen van an", "Nguyễn Văn An")) == 1
        for mention in [(None, "Sở Tài chính", 0), ("signer", "Nguyễn Văn An", 26), ("issuer", "Sở Tài chính", None)]:
            assert mentions.count(mention) == 1, mention
        assert tuple(doc) == ("Sở Tài chính", "an hoa", 2024, "Báo cáo")
        assert names(archive.search(None, Filters(province="an hoa")).documents) == ["tt_so_gddt_kinh_phi.txt"]
        assert names(archive.search(None, Filters(issuer="tai chinh")).documents) == ["tt_so_gddt_kinh_phi.txt"]


# Two reports citing one plan with two dates (a cross-document finding about both) and a total
# that does not add up (each report's own finding).
CITING = {
    "bc_quy.txt": "ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN\nBÁO CÁO\nKết quả cải cách hành chính quý III năm 2023\n\n"
                  "Thực hiện Kế hoạch số 41/KH-UBND ngày 12/2/2023 của Ủy ban nhân dân tỉnh. "
                  "Tiếp nhận 120 hồ sơ, trong đó 70 hồ sơ trực tuyến và 40 hồ sơ trực tiếp.\n",
    "bc_nam.txt": "ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN\nBÁO CÁO\nKết quả cải cách hành chính năm 2023\n\n"
                  "Thực hiện Kế hoạch số 41/KH-UBND ngày 21/2/2023 của Ủy ban nhân dân tỉnh.\n",
}


def test_finding_summaries_follow_ingest_audit_reingest_and_deletion(archive_url, tmp_path):
    """The summaries the web pages read (finding_keys, finding_documents,
    document_finding_counts) are kept by the database through every write that touches findings."""
    for name, text in CITING.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with Archive.open(archive_url) as archive:

        def summaries_hold() -> dict:
            with archive.engine.connect() as conn:
                check_finding_summaries(conn)
                return dict(conn.execute(sa.text(
                    "SELECT d.path, sum(c.findings) FROM document_finding_counts c "
                    "JOIN documents d ON d.id = c.document_id GROUP BY d.path")).all())

        archive.ingest([str(tmp_path)])
        summaries_hold()
        for _ in range(2):  # the audit rewrites its cross-document findings each time
            with stream_audit(archive):
                pass
            counted = summaries_hold()
        with archive.engine.connect() as conn:
            cross = conn.execute(sa.text("SELECT count(*) FROM findings WHERE document_id IS NULL")).scalar_one()
        assert cross and set(counted) == {str(tmp_path / n) for n in CITING}

        yearly = tmp_path / "bc_nam.txt"
        yearly.write_text(CITING["bc_nam.txt"].replace("21/2/2023", "12/2/2023"), encoding="utf-8")
        archive.ingest([str(tmp_path)])
        assert str(yearly) not in summaries_hold(), "its old facts were the conflict's only evidence in it"
        with stream_audit(archive):
            pass
        summaries_hold()

        with archive_db.writer(archive.engine).begin() as conn:
            conn.execute(sa.text("DELETE FROM documents WHERE path = :p"), {"p": str(tmp_path / "bc_quy.txt")})
        assert summaries_hold() == {}


# ---------------------------------------------------------------------------------------------
# Search


@pytest.fixture
def search_archive(archive_url, docs_dir):
    with Archive.open(archive_url) as archive:
        archive.ingest([str(docs_dir)])
        yield archive


QUERIES = [
    # (with diacritics, without, expected documents in any order)
    ("kế hoạch giao thông", "ke hoach giao thong", {"kh_giao_thong.txt", "bc_tai_chinh.txt"}),
    ("Nghị định", "nghi dinh", {"kh_giao_thong.txt", "cv_dich_vu_cong.txt"}),
    ("ĐỒNG NAI", "dong nai", {"kh_giao_thong.txt"}),
    ("dịch vụ công trực tuyến", "dich vu cong truc tuyen", {"cv_dich_vu_cong.txt"}),
    ("chuyển đổi số", "chuyen doi so", {"tin_chuyen_doi_so.md"}),
]


@pytest.mark.parametrize("with_marks, without, expected", QUERIES)
def test_search_ignores_tone_marks_and_d(search_archive, with_marks, without, expected):
    found = names(search_archive.search(with_marks).documents)
    assert set(found) == expected
    assert names(search_archive.search(without).documents) == found
    assert names(search_archive.search(without.upper()).documents) == found


def test_search_phrases_numbers_alternatives_and_snippets(search_archive):
    s = search_archive.search
    # A document number is one unit: 862, KH and SGTVT apart (the news item) do not match.
    hits = s("862/KH-SGTVT").documents
    assert set(names(hits)) == {"kh_giao_thong.txt", "bc_tai_chinh.txt"}
    assert names(hits)[0] == "kh_giao_thong.txt", "its own number (in the heading) ranks first"
    assert set(names(s("862 KH SGTVT").documents)) == set(DOCS)  - {"cv_dich_vu_cong.txt"}
    # An exact phrase, against the same words apart.
    assert names(s('"cai cach hanh chinh"').documents) == ["kh_giao_thong.txt"]
    assert set(names(s("cai cach hanh chinh").documents)) == {"kh_giao_thong.txt", "bc_tai_chinh.txt"}
    assert set(names(s('"dong nai" OR "chuyen doi"').documents)) == {"kh_giao_thong.txt",
                                                                      "tin_chuyen_doi_so.md"}
    assert names(s("chuyen do*").documents) == ["tin_chuyen_doi_so.md"]
    assert s("khong co tu nay").documents == []
    result = s("truc tuyen")
    assert result.total == 2
    for hit in result.documents:
        assert "«trực tuyến»" in hit.snippet.marked()
        text = Path(hit.path).read_text(encoding="utf-8")
        for start, end in hit.snippet.hits:
            assert fold(text[start:end]) == "truc tuyen"


def test_search_filters(search_archive):
    s = search_archive.search
    assert names(s(None, Filters(doc_type="KH")).documents) == ["kh_giao_thong.txt"]
    assert names(s(None, Filters(doc_type="bao cao")).documents) == ["bc_tai_chinh.txt"]
    assert names(s("ho so", Filters(year=2024)).documents) == ["bc_tai_chinh.txt"]
    assert names(s(None, Filters(date_from=dt.date(2024, 1, 1))).documents) == [
        "cv_dich_vu_cong.txt", "bc_tai_chinh.txt"]  # newest first
    assert names(s(None, Filters(date_to=dt.date(2023, 12, 31))).documents) == ["kh_giao_thong.txt"]
    assert names(s(None, Filters(issuer="stc")).documents) == ["bc_tai_chinh.txt"]
    assert set(names(s(None, Filters(cites="30/2020/ND-CP")).documents)) == {"kh_giao_thong.txt",
                                                                            "cv_dich_vu_cong.txt"}
    citing = search_archive.citing("862/KH-SGTVT")
    assert names(citing) == ["bc_tai_chinh.txt"], "a document's own number is not a citation"
    assert "«Kế hoạch số 862/KH-SGTVT" in citing[0].snippet.marked()
    assert names(s("nghi dinh", Filters(cites="61/2018/NĐ-CP")).documents) == ["kh_giao_thong.txt"]
    # Filters with a query are checked by the index first (the heading), then exactly.
    assert names(s("ho so", Filters(issuer="STC")).documents) == ["bc_tai_chinh.txt"]
    assert names(s("so", Filters(issuer="snv", doc_type="Công văn")).documents) == ["cv_dich_vu_cong.txt"]
    assert s("so", Filters(issuer="SN")).documents == [], "whole words or codes, not parts"
    assert names(s("ho so", Filters(doc_type="KH", year=2023)).documents) == ["kh_giao_thong.txt"]
    assert s("ho so", Filters(doc_type="KH", year=2024)).documents == []


def test_fact_queries(search_archive):
    s = search_archive.search
    near = s('"ho so truc tuyen"', Filters(kinds=("percent",))).facts
    assert [(f.text, Path(f.path).name) for f in near] == [("85,5%", "kh_giao_thong.txt")]
    assert float(near[0].numeric_value) == 85.5 and near[0].unit == "%"
    assert near[0].context.marked().count("«85,5%»") == 1
    # The figures of a body for a period.
    figures = search_archive.facts(Filters(issuer="STC", date_from=dt.date(2024, 1, 1),
                                           date_to=dt.date(2024, 6, 30)))
    assert [(f.kind, f.text) for f in figures] == [("quantity", "1.250 hồ sơ"), ("quantity", "860 hồ sơ"),
                                                  ("percent", "68,8%")]
    text = (Path(figures[0].path)).read_text(encoding="utf-8")
    assert all(text[f.start:f.end] == f.text for f in figures)


def test_ranking_window_ranks_the_newest_matches(search_archive):
    # All four documents say "số" or "sở"; with a window of 2, the two newest are ranked (the
    # news item has no date: it counts as the oldest).
    result = search_archive.search("so", window=2)
    assert result.more_than == 2 and result.total is None
    assert set(names(result.documents)) == {"cv_dich_vu_cong.txt", "bc_tai_chinh.txt"}
    everything = search_archive.search("so", window=2, rank_all=True)
    assert everything.more_than is None and everything.total == 4
    assert len(everything.documents) == 4
    by_date = search_archive.search("so", sort="date")
    assert names(by_date.documents) == ["cv_dich_vu_cong.txt", "bc_tai_chinh.txt", "kh_giao_thong.txt",
                                        "tin_chuyen_doi_so.md"]


def test_search_command_formats(search_archive):
    url = search_archive.url.render_as_string(hide_password=False)
    runner = CliRunner()
    table = runner.invoke(search_command, ["ke", "hoach", "giao", "thong", "--archive", url])
    assert table.exit_code == 0, table.output
    assert "kh_giao_thong.txt" in table.output and "«Kế hoạch»" in table.output
    assert "2 trên 2 văn bản khớp" in table.output
    data = json.loads(runner.invoke(search_command, ["862/KH-SGTVT", "--archive", url,
                                                     "--format", "json"]).output)
    assert data["total"] == 2 and data["documents"][0]["number"] == "862/KH-SGTVT"
    assert data["documents"][0]["hits"]
    rows = list(csv.DictReader(io.StringIO(runner.invoke(
        search_command, ["--archive", url, "--cites", "30/2020/NĐ-CP", "--format", "csv"]).output)))
    assert {Path(r["path"]).name for r in rows} == {"kh_giao_thong.txt", "cv_dich_vu_cong.txt"}
    facts = json.loads(runner.invoke(search_command, ["--archive", url, "--issuer", "SNV", "--kind",
                                                      "percent", "--format", "json"]).output)
    assert [f["text"] for f in facts["facts"]] == ["95%"]
    english = runner.invoke(search_command, ["xyz", "--archive", url, "--lang", "en"])
    assert "No documents found." in english.output
    bad = runner.invoke(search_command, ["--archive", url, "--from", "2024-13"])
    assert bad.exit_code == 1 and "--from" in bad.output and "Traceback" not in bad.output
    empty = runner.invoke(search_command, ["--archive", url, "..."])
    assert empty.exit_code == 1 and "không có từ nào" in empty.output


# ---------------------------------------------------------------------------------------------
# Export


def test_export_jsonl_csv_and_sql(search_archive, tmp_path):
    archive = search_archive
    url = archive.url.render_as_string(hide_password=False)
    runner = CliRunner()
    out = tmp_path / "jsonl"
    result = runner.invoke(export_command, ["--archive", url, "--output", str(out)])
    assert result.exit_code == 0, result.output
    with archive.engine.connect() as conn:
        counts = {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
                  for t in ("documents", "facts", "refs", "citations")}
    facts = [json.loads(line) for line in (out / "facts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(facts) == counts["facts"]
    texts = {d["document_id"]: d["text"] for d in map(
        json.loads, (out / "document_texts.jsonl").read_text(encoding="utf-8").splitlines())}
    for f in facts:
        assert texts[f["document_id"]][f["start_offset"]:f["end_offset"]] == f["text"]
        assert isinstance(f["value"], dict)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{t}.jsonl" for t in ("documents", "document_texts", "facts", "refs", "citations", "bodies",
                               "people", "mentions", "findings", "finding_facts", "judgements",
                               "ingest_runs"))
    no_text = tmp_path / "no_text"
    assert runner.invoke(export_command, ["documents", "--archive", url, "--no-text", "--output",
                                          str(no_text)]).exit_code == 0
    assert sorted(p.name for p in no_text.iterdir()) == ["documents.jsonl"]

    csv_out = tmp_path / "csv"
    assert runner.invoke(export_command, ["facts", "references", "--archive", url, "--format", "csv",
                                          "--output", str(csv_out)]).exit_code == 0
    rows = list(csv.DictReader((csv_out / "facts.csv").open(encoding="utf-8")))
    assert len(rows) == counts["facts"] and json.loads(rows[0]["value"])
    assert sorted(p.name for p in csv_out.iterdir()) == ["citations.csv", "facts.csv", "refs.csv"]

    one = runner.invoke(export_command, ["refs", "--archive", url, "--format", "csv", "--output", "-"])
    assert one.exit_code == 0 and len(one.output.splitlines()) == counts["refs"] + 1
    many = runner.invoke(export_command, ["--archive", url, "--format", "csv", "--output", "-"])
    assert many.exit_code == 1 and "một bảng" in many.output

    # The SQL script loads into a new database with the same rows.
    sql_out = tmp_path / "sql"
    assert runner.invoke(export_command, ["--archive", url, "--format", "sql", "--dialect", "sqlite",
                                          "--output", str(sql_out)]).exit_code == 0
    loaded = sqlite3.connect(tmp_path / "loaded.sqlite")
    loaded.executescript((sql_out / "cchc-archive.sql").read_text(encoding="utf-8"))
    for table, count in counts.items():
        assert loaded.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == count
    text = loaded.execute("SELECT t.text FROM documents d JOIN document_texts t ON t.document_id = d.id "
                          "WHERE d.path LIKE '%kh_giao_thong.txt'").fetchone()[0]
    assert text == DOCS["kh_giao_thong.txt"]
    loaded.close()


@pytest.mark.slow
def test_sql_export_loads_into_postgresql(search_archive, pg_server, tmp_path):
    from extractor.archive.export import export, resolve_tables

    out = tmp_path / "sql"
    export(search_archive.engine, str(out), resolve_tables([]), "sql", dialect="postgresql")
    target = sa.create_engine(pg_server.new_database().replace("postgresql://", "postgresql+psycopg://"))
    with target.connect() as conn:
        conn.connection.driver_connection.execute((out / "cchc-archive.sql").read_text(encoding="utf-8"))
        conn.commit()
        loaded = conn.execute(sa.text("SELECT count(*) FROM facts")).scalar_one()
        own = set(conn.execute(sa.text("SELECT value->>'canonical' FROM facts WHERE kind = 'doc_ref' "
                                       "AND value->>'own' = 'true'")).scalars())
    target.dispose()
    assert loaded == search_archive.totals()["facts"]
    assert own == {"862/KH-SGTVT", "120/BC-STC", "45/SNV-VP"}


# ---------------------------------------------------------------------------------------------
# Schema and migrations


def test_migrations_build_exactly_the_models(archive_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with Archive.open(archive_url) as archive:
        with archive.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={
                "compare_type": True,
                "include_object": lambda obj, name, type_, reflected, compare_to:
                    not (type_ == "table" and (name.startswith("document_fts") or name in
                                               ("document_search", "alembic_version")))})
            diffs = compare_metadata(context, Base.metadata)
    assert diffs == []


def test_upgrade_from_the_first_schema_version(archive_url, tmp_path):
    """An archive written by schema 0001 upgrades in place: nothing lost, new columns filled."""
    folder = copy_sample(tmp_path / "in", ["bc_quy1_so_tai_chinh.txt"])
    source = folder / "bc_quy1_so_tai_chinh.txt"
    parsed = archive_db.resolve_url(archive_url)
    engine = archive_db.create_engine(parsed)
    archive_db.upgrade(engine, "0001")
    from extractor import extract_document
    from extractor.archive import fold as folding

    record = extract_document(str(source))
    text = read_document(source).text
    now = dt.datetime.now(dt.timezone.utc)
    meta = {"doc_type": "Báo cáo", "number": "586/BC-STC", "code": "BC-STC", "date": "2024-03-19",
            "issuer": None, "source": "own_reference"}
    with archive_db.writer(engine).begin() as conn:
        assert "doc_type" not in {c["name"] for c in sa.inspect(conn).get_columns("documents")}
        key = dt.date(2024, 3, 19).toordinal() * (1 << 32) + 1
        conn.execute(sa.text(
            "INSERT INTO documents (id, path, sha256, size, format, status, extractor_version, "
            "metadata, fact_count, search_key, first_seen_at, ingested_at, status_at) VALUES (1, :p, "
            ":sha, :size, 'text', 'ok', :v, :m, :n, :k, :now, :now, :now)"),
            {"p": str(source.resolve()), "sha": record["source"]["sha256"], "size": source.stat().st_size,
             "v": extractor_version(), "m": json.dumps(meta, ensure_ascii=False),
             "n": len(record["facts"]), "k": key, "now": now})
        conn.execute(sa.text("INSERT INTO document_texts (document_id, text) VALUES (1, :t)"), {"t": text})
        for seq, f in enumerate(record["facts"]):
            conn.execute(sa.text(
                "INSERT INTO facts (document_id, seq, kind, pattern, text, start_offset, end_offset, "
                "page, value) VALUES (1, :s, :k, :p, :t, :a, :b, NULL, :v)"),
                {"s": seq, "k": f["kind"], "p": f["pattern"], "t": f["text"], "a": f["start"],
                 "b": f["end"], "v": json.dumps(f["value"], ensure_ascii=False)})
        title, body = folding.index_text("Báo cáo 586/BC-STC"), folding.index_text(text)
        if conn.dialect.name == "sqlite":
            conn.execute(sa.text("INSERT INTO document_fts (rowid, title, body) VALUES (:k, :t, :b)"),
                         {"k": key, "t": title, "b": body})
        else:
            conn.execute(sa.text(
                "INSERT INTO document_search (search_key, document_id, tsv) VALUES (:k, 1, "
                "setweight(to_tsvector('cchc', :t), 'A') || setweight(to_tsvector('cchc', :b), 'D'))"),
                {"k": key, "t": title, "b": body})
    engine.dispose()

    with Archive.open(archive_url) as archive:  # upgrades to the newest schema
        with archive.engine.connect() as conn:
            assert archive_db.current_revision(conn) == archive_db.head_revision()
            doc = conn.execute(sa.text("SELECT doc_type, number, code, doc_date, year, code_key "
                                       "FROM documents")).one()
            typed = conn.execute(sa.text(
                "SELECT count(*) FROM facts WHERE (kind = 'date' AND iso_date IS NOT NULL) "
                "OR (kind = 'percent' AND numeric_value IS NOT NULL AND unit = '%')")).scalar_one()
            expected = sum(1 for f in record["facts"] if f["kind"] in ("date", "percent"))
        assert (doc.doc_type, doc.number, doc.code, str(doc.doc_date), doc.year, doc.code_key) == (
            "Báo cáo", "586/BC-STC", "BC-STC", "2024-03-19", 2024, "-bc-stc-")
        assert typed == expected > 0
        assert names(archive.search("bao cao quy I", Filters(year=2024, doc_type="BC")).documents) == [
            "bc_quy1_so_tai_chinh.txt"]
        assert archive.ingest([str(folder)]).documents == {"unchanged": 1}
        # And back down to the first version, and up again, keeping the documents.
        archive_db.downgrade(archive.engine, "0001")
        archive_db.upgrade(archive.engine)
        assert archive.totals()["facts"] == len(record["facts"])


# ---------------------------------------------------------------------------------------------
# Command line: progress, summary, errors


def test_ingest_command_plain_progress_summary_and_quiet(tmp_path):
    folder = copy_sample(tmp_path / "in", ["cv_so_xay_dung.txt", "kh_so_noi_vu_cchc.txt"])
    url = str(tmp_path / "archive.sqlite")
    runner = CliRunner()
    result = runner.invoke(ingest_command, [str(folder), "--archive", url, "--jobs", "1"])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines == [f"[1/2] mới: {folder / 'cv_so_xay_dung.txt'}",
                     f"[2/2] mới: {folder / 'kh_so_noi_vu_cchc.txt'}"]
    assert "Kết quả đưa vào kho" in result.stdout and "Kho hiện có 2 văn bản" in result.stdout
    quiet = runner.invoke(ingest_command, [str(folder), "--archive", url, "--quiet"])
    assert quiet.exit_code == 0 and quiet.output == ""
    english = runner.invoke(ingest_command, [str(folder), "--archive", url, "--lang", "en"])
    assert "[1/2] unchanged" in english.stderr and "Ingest into" in english.stdout


def test_bad_archives_give_one_line_errors(tmp_path):
    runner = CliRunner()
    cases = [
        ([ "x", "--archive", str(tmp_path / "none.sqlite")], search_command, "không có kho lưu trữ"),
        (["x", "--archive", "mysql://u@h/db"], search_command, "chỉ hỗ trợ kho SQLite và PostgreSQL"),
        (["--archive", str(tmp_path / "none.sqlite")], export_command, "không có kho lưu trữ"),
        ([str(tmp_path), "--archive", str(tmp_path / "no" / "dir.sqlite")], ingest_command, "không tồn tại"),
        (["x", "--archive", "postgresql://nobody@127.0.0.1:1/db"], search_command, "không kết nối được"),
    ]
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a database " * 100, encoding="utf-8")
    cases.append((["x", "--archive", str(text_file)], search_command, "không phải kho lưu trữ cchc"))
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    cases.append(([str(tmp_path), "--archive", str(other)], ingest_command, "không phải kho lưu trữ cchc"))
    for args, command, expected in cases:
        result = runner.invoke(command, args)
        assert result.exit_code == 1, (args, result.output)
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and expected in lines[0], (args, result.output)
        assert "Traceback" not in result.output
    assert not (tmp_path / "none.sqlite").exists(), "searching never creates an archive"
    with pytest.raises(ArchiveError):
        Archive.open(str(text_file))


def test_default_archive_is_a_sqlite_file_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CCHC_ARCHIVE", raising=False)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Kế hoạch số 3/KH-UBND ngày 02/01/2024.", encoding="utf-8")
    assert CliRunner().invoke(ingest_command, ["in", "-q"]).exit_code == 0
    assert (tmp_path / "cchc-archive.sqlite").is_file()
    result = CliRunner().invoke(search_command, ["3/KH-UBND", "--format", "json"])
    assert json.loads(result.output)["total"] == 1


def test_ingest_of_nothing_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(ingest_command, [str(tmp_path / "empty"), "--archive",
                                                 str(tmp_path / "a.sqlite")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: Không có tệp nào để đưa vào kho trong {tmp_path / 'empty'}"]


def test_texts_are_stored_compressed_on_sqlite_and_plain_ones_still_read(tmp_path):
    folder = copy_sample(tmp_path / "in", ["kh_so_noi_vu_cchc.txt"])
    text = (folder / "kh_so_noi_vu_cchc.txt").read_text(encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    texts = TABLES["document_texts"]
    with Archive.open(url) as archive:
        archive.ingest([str(folder)])
        with archive.engine.connect() as conn:
            raw = conn.execute(sa.text("SELECT text FROM document_texts")).scalar_one()
            assert isinstance(raw, bytes) and len(raw) < len(text.encode("utf-8")) / 2
            assert conn.execute(sa.select(texts.c.text)).scalar_one() == text
        with archive_db.writer(archive.engine).begin() as conn:  # as an earlier version wrote it
            conn.execute(sa.text("UPDATE document_texts SET text = :t"), {"t": text})
        with archive.engine.connect() as conn:
            assert conn.execute(sa.select(texts.c.text)).scalar_one() == text
