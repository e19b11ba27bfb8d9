"""The extraction side of an ingest: read one file and extract everything the archive keeps.

Runs in worker processes (the writer stays in the main process). Importing this module
compiles the patterns, so workers forked from a server that preloaded it start warm.
"""
from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from .. import __version__
from ..messages import message
from ..patterns import patterns_dir, scan_groups
from ..budget import process_bounded
from ..pipeline import Processed
from ..read.options import ReadOptions
from ..read.paths import shown_path
from .store import Payload


@functools.lru_cache(maxsize=1)
def extractor_version() -> str:
    """The package version plus a digest of the pattern data: facts change with either."""
    digest = hashlib.sha256()
    for path in sorted(patterns_dir().glob("*.yaml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def warm() -> None:
    scan_groups()
    extractor_version()


def file_digest(path: str) -> tuple[str, int]:
    """SHA-256 of the file's bytes (as the readers compute it) and its size."""
    import stat

    if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO or a device is never read
        raise OSError(f"{path}: not a regular file")
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _metadata(result: Processed) -> dict | None:
    """The structure's metadata, with the number in its canonical form for the typed columns."""
    if result.structure is None:
        return None
    meta = result.metadata()
    meta["number"] = meta.get("canonical") or meta.get("number")
    if not meta.get("date") and meta.get("published"):
        meta["date"] = meta["published"]
    return meta


def extract_file(path: str, options: ReadOptions | None = None, lang: str = "vi",
                 digest: tuple[str, int] | None = None) -> Payload:
    """Everything the archive stores about one file, or why it could not be read.

    Never raises for a bad file: the failure is in the payload.
    """
    stored = shown_path(path)  # the name as the archive keeps it (any bytes, printable)
    try:
        result = process_bounded(path, options)
    except Exception as exc:  # noqa: BLE001 - one bad file never stops a batch
        reason = f"{type(exc).__name__}: {exc}"[:200]
        return Payload(path=stored, ok=False,
                       error=message("internal_error", "vi", path=stored, reason=reason),
                       error_shown=message("internal_error", lang, path=stored, reason=reason))
    if result.error is not None:
        sha, size = digest or (None, None)
        return Payload(path=stored, ok=False, sha256=sha, size=size, error=result.error.message("vi"),
                       error_shown=result.error.message(lang))
    document = result.document
    size = digest[1] if digest else _size(path)
    return Payload(
        path=stored, ok=True, sha256=document.sha256, size=size, format=document.format,
        text=document.text,
        pages=[{"number": p.number, "start": p.start, "end": p.end, "ocr": p.ocr,
                "quality": p.quality} for p in document.pages],
        notes=list(document.notes),
        warnings=[str(w) for w in document.warnings] + result.notes,
        facts=result.fact_records(),
        problems=[p.to_dict("vi") for p in result.problems],
        findings=result.finding_records("vi"),
        metadata=_metadata(result),
    )


def _size(path: str) -> int | None:
    try:
        return Path(path).stat().st_size
    except OSError:
        return None


warm()
