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
from typing import Iterator, Sequence

import regex

from ..multiscan import AVAILABLE, MultiScan, utf8
from ..patterns import PatternError, ScanGroup, scan_groups


class Prefilter:
    """The prefilters of the given scan groups, compiled into one Hyperscan database."""

    def __init__(self, groups: Sequence[ScanGroup]):
        self.covered: frozenset[int] = frozenset(
            i for i, group in enumerate(groups) if all(p.prefilter for p in group.patterns))
        expressions, ids = [], []
        for i in sorted(self.covered):
            for pattern in groups[i].patterns:
                expressions.append(pattern.prefilter)
                ids.append(i)
        try:
            self.scan = MultiScan(expressions, ids)
        except Exception as exc:  # hyperscan.error
            raise PatternError(f"prefilters do not compile with Hyperscan: {exc}") from exc

    def starts(self, text: str, data: bytes | None = None) -> dict[int, list[int]] | None:
        """Sorted character offsets where each covered group may match; None if not scanned.

        ``data`` is ``text`` in UTF-8 when the caller has it already.
        """
        data = data if data is not None else utf8(text)
        if data is None:
            return None
        found = self.scan.starts(text, data)
        return {i: found.get(i, []) for i in self.covered}


@functools.lru_cache(maxsize=1)
def prefilter() -> Prefilter | None:
    """The prefilter of ``scan_groups()`` (group ``i`` of the starts is ``scan_groups()[i]``)."""
    return Prefilter(scan_groups()) if AVAILABLE else None


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
