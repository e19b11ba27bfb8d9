"""Reader settings: OCR mode and limits, set per call or for a block of calls (the CLI)."""
from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import os
from dataclasses import dataclass
from typing import Iterator

OCR_MODES = ("auto", "always", "never")


@dataclass(frozen=True)
class ReadOptions:
    """How files are read.

    ``ocr``: ``auto`` OCRs only pages whose text layer is empty, only a signature stamp, or
    garbled; ``always`` OCRs every page of a PDF; ``never`` keeps the text layer as it is.
    ``ocr_timeout``: seconds of OCR allowed per file (``None``: no limit); pages not done by
    then are left out with a warning. ``max_ocr_pages``: OCR at most that many pages per file.
    """

    ocr: str = "auto"
    ocr_timeout: float | None = 900.0
    ocr_lang: str = "vie"
    dpi: int = 300
    jobs: int = max(1, os.cpu_count() or 1)
    max_ocr_pages: int | None = None
    max_pages: int = 5000
    max_bytes: int = 200 * 1024 * 1024
    # Unpacked size allowed for a DOCX (a zip): more, or a wild packing ratio, is a zip bomb.
    max_unpacked_bytes: int = 512 * 1024 * 1024
    # The hard budget of one document (extractor.budget): wall-clock seconds and memory
    # (bytes of data segment, RLIMIT_DATA) of the process reading it; ``None``: no limit.
    timeout: float | None = 300.0
    max_memory: int | None = 1024 * 1024 * 1024
    # Follow symbolic links that lead out of a folder walked (iter_inputs).
    follow_links: bool = False

    def __post_init__(self) -> None:
        if self.ocr not in OCR_MODES:
            raise ValueError(f"ocr must be one of {OCR_MODES}, not {self.ocr!r}")

    def replace(self, **changes: object) -> "ReadOptions":
        return dataclasses.replace(self, **changes)


_CURRENT: contextvars.ContextVar[ReadOptions] = contextvars.ContextVar(
    "cchc_read_options", default=ReadOptions())


def current_options() -> ReadOptions:
    """The options in force: the defaults, or those set by :func:`reading_options`."""
    return _CURRENT.get()


@contextlib.contextmanager
def reading_options(options: ReadOptions | None = None, **changes: object) -> Iterator[ReadOptions]:
    """Use ``options`` (or the current ones with ``changes``) for reads inside the block."""
    chosen = (options or current_options()).replace(**changes) if changes else (options or current_options())
    token = _CURRENT.set(chosen)
    try:
        yield chosen
    finally:
        _CURRENT.reset(token)
