"""Readers: turn a file into a :class:`~extractor.document.Document`.

The format is chosen by content (magic bytes), not by the file's extension:

- plain text and Markdown (:mod:`.text`): UTF-8, UTF-16, Windows-1258, TCVN3 and VNI;
  site chrome blanked out;
- HTML (:mod:`.html`): the main content only, with trafilatura;
- PDF (:mod:`.pdf`): the text layer with pdfplumber, OCR (:mod:`.ocr`, Tesseract) for pages
  that are scans, only a signature stamp, or garbled;
- images (JPEG, PNG, TIFF): OCR;
- DOCX (:mod:`.docx`): python-docx; DOC (:mod:`.doc`): antiword.

A file that cannot be read raises :class:`ReadError`, whose message is one line naming the
file. Settings (OCR mode, time limit, ...) come from :class:`ReadOptions`, passed in or set
for a block of calls with :func:`reading_options`.
"""
from __future__ import annotations

import hashlib
import os
import stat
import zipfile
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..document import Document
from .errors import ReadError, ReadWarning
from .options import OCR_MODES, ReadOptions, current_options, reading_options
from .paths import real_path, shown_path

MAX_BYTES = ReadOptions.max_bytes

# Leading bytes of binary formats.
_MAGIC = [
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP/DOCX"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "DOC/OLE"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"BM", "BMP"),
    (b"\x1f\x8b", "GZIP"),
    (b"{\\rtf", "RTF"),
    (b"PK\x05\x06", "ZIP"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "7Z"),
]
IMAGE_FORMATS = {"PNG", "JPEG", "TIFF", "BMP", "GIF"}
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta ", b"<div", b"<p>", b"<table")




def sniff_format(head: bytes) -> str:
    """The format of a file from its first bytes: a name from the magic table, or "text"."""
    for magic, name in _MAGIC:
        if head.startswith(magic):
            if name == "BMP" and not _is_bmp(head):
                continue  # text starting with "BM" (biểu mẫu ...)
            if name == "ZIP/DOCX" and b"[Content_Types].xml" not in head and b"word/" not in head:
                return "ZIP/DOCX"  # a zip whose first entry is not telling: opened to check
            return name
    # A PDF may have a few bytes of junk before its header.
    if b"%PDF-" in head[:1024]:
        return "PDF"
    return "text"


# Sizes of the BMP info headers (BITMAPCOREHEADER, INFOHEADER, V2, V3, OS/2 2.x, V4, V5).
_BMP_INFO_SIZES = {12, 40, 52, 56, 64, 108, 124}


def _is_bmp(head: bytes) -> bool:
    """A BMP file header: "BM", the file size, two reserved words (zero), the offset of the
    pixels past the headers, then an info header of a known size."""
    if len(head) < 26:
        return False
    reserved = int.from_bytes(head[6:10], "little")
    offset = int.from_bytes(head[10:14], "little")
    info = int.from_bytes(head[14:18], "little")
    return reserved == 0 and info in _BMP_INFO_SIZES and 14 + info <= offset < 1 << 28


def _looks_like_html(head: bytes) -> bool:
    start = head[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in head[:8192].lower():
        return True
    lowered = head[:8192].lower()
    return start.startswith(b"<") and sum(marker in lowered for marker in _HTML_MARKERS) >= 2


def _zip_kind(path: Path, shown: str, options: ReadOptions) -> str:
    """DOCX or another zip; a zip bomb raises.

    The sizes a zip declares are checked first (cheap), then every member is inflated once,
    counting what really comes out and stopping as soon as a limit is passed: headers that lie
    about sizes cannot get a bomb past the guard.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            packed = sum(i.compress_size for i in infos) or 1
            _check_unpacked(shown, packed, options, sum(i.file_size for i in infos),
                            sum(i.file_size for i in infos if _is_xml(i.filename)))
            unpacked = xml = 0
            for info in infos:
                with archive.open(info) as member:
                    while chunk := member.read(1 << 20):
                        unpacked += len(chunk)
                        xml += len(chunk) if _is_xml(info.filename) else 0
                        _check_unpacked(shown, packed, options, unpacked, xml)
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - zipfile, zlib, lzma, bz2: a bad zip is the file's fault
        raise ReadError("corrupt", shown, format="DOCX/ZIP", reason=_short(exc)) from None
    if "word/document.xml" in names:
        return "DOCX"
    if "xl/workbook.xml" in names:
        return "XLSX"
    if "ppt/presentation.xml" in names:
        return "PPTX"
    if "content.xml" in names and "mimetype" in names:
        return "ODF"
    return "ZIP"


def _is_xml(name: str) -> bool:
    # The XML parts are what gets parsed (in memory, several times their size).
    return name.endswith((".xml", ".rels"))


def _check_unpacked(shown: str, packed: int, options: ReadOptions, unpacked: int, xml: int) -> None:
    if (unpacked > options.max_unpacked_bytes or xml > options.max_unpacked_bytes // 4
            or (unpacked > 50_000_000 and unpacked / packed > 100)):
        raise ReadError("zip_bomb", shown, size=unpacked, packed=packed)


def _is_encrypted_ooxml(path: Path) -> bool:
    """An OLE file holding an encrypted Office Open XML package (a password-protected DOCX)."""
    needle = "EncryptedPackage".encode("utf-16-le")
    with path.open("rb") as fh:
        return needle in fh.read(1 << 20)


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_document(path: str | Path, options: ReadOptions | None = None) -> Document:
    """Read one file; raise :class:`ReadError` with a clear reason when it cannot be read."""
    options = options or current_options()
    p = Path(path)
    shown = shown_path(path)
    try:
        info = p.stat()
    except FileNotFoundError:
        raise ReadError("file_not_found", shown) from None
    except OSError as exc:
        raise ReadError("unreadable", shown, reason=exc.strerror or type(exc).__name__) from None
    if stat.S_ISDIR(info.st_mode):
        raise ReadError("not_a_file", shown)
    if not stat.S_ISREG(info.st_mode):  # a FIFO or /dev/zero is never opened, let alone hashed
        raise ReadError("not_regular_file", shown, kind=_file_kind(info.st_mode))
    try:
        size = info.st_size
        if size > options.max_bytes:
            raise ReadError("too_large", shown, size=size, limit=options.max_bytes)
        if size == 0:
            raise ReadError("empty_file", shown)
        with p.open("rb") as fh:
            head = fh.read(8192)
        sha256 = _hash(p)
    except OSError as exc:
        raise ReadError("unreadable", shown, reason=exc.strerror or type(exc).__name__) from exc
    kind = sniff_format(head)
    if kind == "ZIP/DOCX":
        kind = _zip_kind(p, shown, options)
    try:
        document = _dispatch(kind, p, shown, head, options)
    except ReadError:
        raise
    except MemoryError:
        if options.max_memory:
            raise ReadError("memory_limit", shown, limit=options.max_memory // (1024 * 1024)) from None
        raise ReadError("too_large", shown, size=size, limit=options.max_bytes) from None
    except RecursionError:
        raise ReadError("corrupt", shown, format=kind, reason="nesting too deep") from None
    except OSError as exc:
        raise ReadError("unreadable", shown, reason=exc.strerror or type(exc).__name__) from exc
    except Exception as exc:  # noqa: BLE001 - a parser's failure on a bad file is the file's fault
        raise ReadError("corrupt", shown, format=kind, reason=_short(exc)) from None
    document.sha256 = sha256
    if not document.text.strip():
        raise ReadError("no_text", shown, format=kind)
    return document


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _dispatch(kind: str, p: Path, shown: str, head: bytes, options: ReadOptions) -> Document:
    if kind == "PDF":
        from .pdf import read_pdf
        return read_pdf(p, shown, options)
    if kind == "DOCX":
        from .docx import read_docx
        return read_docx(p, shown, options)
    if kind == "DOC/OLE":
        if _is_encrypted_ooxml(p):
            raise ReadError("encrypted", shown, format="DOCX")
        from .doc import read_doc
        return read_doc(p, shown, options)
    if kind in IMAGE_FORMATS:
        from .image import read_image
        return read_image(p, shown, kind, options)
    if kind != "text":
        raise ReadError("unsupported_format", shown, format=kind)
    data = p.read_bytes()
    if _looks_like_html(head):
        from .html import read_html
        return read_html(data, shown)
    from .text import read_text
    return read_text(data, shown)


# File kinds picked up when a folder is walked; files named on the command line are always read.
DOCUMENT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".doc",
                     ".jpg", ".jpeg", ".png", ".tif", ".tiff"}


# The tool's own reports, written into a corpus folder, are not documents of it.
OWN_REPORTS = ("audit-report.html",)


def iter_inputs(paths: Iterable[str], *, follow_links: bool | None = None,
                on_skip: Callable[[ReadWarning], None] | None = None) -> Iterator[str]:
    """Files named, and document files under folders named (recursively, in sorted order).

    Only regular files are given, and that is checked before anything is read: a FIFO, a
    device or a socket (named, or met in a folder) is skipped with a warning (``on_skip``).
    Inside folders, gold files (``*.gold.json``), README files and the tool's own
    ``audit-report.html`` are not documents, and a symbolic link whose target lies outside
    the folder named is not followed unless ``follow_links`` (default: the current reading
    options'; a warning says so). A path that does not exist is given as it is, for the reader
    to report.
    """
    skip = on_skip or (lambda warning: None)
    if follow_links is None:
        follow_links = current_options().follow_links
    for raw in paths:
        try:
            info = os.stat(raw)
        except OSError:
            yield raw  # missing or unreadable: the reader says why, the file is recorded failed
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(raw, follow_links, skip)
        elif stat.S_ISREG(info.st_mode):
            yield raw
        else:
            skip(ReadWarning("not_regular", shown_path(raw), kind=_file_kind(info.st_mode)))


def _walk(root: str, follow_links: bool, skip: Callable[[ReadWarning], None]) -> Iterator[str]:
    top = os.path.realpath(root)
    inside = top.rstrip(os.sep) + os.sep
    seen_dirs = {top}
    pending = [root]
    found: list[str] = []
    while pending:
        folder = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            skip(ReadWarning("unreadable_folder", shown_path(folder), reason=exc.strerror or type(exc).__name__))
            continue
        for entry in entries:
            path = entry.path
            try:
                is_link = entry.is_symlink()
                info = os.stat(path) if is_link else entry.stat(follow_symlinks=False)
            except OSError:
                if entry.is_symlink():
                    continue  # a dangling link: nothing to read
                found.append(path)
                continue
            if is_link and not follow_links:
                target = os.path.realpath(path)
                if target != top and not target.startswith(inside):
                    if stat.S_ISDIR(info.st_mode) or _is_document_name(entry.name):
                        skip(ReadWarning("link_outside", shown_path(path), target=shown_path(target)))
                    continue
            if stat.S_ISDIR(info.st_mode):
                real = os.path.realpath(path)
                if real in seen_dirs or (is_link and not follow_links):
                    continue  # a loop, or a link to a folder already walked
                seen_dirs.add(real)
                pending.append(path)
            elif _is_document_name(entry.name):
                if stat.S_ISREG(info.st_mode):
                    found.append(path)
                else:
                    skip(ReadWarning("not_regular", shown_path(path), kind=_file_kind(info.st_mode)))
    yield from sorted(found, key=lambda p: Path(p).parts)


def _is_document_name(name: str) -> bool:
    return (Path(name).suffix.lower() in DOCUMENT_SUFFIXES and not name.upper().startswith("README")
            and name.lower() not in OWN_REPORTS)


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special"


__all__ = ["DOCUMENT_SUFFIXES", "OCR_MODES", "ReadError", "ReadOptions", "ReadWarning", "current_options",
           "iter_inputs", "read_document", "reading_options", "real_path", "shown_path", "sniff_format"]
