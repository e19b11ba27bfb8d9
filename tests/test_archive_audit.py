"""The streaming archive audit (extractor.archive.audit) against the whole-archive one
(extractor.audit.audit_archive): the same JSON and HTML report, byte for byte, and the same
cross-document findings and evidence links stored, on corpus/ (both backends) and on an
archive of the public corpus with a few hundred varied copies of it (slow; skipped without
../shared)."""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from extractor.archive import Archive
from extractor.archive.audit import CHUNK, stream_audit
from extractor.archive.models import TABLES
from extractor.audit import audit_archive
from extractor.web.report import render_html

from archive_fixtures import CORPUS, archive_url, pg_server  # noqa: F401 - fixtures

ROOT = Path(__file__).resolve().parent.parent
PUBLIC = ROOT.parent / "shared" / "corpus" / "public"
# Varied copies of the public corpus in the slow comparison: enough for every body of the
# skewed population to have several reports, and for copies to cite each other.
COPIES = 300


def _stored(archive) -> tuple[list, list]:
    """The cross-document findings stored, and their evidence links (by finding key)."""
    findings, links = TABLES["findings"], TABLES["finding_facts"]
    with archive.engine.connect() as conn:
        rows = conn.execute(sa.select(findings.c.key, findings.c.kind, findings.c.severity, findings.c.rule,
                                      findings.c.message, findings.c.stated, findings.c.expected,
                                      findings.c.tolerance, findings.c.detail)
                            .where(findings.c.document_id.is_(None)).order_by(findings.c.id)).all()
        linked = conn.execute(sa.select(findings.c.key, links.c.fact_id, links.c.seq)
                              .join(links, links.c.finding_id == findings.c.id)
                              .where(findings.c.document_id.is_(None))
                              .order_by(findings.c.id, links.c.seq)).all()
    return [tuple(r) for r in rows], [tuple(r) for r in linked]


def _compare(archive, lang: str, jobs: int, chunk: int = CHUNK) -> int:
    """Audit the archive both ways and check they agree; the number of findings."""
    whole = audit_archive(archive).to_dict(lang)
    whole_stored = _stored(archive)
    with stream_audit(archive, lang, jobs=jobs, chunk=chunk) as streamed:
        written = io.StringIO()
        streamed.write_json(written.write)
        assert written.getvalue() == json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
        assert render_html(streamed.record(), lang) == render_html(whole, lang)
    assert _stored(archive) == whole_stored
    return len(whole["findings"])


# Chunks of a few documents, so that corpus/ is read in several and the workers get some.
@pytest.mark.parametrize("lang, jobs, chunk", [("vi", 1, CHUNK), ("vi", 1, 3), ("en", 2, 4)])
def test_the_streaming_audit_of_corpus_is_the_whole_archive_audit(archive_url, lang, jobs, chunk):  # noqa: F811
    with Archive.open(archive_url) as archive:
        archive.ingest([str(CORPUS)], jobs=1)
        assert _compare(archive, lang, jobs, chunk) > 0


def test_the_streaming_audit_of_an_empty_archive_is_an_empty_report(tmp_path):
    with Archive.open(str(tmp_path / "empty.sqlite")) as archive:
        with stream_audit(archive) as streamed:
            written = io.StringIO()
            streamed.write_json(written.write)
    assert written.getvalue() == json.dumps({"documents": [], "findings": []}, indent=2) + "\n"



# A plan cited with two dates, once in a sentence longer than a quote: the report quotes the
# figure with bounded context (reconcile.checks.QUOTE_CONTEXT_CHARS), and so must the streaming
# audit, which quotes from sentences it kept while checking each document.
FILLER = " ".join(["các cơ quan, đơn vị tiếp tục rà soát, cập nhật và công khai thủ tục hành chính"] * 12)
LONG_SENTENCE_REPORTS = {
    "a.txt": "ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN\nBÁO CÁO\nKết quả cải cách hành chính năm 2023\n\n"
             "Thực hiện Kế hoạch số 862/KH-UBND ngày 29/3/2023 của Ủy ban nhân dân tỉnh.\n",
    "b.txt": "ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN\nBÁO CÁO\nKết quả cải cách hành chính quý III năm 2023\n\n"
             f"{FILLER}, theo Kế hoạch số 862/KH-UBND ngày 30/3/2023 của Ủy ban nhân dân tỉnh, {FILLER}.\n",
}


def test_the_streaming_audit_quotes_a_long_sentence_as_the_whole_archive_audit(tmp_path):
    for name, text in LONG_SENTENCE_REPORTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with Archive.open(str(tmp_path / "a.sqlite")) as archive:
        archive.ingest([str(tmp_path)], jobs=1)
        whole = audit_archive(archive).to_dict("vi")
        [conflict] = [f for f in whole["findings"] if f["kind"] == "ref_date_conflict"]
        assert max(len(e["sentence"]) for e in conflict["evidence"]) < len(FILLER)
        assert _compare(archive, "vi", 1) == len(whole["findings"])

@pytest.mark.slow
@pytest.mark.skipif(not PUBLIC.is_dir(), reason="needs ../shared/corpus/public")
@pytest.mark.parametrize("jobs", [2])
def test_the_streaming_audit_of_real_documents_is_the_whole_archive_audit(tmp_path, jobs):
    """The public corpus as extracted, then varied copies of it (bench/real_archive.py)."""
    import datetime as dt

    sys.path.insert(0, str(ROOT / "bench"))
    from real_archive import base_payloads, build_real

    from extractor.archive import db
    from extractor.archive.store import write_document
    from extractor.archive.worker import extractor_version

    url = f"sqlite:///{tmp_path / 'real.sqlite'}"
    bases = base_payloads()
    with Archive.open(url) as archive, db.writer(archive.engine).begin() as conn:
        for base in bases:
            write_document(conn, base, extractor_version(), dt.datetime.now(dt.timezone.utc))
    # The copies follow the documents present, as a build continued.
    archive, _ = build_real(url, len(bases) + COPIES, quiet=True)
    with archive:
        assert _compare(archive, "vi", jobs) > COPIES


# Keys that sort differently joined than as tuples if the separator sorted after a character
# of a name ("a b" against "a", the space; "Đ" against "D", past ASCII).
KEY_ORDERS = [
    [("hung yen", "SNV", "2023"), ("hung yen 2", "SNV", "2023"), ("hung", "SNV", "2024")],
    [("a", "b"), ("a b", ""), ("a", "")],
    [("30/2020/NĐ-CP", "x"), ("30/2020/ND-CP", "x"), ("30/2020/NĐ", "y")],
]


@pytest.mark.parametrize("keys", KEY_ORDERS)
def test_joined_keys_sort_as_the_tuples_they_stand_for(keys):
    from extractor.reconcile.blocks import SEP

    assert sorted(keys, key=SEP.join) == sorted(keys)
    # and SQLite's binary collation sorts them as Python does
    import sqlite3

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE k (key TEXT)")
    conn.executemany("INSERT INTO k VALUES (?)", [(SEP.join(k),) for k in keys])
    assert [r[0] for r in conn.execute("SELECT key FROM k ORDER BY key")] == sorted(SEP.join(k) for k in keys)
