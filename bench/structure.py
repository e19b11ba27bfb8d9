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
from throughput import documents, scaled  # noqa: E402  (bench/ is on the path of a bench script)

TARGET_MB_S = 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", choices=["corpus", "shared", "all"], default="corpus")
    parser.add_argument("--mb", type=float, default=10.0, help="megabytes of text to process")
    args = parser.parse_args()

    base = documents(args.source)
    docs, total_mb = scaled(base, args.mb)
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
