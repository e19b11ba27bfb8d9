"""Ingest into PostgreSQL on a Dask LocalCluster beside one process, on real documents.

The documents are varied copies of the public corpus (bench/real_archive.py: each a real
document's text with its figures, numbers and dates changed), written as Markdown files so each
is read, normalised, extracted, structured and checked for real. Side by side in one run, each
into an empty database of a PostgreSQL server of its own (started here on 127.0.0.1, removed at
the end, or ``--postgresql URL`` of a server whose databases may be created):

- baseline: ``ingest(jobs=1)``, one process reading and writing;
- ``ingest(jobs=N)``: N reading processes, this one the only writer;
- ``ingest(cluster=local:N)``: N Dask worker processes, each reading and writing.

It prints documents per second, the ratio to the baseline, and checks each archive holds every
document exactly once; ``--growth`` repeats the cluster run at 1×, 10× (and ``--max-growth``)
of the base count to show how the rate holds.

    python3 bench/cluster_ingest.py [--documents 200] [--workers 2] [--growth]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

import sqlalchemy as sa  # noqa: E402

from extractor.archive import Archive  # noqa: E402
from extractor.archive.cluster import Cluster  # noqa: E402


def write_documents(folder: Path, count: int) -> list[Path]:
    from real_archive import real_payloads

    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i, payload in enumerate(real_payloads(count)):
        path = folder / f"{i:06d}.md"
        path.write_text(payload.text, encoding="utf-8")
        files.append(path)
    return files


def run(url: str, folder: Path, **how) -> tuple[float, int, int]:
    with Archive.open(url) as archive:
        start = time.perf_counter()
        report = archive.ingest([str(folder)], **how)
        seconds = time.perf_counter() - start
        with archive.engine.connect() as conn:
            stored = conn.execute(sa.text("SELECT count(*) FROM documents")).scalar_one()
            distinct = conn.execute(sa.text("SELECT count(DISTINCT path) FROM documents")).scalar_one()
    assert report.failed == 0, report.errors[:3]
    return seconds, stored, distinct


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--growth", action="store_true", help="also the cluster at 10× the documents")
    parser.add_argument("--postgresql", metavar="URL", help="a server's maintenance database URL")
    args = parser.parse_args()

    from archive_fixtures import PgServer, find_pg_bin, temporary_server

    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as tmp:
        folder = Path(tmp) / "documents"
        files = write_documents(folder, args.documents)
        megabytes = sum(f.stat().st_size for f in files) / 1e6
        print(f"{len(files)} documents, {megabytes:.1f} MB of real text, {args.workers} workers, "
              f"{os.cpu_count()} cores")

        def measure(server: PgServer) -> None:
            rows = []
            seconds, stored, distinct = run(server.new_database(), folder, jobs=1)
            rows.append(("one process (baseline)", seconds, stored, distinct))
            seconds, stored, distinct = run(server.new_database(), folder, jobs=args.workers)
            rows.append((f"{args.workers} processes, one writer", seconds, stored, distinct))
            with Cluster(f"local:{args.workers}") as cluster:
                cluster.client.run(lambda: __import__("extractor.archive.worker"))  # workers warm
                seconds, stored, distinct = run(server.new_database(), folder, cluster=cluster)
                rows.append((f"LocalCluster, {args.workers} writers", seconds, stored, distinct))
                if args.growth:
                    big = Path(tmp) / "documents-10x"
                    write_documents(big, args.documents * 10)
                    seconds, stored, distinct = run(server.new_database(), big, cluster=cluster)
                    rows.append((f"LocalCluster at 10× ({args.documents * 10})", seconds, stored, distinct))
            base_rate = len(files) / rows[0][1]
            print(f"\n{'run':34s} {'docs/s':>8s} {'× baseline':>11s} {'stored':>7s} {'distinct':>8s}")
            for label, seconds, stored, distinct in rows:
                rate = stored / seconds
                print(f"{label:34s} {rate:8.1f} {rate / base_rate:11.2f} {stored:7d} {distinct:8d}")

        if args.postgresql:
            from sqlalchemy.engine import make_url

            url = make_url(args.postgresql)
            measure(PgServer(url.host or "127.0.0.1", url.port or 5432, url.username or "postgres"))
        else:
            bindir = find_pg_bin()
            if bindir is None:
                raise SystemExit("PostgreSQL is not installed: bash scripts/install-postgres.sh")
            with temporary_server(bindir) as server:
                measure(server)


if __name__ == "__main__":
    main()
