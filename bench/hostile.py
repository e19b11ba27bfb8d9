"""Hostile inputs and the public corpus through ``cchc extract``: the figures of issue 16.

    python3 bench/hostile.py [--timeout SECONDS] [--max-memory MB] [--no-public]

Each hostile case of ``tests/hostile/test_table.py`` (built in a temporary folder, never stored)
is one batch, followed by a good file; the public corpus (``../shared/corpus/public``, skipped
when absent) is one more batch. Every batch is a ``cchc extract`` process; the per-document
figures come from the budget runner's log (``CCHC_BUDGET_STATS``). Printed: hangs past the
budget, peak memory per document against the limit, tracebacks, batches stopped, files read
through links out of their folder, and every failed or skipped file with its one-line reason.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUBLIC = ROOT.parent / "shared" / "corpus" / "public"
GRACE = 5.0  # seconds past the budget a document may take to be killed and reaped


def _run_batch(name: str, paths: list[str], args, stats: Path) -> dict:
    command = [sys.executable, "-m", "extractor", "extract", "--timeout", str(args.timeout),
               "--max-memory", str(args.max_memory), *paths]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CCHC_BUDGET_STATS": str(stats)}
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True)
    seconds = time.monotonic() - started
    stdout = done.stdout.decode("utf-8", "replace")
    stderr = done.stderr.decode("utf-8", "replace")
    records = []
    for line in stdout.splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            pass
    return {"name": name, "paths": paths, "code": done.returncode, "seconds": seconds,
            "records": records, "stderr": stderr}


def _outside_links(folder: Path) -> set[str]:
    """Files under ``folder`` reached through a link whose target lies outside it."""
    top = os.path.realpath(folder) + os.sep
    out = set()
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            if os.path.islink(path) and not os.path.realpath(path).startswith(top):
                out.add(path)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=30.0, help="per-document budget (s)")
    parser.add_argument("--max-memory", type=int, default=1024, help="per-document memory limit (MB)")
    parser.add_argument("--no-public", action="store_true", help="leave out the public corpus")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.hostile.test_table import CASES, GOOD

    batches = []
    links: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="cchc-hostile-") as tmp:
        stats = Path(tmp) / "budget.jsonl"
        for i, case in enumerate(CASES):
            folder = Path(tmp) / f"case{i}"
            folder.mkdir()
            paths = case.build(folder)
            good = folder / "sau-cung.txt"
            good.write_text(GOOD, encoding="utf-8")
            links |= _outside_links(folder)
            batches.append(_run_batch(case.name, [*paths, str(good)], args, stats))
            print(f"  {case.name}: {batches[-1]['seconds']:.1f} s, exit {batches[-1]['code']}", file=sys.stderr)
        if PUBLIC.is_dir() and not args.no_public:
            links |= _outside_links(PUBLIC)
            batches.append(_run_batch("public corpus", [str(PUBLIC)], args, stats))
            print(f"  public corpus: {batches[-1]['seconds']:.1f} s, exit {batches[-1]['code']}", file=sys.stderr)
        documents = [json.loads(line) for line in stats.read_text(encoding="utf-8").splitlines()] \
            if stats.exists() else []

    limit = args.max_memory * 1024 * 1024
    hangs = [d for d in documents if d["seconds"] > args.timeout + GRACE]
    over_budget = [d for d in documents if d["outcome"] in ("timeout", "memory")]
    peaks = sorted(d["peak_rss"] for d in documents)
    over_memory = [d for d in documents if d["peak_rss"] > limit]
    tracebacks = sum(b["stderr"].count("Traceback") for b in batches)
    # A batch stopped: it died (exit code other than 0 or 1), or the good file named last gave
    # no record, or the public corpus gave fewer records than the budget runner saw documents.
    stopped = [b for b in batches if b["code"] not in (0, 1)
               or (b["name"] != "public corpus" and not any(
                   Path(r["source"]["path"]).name == "sau-cung.txt" and not r["errors"] for r in b["records"]))]
    read_links = [r["source"]["path"] for b in batches for r in b["records"]
                  if r["source"]["path"] in links and not r["errors"]]
    failed = [(b["name"], e) for b in batches for r in b["records"] for e in r["errors"]]
    errors = {e for _, e in failed}
    skipped = [(b["name"], line) for b in batches for line in b["stderr"].splitlines()
               if "bỏ qua" in line and line not in errors]
    multi_line = [line for b in batches for line in b["stderr"].splitlines() if not line.isprintable()]

    print(f"hostile cases: {len(CASES)}; batches: {len(batches)}; documents read: {len(documents)} "
          f"(timeout {args.timeout:g} s, memory limit {args.max_memory} MB)")
    print(f"hangs past the budget (+{GRACE:g} s): {len(hangs)}")
    print(f"documents stopped by the budget: {len(over_budget)} "
          f"({', '.join(sorted({d['outcome'] for d in over_budget})) or '-'})")
    if peaks:
        p95 = peaks[min(len(peaks) - 1, int(0.95 * len(peaks)))]
        print(f"peak memory per document: max {peaks[-1] / 2**20:.0f} MB, p95 {p95 / 2**20:.0f} MB, "
              f"median {peaks[len(peaks) // 2] / 2**20:.0f} MB; over the limit: {len(over_memory)}")
        heaviest = max(documents, key=lambda d: d["peak_rss"])
        slowest = max(documents, key=lambda d: d["seconds"])
        print(f"  heaviest: {heaviest['path']} ({heaviest['peak_rss'] / 2**20:.0f} MB); "
              f"slowest: {slowest['path']} ({slowest['seconds']:.1f} s, {slowest['outcome']})")
    print("  (a document's peak counts the pages it shares with the warm parent it was forked from)")
    print(f"tracebacks: {tracebacks}")
    print(f"batches stopped: {len(stopped)}" + "".join(f"\n  {b['name']} (exit {b['code']})" for b in stopped))
    print(f"files read through links out of their folder: {len(read_links)}")
    print(f"stderr lines not printable (escapes, a message over two lines): {len(multi_line)}")
    print(f"failed files: {len(failed)}")
    for name, error in failed:
        print(f"  [{name}] {error}")
    print(f"skipped files: {len(skipped)}")
    for name, line in skipped:
        print(f"  [{name}] {line}")


if __name__ == "__main__":
    main()
