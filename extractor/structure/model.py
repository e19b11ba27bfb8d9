"""What the structure analysis returns: document metadata, sections, sentences, new facts and
problems, and where each fact sits in the document's outline."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from ..facts import Fact, Problem, to_jsonable


@dataclass(frozen=True, slots=True)
class StructureProblem(Problem):
    """A problem found by the structure analysis."""


@dataclass
class Section:
    """One node of the outline: a heading marker ("II.", "2.", "a)", "Điều 3.", "-") and the
    character range it governs (to the next marker of the same or a higher rank)."""

    kind: str              # outline rule id: roman, number, letter, article, dash ...
    rank: int
    label: str | None      # "II", "2", "a", "Điều 3"; None for bullets
    path: str              # "II.2.a"; a bullet has its parent's path
    start: int
    end: int
    heading_end: int       # end of the heading line
    heading: str
    children: list["Section"] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "label": self.label, "path": self.path, "start": self.start,
                "end": self.end, "heading": self.heading, "heading_end": self.heading_end,
                "children": [c.to_dict() for c in self.children]}


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int


@dataclass
class Structure:
    """The structure of one document.

    ``document`` is the metadata (JSON-ready: plain values, and under ``spans`` the text and
    offsets each value was read from); ``facts`` are the person and organization facts found;
    ``sections`` is the outline tree; ``sentences`` the sentence ranges; ``problems`` the
    problems of the document found on the way (misspelt place, unnumbered draft ...);
    ``chrome`` the ranges of page chrome.
    """

    text: str
    document: dict[str, Any]
    facts: list[Fact]
    sections: list[Section]
    sentences: list[Sentence]
    problems: list[Problem]
    # Ranges of the text that are page chrome, not the document (document-text offsets): no
    # fact is taken from them.
    chrome: list[tuple[int, int]] = field(default_factory=list)
    _flat: list[Section] = field(default_factory=list, repr=False)
    _flat_starts: list[int] = field(default_factory=list, repr=False)
    _sentence_starts: list[int] = field(default_factory=list, repr=False)
    _chrome_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        def walk(nodes: list[Section]) -> None:
            for node in nodes:
                self._flat.append(node)
                walk(node.children)

        walk(self.sections)
        self._flat.sort(key=lambda s: (s.start, -s.end))
        self._flat_starts = [s.start for s in self._flat]
        self._sentence_starts = [s.start for s in self.sentences]
        self.chrome = _merged(self.chrome)
        self._chrome_starts = [s for s, _ in self.chrome]

    def in_chrome(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` lies inside page chrome."""
        i = bisect.bisect_right(self._chrome_starts, start) - 1
        return i >= 0 and end <= self.chrome[i][1]

    def all_sections(self) -> list[Section]:
        """Every section of the tree, in document order."""
        return list(self._flat)

    def section_at(self, offset: int) -> Section | None:
        """The innermost section containing ``offset`` (ranges nest, and a section's children
        run to its end, so the nearest start before ``offset`` that contains it is innermost)."""
        i = bisect.bisect_right(self._flat_starts, offset) - 1
        while i >= 0:
            node = self._flat[i]
            if node.start <= offset < node.end:
                return node
            i -= 1
        return None

    def sentence_at(self, offset: int) -> int | None:
        i = bisect.bisect_right(self._sentence_starts, offset) - 1
        if i >= 0 and offset < self.sentences[i].end:
            return i
        return None

    def locate(self, fact: Fact | Problem | tuple[int, int]) -> dict[str, Any]:
        """Where a fact sits: its section path ("II.2", None outside any section) and the index
        of its sentence in ``sentences``."""
        start = fact[0] if isinstance(fact, tuple) else fact.start
        section = self.section_at(start)
        return {"section": section.path if section else None, "sentence": self.sentence_at(start)}

    def people(self) -> list[dict[str, Any]]:
        """Each person once, with every position the document gives them, in order."""
        merged: dict[str, dict[str, Any]] = {}
        for fact in self.facts:
            if fact.kind != "person":
                continue
            entry = merged.setdefault(fact.value["name"], {"name": fact.value["name"], "positions": [],
                                                           "qualified_positions": []})
            for key in ("positions", "qualified_positions"):
                for p in fact.value[key]:
                    if p not in entry[key]:
                        entry[key].append(p)
        return list(merged.values())

    def organizations(self) -> list[dict[str, Any]]:
        """Each body once (two provinces' departments are two bodies), with its mentions count."""
        merged: dict[str, dict[str, Any]] = {}
        for fact in self.facts:
            if fact.kind != "organization":
                continue
            v = fact.value
            entry = merged.setdefault(v["id"], {"id": v["id"], "canonical": v["canonical"],
                                                "successor": v["successor"], "mentions": 0})
            entry["mentions"] += 1
        return list(merged.values())

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "document": to_jsonable(self.document),
            "facts": [f.to_dict() for f in self.facts],
            "sections": [s.to_dict() for s in self.sections],
            "sentences": [[s.start, s.end] for s in self.sentences],
            "problems": [p.to_dict(lang) for p in self.problems],
        }


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Ranges sorted and merged where they overlap or touch."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
