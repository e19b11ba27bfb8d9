"""The form fields of a PDF page: what their widgets draw, and who signed when.

A digitally signed Vietnamese document often has its own number and day written by the signing
software into signature widgets laid over the blanks of its text layer (``Số:    /TB-UBND``,
``ngày    tháng 01 năm 2025``): read alone, the text layer is a blank draft, while the page as
seen says ``Số: 11 /TB-UBND``, ``ngày 08 tháng 01 năm 2025``. Other widgets are stamps: the
issuing office's block (name, e-mail, signing time) in a margin, or the signature's image.

Each widget's appearance stream (``/AP /N``) is interpreted with pdfminer, as the page is, and
its characters placed on the page through the widget's rectangle (PDF 1.7, 12.5.5). Its
signature dictionary (``/V``) gives the signer's name and the signing time (``/M``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .layout import Word

# Widgets read on one page at most: a form of thousands of fields is not a signed letter, and
# reading each one's appearance costs an interpreter run.
MAX_WIDGETS = 50
HIDDEN_FLAGS = 0b100010  # annotation flags Hidden (2) and NoView (32)
LINE_TOLERANCE = 3.0  # points: characters this close vertically are on one line (as words are grouped)

# A PDF date string (PDF 1.7, 7.9.4): "D:20250109100916+07'00'", every part after the year optional.
_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:(Z)|([+-])(\d{2})'?(\d{2})?'?)?")


@dataclass
class Widget:
    """A widget annotation: its field, what it draws (as positioned words, in pdfplumber's
    top-left coordinates) and, for a signature field, its signature's values."""

    page: int
    name: str
    field_type: str | None
    words: list[Word] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # the appearance's text, line by line
    signed_at: str | None = None  # ISO 8601, with the offset the PDF gives
    signer: str | None = None
    reason: str | None = None
    location: str | None = None


def read_widgets(page) -> list[Widget]:
    """The page's visible widgets (a pdfplumber page), in the page's annotation order.

    The annotations are resolved one level at a time: pdfplumber's ``page.annots`` resolves
    every reference recursively and never ends on the cyclic /Parent and /P links of real
    signed files."""
    from pdfminer.pdftypes import resolve1

    annots = resolve1(page.page_obj.annots) or []
    widgets = []
    for ref in annots[:MAX_WIDGETS] if isinstance(annots, list) else []:
        annot = resolve1(ref)
        if not isinstance(annot, dict) or _name(annot.get("Subtype")) != "Widget":
            continue
        if int(resolve1(annot.get("F")) or 0) & HIDDEN_FLAGS:
            continue
        parent = resolve1(annot.get("Parent"))
        parent = parent if isinstance(parent, dict) else {}
        widget = Widget(page.page_number, _text(annot.get("T") or parent.get("T")) or "",
                        _name(annot.get("FT") or parent.get("FT")))
        value = resolve1(annot.get("V") if "V" in annot else parent.get("V"))
        if isinstance(value, dict) and _name(value.get("Type")) in ("Sig", None) and "M" in value:
            widget.signed_at = pdf_date(_text(value.get("M")))
            widget.signer = _text(value.get("Name")) or None
            widget.reason = _text(value.get("Reason")) or None
            widget.location = _text(value.get("Location")) or None
        widget.words, widget.lines = _appearance(page, annot)
        widgets.append(widget)
    return widgets


def pdf_date(written: str | None) -> str | None:
    """``D:20250109100916+07'00'`` → ``2025-01-09T10:09:16+07:00``; None when it is no date."""
    m = _PDF_DATE.match(written or "")
    if not m:
        return None
    year, month, day, hour, minute, second, zulu, sign, off_h, off_m = m.groups()
    iso = f"{year}-{month or '01'}-{day or '01'}"
    if hour:
        iso += f"T{hour}:{minute or '00'}:{second or '00'}"
        if zulu:
            iso += "Z"
        elif sign:
            iso += f"{sign}{off_h}:{off_m or '00'}"
    return iso


def _appearance(page, annot: dict) -> tuple[list[Word], list[str]]:
    """The words the widget's normal appearance draws, placed on the page, and its lines."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar, LTContainer
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfminer.pdftypes import PDFStream, resolve1
    from pdfminer.utils import MATRIX_IDENTITY, apply_matrix_pt, mult_matrix
    from pdfplumber.utils import extract_words

    appearance = resolve1((resolve1(annot.get("AP")) or {}).get("N"))
    rect = [float(resolve1(v)) for v in resolve1(annot.get("Rect")) or []]
    bbox = [float(resolve1(v)) for v in resolve1(appearance.get("BBox")) or []] \
        if isinstance(appearance, PDFStream) else []
    if len(rect) != 4 or len(bbox) != 4 or int(page.page_obj.rotate or 0) % 360:
        return [], []
    matrix = tuple(float(resolve1(v)) for v in resolve1(appearance.get("Matrix")) or MATRIX_IDENTITY)
    corners = [apply_matrix_pt(matrix, (x, y)) for x in bbox[::2] for y in bbox[1::2]]
    bx0, by0 = min(x for x, _ in corners), min(y for _, y in corners)
    bx1, by1 = max(x for x, _ in corners), max(y for _, y in corners)
    rx0, rx1 = sorted(rect[::2])
    ry0, ry1 = sorted(rect[1::2])
    if bx1 <= bx0 or by1 <= by0:
        return [], []
    sx, sy = (rx1 - rx0) / (bx1 - bx0), (ry1 - ry0) / (by1 - by0)
    to_rect = (sx, 0.0, 0.0, sy, rx0 - sx * bx0, ry0 - sy * by0)
    mb_x0, mb_y0 = float(page.mediabox[0]), float(page.mediabox[1])
    to_page = (1.0, 0.0, 0.0, 1.0, -mb_x0, -mb_y0)  # pdfminer's page space, as page text is read

    device = PDFPageAggregator(page.pdf.rsrcmgr, laparams=None)
    interpreter = PDFPageInterpreter(page.pdf.rsrcmgr, device)
    device.begin_page(page.page_obj, to_page)
    interpreter.render_contents(resolve1(appearance.get("Resources")) or {}, [appearance],
                                ctm=mult_matrix(mult_matrix(matrix, to_rect), to_page))
    device.end_page(page.page_obj)
    layout = device.get_result()

    height, mb_top = float(page.height), float(page.mediabox[1])
    chars, pending = [], [iter(layout._objs)]
    while pending:
        obj = next(pending[-1], None)
        if obj is None:
            pending.pop()
        elif isinstance(obj, LTContainer):
            pending.append(iter(obj._objs))
        elif isinstance(obj, LTChar):
            top = (height - obj.y1) + mb_top
            chars.append({"text": obj.get_text(), "x0": obj.x0 + mb_x0, "x1": obj.x1 + mb_x0,
                          "top": top, "bottom": (height - obj.y0) + mb_top, "doctop": top,
                          "upright": obj.upright})
    raw = extract_words(chars, x_tolerance=3, y_tolerance=LINE_TOLERANCE, keep_blank_chars=False,
                        use_text_flow=False)
    words = [Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"]) for w in raw]
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and abs(lines[-1][0].top - word.top) <= LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return words, [" ".join(w.text for w in sorted(line, key=lambda w: w.x0)) for line in lines]


def _name(value) -> str | None:
    from pdfminer.psparser import PSLiteral
    from pdfminer.pdftypes import resolve1

    value = resolve1(value)
    if isinstance(value, PSLiteral):
        name = value.name
        return name.decode("latin-1") if isinstance(name, bytes) else str(name)
    return None


def _text(value) -> str:
    """A PDF text string (UTF-16 with its BOM, or PDFDocEncoding) as text."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    value = resolve1(value)
    if isinstance(value, bytes):
        return decode_text(value).strip()
    return value.strip() if isinstance(value, str) else ""
