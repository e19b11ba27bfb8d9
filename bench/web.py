"""Web app latency: p50/p95 of each page of `cchc serve`, in-process (Starlette's TestClient,
so no network in the numbers), each beside a baseline measured in the same run:

- search pages (the query mix of bench/archive.py, with facets and highlighted snippets) beside
  the library's ``archive.search`` of the same query (ranking and snippets, no facets, no HTML);
- document pages beside reading the document's text and facts alone;
- the findings page (first, filtered by kind, by severity and decision, and one halfway
  through), the overview and figures pages, the home page, and the JSON twins of search and
  document pages.

    python3 bench/web.py --archive FILE [--runs 5]
    python3 bench/web.py [--scale 20000]

On real documents, give ``--archive`` an archive that bench/real_archive.py built and
``cchc audit --archive`` audited (the cross-document findings are the findings pages' weight);
without it, ``--scale`` synthetic documents are built as bench/archive.py builds its search
archive (lighter than real ones).
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import sqlalchemy as sa  # noqa: E402

from extractor.archive import Archive  # noqa: E402
from extractor.archive.models import TABLES  # noqa: E402
from extractor.web.app import FINDINGS_PAGE  # noqa: E402


def pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def search_urls(archive: Archive) -> list[tuple[str, str | None, object]]:
    from archive import query_mix

    out = []
    for kind, text, filters in query_mix(archive):
        if filters.kinds or filters.cites or filters.date_from:
            continue  # the web search has no fact queries, citations or date ranges
        params = {"q": text, "type": filters.doc_type, "issuer": filters.issuer, "year": filters.year}
        out.append((kind, "/search?" + urlencode({k: v for k, v in params.items() if v}), (text, filters)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--archive", help="the scaled archive's file (built when absent)")
    args = parser.parse_args()

    from starlette.testclient import TestClient

    from archive import build_scaled
    from extractor.web import create_app

    folder = Path(tempfile.mkdtemp(prefix="cchc-bench-web-"))
    path = Path(args.archive) if args.archive else folder / "scaled.sqlite"
    if path.exists():
        archive = Archive.open(str(path), create=False)
        print(f"archive {path}: reused")
    else:
        print(f"building {args.scale} synthetic documents into {path}")
        archive, seconds = build_scaled(str(path), args.scale)
        print(f"  built in {seconds:.0f} s")
    with archive.engine.connect() as conn:
        count = conn.execute(sa.text("SELECT count(*) FROM documents")).scalar_one()
        ids = list(conn.execute(sa.text("SELECT id FROM documents ORDER BY id")).scalars())
        metric = conn.execute(sa.text(
            "SELECT json_extract(meaning, '$.metric'), json_extract(meaning, '$.body'), count(*) c "
            "FROM facts WHERE meaning IS NOT NULL GROUP BY 1, 2 ORDER BY c DESC LIMIT 1")).first()
    client = TestClient(create_app(archive))
    rng = random.Random(7)
    documents = rng.sample(ids, min(50, len(ids)))
    searches = search_urls(archive)
    pages: dict[str, list[float]] = {}
    baseline: dict[str, list[float]] = {}

    def get(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    def read_document(document_id: int) -> None:
        with archive.engine.connect() as conn:
            texts = TABLES["document_texts"]  # through the model: the text decompressed, as the page reads it
            conn.execute(sa.select(texts.c.text).where(texts.c.document_id == document_id)).all()
            conn.execute(sa.text("SELECT * FROM facts WHERE document_id = :i ORDER BY seq"), {"i": document_id}).all()

    with archive.engine.connect() as conn:
        kind = conn.execute(sa.text("SELECT kind FROM findings GROUP BY kind ORDER BY count(*) DESC LIMIT 1")).scalar()
        distinct = conn.execute(sa.text("SELECT count(DISTINCT key) FROM findings")).scalar_one()
    finding_urls = [("findings?kind", "/findings?" + urlencode({"kind": kind or ""})),
                    ("findings?severity", "/findings?severity=error&decision=undecided"),
                    ("findings?page", f"/findings?page={max(1, distinct // FINDINGS_PAGE // 2)}")]
    for _, url, _ in searches:  # warm the caches
        get(url)
    for _ in range(args.runs):
        for kind, url, (text, filters) in searches:
            pages.setdefault("search", []).append(timed(lambda: get(url)))
            pages.setdefault("search.json", []).append(timed(lambda: get(url.replace("/search?", "/search.json?"))))
            baseline.setdefault("search", []).append(timed(lambda: archive.search(text, filters)))
        for document_id in documents:
            pages.setdefault("document", []).append(timed(lambda: get(f"/documents/{document_id}")))
            pages.setdefault("document.json", []).append(timed(lambda: get(f"/documents/{document_id}.json")))
            baseline.setdefault("document", []).append(timed(lambda: read_document(document_id)))
        pages.setdefault("findings", []).append(timed(lambda: get("/findings")))
        # Filtered and deep pages of findings too: a page must not cost the findings before it.
        for name, url in finding_urls:
            pages.setdefault(name, []).append(timed(lambda: get(url)))
        pages.setdefault("overview", []).append(timed(lambda: get("/overview")))
        if metric:
            url = "/figures?" + urlencode({"metric": metric[0], "body": metric[1] or ""})
            pages.setdefault("figures", []).append(timed(lambda: get(url)))
        pages.setdefault("home", []).append(timed(lambda: get("/")))
    print(f"\nweb pages on {count} documents, {args.runs} runs "
          f"({len(searches)} searches, {len(documents)} documents per run)")
    for name, values in pages.items():
        line = f"  {name:14s} p50 {pct(values, 50):7.1f} ms   p95 {pct(values, 95):7.1f} ms"
        base = baseline.get(name)
        if base:
            line += (f"   baseline p50 {pct(base, 50):6.1f} ms, p95 {pct(base, 95):6.1f} ms;"
                     f" page / baseline at p95: {pct(values, 95) / pct(base, 95):.1f}x")
        print(line)
    print("  baselines: search = archive.search (ranking, snippets); document = its text and facts read")
    archive.close()


if __name__ == "__main__":
    main()
