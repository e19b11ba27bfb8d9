"""Page images (JPEG, PNG, TIFF with one page per frame, BMP, GIF): OCR with Tesseract."""
from __future__ import annotations

from pathlib import Path

from ..document import Document
from .builder import TextBuilder
from .options import ReadOptions
from .errors import ReadError, ReadWarning

MAX_PIXELS = 12_000 * 12_000  # decompression-bomb guard: A0 at 300 dpi is 9,933 x 14,043


def _gray(frame):
    """A frame in grayscale, its size checked before it is decoded (a TIFF's frames differ)."""
    if frame.width * frame.height > MAX_PIXELS:
        raise ValueError(f"{frame.width}x{frame.height} pixels, over {MAX_PIXELS}")
    return frame.convert("L")


def read_image(path: Path, shown: str, kind: str, options: ReadOptions) -> Document:
    from PIL import Image, ImageSequence, UnidentifiedImageError

    from .ocr import header_warnings, missing_tool, run_ocr

    if options.ocr == "never":
        raise ReadError("no_text_ocr_off", shown, format=kind)
    tool = missing_tool(options.ocr_lang)
    if tool:
        raise ReadError("tool_missing", shown, tool=tool, format=kind)
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        image = Image.open(path)
        frames = getattr(image, "n_frames", 1)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ReadError("corrupt", shown, format=kind, reason=str(exc)[:120]) from None
    if image.width * image.height > MAX_PIXELS:  # Pillow itself only refuses twice as many
        raise ReadError("corrupt", shown, format=kind,
                        reason=f"{image.width}x{image.height} pixels, over {MAX_PIXELS}")
    if frames > options.max_pages:
        raise ReadError("too_many_pages", shown, pages=frames, limit=options.max_pages)
    dpi_info = image.info.get("dpi") or (0, 0)
    try:
        dpi = int(round(float(dpi_info[0])))
    except (TypeError, ValueError, IndexError):
        dpi = 0
    dpi = dpi if 70 <= dpi <= 1200 else options.dpi

    def renderers():
        for index, frame in enumerate(ImageSequence.Iterator(image)):
            yield index, (lambda frame=frame: _gray(frame))

    with image:
        run = run_ocr(renderers(), lang=options.ocr_lang, dpi=dpi, jobs=options.jobs,
                      timeout=options.ocr_timeout, max_pages=options.max_ocr_pages)
    builder = TextBuilder()
    warnings = []
    for index in range(frames):
        page = run.pages.get(index)
        builder.start_page(index + 1)
        if page is None:
            continue
        if page.error and page.error != "timeout":
            warnings.append(ReadWarning("ocr_page_failed", shown, page=index + 1, reason=page.error))
            continue
        for para in page.paragraphs:
            builder.add_paragraph(para)
        builder.set_page_quality(True, page.quality)
    warnings += header_warnings(run, shown)
    done = sum(1 for p in run.pages.values() if not p.error)
    if run.timed_out:
        if not done:
            raise ReadError("ocr_timeout", shown, limit=options.ocr_timeout, done=0, total=frames)
        warnings.append(ReadWarning("ocr_timeout", shown, limit=options.ocr_timeout, done=done,
                                    total=frames))
    return Document(path=shown, sha256="", format="image", text=builder.text(), pages=builder.pages(),
                    notes=[f"OCR ({options.ocr_lang}, {dpi} dpi) of {kind} image, {frames} page(s)"],
                    warnings=warnings)
