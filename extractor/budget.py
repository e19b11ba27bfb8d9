"""A hard time and memory budget per document, enforced from outside the reading code.

:func:`process_bounded` runs :func:`extractor.pipeline.process` on one file in a child forked
from this process, warmed up before its second document: the patterns are compiled and the
readers imported once, so a document costs a fork (a few milliseconds), not a start-up. The
child

- has its data segment limited with ``RLIMIT_DATA`` (``ReadOptions.max_memory``, default
  1 GB). ``RLIMIT_AS`` was measured and rejected: a process with numpy and onnxruntime loaded
  already maps about 670 MB of address space for under 190 MB resident (thread arenas and
  stacks reserved, never touched), so an address-space limit of 1 GB fails documents that use
  little memory. ``RLIMIT_DATA`` (Linux ≥ 4.7) counts private writable mappings, which is where
  malloc, numpy, pdfium and onnxruntime put what they really use;
- is killed (its whole process group, so the ``tesseract`` processes it started go with it)
  once ``ReadOptions.timeout`` seconds of wall clock have passed (default 300), whatever it is
  doing: a loop in pdfminer, a regex, or a C extension cannot defeat it;
- dies with its parent (``PR_SET_PDEATHSIG``), so a killed ``cchc`` leaves no reader behind;
- sends its :class:`~extractor.pipeline.Processed` back pickled through a pipe.

A document over budget is a failed document with a one-line error naming it (``read_timeout``,
``memory_limit``), and the batch goes on. The OCR's own soft limit (``ocr_timeout``, which
keeps the pages done) is held under the hard one, so a long scan gives the pages read in time
with a warning rather than nothing.

Setting ``CCHC_BUDGET_STATS`` to a file name appends one JSON line per document (path,
outcome, seconds, peak resident memory): what ``bench/hostile.py`` reports.
"""
from __future__ import annotations

import ctypes
import functools
import json
import os
import pickle
import resource
import select
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .read.errors import ReadError
from .read.options import ReadOptions, current_options
from .read.paths import shown_path

DEFAULT_TIMEOUT = ReadOptions.timeout
DEFAULT_MAX_MEMORY = ReadOptions.max_memory
# Share of the hard time limit the OCR's soft limit may use.
OCR_SHARE = 0.8
# A child killed by a signal whose peak memory came this close to the limit died of it (a C
# library aborting on a failed allocation).
NEAR_LIMIT = 0.9
_PR_SET_PDEATHSIG = 1


@dataclass
class Outcome:
    """How a bounded call ended: ``ok`` (``value`` is the result), ``timeout``, ``memory``,
    ``error`` (``value`` is the exception's one-line text) or ``crashed``."""

    kind: str
    value: Any = None
    seconds: float = 0.0
    peak_rss: int = 0  # bytes


def run_bounded(function: Callable[..., Any], args: tuple = (), *, timeout: float | None,
                max_memory: int | None) -> Outcome:
    """``function(*args)`` in a forked child with a wall-clock ``timeout`` (seconds) and a
    ``max_memory`` (bytes) data-segment limit; ``None`` leaves that limit out."""
    started = time.monotonic()
    parent = os.getpid()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(function, args, write_end, parent, max_memory)
    os.close(write_end)
    chunks: list[bytes] = []
    finished = False
    try:
        deadline = None if timeout is None else started + timeout
        while True:
            wait = None if deadline is None else deadline - time.monotonic()
            if wait is not None and wait <= 0:
                break
            ready, _, _ = select.select([read_end], [], [], wait)
            if not ready:
                break
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                finished = True
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        if not finished:
            _kill(pid)
        _, status, usage = os.wait4(pid, 0)
    seconds = time.monotonic() - started
    peak = usage.ru_maxrss * 1024
    if not finished:
        return Outcome("timeout", seconds=seconds, peak_rss=peak)
    try:
        kind, value = pickle.loads(b"".join(chunks)) if chunks else ("crashed", None)
    except Exception:  # noqa: BLE001 - a child that died half-way through writing
        kind, value = "crashed", None
    if kind == "crashed" and max_memory and peak >= NEAR_LIMIT * max_memory:
        kind = "memory"
    return Outcome(kind, value, seconds, peak)


def _child(function: Callable[..., Any], args: tuple, out: int, parent: int,
           max_memory: int | None) -> None:
    status = 0
    try:
        # Its own process group, so a timeout kills the tesseract processes it started too;
        # and killed with its parent, so nothing outlives a killed cchc.
        os.setpgid(0, 0)
        die_with_parent()
        if os.getppid() != parent:
            os._exit(1)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        if max_memory:
            resource.setrlimit(resource.RLIMIT_DATA, (max_memory, max_memory))
        try:
            payload = pickle.dumps(("ok", function(*args)), protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            payload = pickle.dumps(("memory", None))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent, in one line
            payload = pickle.dumps(("error", " ".join(f"{type(exc).__name__}: {exc}".split())[:200]))
        view = memoryview(payload)
        while view:
            view = view[os.write(out, view):]
    except BaseException:  # noqa: BLE001 - nothing may escape a forked child
        status = 1
    finally:
        os._exit(status)


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent dies (Linux ``PR_SET_PDEATHSIG``)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent's process group still reaches it
        pass


def die_with(owner: int) -> None:
    """Exit as soon as process ``owner`` ends (a thread waits on its pidfd, or polls where
    there is none), and with the parent too: for worker processes whose parent is not the
    process that owns them (the fork server's children)."""
    import threading

    die_with_parent()
    try:
        fd = os.pidfd_open(owner)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):
        fd = None

    def wait() -> None:
        if fd is not None:
            select.select([fd], [], [])
        else:
            while True:
                try:
                    os.kill(owner, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=wait, name="cchc-owner-watch", daemon=True).start()


def _kill(pid: int) -> None:
    for kill in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            kill()
            return
        except ProcessLookupError:
            continue
        except PermissionError:
            continue


# A short document run once in the parent before its second fork, so every lazy loader (the
# compiled patterns, lexicons, the structure's tables) is loaded there and inherited warm. The
# first document's child loads what it needs itself: a one-file ``cchc extract`` pays for no
# warm-up run (most of what it loads comes from the cache, :mod:`extractor.cache`).
_WARM_TEXT = ("UBND TỈNH AN HÒA\nSỞ TÀI CHÍNH\nSố: 12/BC-STC\nAn Hòa, ngày 15 tháng 3 năm 2023\n"
              "BÁO CÁO\nKết quả công tác cải cách hành chính quý I năm 2023\n"
              "Căn cứ Kế hoạch số 862/KH-UBND ngày 29/3/2023; tiếp nhận 14.911 hồ sơ, trong đó "
              "4.532 hồ sơ qua mạng, đạt 30,4%; kinh phí 1.174 tỷ đồng/4.135,9 tỷ đồng (28,4%).\n")


_forked = 0  # documents this process has read in a child


@functools.lru_cache(maxsize=1)
def warm() -> None:
    from .document import Document
    from .pipeline import process

    process(Document("<warm-up>", "", "text", _WARM_TEXT))


def _process(path: str, options: ReadOptions, reconcile: bool):
    from .pipeline import process

    _name_library_output(shown_path(path))
    return process(path, options, reconcile=reconcile)


def _name_library_output(shown: str) -> None:
    """In the child reading one file: what libraries log or warn (pdfminer's "Refusing to
    execute circular reference", a decoder's warning) goes to stderr in one escaped line
    naming the file."""
    import logging
    import sys
    import warnings

    from .terminal import line

    class Named(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            return line(f"{shown}: {record.name}: {record.getMessage()}")

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(Named())
    handler.setLevel(logging.WARNING)
    logging.getLogger().handlers = [handler]

    def show(message, category, filename, lineno, file=None, source=None) -> None:
        sys.stderr.write(line(f"{shown}: {category.__name__}: {message}") + "\n")

    warnings.showwarning = show


def process_bounded(path: str, options: ReadOptions | None = None, *, reconcile: bool = True):
    """:func:`extractor.pipeline.process` of one file within the budget of ``options`` (the
    current reading options by default): over it, a failed
    :class:`~extractor.pipeline.Processed` whose error says which limit was passed."""
    from .pipeline import Processed, process

    options = options or current_options()
    if options.timeout is None and options.max_memory is None:
        return process(path, options, reconcile=reconcile)
    global _forked
    options = _clipped(options)
    if _forked:
        warm()
    _forked += 1
    outcome = run_bounded(_process, (path, options, reconcile), timeout=options.timeout,
                          max_memory=options.max_memory)
    shown = shown_path(path)
    if outcome.kind == "ok":
        result = outcome.value
    else:
        result = Processed(shown, error=_budget_error(outcome, shown, options))
    _log(shown, outcome)
    return result


def _read(path: str, options: ReadOptions):
    from .read import ReadError, read_document

    _name_library_output(shown_path(path))
    try:
        return read_document(path, options)
    except ReadError as exc:
        return exc


def read_bounded(path: str, options: ReadOptions | None = None):
    """:func:`extractor.read.read_document` within the budget (``cchc text``): the document, or
    :class:`ReadError` raised, a limit passed included."""
    options = _clipped(options or current_options())
    outcome = run_bounded(_read, (path, options), timeout=options.timeout, max_memory=options.max_memory)
    shown = shown_path(path)
    if outcome.kind == "ok":
        if isinstance(outcome.value, ReadError):
            raise outcome.value
        return outcome.value
    raise _budget_error(outcome, shown, options)


def _clipped(options: ReadOptions) -> ReadOptions:
    """The options with the OCR's soft limit held under the hard one."""
    if options.timeout is not None and options.ocr_timeout is not None:
        return options.replace(ocr_timeout=min(options.ocr_timeout, OCR_SHARE * options.timeout))
    if options.timeout is not None:
        return options.replace(ocr_timeout=OCR_SHARE * options.timeout)
    return options


def _budget_error(outcome: Outcome, shown: str, options: ReadOptions) -> ReadError:
    if outcome.kind == "timeout":
        return ReadError("read_timeout", shown, limit=_number(options.timeout))
    if outcome.kind == "memory":
        return ReadError("memory_limit", shown, limit=(options.max_memory or 0) // (1024 * 1024))
    if outcome.kind == "error":
        return ReadError("internal_error", shown, reason=outcome.value)
    return ReadError("worker_crashed", shown)


def _number(value: float | None) -> str:
    return f"{value:g}" if value is not None else "-"


def _log(path: str, outcome: Outcome) -> None:
    target = os.environ.get("CCHC_BUDGET_STATS")
    if not target:
        return
    error = None
    if outcome.kind == "ok" and outcome.value is not None and outcome.value.error is not None:
        error = outcome.value.error.message("en")
    line = {"path": path, "outcome": outcome.kind, "seconds": round(outcome.seconds, 3),
            "peak_rss": outcome.peak_rss, "error": error}
    with Path(target).open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(line, ensure_ascii=True) + "\n")


__all__ = ["DEFAULT_MAX_MEMORY", "DEFAULT_TIMEOUT", "Outcome", "die_with", "die_with_parent", "process_bounded", "read_bounded",
           "run_bounded"]
