"""The header's own number and date on a scanned first page, checked value by value.

On a printed form the number (``Số: 299 /UBND-TTHC``) and the day (``ngày 15 tháng 01 năm
2025``) are often written by hand when the document is signed. Tesseract reads print well and
handwriting badly, and a misread number or day becomes a wrong fact that looks sure. So each
of these values read with low confidence, or not read while there is ink in its place, is
read again, by up to two more readers:

1. Tesseract, digits only, on the slot alone: the slot between its printed neighbours is
   cropped from the page image, the neighbours' cut strokes and specks are removed, and the
   rest is scaled to text height and read as one line of digits.
2. When the two Tesseract readings do not agree, a second recogniser of another make
   (RapidOCR, :mod:`.second_reader`) on the slot as it is on the page, uncleaned, so that a
   stroke lost in cleaning cannot mislead two readers alike.

The rule: a value is taken when two of the three readings (the page's, the re-read, the second
recogniser's) give the same number; when that number is not what the page's OCR read, it
replaces it in the text. Otherwise the value is reported as uncertain: no single reader is
trusted alone (on the Quảng Ngãi scans Tesseract's re-read takes a handwritten ``08`` for
``68`` with high confidence). The text then holds the second recogniser's reading when it
rates it more likely right than not (``SECOND_SURE``) and it can be that value (a day 1-31, a
month 1-12): it read every handwritten value of those scans right, where Tesseract's page
reading was wrong or unreadable; otherwise the page's reading stays. A value Tesseract reads with confidence as
digits (print) is not read again, so never altered.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ..normalize import fold

CONFIDENT = 70.0  # Tesseract's word confidence (0-100) above which a header value is taken as read
HEADER_SHARE = 0.35  # the header's number and date lie in the top third of the first page
MIN_STROKE = 0.45  # an ink blob shorter than this share of the line's height is a speck or a mark
TEXT_HEIGHT = 40  # pixels: the height the re-read digits are scaled to (print at 300 dpi)
INK = 160  # gray level below which a pixel is ink
# The second recogniser's score (0-1) from which its lone reading is written: more likely right
# than not. Such a value stays flagged, so a person checks it either way; what the text holds is
# then the better reader's reading (it read all 22 handwritten values of the Quảng Ngãi scans
# right, scores 0.80-1.00, where Tesseract's page reading had 4).
SECOND_SURE = 0.5

_LABEL = re.compile(r"^s[o0][.:]")  # "Số:" (folded), often run together with the number
# The "/" after the number: "/UBND-TTHC", "$/UBND-KTTH", "25/2024/QĐ-UBND"; not a scribble's.
_SLASH = re.compile(r"/(?=[\dA-ZĐ])")
# A number as a recogniser spells it, its digits possibly spaced: "0 8".
_NUMBER = re.compile(r"\d+(?:\s+\d+)*")


@dataclass
class TsvWord:
    key: tuple[int, int, int]  # Tesseract's block, paragraph and line
    left: int
    top: int
    right: int
    bottom: int
    confidence: float
    text: str


@dataclass
class HeaderValue:
    field: str  # "number", "day" or "month"
    text: str  # as the page's OCR read it ("" when it read nothing there), or as corrected
    confidence: float | None  # lowest confidence of the words it was read from
    box: tuple[int, int, int, int]  # its slot on the page image: left, top, right, bottom
    reread: str | None = None  # the digits of Tesseract's re-reading, when there was one
    ink: bool = True
    second: str | None = None  # the number the second recogniser read, when it was asked
    second_score: float = 0.0
    page_reading: str | None = None  # what the page's OCR read, when another reading replaced it
    # The line's words from the label to the word after the value, and where the value starts
    # in the first and ends in the last (character offsets), to write a corrected value there.
    words: list[TsvWord] = dataclasses.field(default_factory=list, repr=False)
    cut: tuple[int, int] = (0, 0)

    @property
    def digits(self) -> str:
        return re.sub(r"\D", "", self.text)

    @property
    def read_well(self) -> bool:
        """Digits only, read with high confidence: no second reading needed."""
        return bool(self.digits) and self.text == self.digits and (self.confidence or 0.0) >= CONFIDENT

    @property
    def agreed(self) -> str | None:
        """The number two of the three readings give (the longer spelling, "04" beside "4"),
        ``None`` when no two agree."""
        readings = [r for r in (self.digits, self.reread, self.second) if r]
        for reading in readings:
            same = [r for r in readings if int(r) == int(reading)]
            if len(same) >= 2:
                return max(same, key=len)
        return None

    @property
    def best_alone(self) -> str | None:
        """The second recogniser's lone reading, when it is sure of it and the field can hold
        it; what the text shows for a value no two readers agree on."""
        if not self.second or self.second_score < SECOND_SURE:
            return None
        limit = {"day": 31, "month": 12}.get(self.field)
        if int(self.second) == 0 or (limit and int(self.second) > limit):
            return None
        return self.second

    @property
    def certain(self) -> bool:
        if not self.text and not self.ink:
            return True  # a blank slot (an unsigned draft) is read right as blank
        return self.read_well or self.agreed is not None


def _char_width(line: list[TsvWord]) -> float | None:
    """The line's typical character width, from its words read with confidence."""
    widths = sorted((w.right - w.left) / len(w.text) for w in line
                    if w.confidence >= CONFIDENT and len(w.text) >= 3)
    return widths[len(widths) // 2] if widths else None


def _between(line: list[TsvWord], first: int, first_end: int, last: int, last_start: int,
             field: str) -> HeaderValue:
    """The value written between character ``first_end`` of word ``first`` (a printed label)
    and character ``last_start`` of word ``last`` of a line.

    Tesseract often runs a handwritten value into the printed word beside it ("ngày04",
    "$/UBND-KTTH", or a "tháng" whose box holds the "01" written after it), so the printed
    part's extent is its length in characters of the line's typical width; a following word
    read as wholly printed ("/BC-UBND") ends the value where its box begins, so that its
    tall first stroke is not taken for a digit.
    """
    label, after = line[first], line[last]
    rest = len(after.text) - last_start
    for width in (_char_width(line), None):  # the line's, else each word's own
        left = label.left + first_end * (width or (label.right - label.left) / len(label.text))
        right = after.left if last_start == 0 else (
            after.right - rest * (width or (after.right - after.left) / len(after.text)))
        if first != last:  # the printed words are no shorter than their boxes
            left, right = min(left, label.right), max(right, after.left)
        if right > left:
            break
    left, right = round(left), round(right)
    if first == last:  # "ngày04tháng" read as one word
        words, sources = [label.text[first_end:last_start]], [label]
    else:
        head, tail = label.text[first_end:], after.text[:last_start]
        words = [head] + [w.text for w in line[first + 1:last]] + [tail]
        sources = ([label] if head.strip() else []) + line[first + 1:last] + (
            [after] if tail.strip() else [])
    top = min(w.top for w in line[first:last + 1])
    bottom = max(w.bottom for w in line[first:last + 1])
    return HeaderValue(field, " ".join(w for w in words if w.strip()).strip(),
                       min((w.confidence for w in sources), default=None), (left, top, right, bottom),
                       words=line[first:last + 1], cut=(first_end, last_start))


def header_values(words: list[TsvWord], width: int, height: int) -> list[HeaderValue]:
    """The number, day and month slots of the header, from the first page's OCR words."""
    lines: dict[tuple[int, int, int], list[TsvWord]] = {}
    for word in words:
        if word.top < HEADER_SHARE * height:
            lines.setdefault(word.key, []).append(word)
    values: list[HeaderValue] = []
    number = date = False
    for line in lines.values():
        line.sort(key=lambda w: w.left)
        folded = [fold(w.text) for w in line]
        for i, text in enumerate(folded):
            if not number and _LABEL.match(text) and line[i].left < 0.5 * width:
                code = next((j for j in range(i + 1, len(line)) if _SLASH.search(line[j].text)), None)
                if code is not None:
                    values.append(_between(line, i, _LABEL.match(text).end(), code,
                                           _SLASH.search(line[code].text).start(), "number"))
                    number = True
            if not date and "ngay" in text:
                month = next((j for j in range(i, len(line)) if "thang" in folded[j]), None)
                year = None if month is None else next(
                    (j for j in range(month, len(line)) if "nam" in folded[j]), None)
                if year is not None:
                    day_end = text.index("ngay") + 4
                    values.append(_between(line, i, day_end, month, folded[month].index("thang"), "day"))
                    month_end = folded[month].index("thang") + 5
                    values.append(_between(line, month, month_end, year, folded[year].index("nam"), "month"))
                    date = True
    return values


def _strokes(image, box: tuple[int, int, int, int]):
    """The ink of the value in ``box``, ``None`` when there is none: the blobs (8-connected
    runs of ink pixels) centred in the box, tall enough to be a digit, and whole within a
    margin around it (a blob running out of it is a printed neighbour or a rule)."""
    from PIL import Image

    left, top, right, bottom = box
    line = bottom - top
    margin = round(0.5 * line)
    x0, y0 = max(0, left - margin), max(0, round(top - 0.7 * line))
    crop = image.crop((x0, y0, right + margin, round(bottom + 0.7 * line)))
    width, height = crop.size
    pixels = crop.load()
    seen = bytearray(width * height)
    keep: list[list[tuple[int, int]]] = []
    for y in range(height):
        for x in range(width):
            if seen[y * width + x] or pixels[x, y] >= INK:
                continue
            seen[y * width + x] = 1
            blob, pending = [], [(x, y)]
            while pending:
                cx, cy = pending.pop()
                blob.append((cx, cy))
                for nx in (cx - 1, cx, cx + 1):
                    for ny in (cy - 1, cy, cy + 1):
                        if 0 <= nx < width and 0 <= ny < height and not seen[ny * width + nx] \
                                and pixels[nx, ny] < INK:
                            seen[ny * width + nx] = 1
                            pending.append((nx, ny))
            xs = [p[0] for p in blob]
            ys = [p[1] for p in blob]
            whole = min(xs) > 0 and max(xs) < width - 1 and min(ys) > 0 and max(ys) < height - 1
            centred = left <= x0 + (min(xs) + max(xs)) / 2 <= right
            if whole and centred and max(ys) - min(ys) + 1 >= MIN_STROKE * line:
                keep.append(blob)
    if not keep:
        return None
    clean = Image.new("L", (width, height), 255)
    out = clean.load()
    for blob in keep:
        for point in blob:
            out[point] = 0
    points = [p for blob in keep for p in blob]
    return clean.crop((min(p[0] for p in points), min(p[1] for p in points),
                       max(p[0] for p in points) + 1, max(p[1] for p in points) + 1))


def reread(value: HeaderValue, image, read_digits) -> None:
    """Fill ``value.ink`` and ``value.reread``: ``read_digits(image)`` reads a line of digits."""
    from PIL import Image, ImageOps

    strokes = _strokes(image, value.box) if value.box[2] > value.box[0] else None
    value.ink = strokes is not None
    if strokes is None:
        return
    scale = TEXT_HEIGHT / strokes.height
    scaled = strokes.resize((max(1, round(strokes.width * scale)), TEXT_HEIGHT), Image.LANCZOS)
    value.reread = re.sub(r"\D", "", read_digits(ImageOps.expand(scaled, border=20, fill=255)))


def slot_image(value: HeaderValue, image):
    """The value's slot as it is on the page, with a quarter of its height above and below."""
    left, top, right, bottom = value.box
    pad = (bottom - top) // 4
    return image.crop((left, max(0, top - pad), right, bottom + pad))


def one_number(text: str) -> str:
    """The digits of the one number in a recogniser's reading of a slot ("574/U": "574", "g 02":
    "02" with a cut neighbour's letters); "" when it holds none, or several ("1M1" is no reading)."""
    numbers = _NUMBER.findall(text)
    return re.sub(r"\s", "", numbers[0]) if len(numbers) == 1 else ""


def correct(value: HeaderValue, digits: str) -> None:
    """Write ``digits`` in the line's words in place of what the page's OCR read in the slot;
    words left empty are to be dropped."""
    first_end, last_start = value.cut
    first, last = value.words[0], value.words[-1]
    if len(value.words) == 1:  # "ngày04tháng" read as one word
        first.text = f"{first.text[:first_end]} {digits} {first.text[last_start:]}".strip()
    else:
        first.text = f"{first.text[:first_end]} {digits}".strip()
        for word in value.words[1:-1]:
            word.text = ""
        last.text = last.text[last_start:]
    value.text = digits


def uncertain_values(words: list[TsvWord], image, read_digits, read_second) -> list[HeaderValue]:
    """The header values of a first page that its OCR did not read for sure; the words of those
    that two readings agree on are corrected in place. ``read_digits(image)`` reads a line of
    digits with Tesseract, ``read_second(image)`` a line with the second recogniser, which is
    asked only when the two Tesseract readings do not agree (its model is loaded then)."""
    result, fixed = [], []
    for value in header_values(words, image.width, image.height):
        if value.read_well:
            continue
        reread(value, image, read_digits)
        if not value.certain and value.box[2] > value.box[0]:
            text, value.second_score = read_second(slot_image(value, image))
            value.second = one_number(text)
        if not value.certain:
            result.append(value)
            if value.best_alone is not None and value.best_alone != value.text:
                fixed.append((value, value.best_alone))
        elif value.agreed is not None and value.agreed != value.text:
            fixed.append((value, value.agreed))
    # Right to left: a day and a month may share a word ("04tháng"), and writing the month
    # first leaves the offsets of the day's end in that word as they were.
    for value, digits in sorted(fixed, key=lambda pair: pair[0].box[0], reverse=True):
        value.page_reading = value.text
        correct(value, digits)
    return result
