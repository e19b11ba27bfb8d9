"""Hostile inputs and the public corpus through ``cchc extract`` and ``cchc ingest``: the
done-when figures of issue 16.

    python3 bench/hostile.py [--timeout SECONDS] [--max-memory MB] [--no-public] [--no-archive]

Each hostile case of ``tests/hostile/test_table.py`` (built in a temporary folder, never stored)
is one batch, followed by a good file; the public corpus (``../shared/corpus/public``, skipped
when absent) is one more batch. Every batch is a ``cchc extract`` process; the per-document
figures come from the budget runner's log (``CCHC_BUDGET_STATS``). Then the same batches are
ingested, one ``cchc ingest --jobs 2`` each, into one SQLite archive, and the text part of the
public corpus is ingested into a second archive by a run killed with SIGKILL twice midway and
run again to the end. Every process carries a mark in its environment, so what outlives it is
counted. Printed: hangs past the budget, peak memory per document against the limit,
tracebacks, batches stopped, archive inconsistencies (integrity check, documents not whole,
duplicates, failures without a one-line reason, a resumed archive that differs from the one
ingested in one go), orphan processes, files read through links out of their folder, and every
failed or skipped file with its one-line reason (and whether the archive recorded it).
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUBLIC = ROOT.parent / "shared" / "corpus" / "public"
GRACE = 5.0  # seconds past the budget a document may take to be killed and reaped
ORPHAN_GRACE = 5.0  # seconds a process's children get to end after it ended
MARK = "CCHC_BENCH_MARK"
# The text part of the public corpus, ingested by the run killed midway (no OCR: the kills are
# about the archive, and OCR'd scans would make it take many minutes).
TEXT_SUFFIXES = (".md", ".txt", ".html", ".htm")
# Documents stored when the killed ingest gets its first and second SIGKILL.
KILLS_AT = (10, 40)
KILL_WAIT = 600  # seconds the killed run may take to store that many


def _marked(mark: str) -> list[int]:
    """Live processes whose environment carries ``mark``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if mark.encode() not in (entry / "environ").read_bytes():
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def _orphans(mark: str) -> int:
    """How many processes of a finished run outlive it (they are then killed: they are ours)."""
    deadline = time.monotonic() + ORPHAN_GRACE
    while _marked(mark) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = _marked(mark)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return len(left)


def _env(stats: Path | None = None) -> tuple[dict, str]:
    mark = f"{MARK}={uuid.uuid4().hex}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), MARK: mark.split("=", 1)[1]}
    if stats is not None:
        env["CCHC_BUDGET_STATS"] = str(stats)
    return env, mark


def _run_batch(name: str, paths: list[str], args, stats: Path) -> dict:
    command = [sys.executable, "-m", "extractor", "extract", "--timeout", str(args.timeout),
               "--max-memory", str(args.max_memory), *paths]
    env, mark = _env(stats)
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
            "records": records, "stderr": stderr, "orphans": _orphans(mark)}


def _ingest(name: str, paths: list[str], archive: Path, args, *extra: str) -> dict:
    command = [sys.executable, "-m", "extractor", "ingest", "--archive", str(archive), "--quiet",
               "--jobs", "2", "--timeout", str(args.timeout), "--max-memory", str(args.max_memory),
               *extra, *paths]
    env, mark = _env()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True)
    return {"name": name, "code": done.returncode, "stderr": done.stderr.decode("utf-8", "replace"),
            "orphans": _orphans(mark)}


def _stored(archive: Path) -> int:
    try:
        with sqlite3.connect(f"file:{archive}?mode=ro", uri=True, timeout=30) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0  # not created yet


def _killed_ingest(paths: list[str], archive: Path, args) -> dict:
    """Ingest ``paths``, SIGKILLed as the archive reaches each count of ``KILLS_AT``, then run
    to the end: the orphans of each killed run, and the last run's outcome."""
    orphans = kills = 0
    for target in KILLS_AT:
        env, mark = _env()
        process = subprocess.Popen(
            [sys.executable, "-m", "extractor", "ingest", "--archive", str(archive), "--quiet",
             "--jobs", "2", "--ocr", "never", "--timeout", str(args.timeout), *paths],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + KILL_WAIT
        while process.poll() is None and time.monotonic() < deadline:
            if _stored(archive) >= target:
                os.kill(process.pid, signal.SIGKILL)
                kills += 1
                break
            time.sleep(0.05)
        process.wait()
        orphans += _orphans(mark)
    final = _ingest("public text, resumed", paths, archive, args, "--ocr", "never")
    return {**final, "orphans": final["orphans"] + orphans, "kills": kills}


def _archive_problems(archive: Path) -> list[str]:
    """What is not as it must be in a SQLite archive: each a line."""
    problems = []
    with sqlite3.connect(archive) as conn:
        def rows(sql: str) -> list:
            return conn.execute(sql).fetchall()

        if rows("PRAGMA integrity_check") != [("ok",)]:
            problems.append(f"integrity check: {rows('PRAGMA integrity_check')[:3]}")
        problems += [f"foreign key broken: {r}" for r in rows("PRAGMA foreign_key_check")[:5]]
        problems += [f"{path}: {found} facts stored of {expected}" for path, expected, found in rows(
            "SELECT d.path, d.fact_count, (SELECT count(*) FROM facts f WHERE f.document_id = d.id) "
            "FROM documents d WHERE d.status = 'ok'") if expected != found]
        problems += [f"{path}: no text stored" for (path,) in rows(
            "SELECT path FROM documents d WHERE status = 'ok' AND NOT EXISTS "
            "(SELECT 1 FROM document_texts t WHERE t.document_id = d.id)")]
        texts = rows("SELECT count(*) FROM document_texts")[0][0]
        indexed = rows("SELECT count(*) FROM document_fts f JOIN documents d ON d.search_key = f.rowid")[0][0]
        index = rows("SELECT count(*) FROM document_fts")[0][0]
        if not texts == indexed == index:
            problems.append(f"search index: {index} entries, {indexed} of documents, {texts} texts")
        problems += [f"{path}: stored {n} times" for path, n in rows(
            "SELECT path, count(*) FROM documents GROUP BY path HAVING count(*) > 1")]
        problems += [f"{path}: failed without a one-line reason ({error!r})" for path, error in rows(
            "SELECT path, error FROM documents WHERE status = 'failed'")
            if not error or "\n" in error]
    return problems


def _contents(archive: Path, paths: set[str] | None = None) -> set[tuple]:
    with sqlite3.connect(archive) as conn:
        found = set(conn.execute("SELECT path, sha256, status, fact_count, error FROM documents"))
    return {r for r in found if paths is None or r[0] in paths}


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
    parser.add_argument("--no-archive", action="store_true", help="leave out the ingest passes")
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
        ingests, problems, unrecorded, kill = [], [], [], None
        if not args.no_archive:
            archive = Path(tmp) / "archive.sqlite"
            for batch in batches:
                ingests.append(_ingest(batch["name"], batch["paths"], archive, args))
                print(f"  ingest {batch['name']}: exit {ingests[-1]['code']}", file=sys.stderr)
            problems = _archive_problems(archive)
            failed_in_archive = {path for path, _, status, _, _ in _contents(archive) if status == "failed"}
            unrecorded = sorted(r["source"]["path"] for b in batches for r in b["records"]
                                if r["errors"] and r["source"]["path"] not in failed_in_archive
                                and not os.path.isdir(r["source"]["path"]))
            if PUBLIC.is_dir() and not args.no_public:
                texts = sorted(str(p) for p in PUBLIC.rglob("*") if p.suffix in TEXT_SUFFIXES and p.is_file())
                killed, whole = Path(tmp) / "killed.sqlite", Path(tmp) / "whole.sqlite"
                kill = _killed_ingest(texts, killed, args)
                _ingest("public text, in one go", texts, whole, args, "--ocr", "never")
                kill["problems"] = _archive_problems(killed)
                kill["differs"] = len(_contents(killed) ^ _contents(whole))
                kill["documents"] = len(texts)
                print(f"  killed ingest: {kill['kills']} kills, exit {kill['code']}", file=sys.stderr)

    limit = args.max_memory * 1024 * 1024
    hangs = [d for d in documents if d["seconds"] > args.timeout + GRACE]
    over_budget = [d for d in documents if d["outcome"] in ("timeout", "memory")]
    peaks = sorted(d["peak_rss"] for d in documents)
    over_memory = [d for d in documents if d["peak_rss"] > limit]
    runs = batches + ingests + ([kill] if kill else [])
    tracebacks = sum(b["stderr"].count("Traceback") for b in runs)
    orphans = sum(b["orphans"] for b in runs)
    # A batch stopped: it died (exit code other than 0 or 1), or the good file named last gave
    # no record, or the public corpus gave fewer records than the budget runner saw documents.
    stopped = [b for b in batches if b["code"] not in (0, 1)
               or (b["name"] != "public corpus" and not any(
                   Path(r["source"]["path"]).name == "sau-cung.txt" and not r["errors"] for r in b["records"]))]
    stopped += [b for b in ingests + ([kill] if kill else []) if b["code"] not in (0, 1)]
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
    print(f"orphan processes: {orphans} (after {len(runs)} runs"
          + (f", {kill['kills']} of them killed with SIGKILL)" if kill else ")"))
    if not args.no_archive:
        inconsistencies = problems + (kill["problems"] if kill else [])
        print(f"archive inconsistencies: {len(inconsistencies)}"
              + "".join(f"\n  {p}" for p in inconsistencies))
        if kill:
            print(f"  killed twice and resumed ({kill['documents']} text documents of the public corpus): "
                  f"{kill['differs']} documents differ from the archive ingested in one go")
        print(f"failed files not recorded as failed in the archive: {len(unrecorded)}"
              + "".join(f"\n  {p}" for p in unrecorded))
        lines = [(b["name"], line) for b in ingests for line in b["stderr"].splitlines() if line.strip()]
        print(f"lines on stderr of the ingests (one per file failed or skipped): {len(lines)}"
              + "".join(f"\n  [{name}] {line}" for name, line in lines))
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
