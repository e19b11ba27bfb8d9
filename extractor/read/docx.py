"""DOCX with python-docx: paragraphs and tables in reading order, headers and footers apart.

Text is taken run by run from the XML so that nothing Word shows is lost: tabs, line breaks,
non-breaking hyphens, symbols, and the soft hyphen that TCVN3 uses for ``ư``. A run set in a
legacy font (``.VnTime``, ``VNI-Times``) is converted to Unicode; a document with no font
signal is converted when its text reads as TCVN3 or VNI.

Pages: Word records where it last laid out a page (``w:lastRenderedPageBreak``); those marks
give the page numbers. A file without them (written by another program) uses its explicit
page and section breaks; a file with neither has no page numbers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..document import Document
from . import legacy
from .builder import TextBuilder
from .notes import label, mark, write_notes
from .options import ReadOptions
from .errors import ReadError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class Para:
    pieces: list[tuple[str, str | None]] = field(default_factory=list)  # text, run encoding
    breaks: list[int] = field(default_factory=list)  # piece indexes a page starts before
    rendered: list[int] = field(default_factory=list)
    break_after: bool = False  # a section break ending this paragraph


class _Fonts:
    """The font of a run: its own, else its character and paragraph styles', else the default."""

    def __init__(self, document):
        self.styles = {}
        root = document.styles.element
        for style in root.iter(W + "style"):
            self.styles[style.get(W + "styleId")] = style
        self.default = None
        for fonts in root.iter(W + "rFonts"):
            parent = fonts.getparent()
            if parent is not None and parent.getparent() is not None and \
                    parent.getparent().tag == W + "rPrDefault":
                self.default = _font_of(fonts)
        self._cache: dict[str | None, str | None] = {}

    def style_font(self, style_id: str | None) -> str | None:
        if style_id in self._cache:
            return self._cache[style_id]
        font, seen = None, set()
        current = style_id
        while current and current not in seen and font is None:
            seen.add(current)
            style = self.styles.get(current)
            if style is None:
                break
            fonts = style.find(f"{W}rPr/{W}rFonts")
            font = _font_of(fonts) if fonts is not None else None
            based = style.find(W + "basedOn")
            current = based.get(W + "val") if based is not None else None
        self._cache[style_id] = font
        return font

    def run_font(self, run, paragraph_style: str | None) -> str | None:
        fonts = run.find(f"{W}rPr/{W}rFonts")
        if fonts is not None and _font_of(fonts):
            return _font_of(fonts)
        style = run.find(f"{W}rPr/{W}rStyle")
        if style is not None:
            font = self.style_font(style.get(W + "val"))
            if font:
                return font
        return self.style_font(paragraph_style) or self.style_font("Normal") or self.default


def _font_of(fonts) -> str | None:
    return fonts.get(W + "ascii") or fonts.get(W + "hAnsi") or fonts.get(W + "cs")


# Deleted text of tracked changes, and the fallback copy of text boxes (already read once).
_SKIPPED = {W + "del", W + "moveFrom",
            "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}


# A note's reference in the body, by the kind of note it refers to.
_REFERENCES = {W + "footnoteReference": "footnote", W + "endnoteReference": "endnote"}
# Word's default number formats when the settings name none.
_DEFAULT_FORMATS = {"footnote": "decimal", "endnote": "lowerRoman"}


def _paragraph(p, fonts: _Fonts, labels: dict[tuple[str, str], str] | None = None) -> Para:
    """A paragraph's pieces; a note reference becomes its mark (``[3]``) by ``labels``."""
    para = Para()
    ppr = p.find(W + "pPr")
    style = None
    if ppr is not None:
        style_el = ppr.find(W + "pStyle")
        style = style_el.get(W + "val") if style_el is not None else None
        if ppr.find(W + "pageBreakBefore") is not None:
            para.breaks.append(0)
        sect = ppr.find(W + "sectPr")
        if sect is not None:
            kind = sect.find(W + "type")
            para.break_after = kind is None or kind.get(W + "val") in ("nextPage", "oddPage", "evenPage")
    for run in p.iter(W + "r"):
        if any(a.tag in _SKIPPED for a in run.iterancestors()):
            continue
        encoding = legacy.font_encoding(fonts.run_font(run, style))
        for child in run:
            tag = child.tag
            if tag == W + "t":
                para.pieces.append((child.text or "", encoding))
            elif tag == W + "tab":
                para.pieces.append(("\t", None))
            elif tag in (W + "br", W + "cr"):
                if child.get(W + "type") == "page":
                    para.breaks.append(len(para.pieces))
                else:
                    para.pieces.append(("\n", None))
            elif tag == W + "softHyphen":
                # TCVN3 writes "ư" as 0xAD, which Word stores as a soft hyphen.
                para.pieces.append(("\u00ad", encoding))
            elif tag == W + "noBreakHyphen":
                para.pieces.append(("-", None))
            elif tag == W + "sym":
                char = child.get(W + "char") or ""
                try:
                    code = int(char, 16)
                    if code >= 0xF000:
                        code -= 0xF000
                    if 0x20 <= code < 0xF000:
                        para.pieces.append((chr(code), encoding))
                except ValueError:
                    pass
            elif tag == W + "lastRenderedPageBreak":
                para.rendered.append(len(para.pieces))
            elif tag in _REFERENCES and labels and not _custom(child):
                name = labels.get((_REFERENCES[tag], child.get(W + "id")))
                if name is not None:
                    para.pieces.append((mark(name), None))
    return para


def _cell_text(tc, fonts: _Fonts, encode, labels: dict | None = None) -> str:
    parts = []
    for p in tc.iter(W + "p"):
        text = encode(_paragraph(p, fonts, labels))
        if text.strip():
            parts.append(text)
    return " ".join(" ".join(parts).split())


def read_docx(path: Path, shown: str, options: ReadOptions) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except PackageNotFoundError as exc:
        raise ReadError("corrupt", shown, format="DOCX", reason=str(exc)[:120]) from None
    except KeyError as exc:
        raise ReadError("corrupt", shown, format="DOCX", reason=f"missing part {exc}") from None
    fonts = _Fonts(document)
    body = document.element.body
    labels = _note_labels(document, body)

    # First pass: the blocks, with the raw text of each run and its font's encoding.
    blocks: list[Para | tuple] = []
    for child in _body_blocks(body):
        if child.tag == W + "p":
            blocks.append(_paragraph(child, fonts, labels))
        elif child.tag == W + "tbl":
            blocks.append(("table", child))

    raw_text = "".join(t for b in blocks if isinstance(b, Para) for t, _ in b.pieces)
    font_signal = any(enc for b in blocks if isinstance(b, Para) for _, enc in b.pieces)
    content_encoding = None
    if not font_signal:
        content_encoding = legacy.detect(raw_text)

    def encode(para: Para, start: int = 0, end: int | None = None) -> str:
        pieces = para.pieces[start:end]
        out = []
        for text, enc in pieces:
            enc = enc or content_encoding
            out.append(legacy.convert(text, enc) if enc else text.replace("\u00ad", ""))
        return "".join(out)

    rendered = any(b.rendered for b in blocks if isinstance(b, Para)) or any(
        True for _ in body.iter(W + "lastRenderedPageBreak"))
    builder = TextBuilder()
    paged = rendered or any(
        (b.breaks or b.break_after) for b in blocks if isinstance(b, Para)) or any(
        e.get(W + "type") == "page" for e in body.iter(W + "br"))
    if paged:
        builder.start_page(1)
    pending_break = False
    for block in blocks:
        if isinstance(block, Para):
            cuts = sorted(set(block.rendered if rendered else block.breaks))
            if pending_break and not rendered:
                cuts = [0] + cuts
            pending_break = block.break_after and not rendered
            # Text of the pieces between cuts, and the offsets where the pages start.
            bounds = [0] + cuts + [len(block.pieces)]
            texts = [encode(block, a, b) for a, b in zip(bounds, bounds[1:])]
            offsets, pos = [], 0
            for text in texts[:-1]:
                pos += len(text)
                offsets.append(pos)
            full = "".join(texts)
            lead = len(full) - len(full.lstrip("\n"))
            builder.add_paragraph(full, [max(0, o - lead) for o in offsets] if paged else [])
        else:
            tbl = block[1]
            if paged:
                marks = sum(1 for _ in tbl.iter(W + "lastRenderedPageBreak")) if rendered else sum(
                    1 for e in tbl.iter(W + "br") if e.get(W + "type") == "page")
                if pending_break:
                    builder.start_page((builder.page_number or 0) + 1)
                    pending_break = False
                if marks:
                    builder.start_page((builder.page_number or 0) + marks)
            builder.add_table(_table_rows(tbl, fonts, lambda p: encode(p), labels))
    notes = []
    if font_signal:
        notes.append("legacy font runs (TCVN3/VNI font names) converted to Unicode")
    elif content_encoding:
        notes.append(f"legacy font encoding {legacy.NAMES[content_encoding]} converted to Unicode")
    if paged:
        notes.append("pages from Word's last layout" if rendered else "pages from explicit page breaks")
    else:
        notes.append("no page breaks recorded in the file: page numbers unknown")
    footnotes = write_notes(builder, _notes_text(document, fonts, encode, labels))
    if footnotes:
        notes.append(f"footnotes and endnotes appended: {len(footnotes)}")
    return Document(path=shown, sha256="", format="docx", text=builder.text(),
                    pages=builder.pages() if paged else [], tables=builder.tables, notes=notes,
                    headers_footers=_headers_footers(document, fonts, encode), footnotes=footnotes)


def _body_blocks(body):
    """Paragraphs and tables of the body in order, looking inside content controls."""
    for child in body:
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent")
            yield from _body_blocks(content if content is not None else child)


def _table_rows(tbl, fonts: _Fonts, encode, labels: dict | None = None) -> list[list[str]]:
    rows = []
    for tr in tbl.iterchildren(W + "tr"):
        row = []
        for tc in tr.iterchildren(W + "tc"):
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            if merge is not None and merge.get(W + "val") in (None, "continue"):
                row.append("")  # the lower part of a vertically merged cell
                continue
            row.append(_cell_text(tc, fonts, encode, labels))
        rows.append(row)
    return rows


def _headers_footers(document, fonts: _Fonts, encode) -> list[str]:
    seen: list[str] = []
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header,
                     section.first_page_footer, section.even_page_header, section.even_page_footer):
            try:
                if part.is_linked_to_previous:
                    continue
                element = part._element
            except Exception:  # noqa: BLE001
                continue
            text = " ".join(encode(_paragraph(p, fonts)) for p in element.iter(W + "p"))
            text = " ".join(text.split())
            if text and text not in seen:
                seen.append(text)
    return seen


def _note_labels(document, body) -> dict[tuple[str, str], str]:
    """Each referenced note's label, ``(kind, id) -> "3"``: Word numbers footnotes and endnotes
    apart, in the order the body refers to them, in the format and from the number its settings
    give. A note with a mark of its own (``customMarkFollows``) takes no number: its mark is the
    text after the reference."""
    formats, starts = dict(_DEFAULT_FORMATS), {}
    try:
        settings = document.settings.element
    except Exception:  # noqa: BLE001 - a file without settings has Word's defaults
        settings = None
    for kind in _DEFAULT_FORMATS:
        properties = settings.find(f"{W}{kind}Pr") if settings is not None else None
        if properties is not None:
            fmt, start = properties.find(W + "numFmt"), properties.find(W + "numStart")
            if fmt is not None and fmt.get(W + "val"):
                formats[kind] = fmt.get(W + "val")
            if start is not None and (start.get(W + "val") or "").isdigit():
                starts[kind] = int(start.get(W + "val"))
    labels: dict[tuple[str, str], str] = {}
    counts = {kind: starts.get(kind, 1) for kind in _DEFAULT_FORMATS}
    for ref in body.iter(*_REFERENCES):
        kind = _REFERENCES[ref.tag]
        key = (kind, ref.get(W + "id"))
        if key in labels or any(a.tag in _SKIPPED for a in ref.iterancestors()):
            continue
        if _custom(ref):
            own = ref.getparent().find(W + "t")
            if own is not None and (own.text or "").strip():
                labels[key] = own.text.strip()
            continue
        labels[key] = label(counts[kind], formats[kind])
        counts[kind] += 1
    return labels


def _custom(reference) -> bool:
    """A reference whose mark is the text after it, not a number."""
    return reference.get(W + "customMarkFollows") in ("1", "true", "on")


def _notes_text(document, fonts: _Fonts, encode, labels: dict[tuple[str, str], str]) -> list[tuple[str, str, str]]:
    """The referenced footnotes, then endnotes, as ``(kind, label, text)`` in reference order."""
    from lxml import etree

    found: dict[tuple[str, str], str] = {}
    for rel in document.part.rels.values():
        if not rel.reltype.endswith(("/footnotes", "/endnotes")) or rel.is_external:
            continue
        root = etree.fromstring(rel.target_part.blob, etree.XMLParser(resolve_entities=False,
                                                                      huge_tree=False))
        tag = "footnote" if rel.reltype.endswith("/footnotes") else "endnote"
        for note in root.iter(W + tag):
            if note.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            text = " ".join(encode(_paragraph(p, fonts)) for p in note.iter(W + "p"))
            text = " ".join(text.split())
            if text:
                found[(tag, note.get(W + "id"))] = text
    return [(kind, name, found[(kind, ident)]) for (kind, ident), name in
            sorted(labels.items(), key=lambda item: item[0][0] != "footnote") if (kind, ident) in found]
