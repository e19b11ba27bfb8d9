"""HTML pages: the article or document body only, with trafilatura.

Menus, sidebars, "related documents" lists, visitor counters, scripts and footers are not the
document; trafilatura (a maintained main-content extractor) keeps the body, its paragraphs,
lists and tables in reading order. Tables come out as rows of cells.
"""
from __future__ import annotations

from ..document import Document
from .builder import TextBuilder
from .text import blank_chrome, decode_text
from .errors import ReadError


def read_html(data: bytes, shown: str) -> Document:
    import trafilatura
    from lxml import etree

    decoded = decode_text(data)
    if decoded is None:
        raise ReadError("binary_file", shown, format="HTML?")
    html, encoding = decoded
    xml = trafilatura.extract(html, output_format="xml", include_tables=True, include_comments=False,
                              include_formatting=False, include_links=False, include_images=False,
                              favor_recall=True, deduplicate=False, with_metadata=True)
    builder = TextBuilder()
    notes = [f"encoding: {encoding}", "main content extracted with trafilatura"]
    if xml:
        root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(recover=True, resolve_entities=False))
        title = root.get("title") if root is not None else None
        main = root.find("main") if root is not None else None
        if title:
            builder.add_paragraph(title)
        if main is not None:
            _walk(main, builder)
    if not builder.text().strip():
        # Not a page trafilatura recognises (a fragment, a bare table): keep all its text.
        fallback = trafilatura.html2txt(html) or ""
        for line in fallback.splitlines():
            builder.add_paragraph(line)
        notes.append("no main content found: all visible text kept")
    text, blanked = blank_chrome(builder.text())
    if blanked:
        notes.append(f"site chrome blanked: {blanked} lines")
    return Document(path=shown, sha256="", format="html", text=text, tables=builder.tables,
                    notes=notes)


_HOME = {"trang chủ", "trang chu", "home", "trang nhất"}
_SEPARATORS = {">", "»", "/", "|", "›", "→"}


def _is_navigation(element) -> bool:
    """A breadcrumb or menu list: it starts at the home page, or is half separators."""
    items = [_inline(item) for item in element.iterchildren("item")]
    if not items:
        return False
    if items[0].lower() in _HOME:
        return True
    return sum(item in _SEPARATORS for item in items) * 2 >= len(items)


def _inline(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _walk(element, builder: TextBuilder) -> None:
    for child in element:
        tag = child.tag
        if tag == "table":
            rows = []
            for row in child.iter("row"):
                rows.append([_inline(cell) for cell in row.iterchildren("cell")])
            builder.add_table(rows)
        elif tag == "list":
            if _is_navigation(child):
                continue
            _walk(child, builder)
        elif tag in ("p", "head", "item", "quote", "code"):
            if child.find(".//table") is not None or child.find("list") is not None:
                if (child.text or "").strip():
                    builder.add_paragraph(" ".join(child.text.split()))
                _walk(child, builder)
            else:
                text = _inline(child)
                if text:
                    builder.add_paragraph(("- " if tag == "item" else "") + text)
        elif tag in ("graphic", "ref"):
            continue
        else:
            if len(child):
                _walk(child, builder)
            elif _inline(child):
                builder.add_paragraph(_inline(child))
