"""OCR with Tesseract and its Vietnamese model: pages in parallel, one OCR thread each.

Each page image is rendered in this process (pdfium is not thread-safe, so one page at a
time) and piped to a ``tesseract`` process as an uncompressed TIFF; up to ``jobs`` processes
run at once, each with ``OMP_THREAD_LIMIT=1``, while the next page is being rendered. A time
limit applies to the whole file: pages not done by then are left out and reported.

Tesseract's TSV output gives words with their boxes and its own blocks, paragraphs and lines;
paragraphs are rebuilt from them, and page numbers at the top or bottom of the page dropped.
"""
from __future__ import annotations

import functools
import io
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Iterable

from . import second_reader
from .header_ocr import HeaderValue, TsvWord, uncertain_values
from .layout import Line, Word, group_lines, is_page_number, paragraphs
from .quality import measure
from .errors import ReadWarning


@dataclass
class OcrPage:
    index: int
    paragraphs: list[str] = field(default_factory=list)
    quality: float | None = None
    error: str | None = None
    seconds: float = 0.0
    # The header's handwritten number or date that OCR could not read for sure (first page).
    uncertain: list[HeaderValue] = field(default_factory=list)


@dataclass
class OcrRun:
    pages: dict[int, OcrPage]
    timed_out: bool = False
    skipped: list[int] = field(default_factory=list)  # pages not OCR'd (time or page limit)


def tesseract_path() -> str | None:
    return shutil.which("tesseract")


@functools.lru_cache(maxsize=4)
def available_languages(binary: str) -> frozenset[str]:
    try:
        out = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in (out.stdout + out.stderr).splitlines()[1:] if line.strip())


def missing_tool(lang: str) -> str | None:
    """``None`` when Tesseract with ``lang`` is installed, else what to install."""
    binary = tesseract_path()
    if not binary:
        return "tesseract (tesseract-ocr)"
    if lang not in available_languages(binary):
        return f"tesseract-ocr-{lang}"
    return None


def tesseract_command(image_path: str, lang: str, dpi: int) -> list[str]:
    return [tesseract_path() or "tesseract", image_path, "stdout", "-l", lang, "--dpi", str(dpi),
            "--psm", "3", "tsv"]


def tesseract_env() -> dict[str, str]:
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def to_image_bytes(image) -> bytes:
    """A PIL image as uncompressed grayscale TIFF (cheap to write, nothing to decode)."""
    if image.mode not in ("L", "1"):
        image = image.convert("L")
    buffer = io.BytesIO()
    image.save(buffer, format="TIFF")
    return buffer.getvalue()


_OCR_FIXES = [
    (re.compile(r"(?<![^\s(])[|l](?=\d)"), "1"),  # "ngày |3 tháng", "l6/4" → "13", "16/4"
    (re.compile(r"(?<=\d)[Oo](?=\d)"), "0"),  # "2O23" → "2023"
    (re.compile(r"[Øø](?=\d)|(?<=\d)[Øø]"), "0"),  # a slashed zero: "Ø3" → "03"
    (re.compile(r"(?<=\d)(?=(?:tháng|năm)\b)|(?<=ngày)(?=\d)"), " "),  # "04tháng", "ngày04"
    (re.compile(r"(?<=\d)[lI|](?=\d)"), "1"),  # "2l/3" → "21/3"
    (re.compile("\u0110\u00d0|\u00d0\u0110"), "\u0110"),  # one "Đ" read twice, as Đ and as Ð
]


def fix_ocr_confusions(text: str) -> str:
    """Undo Tesseract's usual letter-for-digit confusions inside numbers."""
    for pattern, replacement in _OCR_FIXES:
        text = pattern.sub(replacement, text)
    return text


def tsv_words(tsv: str) -> list[TsvWord]:
    """The words of Tesseract's TSV output (pixels, letter-for-digit confusions undone)."""
    words: list[TsvWord] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        left, top, width, height = (int(c) for c in cols[6:10])
        words.append(TsvWord((int(cols[2]), int(cols[3]), int(cols[4])), left, top, left + width,
                             top + height, float(cols[10]), fix_ocr_confusions(cols[11].strip())))
    return words


def parse_words(words: list[TsvWord], dpi: int, height_px: int) -> list[str]:
    """Paragraphs from the words of Tesseract's TSV: its lines in its reading order, joined into
    paragraphs by the same rules as a PDF text layer; page numbers at the top or bottom dropped,
    and empty words (a corrected header value's leftovers)."""
    scale = 72.0 / dpi
    words = [word for word in words if word.text]
    page_height = height_px * scale
    grouped: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        left, top = word.left * scale, word.top * scale
        grouped.setdefault(word.key, []).append(Word(
            word.text, left, left + (word.right - word.left) * scale, top,
            top + (word.bottom - word.top) * scale))
    lines: list[Line] = []
    for line_words in grouped.values():
        lines.extend(group_lines(line_words))
    lines = [line for line in lines if not (
        is_page_number(line.text) and page_height
        and (line.bottom < 0.12 * page_height or line.top > 0.9 * page_height))]
    if not lines:
        return []
    single = sorted(line.x1 for line in lines if line.single)
    right = single[int(0.9 * (len(single) - 1))] if single else max(line.x1 for line in lines)
    left = min(line.x0 for line in lines)
    return [block.text for block in paragraphs(lines, left, right)]


def ocr_image_bytes(image_bytes: bytes, lang: str, dpi: int, timeout: float | None) -> str:
    """Run Tesseract on one image; its TSV output. Raises on failure or timeout.

    The page goes through a temporary file: Tesseract takes about 0.1 s more CPU (some 7 %)
    to read a page image from its standard input than from a file."""
    with tempfile.NamedTemporaryFile(prefix="cchc-ocr-", suffix=".tif") as image_file:
        image_file.write(image_bytes)
        image_file.flush()
        done = subprocess.run(tesseract_command(image_file.name, lang, dpi), capture_output=True,
                              timeout=timeout, env=tesseract_env())
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(message[-1] if message else f"tesseract exit {done.returncode}")
    return done.stdout.decode("utf-8", "replace")


def digits_command(lang: str) -> list[str]:
    """Tesseract reading one line of digits (a header's number or day), with the English model
    when installed: trained on far more digits than the Vietnamese one."""
    binary = tesseract_path() or "tesseract"
    model = "eng" if "eng" in available_languages(binary) else lang
    return [binary, "stdin", "stdout", "-l", model, "--dpi", "300", "--psm", "7",
            "-c", "tessedit_char_whitelist=0123456789"]


def read_digits(image, lang: str, timeout: float | None) -> str:
    """The digits Tesseract reads on a one-line image; "" when it fails (the value then stays
    unconfirmed: a second reading must not cost the page)."""
    try:
        done = subprocess.run(digits_command(lang), input=to_image_bytes(image), capture_output=True,
                              timeout=timeout, env=tesseract_env())
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.decode("utf-8", "replace").strip() if done.returncode == 0 else ""


def check_header(words: list[TsvWord], image_bytes: bytes, lang: str,
                 deadline: float | None) -> list[HeaderValue]:
    """The first page's header values that OCR did not read for sure (see :mod:`.header_ocr`);
    the words of those that two readings agree on are corrected in place."""
    from PIL import Image

    image = Image.open(io.BytesIO(image_bytes))

    def digits(crop) -> str:
        return read_digits(crop, lang, None if deadline is None else max(0.1, deadline - time.monotonic()))

    return uncertain_values(words, image, digits, second_reader.read_line)


def header_warnings(run: OcrRun, shown: str) -> list:
    """One warning for each header value of the run's first page not read for sure."""
    return [ReadWarning(f"ocr_uncertain_{value.field}", shown, page=index + 1,
                        read=(value.page_reading if value.page_reading is not None else value.text) or "—",
                        reread=value.reread or "—", second=value.second or "—",
                        written=value.text or "—", confidence=round(value.confidence or 0))
            for index, page in sorted(run.pages.items()) for value in page.uncertain]


def run_ocr(pages: Iterable[tuple[int, Callable[[], object]]], *, lang: str, dpi: int, jobs: int,
            timeout: float | None, max_pages: int | None = None) -> OcrRun:
    """OCR the pages given as ``(index, render)``, ``render()`` returning a PIL image, or an
    image and its resolution (``dpi`` otherwise).

    Rendering runs in the calling thread, Tesseract in up to ``jobs`` processes at once; the
    next page is rendered while they run, so at most ``jobs + 1`` page images are in memory.
    """
    start = time.monotonic()
    deadline = start + timeout if timeout else None
    run = OcrRun({})
    slots = threading.BoundedSemaphore(jobs + 1)
    futures: list[Future] = []
    lock = threading.Lock()

    def work(index: int, image_bytes: bytes, height: int, resolution: int) -> None:
        began = time.monotonic()
        page = OcrPage(index)
        try:
            remaining = None if deadline is None else max(0.1, deadline - began)
            words = tsv_words(ocr_image_bytes(image_bytes, lang, resolution, remaining))
            if index == 0:  # before the text is made: a header value may be corrected
                try:
                    page.uncertain = check_header(words, image_bytes, lang, deadline)
                except Exception:  # noqa: BLE001 - checking the header must not cost the page's text
                    page.uncertain = []
            page.paragraphs = parse_words(words, resolution, height)
            page.quality = measure("\n".join(page.paragraphs)).score
        except subprocess.TimeoutExpired:
            page.error = "timeout"
        except Exception as exc:  # noqa: BLE001 - one page's failure must not stop the file
            page.error = " ".join(str(exc).split())[:200] or type(exc).__name__
        finally:
            page.seconds = time.monotonic() - began
            slots.release()
        with lock:
            run.pages[index] = page

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        done_count = 0
        for index, render in pages:
            if max_pages is not None and done_count >= max_pages:
                run.skipped.append(index)
                continue
            if deadline is not None and time.monotonic() >= deadline:
                run.timed_out = True
                run.skipped.append(index)
                continue
            slots.acquire()
            try:
                image = render()
                resolution = dpi
                if isinstance(image, tuple):
                    image, resolution = image
                height = image.height
                image_bytes = to_image_bytes(image)
                del image
            except Exception as exc:  # noqa: BLE001
                slots.release()
                run.pages[index] = OcrPage(index, error=f"render: {exc}"[:200])
                continue
            futures.append(pool.submit(work, index, image_bytes, height, resolution))
            del image_bytes
            done_count += 1
        for future in futures:
            future.result()
    for page in run.pages.values():
        if page.error == "timeout":
            run.timed_out = True
    return run
