"""Where each scan group's regex can start, found for all groups in one Hyperscan pass.

Most of extraction's time went into the regex engine trying every pattern at every place its
first character allows (every digit, every "/"). Each pattern therefore also declares a
``prefilter`` in ``patterns/``: a Hyperscan expression that starts exactly where the pattern's
match starts and matches wherever the pattern could (a superset; Hyperscan has no
lookarounds). One Hyperscan scan over the document reports those start positions for every
pattern at once, and the real pattern is then only tried there (:func:`matches_at`). A
group is searched the plain way when one of its patterns has no prefilter, when Hyperscan is
not installed (it is built for x86-64 only), or when the text cannot be encoded as UTF-8.

``tests/test_patterns.py`` checks that both ways find the same matches on every example and
every corpus document.
"""
from __future__ import annotations

import functools
import threading
from typing import Iterator, Sequence

import regex

from ..patterns import PatternError, ScanGroup, scan_groups

try:
    import hyperscan
except ImportError:  # not built for this platform: every group is searched the plain way
    hyperscan = None

_local = threading.local()


class Prefilter:
    """A compiled Hyperscan database of the prefilters of the given scan groups."""

    def __init__(self, groups: Sequence[ScanGroup]):
        expressions, ids = [], []
        self.covered: frozenset[int] = frozenset(
            i for i, group in enumerate(groups) if all(p.prefilter for p in group.patterns))
        for i in sorted(self.covered):
            for pattern in groups[i].patterns:
                expressions.append(pattern.prefilter.encode("utf-8"))
                ids.append(i)
        self.database = hyperscan.Database()
        flags = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_SOM_LEFTMOST | hyperscan.HS_FLAG_MULTILINE
        try:
            self.database.compile(expressions=expressions, ids=ids, elements=len(expressions),
                                  flags=[flags] * len(expressions))
        except hyperscan.error as exc:
            raise PatternError(f"prefilters do not compile with Hyperscan: {exc}") from exc

    def _scratch(self):
        # A scratch space may serve one scan at a time: one per thread.
        scratch = getattr(_local, "scratch", None)
        if scratch is None or _local.owner is not self:
            scratch = _local.scratch = hyperscan.Scratch(self.database)
            _local.owner = self
        return scratch

    def starts(self, text: str) -> dict[int, list[int]] | None:
        """Sorted character offsets where each covered group may match; None if not scanned."""
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: search this text the plain way
            return None
        found: list[tuple[int, int]] = []
        add = found.append
        self.database.scan(data, match_event_handler=lambda group, start, end, flags, ctx: add((start, group)),
                           scratch=self._scratch())
        found = sorted(set(found))
        by_group: dict[int, list[int]] = {i: [] for i in self.covered}
        if len(data) == len(text):  # ASCII: byte and character offsets agree
            for start, group in found:
                by_group[group].append(start)
            return by_group
        chars = previous = 0
        for start, group in found:
            if start != previous:
                chars += len(data[previous:start].decode("utf-8"))
                previous = start
            by_group[group].append(chars)
        return by_group


@functools.lru_cache(maxsize=1)
def prefilter() -> Prefilter | None:
    """The prefilter of ``scan_groups()`` (group ``i`` of the starts is ``scan_groups()[i]``)."""
    return Prefilter(scan_groups()) if hyperscan is not None else None


def matches_at(compiled: regex.Pattern, text: str, starts: list[int]) -> Iterator[regex.Match]:
    """The matches ``compiled.finditer(text)`` gives, trying only at ``starts`` (sorted)."""
    end = 0
    match = compiled.match
    for start in starts:
        if start < end:
            continue
        m = match(text, start)
        if m is not None and m.end() > m.start():
            yield m
            end = m.end()
