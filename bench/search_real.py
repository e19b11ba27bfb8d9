"""Search latency on archives of real documents (bench/real_archive.py), at several sizes.

For each archive given (SQLite files or PostgreSQL URLs, built when ``--build N`` is given and
they are empty), the query mix of bench/archive.py runs ``--runs`` times and prints, side by
side in the same run:

- ``search``: ``archive.search`` as the CLI and the web app call it (the newest matches ranked
  when more match than the ranking window, snippets with hits marked);
- ``rank_all``: the same ranking over every matching document (no window), no snippets;
- the baseline: the bare index match of the same query (no ranking, filters or snippets);

with p50/p95, the size on disk per document, and how p95 grows from one archive to the next.

    python3 bench/search_real.py /tmp/real-10k.sqlite /tmp/real-100k.sqlite [--build 10000,100000]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import sqlalchemy as sa  # noqa: E402

from extractor.archive import Archive  # noqa: E402
from extractor.archive import db as archive_db  # noqa: E402
from extractor.archive.fold import parse_query  # noqa: E402

# The ranking target of issue 14, for the verdict printed.
TARGET_P95_MS = 100


def pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def bare(archive: Archive, conn, text: str | None) -> None:
    query = parse_query(text or "")
    if query is None:
        return
    if archive.backend == "sqlite":
        conn.execute(sa.text("SELECT rowid FROM document_fts WHERE document_fts MATCH :q LIMIT 20"),
                     {"q": query.fts5()}).all()
    else:
        conn.execute(sa.text("SELECT search_key FROM document_search WHERE tsv @@ to_tsquery('cchc', :q) "
                             "LIMIT 20"), {"q": query.tsquery()}).all()


def measure(archive: Archive, runs: int) -> dict[str, list[float]]:
    from archive import query_mix

    mix = query_mix(archive)
    samples: dict[str, list[float]] = {"search": [], "rank_all": [], "baseline": []}
    for _, text, filters in mix:  # warm the caches
        archive.search(text, filters)
    with archive.engine.connect() as conn:
        for _ in range(runs):
            for _, text, filters in mix:
                for label, call in (("search", lambda: archive.search(text, filters)),
                                    ("rank_all", lambda: archive.search(text, filters, rank_all=True,
                                                                        snippets=False)),
                                    ("baseline", lambda: bare(archive, conn, text))):
                    start = time.perf_counter()
                    call()
                    samples[label].append(time.perf_counter() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archives", nargs="+", help="SQLite files or PostgreSQL URLs, smallest first")
    parser.add_argument("--build", help="documents to build into each archive, comma-separated")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sizes = [int(n) for n in args.build.split(",")] if args.build else [None] * len(args.archives)
    previous = None
    for url, count in zip(args.archives, sizes):
        if count:
            from real_archive import build_real

            archive, seconds = build_real(url, count)
            print(f"{url}: built {count} documents in {seconds:.0f} s")
        else:
            archive = Archive.open(url, create=False)
        with archive.engine.connect() as conn:
            documents = conn.execute(sa.text("SELECT count(*) FROM documents")).scalar_one()
        size = archive_db.file_size(archive.url)
        per_document = f", {size / documents / 1024:.0f} KiB per document" if size else ""
        samples = measure(archive, args.runs)
        print(f"\n{archive.name}: {documents} documents ({archive.backend}{per_document})")
        base50 = pct(samples["baseline"], 50)
        for label, values in samples.items():
            print(f"  {label:9s} p50 {pct(values, 50):8.1f} ms   p95 {pct(values, 95):8.1f} ms   "
                  f"p50 / baseline {pct(values, 50) / base50:6.1f}x")
        p95 = pct(samples["rank_all"], 95)
        verdict = "met" if p95 < TARGET_P95_MS else "NOT met"
        print(f"  ranking every match: p95 {p95:.0f} ms, target < {TARGET_P95_MS} ms {verdict}")
        if previous:
            grown = documents / previous[0]
            print(f"  {grown:.0f}x the documents of the previous archive: search p95 "
                  f"{pct(samples['search'], 95) / previous[1]:.1f}x, rank_all p95 {p95 / previous[2]:.1f}x")
        previous = (documents, pct(samples["search"], 95), p95)
        archive.close()
    if previous:
        print(f"\nat 1,000,000 documents, if rank_all grows linearly from {previous[0]}: "
              f"p95 about {previous[2] * 1_000_000 / previous[0]:.0f} ms")


if __name__ == "__main__":
    main()
