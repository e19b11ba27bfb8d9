"""Throughput of `cchc extract` with structure and entities, beside extraction without them.

Both runs go over the same documents in the same process, one document at a time, on one core:
the baseline is extract_facts() alone; the measured run is extract_facts() followed by
extractor.structure.analyse() (header, signature, outline, sentences, people, organisations).

    python3 bench/structure.py [--source corpus|shared|all] [--mb 10]

The target is >= 0.5 MB/s per core for the measured run.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor import extract_facts  # noqa: E402
from extractor.patterns import scan_groups  # noqa: E402
from extractor.structure import analyse  # noqa: E402

TARGET_MB_S = 0.5


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", choices=["corpus", "shared", "all"], default="corpus")
    parser.add_argument("--mb", type=float, default=10.0, help="megabytes of text to process")
    args = parser.parse_args()

    base = documents(args.source)
    base_bytes = sum(len(d.encode("utf-8")) for d in base)
    docs = base * max(1, int(args.mb * 1e6 // base_bytes) + 1)
    total_mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    # Warm up: compile the patterns, load the gazetteers and the sentence splitter.
    scan_groups()
    analyse(base[0], extract_facts(base[0]).facts)

    start = time.perf_counter()
    for doc in docs:
        extract_facts(doc)
    baseline_s = time.perf_counter() - start

    start = time.perf_counter()
    people = orgs = sections = 0
    for doc in docs:
        structure = analyse(doc, extract_facts(doc).facts)
        people += sum(1 for f in structure.facts if f.kind == "person")
        orgs += sum(1 for f in structure.facts if f.kind == "organization")
        sections += len(structure.all_sections())
    full_s = time.perf_counter() - start

    rate = total_mb / full_s
    print(f"text: {total_mb:.1f} MB in {len(docs)} documents ({len(base)} distinct, source {args.source})")
    print(f"extraction only:            {baseline_s:7.2f} s  {total_mb / baseline_s:6.2f} MB/s")
    print(f"extraction + structure:     {full_s:7.2f} s  {rate:6.2f} MB/s  "
          f"({people / total_mb:.0f} people, {orgs / total_mb:.0f} organisations, {sections / total_mb:.0f} sections per MB)")
    print(f"with structure / without:   {full_s / baseline_s:7.2f} x time")
    print(f"target >= {TARGET_MB_S} MB/s per core: {'met' if rate >= TARGET_MB_S else 'NOT met'}")


if __name__ == "__main__":
    main()
