"""Archives as heavy as real ones: the public corpus, each document extracted once for real, then
copied with its figures, numbers, dates and issuing body varied so every copy is distinct.

A copy keeps its base document's text length, so the base's facts keep their offsets: each
figure has a digit or two changed in the text (and the fact's text is read again from the
changed text; its parsed value stays the base's), its own number, date and year are changed in
the header and in the metadata (numbers rising with dates, as a register gives them), its
within-document findings are the base's (their evidence at the same offsets), and its issuing body is drawn from a skewed population — a few
bodies with thousands of documents, as a province's departments have, and a long tail of small
ones — so cross-document work meets the blocks real archives have.

    from real_archive import real_payloads, build_real
    build_real("sqlite:///big.sqlite", 100_000)

Base extraction (the public corpus without OCR: scanned pages would only add OCR time to the
build, not weight to the archive) is cached in ``$TMPDIR/cchc-bench/`` by extractor version.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from archive import finish  # noqa: E402 - bench/archive.py
from extractor.archive import Archive  # noqa: E402
from extractor.archive import db as archive_db  # noqa: E402
from extractor.archive.store import Payload, write_document  # noqa: E402
from extractor.archive.worker import extract_file, extractor_version  # noqa: E402
from extractor.read import iter_inputs  # noqa: E402
from extractor.read.options import current_options  # noqa: E402

PUBLIC = ROOT.parent / "shared" / "corpus" / "public"
CACHE = Path(tempfile.gettempdir()) / "cchc-bench"
# Bodies with thousands of reports (a province's departments) take this share of the copies.
BIG_BODIES = ("stc", "snv", "sgtvt", "sxd", "skhdt")
BIG_SHARE = 0.5
SMALL_BODIES = 2000
YEARS = range(2015, 2026)
NUMBERS_PER_DAY = 8
# Share of digit runs whose last digit a copy changes.
VARIED_SHARE = 0.5
DOCUMENTS_PER_TRANSACTION = 200
_DIGITS = regex.compile(r"\d+")


def base_payloads() -> list[Payload]:
    """Every readable public document, extracted once (cached by extractor version)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    cached = CACHE / f"base-{extractor_version()}.pickle"
    if cached.exists():
        return pickle.loads(cached.read_bytes())
    if not PUBLIC.is_dir():
        raise SystemExit(f"{PUBLIC}: the public corpus is needed to build a real-document archive")
    options = current_options().replace(ocr="never")
    bases = []
    for path in sorted(iter_inputs([str(PUBLIC)])):
        payload = extract_file(path, options)
        if payload.ok and payload.text and len(payload.text) > 500:
            bases.append(payload)
    cached.write_bytes(pickle.dumps(bases))
    return bases


def _varied_text(text: str, rng: random.Random) -> str:
    chars = list(text)
    for m in _DIGITS.finditer(text):
        if rng.random() < VARIED_SHARE:
            last = m.end() - 1
            chars[last] = str((int(chars[last]) + rng.randint(1, 9)) % 10)
    return "".join(chars)


def _body(rng: random.Random) -> str:
    if rng.random() < BIG_SHARE:
        return rng.choice(BIG_BODIES)
    return f"don-vi-{int(rng.paretovariate(1.2)) % SMALL_BODIES:04d}"


def vary(base: Payload, index: int) -> Payload:
    """Copy ``index`` of a base document: same length, distinct content and identity."""
    rng = random.Random(index)
    text = _varied_text(base.text, rng)
    body = _body(rng)
    year = rng.choice(YEARS)
    day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
    # Numbers follow dates within a year, as a body's register gives them (a random number for
    # a random date would make every copy a numbering finding).
    number = str(day.timetuple().tm_yday * NUMBERS_PER_DAY + rng.randrange(NUMBERS_PER_DAY))
    facts = []
    for fact in base.facts:
        fact = dict(fact, text=text[fact["start"]:fact["end"]])
        value = fact.get("value") or {}
        if fact["kind"] == "doc_ref" and value.get("own"):
            code = value.get("code") or "KH-UBND"
            fact["value"] = dict(value, number=number, canonical=f"{number}/{code}", date=day.isoformat())
        facts.append(fact)
    meta = dict(base.metadata or {})
    code = meta.get("code") or "BC-UBND"
    meta.update(number=f"{number}/{code}", canonical=f"{number}/{code}", date=day.isoformat(),
                year=year, issuer_body=body, issuer=f"{meta.get('issuer') or 'Cơ quan'} ({body})")
    meta.pop("spans", None)
    name = Path(base.path).name
    return Payload(path=f"/real-copies/{index // 1000:04d}/{index:07d}-{name}", ok=True,
                   sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                   size=len(text.encode("utf-8")), format=base.format, text=text, pages=base.pages,
                   notes=base.notes, warnings=base.warnings, facts=facts, problems=base.problems,
                   findings=base.findings, metadata=meta)


def real_payloads(count: int) -> Iterator[Payload]:
    bases = base_payloads()
    for i in range(count):
        yield vary(bases[i % len(bases)], i)


def build_real(url: str, count: int, *, quiet: bool = False) -> tuple[Archive, float]:
    """An archive of ``count`` varied copies of the public corpus (appended to what is there)."""
    archive = Archive.open(url)
    with archive.engine.connect() as conn:
        present = conn.exec_driver_sql("SELECT count(*) FROM documents").scalar_one()
    version = extractor_version()
    now = dt.datetime.now(dt.timezone.utc)
    start = time.perf_counter()
    payloads = real_payloads(count)
    for _ in range(present):  # an archive built part way is completed, not duplicated
        next(payloads, None)
    done = present
    while done < count:
        with archive_db.writer(archive.engine).begin() as conn:
            for payload in payloads:
                write_document(conn, payload, version, now)
                done += 1
                if done % DOCUMENTS_PER_TRANSACTION == 0:
                    break
        if not quiet and (done % 5000 == 0 or done == count):
            print(f"  ... {done} documents written ({time.perf_counter() - start:.0f} s)", flush=True)
    finish(archive)
    return archive, time.perf_counter() - start


# The whole-archive audit is measured beside the streaming one up to this many documents (past
# it, it holds several GB: 0.37 MB per real document).
BASELINE_UP_TO = 10_000


def _audit_child(mode: str, url: str, jobs: int) -> None:
    """One audit of the archive at ``url`` (run in a child process, whose peak memory the
    parent reads): its seconds, parts and a digest of its JSON report, as one JSON line."""
    import json

    from extractor.archive.audit import stream_audit
    from extractor.audit import audit_archive

    digest = hashlib.sha256()
    start = time.perf_counter()
    with Archive.open(url, create=False) as archive:
        if mode == "stream":
            with stream_audit(archive, "vi", jobs=jobs) as report:
                report.write_json(lambda text: digest.update(text.encode("utf-8")))
            documents, findings, parts = report.documents, report.findings, report.seconds
        else:
            record = audit_archive(archive).to_dict("vi")
            digest.update((json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
            documents, findings, parts = len(record["documents"]), len(record["findings"]), {}
    print(json.dumps({"seconds": time.perf_counter() - start, "documents": documents, "findings": findings,
                      "parts": parts, "digest": digest.hexdigest()}), flush=True)


def _measure(mode: str, archive_file: Path, jobs: int) -> dict:
    """Audit a scratch copy of the archive (an audit stores its findings) in a child process:
    what it printed, its peak resident memory and the load average over the run."""
    import json
    import shutil
    import subprocess

    copy = archive_file.with_name(f".{archive_file.stem}-audit-{mode}{archive_file.suffix}")
    shutil.copyfile(archive_file, copy)
    try:
        load_before = os.getloadavg()[0]
        child = subprocess.Popen([sys.executable, __file__, "--audit-child", mode, f"sqlite:///{copy}",
                                  "--jobs", str(jobs)], stdout=subprocess.PIPE, text=True)
        output = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        if status != 0:
            raise SystemExit(f"{archive_file}: the {mode} audit failed ({status})")
        return {**json.loads(output), "peak_mb": usage.ru_maxrss / 1024,
                "load": (load_before + os.getloadavg()[0]) / 2}
    finally:
        copy.unlink(missing_ok=True)


def audit_growth(archives: list[Path], jobs: int, baseline_up_to: int = BASELINE_UP_TO) -> None:
    """The streaming archive audit at each size (smallest first), beside the whole-archive
    audit where it still fits: time, peak memory, and the growth from the smallest."""
    first = None
    print(f"{'documents':>9} {'path':<7} {'seconds':>8} {'peak MB':>8} {'own':>7} {'groups':>7} "
          f"{'quoted':>7} {'findings':>9} {'load':>5}  ratios")
    for archive_file in archives:
        new = _measure("stream", archive_file, jobs)
        parts = new["parts"]
        row = (f"{new['documents']:>9,} {'stream':<7} {new['seconds']:>8.1f} {new['peak_mb']:>8.0f} "
               f"{parts['documents']:>7.1f} {parts['groups']:>7.1f} {parts['findings']:>7.1f} "
               f"{new['findings']:>9,} {new['load']:>5.1f}")
        if first is None:
            first = new
        else:
            size = new["documents"] / first["documents"]
            row += (f"  {size:.1f}x documents: time {new['seconds'] / first['seconds']:.1f}x, peak memory "
                    f"{new['peak_mb'] / first['peak_mb']:.2f}x, groups "
                    f"{parts['groups'] / max(first['parts']['groups'], 1e-9):.1f}x")
        print(row, flush=True)
        if new["documents"] <= baseline_up_to:
            old = _measure("whole", archive_file, jobs)
            print(f"{old['documents']:>9,} {'whole':<7} {old['seconds']:>8.1f} {old['peak_mb']:>8.0f} "
                  f"{'':>7} {'':>7} {'':>7} {old['findings']:>9,} {old['load']:>5.1f}  "
                  f"stream/whole: time {new['seconds'] / old['seconds']:.2f}x, peak memory "
                  f"{new['peak_mb'] / old['peak_mb']:.2f}x, report identical: "
                  f"{'yes' if new['digest'] == old['digest'] else 'NO'}", flush=True)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", help="archive to build (SQLite file or PostgreSQL URL)")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--audit", nargs="+", type=Path, metavar="FILE",
                        help="instead of building: audit these SQLite archives (smallest first), "
                             "the streaming audit beside the whole-archive one")
    parser.add_argument("--baseline-up-to", type=int, default=BASELINE_UP_TO,
                        help="documents up to which the whole-archive audit is run beside")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes of the streaming audit")
    parser.add_argument("--audit-child", nargs=2, metavar=("MODE", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.audit_child:
        _audit_child(*args.audit_child, args.jobs)
        os._exit(0)
    if args.audit:
        audit_growth(args.audit, args.jobs, args.baseline_up_to)
        os._exit(0)
    if not args.url:
        parser.error("an archive URL to build, or --audit FILE...")
    built, seconds = build_real(args.url, args.count)
    size = archive_db.file_size(built.url)
    print(f"{args.count} documents in {seconds:.0f} s" + (f"; {size:,} bytes on disk" if size else ""))
    built.close()
    os._exit(0)
