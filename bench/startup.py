"""Start-up cost of the command line, beside ``python3 -c pass`` in the same run.

Each command runs in a fresh process; its CPU time is user + system of that process and of
every process it waited for (``os.wait4``), so the child that reads each document in
``cchc extract`` (extractor/budget.py) is counted. Each command runs with a cold cache (an
empty ``CCHC_CACHE_DIR`` each time: the patterns parsed, the regexes and Hyperscan databases
compiled) and with a warm one (filled by a first run); the best of ``--repeat`` runs is shown
with its ratio to the baseline, and the median beside it. Target: a one-file extract under
0.6 s warm, ``cchc search`` well under that.

    python3 bench/startup.py [--repeat 5] [--no-bytecode] [--tree PATH]

The commands: ``cchc --help``; ``cchc search`` on an archive of ``corpus/`` built here in a
temporary folder; a one-file ``cchc extract`` on a text document of ``corpus/``, on a 3-page
PDF and on a DOCX generated here (reportlab and python-docx, as in tests/test_readers.py).
Python's bytecode is kept in a temporary folder (``PYTHONPYCACHEPREFIX``), as for an installed
package; ``--no-bytecode`` compiles every module from source at every start instead, as
``PYTHONDONTWRITEBYTECODE=1`` on a source tree does. ``--tree`` runs another checkout's
``extractor`` (to compare with the code before a change); the inputs stay this checkout's.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

TEXT_DOCUMENT = ROOT / "corpus" / "cv_so_xay_dung.txt"
PDF_PAGES = 3
QUERY = "ke hoach"
TARGET_EXTRACT = 0.6  # seconds of CPU, warm cache


def cpu_seconds(command: list[str], env: dict[str, str], cwd: Path) -> float:
    """User + system CPU of ``command`` and the processes it waited for."""
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {stderr.decode()[-500:]}")
    return usage.ru_utime + usage.ru_stime


def make_inputs(folder: Path) -> dict[str, Path]:
    from test_readers import make_docx, make_text_pdf

    return {"txt": TEXT_DOCUMENT,
            "pdf": make_text_pdf(folder / "bao_cao.pdf", pages=PDF_PAGES),
            "docx": make_docx(folder / "bao_cao.docx")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-bytecode", action="store_true",
                        help="compile every module from source at every start")
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout whose extractor runs")
    args = parser.parse_args()
    tree = args.tree.resolve()

    with tempfile.TemporaryDirectory(prefix="cchc-startup-") as temporary:
        folder = Path(temporary)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
        env["PYTHONPATH"] = str(tree)
        if args.no_bytecode:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        else:
            env["PYTHONPYCACHEPREFIX"] = str(folder / "bytecode")
        warm_cache = folder / "cache"
        inputs = make_inputs(folder)
        archive = f"sqlite:///{folder / 'archive.sqlite'}"
        cchc = [sys.executable, "-m", "extractor"]
        subprocess.run([*cchc, "ingest", str(ROOT / "corpus"), "--archive", archive], env={**env, "CCHC_CACHE_DIR": str(warm_cache)},
                       cwd=tree, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        commands = [
            ("python3 -c pass", [sys.executable, "-c", "pass"], False),
            ("cchc --help", [*cchc, "--help"], True),
            (f"cchc search '{QUERY}' (archive of corpus/)", [*cchc, "search", QUERY, "--archive", archive], True),
            (f"cchc extract .txt ({inputs['txt'].stat().st_size // 1024} KB)", [*cchc, "extract", str(inputs["txt"])], True),
            (f"cchc extract .pdf ({PDF_PAGES} pages)", [*cchc, "extract", str(inputs["pdf"])], True),
            ("cchc extract .docx", [*cchc, "extract", str(inputs["docx"])], True),
        ]
        results = []
        for name, command, cached in commands:
            cpu_seconds(command, {**env, "CCHC_CACHE_DIR": str(warm_cache)}, tree)  # bytecode, warm cache
            warm = [cpu_seconds(command, {**env, "CCHC_CACHE_DIR": str(warm_cache)}, tree)
                    for _ in range(args.repeat)]
            cold = []
            for i in range(args.repeat if cached else 0):
                cold.append(cpu_seconds(command, {**env, "CCHC_CACHE_DIR": str(folder / f"cold-{len(results)}-{i}")}, tree))
            results.append((name, cold, warm))

    baseline = min(results[0][2])
    print(f"Start-up CPU seconds (user + system, with children), best of {args.repeat} "
          f"(median in brackets); {'no bytecode' if args.no_bytecode else 'bytecode cached'}; "
          f"extractor from {tree}")
    print(f"{'command':42} {'cold cache':>17} {'warm cache':>17} {'× baseline':>11}")
    for name, cold, warm in results:
        cold_text = f"{min(cold):.3f} ({statistics.median(cold):.3f})" if cold else "-"
        warm_text = f"{min(warm):.3f} ({statistics.median(warm):.3f})"
        print(f"{name:42} {cold_text:>17} {warm_text:>17} {min(warm) / baseline:>10.1f}×")
    extract_txt = min(results[3][2])
    print(f"one-file extract of a .txt, warm: {extract_txt:.3f} s "
          f"({'under' if extract_txt < TARGET_EXTRACT else 'over'} the {TARGET_EXTRACT} s target)")


if __name__ == "__main__":
    main()
