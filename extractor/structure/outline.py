"""The outline of a document (I., 1., a), -, +, Điều 1., Chương I, Party I-) as a tree with
character ranges, and its sentences.

Outline markers are data (layout.yaml, `outline`), each with a rank: a marker opens a section
that runs until the next marker of the same or a higher rank. Sentences come from underthesea's
sentence splitter run on each line (a line wrapped by a crawler, whose next line starts in lower
case, is joined first), so list items and headings stay sentences of their own.
"""
from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path
from typing import Callable, Iterable

from .data import layout
from .lines import Line, clean
from .model import Section, Sentence

_MARKER_FIRST = set("0123456789IVX-+–•ĐđCcPpMmABD")
_MARKER_FIRST |= set("abcdefghiklmnopqrstuvxyz")


def build_outline(text: str, lines: Iterable[Line], skip: list[tuple[int, int]], end: int) -> list[Section]:
    """Sections of the lines given (in order), leaving out lines inside ``skip`` spans."""
    rules = layout().outline
    roots: list[Section] = []
    stack: list[Section] = []
    merged: list[list[int]] = []
    for a, b in sorted(skip):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    k = 0
    for line in lines:
        raw = line.text.lstrip(" \t*|#_")
        if not raw or raw[0] not in _MARKER_FIRST:
            continue
        while k < len(merged) and merged[k][1] <= line.start:
            k += 1
        if k < len(merged) and merged[k][0] <= line.start:
            continue
        content = clean(line.text)
        for rule in rules:
            m = rule.regex.match(content)
            if m is None:
                continue
            label = m.groupdict().get("label") if rule.path else None
            if rule.path and label is None:
                label = ""
            shown = rule.path.format(label=label).strip() if rule.path else None
            while stack and stack[-1].rank >= rule.rank:
                stack.pop().end = line.start
            parent_path = stack[-1].path if stack else ""
            path = ".".join(p for p in (parent_path, shown) if p) if shown else parent_path
            start = line.start + (len(line.text) - len(line.text.lstrip(" \t*|#_")))
            node = Section(rule.id, rule.rank, shown, path, start, end, line.end, content[:200])
            (stack[-1].children if stack else roots).append(node)
            stack.append(node)
            break
    for node in stack:
        node.end = end
    _close(roots, end)
    return roots


def _close(nodes: list[Section], end: int) -> None:
    """A section ends where its next sibling starts (or where its parent ends)."""
    for i, node in enumerate(nodes):
        node.end = min(node.end, nodes[i + 1].start) if i + 1 < len(nodes) else min(node.end, end)
        _close(node.children, node.end)


def logical_lines(lines: list[Line]) -> list[tuple[int, int]]:
    """Content ranges of lines, a wrapped line (starting in lower case right under a line with
    text) joined to the one it continues."""
    units: list[list[int]] = []
    previous_had_text = False
    for line in lines:
        stripped = line.text.strip(" \t*|#_")
        if not stripped:
            previous_had_text = False
            continue
        start = line.start + len(line.text) - len(line.text.lstrip(" \t*|#_"))
        end = line.start + len(line.text.rstrip(" \t*|#_"))
        if units and previous_had_text and stripped[0].islower():
            units[-1][1] = end
        else:
            units.append([start, end])
        previous_had_text = True
    return [(a, b) for a, b in units]


@functools.lru_cache(maxsize=1)
def _sent_tokenize() -> Callable[[str], list[str]]:
    """underthesea's sentence splitter, without the rest of underthesea.

    ``import underthesea`` loads every pipeline it has (the NER, POS and chunking models with
    numpy, joblib and requests): 0.6 s of CPU at every start, for a splitter that is one
    pure-Python module reading one JSON file beside it (underthesea 9). That module is run
    from underthesea's own files by itself; where underthesea is imported already, or another
    version's splitter needs the rest of the package, the package's own function is used.
    """
    if "underthesea" not in sys.modules:
        try:
            package = importlib.util.find_spec("underthesea")
            path = Path(package.submodule_search_locations[0]) / "pipeline" / "sent_tokenize" / "__init__.py"
            spec = importlib.util.spec_from_file_location("_underthesea_sent_tokenize", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module.sent_tokenize
        except (ImportError, OSError, AttributeError, TypeError):
            pass
    from underthesea import sent_tokenize

    return sent_tokenize


def split_sentences(text: str, lines: list[Line]) -> list[Sentence]:
    sent_tokenize = _sent_tokenize()
    sentences: list[Sentence] = []
    for start, end in logical_lines(lines):
        chunk = text[start:end]
        # No sentence end before the last character: the line is one sentence (the splitter
        # would say so too, at a far higher cost).
        body = chunk[:-1]
        if "." not in body and "?" not in body and "!" not in body:
            sentences.append(Sentence(len(sentences), start, end))
            continue
        cursor = 0
        for piece in sent_tokenize(chunk):
            at = chunk.find(piece, cursor)
            if at < 0:  # the splitter changed the text: keep the rest as one sentence
                break
            sentences.append(Sentence(len(sentences), start + at, start + at + len(piece)))
            cursor = at + len(piece)
        else:
            continue
        if cursor < len(chunk) and chunk[cursor:].strip():
            sentences.append(Sentence(len(sentences), start + cursor, end))
    return sentences
