"""Word 97-2003 (.doc) with antiword: paragraphs and tables in order, footnotes at the end.

antiword's DocBook output (``-x db``) keeps the structure: paragraphs, tables as rows of
entries, explicit page breaks (``<beginpage/>``) and where each footnote is referenced (an empty
``<footnote>``, written as its mark ``[n]``: antiword numbers them in order); its text output
gives the footnotes' text.
A .doc typed in a legacy font (TCVN3, VNI) comes out as the font's Windows-1252 characters
and is converted to Unicode by content, antiword not giving font names.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from ..document import Document
from . import legacy
from .builder import TextBuilder
from .notes import mark, write_notes
from .options import ReadOptions
from .errors import ReadError

TIMEOUT = 120


def _antiword(path: Path, shown: str, args: list[str]) -> bytes:

    binary = shutil.which("antiword")
    if not binary:
        raise ReadError("tool_missing", shown, tool="antiword", format="DOC")
    try:
        done = subprocess.run([binary, *args, str(path)], capture_output=True, timeout=TIMEOUT,
                              env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    except subprocess.TimeoutExpired:
        raise ReadError("corrupt", shown, format="DOC", reason=f"antiword took over {TIMEOUT} s") from None
    err = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0 or not done.stdout.strip():
        lowered = err.lower()
        if "encrypt" in lowered or "password" in lowered:
            raise ReadError("encrypted", shown, format="DOC")
        if "not a word document" in lowered or "is not a" in lowered:
            raise ReadError("unsupported_format", shown, format="OLE (không phải Word / not Word)")
        reason = " ".join(err.split())[:120] or f"antiword exit {done.returncode}"
        raise ReadError("corrupt", shown, format="DOC", reason=reason)
    return done.stdout


# Word stores a typed 0xAD (TCVN3 "ư") as its optional hyphen, 0x1F, which antiword drops.
# In a TCVN3 document the file is read again with each 0x1F between letters swapped for a
# dagger (unused by TCVN3), which is turned back into 0xAD before conversion.
_HYPHEN_UTF16 = re.compile(rb"(?<=[A-Za-z\xa0-\xff]\x00)\x1f\x00(?=[A-Za-z\xa0-\xff]\x00)")
_HYPHEN_8BIT = re.compile(rb"(?<=[A-Za-z\xa0-\xff])\x1f(?=[A-Za-z\xa0-\xff])")
_MARK = "\u2020"


def _structure(path: Path, shown: str) -> tuple[list, list[tuple[str, str]]]:
    from lxml import etree

    xml = _antiword(path, shown, ["-x", "db", "-m", "UTF-8.txt"])
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True,
                             huge_tree=False)
    root = etree.fromstring(xml, parser)
    if root is None:
        raise ReadError("corrupt", shown, format="DOC", reason="antiword gave no structure")
    blocks: list[tuple[str, object]] = []
    _walk(root, blocks, [0])
    plain = _antiword(path, shown, ["-m", "UTF-8.txt", "-w", "0"]).decode("utf-8", "replace")
    return blocks, _footnotes(plain)


def _with_hyphens_marked(path: Path, shown: str) -> tuple[list, list[tuple[str, str]]] | None:
    import tempfile

    data = path.read_bytes()
    if _MARK.encode("utf-16-le") in data or b"\x86" in data:
        return None
    patched = _HYPHEN_8BIT.sub(b"\x86", _HYPHEN_UTF16.sub(_MARK.encode("utf-16-le"), data))
    if patched == data:
        return None
    with tempfile.TemporaryDirectory(prefix="cchc-doc-") as tmp:
        copy = Path(tmp) / "marked.doc"
        copy.write_bytes(patched)
        try:
            return _structure(copy, shown)
        except ReadError:
            return None


def read_doc(path: Path, shown: str, options: ReadOptions) -> Document:
    blocks, footnotes = _structure(path, shown)
    sample = "\n".join(b[1] for b in blocks if b[0] == "para")
    encoding = legacy.detect(sample)
    restored = False
    if encoding == legacy.TCVN3:
        marked = _with_hyphens_marked(path, shown)
        if marked is not None:
            blocks, footnotes = marked
            restored = True

    def convert(s: str) -> str:
        if restored:
            s = s.replace(_MARK, "\u00ad")
        return legacy.convert(s, encoding) if encoding else s

    builder = TextBuilder()
    paged = any(kind == "page" for kind, _ in blocks)
    if paged:
        builder.start_page(1)
    for kind, value in blocks:
        if kind == "para":
            builder.add_paragraph(convert(value))
        elif kind == "table":
            builder.add_table([[convert(c) for c in row] for row in value])
        elif kind == "page" and builder.position > 0:
            builder.start_page((builder.page_number or 0) + 1)
    written = write_notes(builder, [("footnote", number, convert(text)) for number, text in footnotes])
    notes = ["antiword"]
    if encoding:
        notes.append(f"legacy font encoding {legacy.NAMES[encoding]} converted to Unicode"
                     + (" (0xAD 'ư' restored from Word's optional hyphens)" if restored else ""))
    notes.append("pages from explicit page breaks" if paged else
                 "no page breaks recorded in the file: page numbers unknown")
    if footnotes:
        notes.append(f"footnotes appended: {len(footnotes)}")
    return Document(path=shown, sha256="", format="doc", text=builder.text(),
                    pages=builder.pages() if paged else [], tables=builder.tables, notes=notes,
                    footnotes=written)


def _text(element, count: list[int]) -> str:
    """Text of an element without nested tables, a footnote as its mark; ``count`` holds the
    number of footnotes met so far."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "footnote":
            count[0] += 1
            parts.append(mark(str(count[0])))
        elif child.tag not in ("informaltable", "table"):
            parts.append(_text(child, count))
        parts.append(child.tail or "")
    return "".join(parts)


def _walk(element, blocks: list, count: list[int]) -> None:
    for child in element:
        tag = child.tag
        if tag in ("bookinfo", "title"):
            continue
        if tag == "beginpage":
            blocks.append(("page", None))
        elif tag in ("informaltable", "table"):
            rows = []
            for row in child.iter("row"):
                rows.append([" ".join(_text(entry, count).split()) for entry in row.iterchildren("entry")])
            blocks.append(("table", rows))
        elif tag == "para":
            text = "\n".join(line.strip() for line in _text(child, count).strip("\n").split("\n"))
            if text.strip():
                blocks.append(("para", " ".join(text.split("\n")).strip()))
            _walk_nested(child, blocks, count)
        else:
            _walk(child, blocks, count)


def _walk_nested(para, blocks: list, count: list[int]) -> None:
    """Tables and page breaks inside a paragraph element."""
    for child in para:
        if child.tag in ("informaltable", "table", "beginpage"):
            _walk([child], blocks, count)


_FOOTNOTE_RULE = re.compile(r"\n-{10,}\n")
_FOOTNOTE = re.compile(r"^\s*\[(\d+)\]\s*(.+)$")


def _footnotes(plain: str) -> list[tuple[str, str]]:
    """The ``[n] text`` footnotes antiword prints after a rule at the end of its text output,
    as ``(n, text)``."""
    parts = _FOOTNOTE_RULE.split(plain)
    if len(parts) < 2:
        return []
    notes = []
    for line in parts[-1].splitlines():
        m = _FOOTNOTE.match(line)
        if m:
            notes.append((m.group(1), m.group(2).strip()))
        elif notes and line.strip():
            notes[-1] = (notes[-1][0], notes[-1][1] + " " + line.strip())
    return notes
