"""The document a reader produces: its text, where it came from, its pages and tables."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    """A page's character range in the document text, and how its text was obtained."""

    number: int
    start: int
    end: int
    ocr: bool = False
    # Share of the page's words that look like Vietnamese text (0..1); None when not measured.
    quality: float | None = None


@dataclass(frozen=True)
class Cell:
    text: str
    start: int | None = None  # offsets of the cell's text in the document text, when it is there
    end: int | None = None


@dataclass(frozen=True)
class Note:
    """A footnote or endnote: the range of its paragraph in the document text (written after the
    body, opening with its mark, ``[3] …``) and the range of its mark in the body, when found."""

    kind: str                  # footnote | endnote
    label: str                 # as the document numbers it: "3", "iv"
    start: int
    end: int
    anchor: tuple[int, int] | None = None


@dataclass(frozen=True)
class SignatureField:
    """A signature field of a signed PDF, or a widget that draws text: what its widget shows
    and who signed when. A ``fill`` writes a value into a blank of the text layer (the number
    in ``Số:    /TB-UBND``, the day), which the text then holds at ``[start, end)``; a
    ``stamp`` stands apart (the issuing office's block, the signature's image)."""

    field: str                 # the form field's name
    page: int
    kind: str                  # fill | stamp
    text: str                  # what the widget draws, line by line ("" for an image)
    signed_at: str | None = None   # the signature's time (/M), ISO 8601 with its offset
    signer: str | None = None
    reason: str | None = None
    location: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Table:
    page: int | None
    rows: list[list[Cell]]


@dataclass
class Document:
    """Text that facts' offsets index into, with its source, pages (none for plain text),
    tables, and notes on what the reader did (encoding conversion, OCR, boilerplate removed)."""

    path: str
    sha256: str
    format: str
    text: str
    pages: list[Page] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Problems the reader met that did not stop it (OCR time limit reached, a page that could
    # not be OCR'd, ...): ``extractor.read.ReadWarning`` objects with a one-line message.
    warnings: list = field(default_factory=list)
    # Running page headers and footers (DOCX header/footer parts, lines repeated at the top or
    # bottom of PDF pages): kept apart from the text, so no fact comes from them.
    headers_footers: list[str] = field(default_factory=list)
    # Footnotes and endnotes (DOCX, DOC): their text is part of ``text``, after the body.
    footnotes: list[Note] = field(default_factory=list)
    # A PDF's signature fields and text widgets (see SignatureField), in page order.
    signatures: list[SignatureField] = field(default_factory=list)

    def note_at(self, start: int, end: int) -> Note | None:
        """The note whose paragraph holds ``[start, end)``."""
        for note in self.footnotes:
            if note.start <= start and end <= note.end:
                return note
        return None

    def page_ranges(self) -> list[tuple[int, int, int]]:
        return [(p.number, p.start, p.end) for p in self.pages]
