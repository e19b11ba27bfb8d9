"""Archive benchmarks, all in one run, each beside a baseline measured in the same run:

1. ingest rate of the corpus documents (``--docs`` distinct copies of corpus/, one core,
   in-process), beside extraction alone of the same files: target ≥ 50 documents/s per core;
   then with ``--jobs`` worker processes;
2. re-ingest of the unchanged documents, beside the first ingest: target ≥ 20× faster;
3. archive size per document;
4. search latency p50/p95 over a mix of Vietnamese queries (with and without diacritics,
   phrases, document numbers, filters, fact queries) on an archive scaled up to ``--scale``
   documents, beside a bare FTS5 match of the same queries: target p95 < 50 ms on SQLite.

The scaled archive is made of synthetic documents: corpus lines varied (other provinces,
agencies and numbers) and extracted for real once each, assembled into documents (a header
with its own number and date, then 15 to 40 lines) whose facts keep exact offsets, and written
with the archive's own writer (:func:`extractor.archive.store.write_document`), 500 per
transaction.

    python3 bench/archive.py [--docs 600] [--jobs 2] [--scale 100000] [--runs 10]
                             [--postgresql URL]

``--postgresql`` also measures ingest and search on that (empty) PostgreSQL database.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from extractor import extract_facts  # noqa: E402
from extractor.archive import Archive, Filters  # noqa: E402
from extractor.archive import db as archive_db  # noqa: E402
from extractor.archive.fold import parse_query  # noqa: E402
from extractor.archive.store import Payload, write_document  # noqa: E402
from extractor.archive.worker import extract_file, extractor_version  # noqa: E402

PROVINCES = ["An Hòa", "Đồng Nai", "Lâm Đồng", "Bình Định", "Hà Tĩnh", "Quảng Trị", "Đắk Lắk",
             "Nghệ An", "Thái Bình", "Cà Mau", "Điện Biên", "Hải Dương", "Kiên Giang", "Phú Yên"]
AGENCIES = ["SNV", "STC", "SGTVT", "SXD", "SYT", "SGDĐT", "STNMT", "SCT", "SNN", "STP", "SLĐTBXH",
            "SKHĐT", "STTTT", "SVHTTDL", "UBND"]
TYPES = [("Kế hoạch", "KH"), ("Báo cáo", "BC"), ("Quyết định", "QĐ"), ("Tờ trình", "TTr"),
         ("Thông báo", "TB"), ("Hướng dẫn", "HD")]
AGENCY_NAMES = ["Sở Nội vụ", "Sở Tài chính", "Sở Giao thông vận tải", "Sở Xây dựng", "Sở Y tế",
                "Sở Giáo dục và Đào tạo", "Sở Tài nguyên và Môi trường", "Sở Công Thương"]


def corpus_files() -> list[Path]:
    return sorted(p for p in (ROOT / "corpus").rglob("*") if p.suffix in (".txt", ".md")
                  and not p.name.upper().startswith("README"))


def make_copies(folder: Path, count: int) -> list[Path]:
    """``count`` distinct documents: the corpus ones, each copy with its own first line."""
    texts = [p.read_text(encoding="utf-8") for p in corpus_files()]
    out = []
    for i in range(count):
        path = folder / f"doc_{i:05d}.txt"
        path.write_text(f"Bản lưu số {i}\n" + texts[i % len(texts)], encoding="utf-8")
        out.append(path)
    return out


def timed(fn):
    cpu, wall = time.process_time(), time.perf_counter()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def archive_size(url) -> int | None:
    return archive_db.file_size(url)


# ---------------------------------------------------------------------------------------------
# Ingest


def bench_ingest(url_for, files: list[Path], folder: Path, jobs: int, label: str) -> dict:
    n = len(files)
    _, base_wall, base_cpu = timed(lambda: [extract_file(str(p)) for p in files])
    with Archive.open(url_for("one")) as archive:
        report, wall1, cpu1 = timed(lambda: archive.ingest([str(folder)], jobs=1))
        assert report.documents == {"new": n}, report.documents
        again, wall_re, _ = timed(lambda: archive.ingest([str(folder)], jobs=1))
        assert again.documents == {"unchanged": n}, again.documents
        size = archive_size(archive.url)
        facts = archive.totals()["facts"]
    with Archive.open(url_for("many")) as archive:
        report, wall_j, _ = timed(lambda: archive.ingest([str(folder)], jobs=jobs))
        assert report.documents == {"new": n}, report.documents
    print(f"\n[{label}] ingest of {n} corpus documents ({facts} facts)")
    print(f"  baseline, extraction alone:   {base_wall:7.2f} s  {n / base_wall:8.1f} docs/s")
    print(f"  ingest, 1 core (in-process):  {wall1:7.2f} s  {n / wall1:8.1f} docs/s  "
          f"({n / cpu1:.1f} docs per CPU-second)  = {wall1 / base_wall:.2f}x extraction alone")
    print(f"  ingest, --jobs {jobs}:            {wall_j:7.2f} s  {n / wall_j:8.1f} docs/s")
    print(f"  re-ingest, unchanged:         {wall_re:7.3f} s  {n / wall_re:8.1f} docs/s  "
          f"= {wall1 / wall_re:.1f}x faster than the first ingest")
    if size:
        print(f"  archive size: {size / n / 1024:.1f} KiB per document ({size / 1e6:.1f} MB)")
    rate = min(n / wall1, n / cpu1)
    print(f"  targets: >= 50 docs/s per core: {'met' if rate >= 50 else 'NOT met'}; "
          f"re-ingest >= 20x faster: {'met' if wall1 / wall_re >= 20 else 'NOT met'}")
    return {"rate": rate, "reingest_ratio": wall1 / wall_re}


# ---------------------------------------------------------------------------------------------
# Scaled archive


def _vary(line: str, rng: random.Random) -> str:
    for name in ("An Hòa", "AN HÒA"):
        if name in line:
            province = rng.choice(PROVINCES)
            line = line.replace(name, province.upper() if name.isupper() else province)
    for code in ("SNV", "STC", "SGTVT", "SXD"):
        if code in line:
            line = line.replace(code, rng.choice(AGENCIES))

    def digits(m):
        text = m.group()
        return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in text[1:])
    if rng.random() < 0.7:
        line = re.sub(r"(?<![\d/])\d{2,4}(?![\d/])", digits, line)
    return line


class Unit:
    """A line of text with its facts (offsets relative to the line)."""

    __slots__ = ("text", "facts")

    def __init__(self, text: str):
        self.text = text
        self.facts = [f.to_dict() for f in extract_facts(text).facts]


def unit_pool(size: int, rng: random.Random) -> list[Unit]:
    lines = []
    for path in corpus_files():
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if len(line.strip()) > 25]
    return [Unit(_vary(rng.choice(lines), rng)) for _ in range(size)]


def header_pool(size: int, rng: random.Random) -> list[Unit]:
    out = []
    for _ in range(size):
        doc_type, abbr = rng.choice(TYPES)
        agency = rng.choice(AGENCIES)
        day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(11 * 365))
        province = rng.choice(PROVINCES)
        text = (f"ỦY BAN NHÂN DÂN TỈNH {province.upper()}\n{rng.choice(AGENCY_NAMES).upper()}\n"
                f"Số: {rng.randint(1, 3000)}/{abbr}-{agency}\n"
                f"{province}, ngày {day.day} tháng {day.month} năm {day.year}\n\n{doc_type.upper()}\n"
                f"{rng.choice(['Về', 'Kết quả', 'Triển khai'])} công tác cải cách hành chính năm {day.year}\n")
        out.append(Unit(text))
    return out


def synthetic_payloads(count: int, seed: int = 7):
    rng = random.Random(seed)
    headers = header_pool(3000, rng)
    units = unit_pool(6000, rng)
    for i in range(count):
        parts = [rng.choice(headers)] + [rng.choice(units) for _ in range(rng.randint(15, 40))]
        pieces, facts, offset = [], [], 0
        for unit in parts:
            pieces.append(unit.text)
            for f in unit.facts:
                facts.append({**f, "start": f["start"] + offset, "end": f["end"] + offset})
            offset += len(unit.text) + 1
        text = "\n".join(pieces)
        yield Payload(path=f"/synthetic/{i // 1000:03d}/doc_{i:06d}.txt", ok=True,
                      sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                      size=len(text.encode("utf-8")), format="text", text=text, facts=facts)


def build_scaled(url: str, count: int) -> tuple[Archive, float]:
    archive = Archive.open(url)
    version = extractor_version()
    now = dt.datetime.now(dt.timezone.utc)
    start = time.perf_counter()
    batch = 500
    payloads = synthetic_payloads(count)
    done = 0
    while done < count:
        with archive_db.writer(archive.engine).begin() as conn:
            for payload in payloads:
                write_document(conn, payload, version, now)
                done += 1
                if done % batch == 0:
                    break
        if done % 10_000 == 0 or done == count:
            print(f"  ... {done} documents written ({time.perf_counter() - start:.0f} s)", flush=True)
    finish(archive)
    return archive, time.perf_counter() - start


def finish(archive: Archive) -> None:
    """After a bulk build: the search index merged and the planner's statistics refreshed."""
    if archive.backend == "sqlite":
        with archive.engine.connect() as conn:
            conn.exec_driver_sql("INSERT INTO document_fts(document_fts) VALUES ('optimize')")
            conn.exec_driver_sql("PRAGMA analysis_limit = 400")
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        with archive.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")


def query_mix(archive: Archive) -> list[tuple[str, str | None, Filters]]:
    with archive.engine.connect() as conn:
        numbers = list(conn.execute(sa.text(
            "SELECT number FROM documents WHERE number IS NOT NULL ORDER BY id LIMIT 5 OFFSET 1000")).scalars())
    mix = [
        ("words", "kế hoạch cải cách hành chính", Filters()),
        ("words", "ke hoach cai cach hanh chinh", Filters()),
        ("phrase", '"dịch vụ công trực tuyến"', Filters()),
        ("phrase", '"dich vu cong truc tuyen toan trinh"', Filters()),
        ("words", "chuyển đổi số", Filters()),
        ("words", "ho so truc tuyen", Filters()),
        ("words", "Sở Tài chính", Filters()),
        ("words", "dong nai", Filters()),
        ("words", "tờ rơi", Filters()),
        ("words", "mot cua lien thong", Filters()),
        ("prefix", "chuyen doi*", Filters()),
        ("or", '"lam dong" OR "ha tinh"', Filters()),
        ("reference", "30/2020/NĐ-CP", Filters()),
        ("reference", "nghi dinh 61/2018/ND-CP", Filters()),
        ("filter", "ke hoach", Filters(year=2023)),
        ("filter", "bao cao", Filters(doc_type="BC", date_from=dt.date(2024, 1, 1))),
        ("filter", "ho so", Filters(issuer="STC")),
        ("cites", None, Filters(cites="30/2020/NĐ-CP")),
        ("facts", "ho so truc tuyen", Filters(kinds=("percent",))),
        ("facts", None, Filters(issuer="SNV", year=2024, kinds=("quantity", "percent"))),
    ]
    mix += [("number", n, Filters()) for n in numbers]
    return mix


def bench_search(archive: Archive, runs: int, label: str) -> float:
    mix = query_mix(archive)
    for _, text, filters in mix:  # warm the caches
        archive.search(text, filters)
    samples: dict[str, list[float]] = {}
    bare: list[float] = []
    with archive.engine.connect() as conn:
        for _ in range(runs):
            for kind, text, filters in mix:
                start = time.perf_counter()
                archive.search(text, filters)
                samples.setdefault(kind, []).append(time.perf_counter() - start)
                query = parse_query(text or "")
                if query is None:
                    continue
                start = time.perf_counter()
                if archive.backend == "sqlite":
                    conn.execute(sa.text("SELECT rowid FROM document_fts WHERE document_fts MATCH :q "
                                         "LIMIT 20"), {"q": query.fts5()}).all()
                else:
                    conn.execute(sa.text("SELECT search_key FROM document_search WHERE tsv @@ "
                                         "to_tsquery('cchc', :q) LIMIT 20"), {"q": query.tsquery()}).all()
                bare.append(time.perf_counter() - start)
    every = [s for values in samples.values() for s in values]

    def pct(values, q):
        if len(values) < 2:
            return values[0] * 1000
        return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000

    print(f"\n[{label}] search latency, {len(mix)} queries x {runs} runs")
    for kind, values in samples.items():
        print(f"  {kind:10s} p50 {pct(values, 50):7.1f} ms   p95 {pct(values, 95):7.1f} ms")
    p50, p95 = pct(every, 50), pct(every, 95)
    print(f"  all        p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    print(f"  baseline, bare index match (no ranking, filters, snippets): p50 {pct(bare, 50):.2f} ms, "
          f"p95 {pct(bare, 95):.2f} ms; search / baseline at p50: {p50 / pct(bare, 50):.1f}x")
    return p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=600, help="corpus documents to ingest")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--scale", type=int, default=100_000, help="documents in the search archive")
    parser.add_argument("--runs", type=int, default=10, help="runs of the query mix")
    parser.add_argument("--postgresql", metavar="URL", help="also run on this empty PostgreSQL database")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="cchc-bench-"))
    try:
        folder = work / "docs"
        folder.mkdir()
        files = make_copies(folder, args.docs)
        print(f"{args.docs} documents from {len(corpus_files())} corpus files; "
              f"{os.cpu_count()} cores; SQLite {sqlite3.sqlite_version}")
        sqlite = bench_ingest(lambda name: str(work / f"{name}.sqlite"), files, folder, args.jobs,
                              "SQLite")
        if args.postgresql:
            used = []

            def pg(name):
                if used:  # the second archive: empty the database again
                    with Archive.open(args.postgresql) as archive:
                        archive_db.downgrade(archive.engine, "base")
                used.append(name)
                return args.postgresql
            bench_ingest(pg, files, folder, args.jobs, "PostgreSQL")

        print(f"\nbuilding a search archive of {args.scale} synthetic documents ...")
        archive, seconds = build_scaled(str(work / "scaled.sqlite"), args.scale)
        size = archive_size(archive.url)
        print(f"  written in {seconds:.0f} s ({args.scale / seconds:.0f} docs/s, writer only); "
              f"{size / args.scale / 1024:.1f} KiB per document ({size / 1e9:.2f} GB)")
        p95 = bench_search(archive, args.runs, f"SQLite, {args.scale} documents")
        archive.close()
        if args.postgresql:
            with Archive.open(args.postgresql) as old:
                archive_db.downgrade(old.engine, "base")
            print("\nbuilding the same archive on PostgreSQL ...")
            pg_archive, seconds = build_scaled(args.postgresql, args.scale)
            print(f"  written in {seconds:.0f} s ({args.scale / seconds:.0f} docs/s, writer only)")
            bench_search(pg_archive, args.runs, f"PostgreSQL, {args.scale} documents")
            pg_archive.close()
        print(f"\ntargets: ingest >= 50 docs/s per core: {'met' if sqlite['rate'] >= 50 else 'NOT met'}"
              f" ({sqlite['rate']:.0f}); re-ingest >= 20x: "
              f"{'met' if sqlite['reingest_ratio'] >= 20 else 'NOT met'} ({sqlite['reingest_ratio']:.0f}x); "
              f"search p95 < 50 ms on SQLite: {'met' if p95 < 50 else 'NOT met'} ({p95:.1f} ms)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
