"""Extraction throughput on ≥ 20 MB of report text, beside a single-regex floor.

The floor is one pass of one compiled regex (every number token in the Vietnamese locale, the
cheapest scan any figure extractor needs) over the same documents, in the same process, one
document at a time as extraction runs. Both run on one core, timed in CPU seconds of this
process, side by side on slices of about 1 MB: each slice is extracted and then floor-scanned,
in several rounds, and each slice's best time of each is kept. A burst of other load on the
machine then spoils one slice of one round, not the ratio.

    python3 bench/throughput.py [--source corpus|shared|all] [--mb 20] [--rounds 3]

`shared` (the default when ../shared/corpus is present) uses real report text: the seeds and
the public Markdown and text files. `corpus` uses the documents in corpus/, written to exercise
every form and so about three times as dense in facts as real reports; the time per fact is the
same, so its ratio to the floor is higher.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor import extract_facts  # noqa: E402
from extractor.patterns import scan_groups  # noqa: E402

FLOOR = regex.compile(r"(?<![\p{L}\p{N}.,/])(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?(?![\p{N}/]|[.,]\p{N})")


def documents(source: str) -> list[str]:
    paths: list[Path] = []
    if source in ("corpus", "all"):
        paths += [p for p in sorted((ROOT / "corpus").glob("*")) if p.suffix in (".txt", ".md")
                  and not p.name.startswith("README")]
    shared = ROOT.parent / "shared" / "corpus"
    if source in ("shared", "all"):
        if not shared.is_dir():
            sys.exit("../shared/corpus is absent: use --source corpus")
        paths += sorted((shared / "seeds").glob("*.txt"))
        paths += sorted(p for p in (shared / "public").rglob("*") if p.suffix in (".md", ".txt")
                        and p.name != "SOURCES.md")
    return [p.read_text(encoding="utf-8", errors="replace") for p in paths]


def scaled(base: list[str], mb: float) -> tuple[list[str], float]:
    """The documents repeated until they hold at least ``mb`` megabytes, and their size in MB."""
    base_bytes = sum(len(d.encode("utf-8")) for d in base)
    docs = base * max(1, int(mb * 1e6 // base_bytes) + 1)
    return docs, sum(len(d.encode("utf-8")) for d in docs) / 1e6


def _slices(docs: list[str], size: float) -> list[list[str]]:
    """Consecutive runs of documents holding about ``size`` characters each."""
    slices, current, held = [], [], 0
    for doc in docs:
        current.append(doc)
        held += len(doc)
        if held >= size:
            slices.append(current)
            current, held = [], 0
    return slices + ([current] if current else [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    shared_present = (ROOT.parent / "shared" / "corpus").is_dir()
    parser.add_argument("--source", choices=["corpus", "shared", "all"],
                        default="shared" if shared_present else "corpus")
    parser.add_argument("--mb", type=float, default=20.0, help="megabytes of text to process")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; the best is kept")
    args = parser.parse_args()

    base = documents(args.source)
    docs, total_mb = scaled(base, args.mb)
    scan_groups()  # compile the patterns before timing

    slices = _slices(docs, 1e6)
    best_extract = [float("inf")] * len(slices)
    best_floor = [float("inf")] * len(slices)
    for _ in range(args.rounds):
        facts = tokens = 0
        for i, piece in enumerate(slices):
            start = time.process_time()
            for doc in piece:
                facts += len(extract_facts(doc).facts)
            best_extract[i] = min(best_extract[i], time.process_time() - start)
            start = time.process_time()
            for doc in piece:
                tokens += sum(1 for _ in FLOOR.finditer(doc))
            best_floor[i] = min(best_floor[i], time.process_time() - start)
    extract_s, floor_s = sum(best_extract), sum(best_floor)

    rate = total_mb / extract_s
    ratio = extract_s / floor_s
    print(f"text: {total_mb:.1f} MB in {len(docs)} documents ({len(base)} distinct, source {args.source})")
    print(f"extraction:          {extract_s:7.2f} s  {rate:7.2f} MB/s  {facts / total_mb:8.0f} facts/MB")
    print(f"floor (one regex):   {floor_s:7.2f} s  {total_mb / floor_s:7.2f} MB/s  {tokens / total_mb:8.0f} number tokens/MB")
    print(f"extraction / floor:  {ratio:7.1f} x")
    print(f"targets: >= 2 MB/s per core: {'met' if rate >= 2 else 'NOT met'}; "
          f"<= 10x floor: {'met' if ratio <= 10 else 'NOT met'}")


if __name__ == "__main__":
    main()
