"""Where short-reference forms, their anchors and relation cues can start, in one Hyperscan pass.

The short-reference forms (``patterns/short_refs.yaml``) were searched over the whole text, and
the relation cues (``patterns/relations.yaml``, matched ignoring case) over a window before
every citation: together more than half of extraction's time. Each form declares a
``prefilter`` (where its match can start) and its anchor is a Hyperscan expression already;
each cue word gets one generated here, matching the word under any case folding the regex
engine applies (``cases``; a blank stands for blanks and line breaks). One scan
gives every start, and the regexes are only tried there (``Form.finditer``,
``relations.assign_relations``), with the same result. Without Hyperscan, or for a text that
is not valid UTF-8, ``citation_starts`` gives None and the plain search runs.

``tests/test_prefilter.py`` checks that both ways give the same facts.
"""
from __future__ import annotations

import functools

from ..multiscan import AVAILABLE, MultiScan, utf8
from ..patterns import PatternError
from .relations import AFTER_CUES, BEFORE_CUES, relations
from .shortrefs import forms

# Ids of the scan: form ``k``'s prefilter is ``2k``, its anchor ``2k + 1``; then one per cue
# word from ``CUE_IDS`` on, reported together under ``relations.BEFORE_CUES`` and ``AFTER_CUES``.
CUE_IDS = 24


# Characters the regex engine matches ignoring case that Python's own case mappings of the
# letter do not give (``tests/test_prefilter.py`` checks the cue letters against every character).
EXTRA_CASES = {"i": "\u0130", "s": "\u017f", "k": "\u212a"}


def cases(ch: str) -> set[str]:
    """Every character ``(?i)ch`` matches in the regex engine (simple case folding)."""
    out = {c for c in (ch, ch.lower(), ch.upper(), ch.title(), ch.casefold()) if len(c) == 1}
    for c in list(out):
        out |= set(EXTRA_CASES.get(c, ""))
    return out


def cue_prefilter(word: str) -> str:
    """A Hyperscan expression starting wherever ``relations._words`` can match ``word``: its
    letters in every case, a blank as blanks or a line break."""
    out = []
    for ch in " ".join(word.split()):
        if ch == " ":
            out.append(r"[ \t\n]+")
        else:
            out.append("[" + "".join("\\x{%x}" % ord(c) for c in sorted(cases(ch))) + "]")
    return "".join(out)


class CitationScan:
    def __init__(self):
        expressions, ids = [], []
        if 2 * len(forms()) > CUE_IDS:
            raise PatternError(f"short_refs.yaml: more than {CUE_IDS // 2} forms, raise CUE_IDS")
        for k, form in enumerate(forms()):
            if form.prefilter is None or (form.anchor is not None and not form.anchor.pattern):
                continue
            expressions.append(form.prefilter)
            ids.append(2 * k)
            if form.anchor is not None:
                expressions.append(form.anchor.pattern)
                ids.append(2 * k + 1)
        rel = relations()
        # One id per word: Hyperscan reports one match per id and end, from its leftmost start,
        # so a word ending where a longer one ends ("quy định tại" in "theo quy định tại") needs
        # its own id to be reported at its own start.
        self.groups: dict[int, list[int]] = {}
        next_id = CUE_IDS
        for words, group in ((rel.before_cues, BEFORE_CUES), (rel.after_cues, AFTER_CUES)):
            self.groups[group] = []
            for word in words:
                expressions.append(cue_prefilter(word))
                ids.append(next_id)
                self.groups[group].append(next_id)
                next_id += 1
        try:
            self.scan = MultiScan(expressions, ids)
        except Exception as exc:  # hyperscan.error, or more than 256 ids
            raise PatternError(f"short reference or cue prefilters do not compile with Hyperscan: {exc}") from exc
        self.ids = frozenset(i for i in ids if i < CUE_IDS)

    def starts(self, text: str, data: bytes | None = None) -> dict[int, list[int]] | None:
        data = data if data is not None else utf8(text)
        if data is None:
            return None
        found = self.scan.starts(text, data)
        out = {i: found.get(i, []) for i in self.ids}
        for group, ids in self.groups.items():
            out[group] = sorted({s for i in ids for s in found.get(i, ())})
        return out


@functools.lru_cache(maxsize=1)
def citation_scan() -> CitationScan | None:
    return CitationScan() if AVAILABLE else None


def citation_starts(text: str, data: bytes | None = None) -> dict[int, list[int]] | None:
    """Sorted character offsets by scan id (see above), or None: search the plain way."""
    scan = citation_scan()
    return scan.starts(text, data) if scan is not None else None

