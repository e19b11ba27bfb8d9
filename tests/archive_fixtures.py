"""Fixtures for the archive tests: a throw-away PostgreSQL cluster, archives on both backends,
sample documents, and a snapshot of an archive's content for comparisons.

The PostgreSQL cluster is started from Debian's binaries (``/usr/lib/postgresql/<ver>/bin``,
or ``$PG_BIN``) in a temporary folder, listening on 127.0.0.1 only, as an unprivileged user
(``postgres`` when the tests run as root, since root may not run a server), and stopped and
removed at the end of the session. When the binaries are absent the PostgreSQL tests skip
locally, and fail under CI (``CI=true``), where ``bash scripts/install-postgres.sh`` must have
installed them.
"""
from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
# Corpus documents the tests use (copied to temporary folders, so later corpus additions do not
# change what the tests see).
SAMPLE = ["bc_quy1_so_tai_chinh.txt", "cv_so_xay_dung.txt", "kh_so_noi_vu_cchc.txt",
          "qd_ubnd_cong_bo_tthc.txt", "tt_so_gddt_kinh_phi.txt", "tin_hoi_nghi_so_ytt.md"]


def find_pg_bin() -> Path | None:
    """The folder of initdb/pg_ctl: $PG_BIN, Debian's newest version, or the PATH."""
    candidates = []
    if os.environ.get("PG_BIN"):
        candidates.append(Path(os.environ["PG_BIN"]))
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                      key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0)
    candidates += [Path(p) for p in reversed(versions)]
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgServer:
    host: str
    port: int
    user: str

    def url(self, database: str) -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database; its URL."""
        name = "t_" + uuid.uuid4().hex[:12]
        engine = sa.create_engine(self.url("postgres").replace("postgresql://", "postgresql+psycopg://"),
                                  isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        engine.dispose()
        return self.url(name)


@pytest.fixture(scope="session")
def pg_server():
    bindir = find_pg_bin()
    if bindir is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL binaries not found (initdb, pg_ctl): the test command must "
                        "run `bash scripts/install-postgres.sh` first")
        pytest.skip("PostgreSQL is not installed (bash scripts/install-postgres.sh installs it)")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.fail("running as root and no 'postgres' user to run the test cluster as")
    with temporary_server(bindir) as server:
        yield server


@contextlib.contextmanager
def temporary_server(bindir: Path):
    """A PostgreSQL cluster of its own on 127.0.0.1, removed when the block ends (the tests'
    and the benchmarks' server)."""
    base = Path(tempfile.mkdtemp(prefix="cchc-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(base, account.pw_uid, account.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data = base / "data"
    port = _free_port()
    user = "cchc_test"

    def run(*cmd: str) -> None:
        done = subprocess.run(prefix + list(cmd), capture_output=True, text=True, cwd=base)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")

    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync")
        options = (f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50")
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"), "-o", options,
            "-w", "-t", "60", "start")
    except Exception:
        shutil.rmtree(base, ignore_errors=True)
        raise
    try:
        yield PgServer("127.0.0.1", port, user)
    finally:
        subprocess.run(prefix + [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                                 "-w", "stop"], capture_output=True, cwd=base)
        shutil.rmtree(base, ignore_errors=True)


# A PostgreSQL database costs a cluster start and a CREATE DATABASE: out of the inner loop.
@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def archive_url(request, tmp_path) -> str:
    """A new, empty archive on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'archive.sqlite'}"
    return request.getfixturevalue("pg_server").new_database()


def copy_sample(folder: Path, names: list[str] = SAMPLE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(CORPUS / name, folder / name)
    return folder


def make_documents(folder: Path, count: int, repeat: int = 1) -> Path:
    """``count`` distinct documents made from the corpus ones (a numbered line makes each
    distinct; ``repeat`` makes them longer)."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [(CORPUS / name).read_text(encoding="utf-8") for name in SAMPLE]
    for i in range(count):
        body = texts[i % len(texts)]
        (folder / f"doc_{i:04d}.txt").write_text(
            f"Văn bản lưu trữ số {i}.\n" + "\n".join([body] * repeat), encoding="utf-8")
    return folder


def snapshot(url: str) -> dict:
    """An archive's content without ids or times: equal for archives built the same way."""
    from extractor.archive.db import create_engine, resolve_url
    from extractor.archive.models import TABLES

    DOCUMENTS, TEXTS = TABLES["documents"], TABLES["document_texts"]
    engine = create_engine(resolve_url(url))
    with engine.connect() as conn:
        def rows(sql: str) -> list:
            return sorted(tuple(json.dumps(v, sort_keys=True, default=str) if isinstance(v, (dict, list))
                                else (str(v) if v is not None else None) for v in row)
                          for row in conn.execute(sa.text(sql)))

        docs = rows("SELECT path, sha256, status, format, fact_count, doc_type, number, doc_date, "
                    "year, extractor_version, metadata FROM documents")
        texts = {r[0]: hashlib.sha256((r[1] or "").encode()).hexdigest() for r in conn.execute(
            sa.select(DOCUMENTS.c.path, TEXTS.c.text).join(TEXTS, TEXTS.c.document_id == DOCUMENTS.c.id))}
        facts = rows("SELECT d.path, f.seq, f.kind, f.text, f.start_offset, f.end_offset, f.page, "
                     "f.pattern, f.value, f.ref_canonical, f.iso_date, f.numeric_value, f.unit "
                     "FROM facts f JOIN documents d ON d.id = f.document_id")
        citations = rows("SELECT d.path, r.canonical, c.own, f.seq FROM citations c "
                         "JOIN documents d ON d.id = c.document_id JOIN refs r ON r.id = c.ref_id "
                         "JOIN facts f ON f.id = c.fact_id")
        refs = rows("SELECT canonical, key, doc_type, family FROM refs")
        findings = rows("SELECT d.path, g.key, g.kind, g.rule FROM findings g "
                        "JOIN documents d ON d.id = g.document_id")
        if conn.dialect.name == "sqlite":
            index = conn.execute(sa.text("SELECT count(*) FROM document_fts")).scalar_one()
        else:
            index = conn.execute(sa.text("SELECT count(*) FROM document_search")).scalar_one()
    engine.dispose()
    return {"documents": docs, "texts": texts, "facts": facts, "citations": citations,
            "refs": refs, "findings": findings, "index_rows": index}


def check_consistent(url: str) -> None:
    """Every archived document is whole: its facts all there, its search entry present."""
    from extractor.archive.db import create_engine, resolve_url

    engine = create_engine(resolve_url(url))
    with engine.connect() as conn:
        partial = conn.execute(sa.text(
            "SELECT d.path, d.fact_count, (SELECT count(*) FROM facts f WHERE f.document_id = d.id) "
            "FROM documents d WHERE d.status = 'ok'")).all()
        for path, expected, found in partial:
            assert expected == found, f"{path}: {found} facts stored of {expected}"
        with_text = conn.execute(sa.text("SELECT count(*) FROM document_texts")).scalar_one()
        if conn.dialect.name == "sqlite":
            indexed = conn.execute(sa.text(
                "SELECT count(*) FROM document_fts f JOIN documents d ON d.search_key = f.rowid"
            )).scalar_one()
            total_index = conn.execute(sa.text("SELECT count(*) FROM document_fts")).scalar_one()
        else:
            indexed = total_index = conn.execute(sa.text("SELECT count(*) FROM document_search")).scalar_one()
        assert indexed == with_text == total_index
        paths = conn.execute(sa.text("SELECT path, count(*) FROM documents GROUP BY path "
                                     "HAVING count(*) > 1")).all()
        assert not paths, f"duplicated documents: {paths}"
        check_finding_summaries(conn)
    engine.dispose()


# The finding summaries (revision 0008) recomputed from the findings and their evidence.
_FINDINGS_ABOUT = (
    "SELECT id, document_id, kind, coalesce(severity, '') AS severity FROM findings "
    "WHERE document_id IS NOT NULL UNION "
    "SELECT f.id, facts.document_id, f.kind, coalesce(f.severity, '') FROM findings f "
    "JOIN finding_facts ff ON ff.finding_id = f.id JOIN facts ON facts.id = ff.fact_id "
    "WHERE f.document_id IS NULL")
_SUMMARIES = {
    "SELECT key, kind, severity, first_id, copies FROM finding_keys":
        "SELECT f.key, f.kind, coalesce(f.severity, ''), g.first_id, g.copies FROM "
        "(SELECT key, min(id) AS first_id, count(*) AS copies FROM findings GROUP BY key) g "
        "JOIN findings f ON f.id = g.first_id",
    "SELECT finding_id, document_id, kind, severity FROM finding_documents": _FINDINGS_ABOUT,
    "SELECT document_id, kind, severity, findings FROM document_finding_counts":
        f"SELECT document_id, kind, severity, count(*) FROM ({_FINDINGS_ABOUT}) a "
        "GROUP BY document_id, kind, severity",
}


def check_finding_summaries(conn) -> None:
    """The summaries the triggers keep are what the findings say now."""
    for kept, recomputed in _SUMMARIES.items():
        assert sorted(map(tuple, conn.execute(sa.text(kept)))) == sorted(map(tuple, conn.execute(sa.text(recomputed)))), kept


def no_sessions_left(url: str, seconds: float = 10) -> None:
    """No PostgreSQL session of a killed process still holds the database (and its locks);
    nothing to check on SQLite."""
    from extractor.archive.db import create_engine, resolve_url

    if not url.startswith("postgresql"):
        return
    engine = create_engine(resolve_url(url))
    deadline = time.monotonic() + seconds
    with engine.connect() as conn:
        while True:
            others = conn.execute(sa.text(
                "SELECT pid, state, query, backend_start, client_port FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()")).all()
            conn.rollback()  # the activity view is a snapshot kept for the transaction
            if not others:
                break
            assert time.monotonic() < deadline, f"sessions outlived the killed process: {others}"
            time.sleep(0.1)
    engine.dispose()


def run_cli(*args: str, env: dict | None = None, **kwargs) -> subprocess.Popen:
    """Start ``python -m extractor.archive ARGS`` in a subprocess."""
    return subprocess.Popen([sys.executable, "-m", "extractor.archive", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})}, **kwargs)


def crashing_extract(path, options=None, lang="vi", digest=None):
    """An extraction that kills its process on files named ``crash*`` (a crashing reader)."""
    from extractor.archive.worker import extract_file

    if Path(path).name.startswith("crash"):
        os._exit(1)
    return extract_file(path, options, lang, digest)
