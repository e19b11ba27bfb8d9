"""Many expressions found in one pass over a text with Hyperscan, at character offsets.

Used where a Python regex would have to try every position of a long text: the old tone-mark
placement in :mod:`extractor.normalize` and the extraction prefilter in
:mod:`extractor.extract.prefilter`. Hyperscan wheels exist for x86-64 only; elsewhere
``AVAILABLE`` is false and callers keep their plain regex path, as on a CPU Hyperscan does not
support (it needs SSSE3), found by compiling and running one expression at import.
"""
from __future__ import annotations

import platform
import threading

from . import cache

try:
    import hyperscan
except ImportError:  # not built for this platform
    hyperscan = None



def _runs_here() -> bool:
    try:
        database = hyperscan.Database()
        database.compile(expressions=[b"a"], ids=[0], elements=1, flags=[hyperscan.HS_FLAG_SOM_LEFTMOST])
        database.scan(b"a", match_event_handler=None, scratch=hyperscan.Scratch(database))
    except hyperscan.error:
        return False
    return True


AVAILABLE = hyperscan is not None and _runs_here()


class MultiScan:
    """Expressions (Hyperscan syntax, UTF-8, ``^`` at line starts) reporting where they start.

    The compiled database is kept in the cache (:mod:`extractor.cache`), keyed by the
    expressions, their ids, the Hyperscan version and the machine: compiling the prefilters
    took about 0.3 s of each start. Hyperscan refuses a database built for another version or
    CPU when it is loaded; such an entry is compiled again.
    """

    def __init__(self, expressions: list[str], ids: list[int]):
        if not all(0 <= i < 256 for i in ids):
            raise ValueError("ids must fit in a byte")
        encoded = [e.encode("utf-8") for e in expressions]
        entry_key = cache.key(hyperscan.__version__, platform.machine(), repr(ids), *encoded)
        self.database = cache.cached("hyperscan", entry_key, lambda: _compiled(encoded, ids),
                                     dump=hyperscan.dumpb, undump=_loaded)
        self._local = threading.local()

    def _scratch(self):
        # A scratch space serves one scan at a time: one per thread.
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self.database)
        return scratch

    def starts(self, text: str, data: bytes) -> dict[int, list[int]]:
        """Sorted, distinct character offsets where each id's expressions start, by id.

        ``data`` is ``text`` in UTF-8. Hits are packed into one integer each; many hits are
        converted with numpy (per-hit Python work was most of the cost of the pass), a few
        in Python: numpy's import alone costs what a hundred thousand hits do.
        """
        found: list[int] = []
        add = found.append
        self.database.scan(data, match_event_handler=lambda i, start, end, flags, ctx: add(start << 8 | i),
                           scratch=self._scratch())
        if not found:
            return {}
        if len(found) <= PLAIN_HITS:
            return _grouped(text, data, found)
        return _grouped_numpy(text, data, found)


# Up to this many hits (a 30-page report gives about a thousand), a scan's hits are converted
# in Python, at about 1.5 µs each; above it with numpy, at a fifth of that once it is imported.
# Both give the same (tests/test_startup.py).
PLAIN_HITS = 4096
# UTF-8 continuation bytes: every other byte starts a character.
_CONTINUATION = bytes(range(0x80, 0xC0))


def _grouped(text: str, data: bytes, found: list[int]) -> dict[int, list[int]]:
    packed = sorted(set(found))  # by byte offset, then id
    convert = len(data) != len(text)
    out: dict[int, list[int]] = {}
    byte_at = char_at = 0
    for value in packed:
        offset = value >> 8
        if convert and offset != byte_at:
            char_at += len(data[byte_at:offset].translate(None, _CONTINUATION))
            byte_at = offset
        out.setdefault(value & 0xFF, []).append(char_at if convert else offset)
    return {i: out[i] for i in sorted(out)}


def _grouped_numpy(text: str, data: bytes, found: list[int]) -> dict[int, list[int]]:
    import numpy as np

    packed = np.array(found, dtype=np.int64)
    packed.sort()  # by byte offset, then id
    packed = packed[_first_of_runs(packed)]
    offsets, ids = packed >> 8, packed & 0xFF
    if len(data) != len(text):
        offsets = _character_offsets(data, offsets)
    order = np.argsort(ids, kind="stable")
    ids, offsets = ids[order], offsets[order].tolist()
    bounds = [0, *(np.flatnonzero(ids[1:] != ids[:-1]) + 1).tolist(), len(offsets)]
    return {int(ids[a]): offsets[a:b] for a, b in zip(bounds, bounds[1:])}


_FLAGS = 0 if hyperscan is None else (
    hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_SOM_LEFTMOST | hyperscan.HS_FLAG_MULTILINE)


def _compiled(expressions: list[bytes], ids: list[int]):
    database = hyperscan.Database()
    database.compile(expressions=expressions, ids=ids, elements=len(expressions),
                     flags=[_FLAGS] * len(expressions))
    return database


def _loaded(data: bytes):
    database = hyperscan.loadb(data, hyperscan.HS_MODE_BLOCK)
    hyperscan.Scratch(database)  # refuses a database this CPU cannot run
    return database


def _first_of_runs(values):
    """Mask of the elements of sorted numpy ``values`` that differ from the one before."""
    import numpy as np

    first = np.empty(len(values), dtype=bool)
    first[0] = True
    np.not_equal(values[1:], values[:-1], out=first[1:])
    return first


def _character_offsets(data: bytes, offsets):
    """Character offsets of the sorted byte ``offsets`` (numpy) of UTF-8 ``data``."""
    import numpy as np

    first = _first_of_runs(offsets)
    unique, where = offsets[first], np.cumsum(first) - 1
    # A character starts at every byte that is not a continuation byte (0x80-0xBF).
    is_start = np.frombuffer(data, dtype=np.int8) >= -64
    if unique[0] == 0:
        between = np.add.reduceat(is_start, unique, dtype=np.int64)
        before = np.concatenate(([0], np.cumsum(between[:-1])))
    else:
        between = np.add.reduceat(is_start, np.concatenate(([0], unique)), dtype=np.int64)
        before = np.cumsum(between[:-1])
    return before[where]


def utf8(text: str) -> bytes | None:
    """``text`` in UTF-8, or None when it holds lone surrogates (scan it the plain way)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return None
