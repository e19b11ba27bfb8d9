"""Many expressions found in one pass over a text with Hyperscan, at character offsets.

Used where a Python regex would have to try every position of a long text: the old tone-mark
placement in :mod:`extractor.normalize` and the extraction prefilter in
:mod:`extractor.extract.prefilter`. Hyperscan wheels exist for x86-64 only; elsewhere
``AVAILABLE`` is false and callers keep their plain regex path.
"""
from __future__ import annotations

import threading

try:
    import hyperscan
except ImportError:  # not built for this platform
    hyperscan = None

AVAILABLE = hyperscan is not None


class MultiScan:
    """Expressions (Hyperscan syntax, UTF-8, ``^`` at line starts) reporting where they start."""

    def __init__(self, expressions: list[str], ids: list[int]):
        self.database = hyperscan.Database()
        flags = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_SOM_LEFTMOST | hyperscan.HS_FLAG_MULTILINE
        self.database.compile(expressions=[e.encode("utf-8") for e in expressions], ids=ids,
                              elements=len(expressions), flags=[flags] * len(expressions))
        self._local = threading.local()

    def _scratch(self):
        # A scratch space serves one scan at a time: one per thread.
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self.database)
        return scratch

    def starts(self, text: str, data: bytes) -> list[tuple[int, int]]:
        """Sorted, distinct ``(character offset, id)`` of every start; ``data`` is ``text`` in UTF-8."""
        found: list[tuple[int, int]] = []
        add = found.append
        self.database.scan(data, match_event_handler=lambda i, start, end, flags, ctx: add((start, i)),
                           scratch=self._scratch())
        found = sorted(set(found))
        if len(data) == len(text):  # ASCII: byte and character offsets agree
            return found
        converted = []
        chars = previous = 0
        for start, i in found:
            if start != previous:
                chars += len(data[previous:start].decode("utf-8"))
                previous = start
            converted.append((chars, i))
        return converted


def utf8(text: str) -> bytes | None:
    """``text`` in UTF-8, or None when it holds lone surrogates (scan it the plain way)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return None
