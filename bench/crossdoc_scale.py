"""Cross-document checks at archive scale: 1,000,000 facts from 50,000 documents.

Synthetic documents stand for ten years of reports, plans and letters of 680 bodies (34
provinces × 20 departments): each has its own number and date, cites others, and states dossier
figures for its reporting period, with a few inconsistencies planted. The checks' time and peak
memory are printed beside a baseline pass that only groups every fact once (the floor of any
check that must look at each fact).

    python3 bench/crossdoc_scale.py [--documents 50000] [--facts-per-document 20] [--growth 150]

``--growth R`` also times the checks on one body's reports alone — R, 10×R and 100×R quarterly,
half-year and annual reports of a single department, each with a real document's text when
``../shared`` is there (bench/real_archive.py) — beside the same baseline, and prints how the
time grows: the block a skewed archive's biggest body makes.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from extractor.facts import Fact  # noqa: E402
from extractor.reconcile.crossdoc import DocumentView, check_documents  # noqa: E402

AGENCIES = ["SNV", "STC", "SXD", "SYT", "SGDĐT", "STP", "SCT", "SNNMT", "SKHCN", "SVHTTDL",
            "VPUBND", "STTTT", "SGTVT", "SLĐTBXH", "SKHĐT", "STNMT", "SNG", "SDL", "SDTTG", "TTPVHCC"]
METRICS = ["dossiers.received", "dossiers.resolved", "dossiers.pending", "dossiers.carried_over",
           "dossiers.received_online"]
PLANTED: dict[str, int] = {}
QUARTERS = [((12, 15), (3, 14), "quý I"), ((12, 15), (6, 14), "6 tháng"), ((6, 15), (9, 14), "quý III"),
            ((12, 15), (12, 14), "năm")]


def ref(canonical: str, code: str, number: int, date: dt.date, own: bool = False) -> Fact:
    return Fact("doc_ref", canonical, 0, len(canonical), "bench", {
        "canonical": canonical, "doc_type": "Báo cáo", "number": str(number), "year": None, "code": code,
        "family": "administrative", "date": date.isoformat(), "issuer": None, "own": own})


def quantity(value: int) -> Fact:
    return Fact("quantity", f"{value} hồ sơ", 0, 5, "bench", {"value": value, "unit": "hồ sơ", "decimals": 0})


def synthesise(documents: int, facts_per_document: int, seed: int = 7) -> list[DocumentView]:
    rng = random.Random(seed)
    bodies = [(place, agency) for place in range(34) for agency in AGENCIES]
    counters: dict[tuple, int] = defaultdict(int)
    views = []
    planted: dict[str, int] = defaultdict(int)
    for i in range(documents):
        place, agency = bodies[i % len(bodies)]
        block = i // len(bodies)
        year = 2015 + block % 10
        kind = (block // 10) % 8
        counters[(place, agency, year)] += 1
        order = counters[(place, agency, year)]
        day = dt.date(year, 1, 10) + dt.timedelta(days=order * 40)
        number = order * 3
        if rng.random() < 0.001:
            number -= 5  # numbered below a document dated earlier
            planted["numbering_order"] += 1
        canonical = f"{number}/BC-{agency}"
        facts = [ref(canonical, f"BC-{agency}", number, day, own=True)]
        for _ in range(5):
            cited = rng.randint(1, 2)
            cited_day = dt.date(year, 1, cited)  # the year's plans, cited alike by every report
            if rng.random() < 0.0005:
                cited_day += dt.timedelta(days=1)
                planted["ref_date_conflict"] += 1
            facts.append(ref(f"{cited}/KH-{agency}", f"KH-{agency}", cited, cited_day))
        view = DocumentView(f"doc{i}.txt", "", facts, own=facts[0], date=day, agency=agency, place=f"p{place}")
        if kind < 4:
            (sm, sd), (em, ed), label = QUARTERS[kind]
            start = dt.date(year - 1 if sm == 12 else year, sm, sd)
            view.period = (start, dt.date(year, em, ed), f"{label}/{year}")
            base = 1000 + (place * 37 + AGENCIES.index(agency) * 11) % 500
            for metric in METRICS:
                value = base if metric in ("dossiers.pending", "dossiers.carried_over") else base * (kind + 1)
                if metric == "dossiers.carried_over" and kind == 2 and rng.random() < 0.01:
                    value += 1
                    planted["carry_over_mismatch"] += 1
                fact = quantity(value)
                view.facts.append(fact)
                view.figures.setdefault(metric, []).append((fact, view.period))
        while len(view.facts) < facts_per_document:
            view.facts.append(quantity(rng.randint(1, 10_000)))
        views.append(view)
    PLANTED.update(planted)
    return views


def timed(views: list[DocumentView]) -> tuple[float, float, list]:
    """Seconds of the baseline (grouping every fact once) and of the checks, and the findings."""
    start = time.perf_counter()
    groups: dict[str, list] = defaultdict(list)
    for v in views:
        for f in v.facts:
            groups[f.kind].append(f)
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    findings = check_documents(views)
    return baseline, time.perf_counter() - start, findings


def real_texts() -> list[str]:
    try:
        from real_archive import base_payloads

        return [p.text for p in base_payloads()]
    except SystemExit:  # no public corpus: documents without text
        return [""]


def one_body(reports: int, texts: list[str], seed: int = 11) -> list[DocumentView]:
    """``reports`` reports of one department, over consecutive years of four reports each."""
    rng = random.Random(seed)
    views = []
    for i in range(reports):
        year, kind = 1000 + i // len(QUARTERS), i % len(QUARTERS)
        (sm, sd), (em, ed), label = QUARTERS[kind]
        start = dt.date(year - 1 if sm == 12 else year, sm, sd)
        end = dt.date(year, em, ed)
        day = end + dt.timedelta(days=5)
        canonical = f"{i + 1}/BC-STC"
        facts = [ref(canonical, "BC-STC", i + 1, day, own=True)]
        view = DocumentView(f"stc{i}.txt", texts[i % len(texts)], facts, own=facts[0], date=day,
                            agency="STC", place="p0", period=(start, end, f"{label}/{year}"))
        for metric in METRICS:
            value = 1000 * (kind + 1) + rng.randint(0, 9)
            fact = quantity(value)
            view.facts.append(fact)
            view.figures.setdefault(metric, []).append((fact, view.period))
        views.append(view)
    return views


def growth(base: int) -> None:
    texts = real_texts()
    print(f"\none body's reports (real texts: {len(texts) > 1}):")
    print(f"  {'reports':>8s} {'checks s':>9s} {'baseline s':>10s} {'x baseline':>10s} {'per report ms':>13s}")
    previous = None
    for factor in (1, 10, 100):
        views = one_body(base * factor, texts)
        baseline, checks, _ = timed(views)
        print(f"  {len(views):8d} {checks:9.3f} {baseline:10.4f} {checks / max(baseline, 1e-9):10.1f} "
              f"{checks / len(views) * 1000:13.3f}")
        previous = (len(views), checks)
    print(f"  at 1,000,000 reports of one body (linear from {previous[0]}): "
          f"about {previous[1] * 1_000_000 / previous[0]:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=50_000)
    parser.add_argument("--facts-per-document", type=int, default=20)
    parser.add_argument("--growth", type=int, metavar="R", help="also one body's R, 10R, 100R reports")
    args = parser.parse_args()
    views = synthesise(args.documents, args.facts_per_document)
    total_facts = sum(len(v.facts) for v in views)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    baseline, checks, findings = timed(views)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    by_kind: dict[str, int] = defaultdict(int)
    for f in findings:
        by_kind[f.kind] += 1
    print(f"documents: {len(views)}, facts: {total_facts}")
    print(f"baseline (group every fact once): {baseline:7.2f} s")
    print(f"cross-document checks:            {checks:7.2f} s  ({checks / baseline:.1f}x baseline)  target < 60 s")
    print(f"peak memory: {peak:.0f} MB (synthetic archive in memory: {rss_before:.0f} MB)  target < 2048 MB")
    print("findings:", dict(sorted(by_kind.items())))
    print("planted: ", dict(sorted(PLANTED.items())), "(a planted citation date conflict is one finding per plan)")
    if args.growth:
        growth(args.growth)


if __name__ == "__main__":
    main()
