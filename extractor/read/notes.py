"""Footnotes and endnotes written into the document text: the body carries each note's mark
(``[3]``) where the note is referenced, and the notes follow the body, one paragraph each,
opening with the same mark, so that a fact in a note has offsets like any other and is linked to
the place that refers to it."""
from __future__ import annotations

from typing import Iterable

from ..document import Note
from .builder import TextBuilder

_ROMAN = (("m", 1000), ("cm", 900), ("d", 500), ("cd", 400), ("c", 100), ("xc", 90), ("l", 50),
          ("xl", 40), ("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))
_ALPHABET = 26


def mark(label: str) -> str:
    return f"[{label}]"


def label(number: int, number_format: str | None) -> str:
    """The label of note ``number`` in a Word number format (``decimal``, ``lowerRoman``, ...)."""
    if number_format in ("lowerRoman", "upperRoman"):
        out, n = "", number
        for letters, value in _ROMAN:
            while n >= value:
                out, n = out + letters, n - value
        return out.upper() if number_format == "upperRoman" else out
    if number_format in ("lowerLetter", "upperLetter"):
        # Word repeats the letter past z: a … z, aa … zz.
        letter = chr(ord("a") + (number - 1) % _ALPHABET) * ((number - 1) // _ALPHABET + 1)
        return letter.upper() if number_format == "upperLetter" else letter
    return str(number)


def write_notes(builder: TextBuilder, notes: Iterable[tuple[str, str, str]]) -> list[Note]:
    """Write ``(kind, label, text)`` notes after the body, in the order they are referenced, and
    find each one's mark in the body: the first ``[label]`` after the previous mark of its kind."""
    body = builder.text()
    after: dict[str, int] = {}
    written = []
    for kind, name, text in notes:
        m = mark(name)
        at = body.find(m, after.get(kind, 0))
        anchor = None
        if at >= 0:
            anchor = (at, at + len(m))
            after[kind] = anchor[1]
        start = builder.position
        builder.add_paragraph(f"{m} {text}")
        if builder.position > start:
            written.append(Note(kind, name, start, builder.position - 1, anchor))
    return written
