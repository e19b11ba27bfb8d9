"""PDF: the text layer with pdfplumber, OCR for the pages that need it.

pdfplumber places every character by its position, so Vietnamese glyphs drawn from a fallback
font come out in their right place (pdfminer's layout analysis and pypdfium2 scramble them).
Pages are read one at a time and their parsed objects released, so memory stays bounded on
documents of thousands of pages.

A page is OCR'd (``--ocr auto``) when its text layer is empty while the page holds a scan
(or text drawn as outlines), when a page-size image carries only a signature stamp's few
words, or when the layer is garbled (see :mod:`.quality`). A good text layer is never
re-OCR'd; ``--ocr always`` and ``--ocr never`` override the choice.
"""
from __future__ import annotations

import contextlib
import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..document import Document, SignatureField
from . import legacy
from .builder import TextBuilder
from .layout import Block, Furniture, Line, Word, group_lines, paragraphs
from .options import ReadOptions
from .pdf_fields import MAX_WIDGETS, Widget, read_widgets
from .quality import measure
from .errors import ReadError, ReadWarning

# Pixels of one page rendered for OCR: a larger page (a 14,400-pt "page" is 3.6 billion pixels
# at 300 dpi) is rendered at the resolution that fits, so its memory is bounded before rendering.
MAX_RENDER_PIXELS = 40_000_000  # A0 at about 250 dpi
STAMP_CHARS = 400
GARBLED_VALID = 0.85  # share of words that are Vietnamese syllables below which a layer is garbled  # a page-size image with less text than this carries only a stamp or a caption
# A widget drawing one short line on a line of the text layer fills a blank of it (a number, a
# day); a longer one there is a stamp that happens to stand beside the text.
FILL_MAX_WORDS = 3
LINE_OVERLAP = 0.5  # share of the lower height two boxes must share to be on one line (as words are grouped)
# A filled-in value is written into the text between these marks while the page's lines and
# paragraphs are built, so its range in the document text is known: code points of Unicode's
# supplementary private use area A, which no text layer of a real document uses.
_FILL_OPEN = 0xF0000
_FILL_CLOSE = chr(_FILL_OPEN + MAX_WIDGETS)
_FILL_MARKS = re.compile(f"[{chr(_FILL_OPEN)}-{_FILL_CLOSE}]")


@dataclass
class PageInfo:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[Block] = field(default_factory=list)
    image_cover: float = 0.0
    curves: int = 0
    error: str | None = None
    reason: str | None = None  # why the page is OCR'd
    fonts: set[str] = field(default_factory=set)
    widgets: list[Widget] = field(default_factory=list)
    fills: set[int] = field(default_factory=set)  # indexes of the widgets written into the text

    @property
    def text(self) -> str:
        return "\n".join([line.text for line in self.lines]
                         + [" ".join(row) for t in self.tables for row in t.rows or []])


def _pdf_errors():
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    return (PDFPasswordIncorrect, PDFEncryptionError), (
        PDFSyntaxError, PSException, MalformedPDFException, PdfminerException)


def read_pdf(path: Path, shown: str, options: ReadOptions) -> Document:
    import pdfplumber

    with _as_read_errors(shown):
        pdf = pdfplumber.open(path)
    with pdf:
        with _as_read_errors(shown):
            pages = pdf.pages
        if not pages:
            raise ReadError("no_pages", shown)
        if len(pages) > options.max_pages:
            raise ReadError("too_many_pages", shown, pages=len(pages), limit=options.max_pages)
        infos: list[PageInfo] = []
        furniture = Furniture(len(pages))
        for page in pages:
            info = _analyse(page)
            infos.append(info)
            furniture.observe(info.lines, info.height)
        pdf.pages.clear()  # pdfplumber keeps every Page object alive otherwise
    return _assemble(path, shown, infos, furniture, options)


@contextlib.contextmanager
def _as_read_errors(shown: str) -> Iterator[None]:
    """pdfminer's and pdfplumber's errors on opening a file as one-line read errors."""
    encrypted_errors, corrupt_errors = _pdf_errors()
    try:
        yield
    except encrypted_errors:
        raise ReadError("encrypted", shown, format="PDF") from None
    except corrupt_errors as exc:
        if _is_encrypted_cause(exc):
            raise ReadError("encrypted", shown, format="PDF") from None
        raise ReadError("corrupt", shown, format="PDF", reason=_reason(exc)) from None


def _is_encrypted_cause(exc: BaseException) -> bool:
    """pdfplumber wraps pdfminer's password errors: look through causes and arguments."""
    pending, seen = [exc], set()
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        name = type(current).__name__.lower()
        if "password" in name or "encrypt" in name or "password" in str(current).lower():
            return True
        pending += [current.__cause__, current.__context__]
        pending += [a for a in getattr(current, "args", ()) if isinstance(a, BaseException)]
    return False


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:120]


def _analyse(page) -> PageInfo:
    """The page's text lines, tables and what it holds, its parsed objects released after."""
    from pdfplumber.utils import extract_words

    try:
        width, height = float(page.width), float(page.height)
    except Exception:  # noqa: BLE001
        width, height = 595.0, 842.0
    info = PageInfo(page.page_number, width, height)
    try:
        contents = _contents(page)
        chars = contents.chars
        info.fonts = {c["fontname"] or "" for c in chars}
        info.image_cover = _image_cover(contents.images, width, height)
        info.curves = contents.curves
        info.widgets = _widgets(page)
        encodings = {f: legacy.font_encoding(f) for f in info.fonts}
        legacy_fonts = any(encodings.values())
        if chars:
            raw = extract_words(chars, x_tolerance=3, y_tolerance=3, keep_blank_chars=False,
                                use_text_flow=False,
                                extra_attrs=["fontname"] if legacy_fonts else None)
            words = [Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], w.get("fontname"))
                     for w in raw]
            words += _fills(page, words, info)

            def join(word: Word) -> str:
                return legacy.convert(word.text, encodings.get(word.font)) if legacy_fonts else word.text

            if contents.rulings >= 4:
                # Table finding reads only the page's rules (pdfplumber's page.edges, built from
                # page.objects): handing it their dicts alone spares converting every char.
                page._objects = {kind: [page.process_object(obj) for obj in shapes]
                                 for kind, shapes in contents.shapes.items()}
                words = _take_tables(page, words, join, info)
            info.lines = [_close_fill(line) for line in group_lines(words, join, join_touching=True)]
    except Exception as exc:  # noqa: BLE001 - a broken page must not lose the others
        info.error = _reason(exc)
    finally:
        try:
            page.close()
        except Exception:  # noqa: BLE001
            pass
    return info


def _widgets(page) -> list[Widget]:
    """The page's widgets; none when its form fields cannot be read (its text still is)."""
    try:
        return read_widgets(page)
    except Exception:  # noqa: BLE001 - a broken form field must not lose the page's text
        return []


def _fills(page, words: list[Word], info: PageInfo) -> list[Word]:
    """The words of the page's widgets that fill a blank of its text layer, between fill marks
    (the widget's index on the page)."""
    added: list[Word] = []
    for index, widget in enumerate(info.widgets):
        if len(widget.lines) != 1 or len(widget.words) > FILL_MAX_WORDS:
            continue
        if not any(_same_line(word, mine) for word in words for mine in widget.words):
            continue
        info.fills.add(index)
        mine = sorted(widget.words, key=lambda w: w.x0)
        for word in mine:
            word.apart = True
        mine[0].text = chr(_FILL_OPEN + index) + mine[0].text
        mine[-1].text += _FILL_CLOSE
        added += mine
    return added


def _same_line(a: Word, b: Word) -> bool:
    height = min(a.bottom - a.top, b.bottom - b.top) or 1.0
    return min(a.bottom, b.bottom) - max(a.top, b.top) >= LINE_OVERLAP * height


def _close_fill(line: Line) -> Line:
    """A filled-in value belongs to the words around its blank: the gap the blank left is no
    column break."""
    if _FILL_CLOSE in line.text:
        line.text = re.sub(f"\t(?=[{chr(_FILL_OPEN)}-{chr(_FILL_OPEN + MAX_WIDGETS - 1)}])|(?<={_FILL_CLOSE})\t",
                           " ", line.text)
        line.columns = line.text.count("\t") + 1
    return line


def _unmark(text: str) -> tuple[str, list[tuple[int, int, int]]]:
    """``text`` without its fill marks, and each fill's widget index and range in it."""
    if not _FILL_MARKS.search(text):
        return text, []
    clean: list[str] = []
    spans, opened, position = [], None, 0
    for m in _FILL_MARKS.finditer(text):
        clean.append(text[position:m.start()])
        at = sum(map(len, clean))
        if m.group() == _FILL_CLOSE:
            if opened is not None:
                spans.append((opened[0], opened[1], at))
            opened = None
        else:
            opened = (ord(m.group()) - _FILL_OPEN, at)
        position = m.end()
    clean.append(text[position:])
    return "".join(clean), spans


@dataclass
class _Contents:
    chars: list[dict] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    curves: int = 0
    rulings: int = 0  # rectangles and straight lines, which may rule a table
    shapes: dict[str, list] = field(default_factory=dict)  # layout objects by pdfplumber's kind


def _contents(page) -> _Contents:
    """What the page draws, read straight from pdfminer's layout (which pdfplumber caches).

    pdfplumber's ``page.chars`` turns every layout object into a dict of all its attributes,
    about a third of the reading time of a text page; only the few that word grouping needs are
    built here, with pdfplumber's own coordinates (top-left origin, shifted by the media box)
    and in its order (the layout's, figures walked depth-first), so its ``extract_words``
    groups them exactly as on ``page.chars``. Objects are told apart by class name, as
    pdfplumber does, so a rectangle is not also counted as a curve.
    """
    from pdfminer.layout import LTContainer
    from pdfplumber.page import fix_fontname_bytes

    contents = _Contents()
    height = page.height
    mb_x0, mb_top = page.mediabox[:2]
    doctop = page.initial_doctop
    norm = page.pdf.unicode_norm
    pending = [iter(page.layout._objs)]
    while pending:
        obj = next(pending[-1], None)
        if obj is None:
            pending.pop()
            continue
        if isinstance(obj, LTContainer):
            pending.append(iter(obj._objs))
            continue
        kind = type(obj).__name__
        if kind == "LTChar":
            fontname = obj.fontname
            if isinstance(fontname, bytes):
                fontname = fix_fontname_bytes(fontname)
            text = obj.get_text()
            top = (height - obj.y1) + mb_top
            contents.chars.append({
                "text": unicodedata.normalize(norm, text) if norm is not None else text,
                "x0": obj.x0 + mb_x0, "x1": obj.x1 + mb_x0, "top": top,
                "bottom": (height - obj.y0) + mb_top, "doctop": doctop + top,
                "upright": obj.upright, "fontname": fontname})
        elif kind == "LTImage":
            contents.images.append({"x0": obj.x0 + mb_x0, "x1": obj.x1 + mb_x0,
                                    "top": (height - obj.y1) + mb_top,
                                    "bottom": (height - obj.y0) + mb_top})
        elif kind in ("LTCurve", "LTRect", "LTLine"):
            contents.shapes.setdefault(kind[2:].lower(), []).append(obj)
            if kind == "LTCurve":
                contents.curves += 1
            else:
                contents.rulings += 1
    return contents


def _take_tables(page, words: list[Word], join, info: PageInfo) -> list[Word]:
    """Find ruled tables; fill their cells with the words inside; return the other words."""
    rest = words
    for table in page.find_tables():
        cells = [[cell for cell in row.cells] for row in table.rows]
        bins: dict[tuple[int, int], list[Word]] = {}
        x0, top, x1, bottom = table.bbox
        outside: list[Word] = []
        for word in rest:
            cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
            if not (x0 <= cx <= x1 and top <= cy <= bottom):
                outside.append(word)
                continue
            for r, row in enumerate(cells):
                for c, box in enumerate(row):
                    if box and box[0] <= cx <= box[2] and box[1] <= cy <= box[3]:
                        bins.setdefault((r, c), []).append(word)
                        break
                else:
                    continue
                break
        rows = []
        for r, row in enumerate(cells):
            texts = []
            for c, box in enumerate(row):
                inside = bins.get((r, c), [])
                lines = group_lines(inside, join, join_touching=True) if inside else []
                texts.append(" ".join(line.text.replace("\t", " ") for line in lines))
            rows.append(texts)
        if sum(1 for row in rows if sum(1 for t in row if t) >= 2) < 2:
            continue  # a frame around text, not a table
        info.tables.append(Block(float(top), rows=rows))
        rest = outside
    return rest


def _image_cover(images: list[dict], width: float, height: float) -> float:
    area = 0.0
    for image in images:
        x0, x1 = max(0.0, float(image["x0"])), min(width, float(image["x1"]))
        top, bottom = max(0.0, float(image["top"])), min(height, float(image["bottom"]))
        if x1 > x0 and bottom > top:
            area += (x1 - x0) * (bottom - top)
    return min(1.0, area / (width * height or 1.0))


def ocr_reason(info: PageInfo, mode: str) -> str | None:
    """Why this page must be OCR'd, or None to keep its text layer."""
    if mode == "never":
        return None
    if mode == "always":
        return "always"
    text = info.text
    visible = sum(1 for c in text if not c.isspace())
    if info.error:
        return "unreadable text layer"
    if visible == 0:
        return "empty text layer" if info.image_cover > 0.1 or info.curves > 100 else None
    if info.image_cover >= 0.5 and visible < STAMP_CHARS:
        return "scan with a signature stamp only"
    quality = measure(text)
    if quality.garbled and (quality.valid < GARBLED_VALID or info.image_cover >= 0.5):
        # Words that are not Vietnamese syllables, or a scan's OCR layer that lost every
        # diacritic. Well-formed syllables without tone marks on a page that is no scan are text
        # written unaccented: a text layer, not a reason to OCR every page.
        return "garbled text layer"
    return None


def _margins(infos: list[PageInfo]) -> tuple[float, float]:
    lefts, rights = [], []
    for info in infos:
        single = [line for line in info.lines if line.single]
        if len(single) >= 5:
            lefts.append(min(line.x0 for line in single))
            rights.append(max(line.x1 for line in single))
    if not rights:
        return 0.0, 0.0
    return statistics.median(lefts), statistics.median(rights)


def _assemble(path: Path, shown: str, infos: list[PageInfo], furniture: Furniture,
              options: ReadOptions) -> Document:
    from .ocr import header_warnings, missing_tool, run_ocr

    notes: list[str] = []
    warnings: list[ReadWarning] = []
    for info in infos:
        info.reason = ocr_reason(info, options.ocr)
    wanted = [info for info in infos if info.reason]
    ocr_pages = {}
    if wanted:
        tool = missing_tool(options.ocr_lang)
        if tool:
            if not any(info.lines for info in infos):
                raise ReadError("tool_missing", shown, tool=tool, format="PDF")
            warnings.append(ReadWarning("ocr_unavailable", shown, count=len(wanted), tool=tool))
        else:
            run = run_ocr(_renderers(path, [i.number - 1 for i in wanted], options.dpi),
                          lang=options.ocr_lang, dpi=options.dpi, jobs=options.jobs,
                          timeout=options.ocr_timeout, max_pages=options.max_ocr_pages)
            ocr_pages = {index + 1: page for index, page in run.pages.items() if not page.error}
            for index, page in sorted(run.pages.items()):
                if page.error and page.error != "timeout":
                    warnings.append(ReadWarning("ocr_page_failed", shown, page=index + 1, reason=page.error))
            warnings += header_warnings(run, shown)
            if run.timed_out:
                warnings.append(ReadWarning("ocr_timeout", shown, limit=options.ocr_timeout,
                                            done=len(ocr_pages), total=len(wanted)))
            elif run.skipped:
                warnings.append(ReadWarning("ocr_page_limit", shown, done=len(ocr_pages),
                                            total=len(wanted)))
            reasons = sorted({i.reason for i in wanted if i.number in ocr_pages})
            if ocr_pages:
                notes.append(f"OCR ({options.ocr_lang}, {options.dpi} dpi) on pages "
                             f"{_ranges(sorted(ocr_pages))}: {', '.join(reasons)}")
            if not ocr_pages and not any(info.lines for info in infos) and run.timed_out:
                raise ReadError("ocr_timeout", shown, limit=options.ocr_timeout, done=0,
                                total=len(wanted))
    if options.ocr == "never" and not any(info.lines or info.tables for info in infos) and any(
            info.image_cover > 0.1 for info in infos):
        raise ReadError("no_text_ocr_off", shown, format="PDF")

    # Text layers in a legacy font whose name does not say so: judge by the text itself.
    encoding = None
    if not any(legacy.font_encoding(f) for info in infos for f in info.fonts):
        sample = "\n".join(line.text for info in infos[:50] if info.number not in ocr_pages
                           for line in info.lines)
        encoding = legacy.detect(sample)
        if encoding:
            notes.append(f"legacy font encoding {legacy.NAMES[encoding]} converted to Unicode")
    elif any(legacy.font_encoding(f) for info in infos for f in info.fonts):
        notes.append("legacy font encoding (from font names) converted to Unicode")

    left, right = _margins(infos)
    builder = TextBuilder()
    headers: list[str] = []
    dropped = 0
    fill_spans: dict[tuple[int, int], tuple[int, int]] = {}  # (page, widget) → range in the text
    for info in infos:
        builder.start_page(info.number)
        ocr = ocr_pages.get(info.number)
        if ocr is not None:
            for para in ocr.paragraphs:
                builder.add_paragraph(para)
            builder.set_page_quality(True, ocr.quality)
            continue
        kept, furniture_text = furniture.split(info.lines, info.height)
        dropped += len(info.lines) - len(kept)
        for text in furniture_text:
            if text not in headers:
                headers.append(text)
        page_left = left if left else min((line.x0 for line in kept), default=0.0)
        page_right = right if right else max((line.x1 for line in kept), default=info.width)
        blocks = paragraphs(kept, page_left, page_right) + info.tables
        blocks.sort(key=lambda b: b.top)
        page_text = []
        for block in blocks:
            if block.rows is not None:
                rows = [[_unmark(" ".join(legacy.convert(c, encoding).split())) for c in row]
                        for row in block.rows]
                rows = [row for row in rows if any(text for text, _ in row)]
                table = builder.add_table([[text for text, _ in row] for row in rows], info.number)
                for row, cells in zip(rows, table.rows if table else []):
                    for (_, spans), cell in zip(row, cells):
                        for index, a, b in spans:
                            fill_spans[(info.number, index)] = (cell.start + a, cell.start + b)
                page_text.extend(" ".join(text for text, _ in row) for row in rows)
            else:
                text, spans = _unmark(legacy.convert(block.text, encoding).strip("\n"))
                for index, a, b in spans:
                    fill_spans[(info.number, index)] = (builder.position + a, builder.position + b)
                builder.add_paragraph(text)
                page_text.append(text)
        if page_text:
            builder.set_page_quality(False, measure("\n".join(page_text)).score)
    if dropped:
        notes.append(f"page numbers and running headers/footers removed: {dropped} lines")
    return Document(path=shown, sha256="", format="pdf", text=builder.text(), pages=builder.pages(),
                    tables=builder.tables, notes=notes, warnings=warnings, headers_footers=headers,
                    signatures=_signatures(infos, fill_spans))


def _signatures(infos: list[PageInfo], fill_spans: dict[tuple[int, int], tuple[int, int]]) -> list[SignatureField]:
    """The signature fields and the widgets that draw text, page by page; a filled-in value
    with its range in the text."""
    fields = []
    for info in infos:
        for index, widget in enumerate(info.widgets):
            if widget.signed_at is None and not widget.lines:
                continue
            span = fill_spans.get((info.number, index))
            fields.append(SignatureField(
                widget.name, info.number, "fill" if span else "stamp", "\n".join(widget.lines),
                widget.signed_at, widget.signer, widget.reason, widget.location,
                span[0] if span else None, span[1] if span else None))
    return fields


def _renderers(path: Path, indexes: list[int], dpi: int):
    """``(index, render)`` pairs; ``render()`` rasterises the page with pdfium at ``dpi``.

    Rasterising (rather than taking a scan's embedded image as stored) gives Tesseract the page
    as it is seen: colour ink flattened to gray the way a viewer shows it, rotations and crops
    applied; on the Quảng Ngãi scans it reads the handwritten numbers and dates better.
    """
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        for index in indexes:
            def render(index: int = index):
                page = document[index]
                try:
                    scale = render_scale(*page.get_size(), dpi)
                    bitmap = page.render(scale=scale, grayscale=True)
                    image = bitmap.to_pil()
                    bitmap.close()
                    return image, max(1, round(scale * 72))
                finally:
                    page.close()
            yield index, render
    finally:
        document.close()


def render_scale(width: float, height: float, dpi: int) -> float:
    """Pixels per point for rendering a page of ``width`` x ``height`` points at ``dpi``, lowered
    so the bitmap holds at most :data:`MAX_RENDER_PIXELS`."""
    scale = dpi / 72.0
    area = max(width, 1.0) * max(height, 1.0)
    if area * scale * scale > MAX_RENDER_PIXELS:
        scale = (MAX_RENDER_PIXELS / area) ** 0.5
    return scale


def _ranges(numbers: list[int]) -> str:
    parts: list[str] = []
    start = prev = None
    for n in numbers:
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            parts.append(f"{start}" if start == prev else f"{start}-{prev}")
            start = prev = n
    if start is not None:
        parts.append(f"{start}" if start == prev else f"{start}-{prev}")
    return ", ".join(parts)
