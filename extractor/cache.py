"""What every start would otherwise rebuild, kept on disk between runs: parsed pattern files,
compiled regexes and Hyperscan databases.

Parsing ``patterns/*.yaml``, compiling the fact patterns with the ``regex`` module (whose parser
is pure Python) and compiling the Hyperscan prefilters took about 1.5 s of CPU before the first
document was read. The results serialise: a parsed file is plain data, a compiled ``regex``
pattern pickles as its compiled code (unpickling skips the parser), a Hyperscan database as
:func:`hyperscan.dumpb` bytes.

Each entry is one file, ``<name>-<key>.bin``, whose key is a digest of everything the entry was
built from: the input bytes and the versions of Python and of the library that built it. An
edited pattern file or an upgraded library is a new key, never a stale hit. A file holds a
header, the SHA-256 of its payload and the payload: a file that is truncated, corrupt or
unreadable is a miss, rebuilt and written again. Entries are written to a temporary file and
renamed into place, so a reader never sees half an entry; one unused for ``STALE_DAYS`` is
removed when another of its name is written.

The folder is ``$CCHC_CACHE_DIR``, else ``$XDG_CACHE_HOME/cchc-extractor``, else
``~/.cache/cchc-extractor``; ``CCHC_CACHE_DIR=off`` turns the cache off. When the folder cannot
be created or written, everything is built in memory as before, silently: the cache only ever
saves time. Entries are unpickled, so the folder must be the user's own, as a home cache is
(the digests catch damage, not someone who may write there).
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

APP = "cchc-extractor"
CACHE_ENV = "CCHC_CACHE_DIR"
OFF = "off"
# Bumped when the layout of an entry changes.
FORMAT = b"cchc-extractor cache 1\n"
DIGEST_SIZE = hashlib.sha256().digest_size
# An entry not read for this many days is removed when another of its name is written.
STALE_DAYS = 30
SECONDS_PER_DAY = 86400


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    configured = os.environ.get(CACHE_ENV)
    if configured == OFF:
        return None
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path("~/.cache").expanduser())
    return Path(base) / APP


def key(*parts: str | bytes) -> str:
    """A digest of ``parts`` (each length-prefixed, so no two lists of parts collide), with
    the Python version: every entry depends on the interpreter that built it."""
    digest = hashlib.sha256()
    for part in (sys.version, *parts):
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()[:32]


def _path(name: str, entry_key: str) -> Path | None:
    folder = cache_dir()
    return folder / f"{name}-{entry_key}.bin" if folder is not None else None


def load(name: str, entry_key: str) -> bytes | None:
    """The payload stored under ``name`` and ``entry_key``, or None (absent, unreadable or
    corrupt)."""
    path = _path(name, entry_key)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(FORMAT) + DIGEST_SIZE
    if len(data) < head or not data.startswith(FORMAT):
        return None
    payload = data[head:]
    if hashlib.sha256(payload).digest() != data[len(FORMAT):head]:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # in use: not stale
    return payload


def store(name: str, entry_key: str, payload: bytes) -> None:
    """Write an entry (whole or not at all); a folder that cannot be written is no error."""
    path = _path(name, entry_key)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(FORMAT + hashlib.sha256(payload).digest() + payload)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError:
        return
    _remove_stale(path.parent, name, path)


def _remove_stale(folder: Path, name: str, kept: Path) -> None:
    limit = time.time() - STALE_DAYS * SECONDS_PER_DAY
    for other in folder.glob(f"{name}-*.bin"):
        with contextlib.suppress(OSError):
            if other != kept and other.stat().st_mtime < limit:
                other.unlink()


def cached(name: str, entry_key: str, build: Callable[[], Any], *,
           dump: Callable[[Any], bytes] = pickle.dumps, undump: Callable[[bytes], Any] = pickle.loads) -> Any:
    """The value stored under ``name`` and ``entry_key``, else ``build()`` (stored for next
    time). An entry that does not undump is rebuilt."""
    payload = load(name, entry_key)
    if payload is not None:
        try:
            return undump(payload)
        except Exception:  # noqa: BLE001 - a corrupt or incompatible entry: rebuild it
            pass
    value = build()
    try:
        data = dump(value)
    except Exception:  # noqa: BLE001 - what does not serialise is simply not cached
        return value
    store(name, entry_key, data)
    return value


def parsed_yaml(path: Path, parse: Callable[[io.StringIO], Any], variant: str = "safe") -> Any:
    """The YAML file ``path`` parsed by ``parse`` (which raises as it would on the file), from
    the cache when its bytes were parsed before. ``variant`` names the parser, so two parsers
    of one file keep two entries. The stream handed to ``parse`` is named after the file, so
    its error messages point at it."""
    data = path.read_bytes()

    def build() -> Any:
        stream = io.StringIO(data.decode("utf-8"), newline=None)
        stream.name = str(path)
        return parse(stream)

    return cached(f"yaml-{path.stem}", key(variant, installed("yaml"), data), build)


def installed(module: str) -> str:
    """Which installation of ``module`` this is, without importing it (PyYAML's import alone
    costs a tenth of a start): where its code lies, with that file's size and time. An
    upgrade rewrites the file."""
    spec = importlib.util.find_spec(module)
    origin = spec.origin if spec is not None else None
    if not origin:
        return "absent"
    try:
        stat = os.stat(origin)
    except OSError:
        return origin
    return f"{origin}:{stat.st_size}:{stat.st_mtime_ns}"


class RegexStore:
    """Compiled regexes of one loader, kept between runs: ``compile`` is ``regex.compile``,
    answered from the store when it compiled that source with those flags before.

    The store is keyed by ``name`` and the digest ``entry_key`` of the data its sources come
    from; code that builds other sources from the same data only misses. On leaving the
    ``with`` block the store is written again when something was compiled or left unused, so
    it holds exactly what the loader asked for.
    """

    def __init__(self, name: str, entry_key: str):
        import regex

        self._regex = regex
        self.name = f"regex-{name}"
        self.key = key(entry_key, regex.__version__)
        self._stored: dict[tuple[str, int], Any] = {}
        self._used: dict[tuple[str, int], Any] = {}
        self._missed = False

    def __enter__(self) -> "RegexStore":
        payload = load(self.name, self.key)
        if payload is not None:
            try:
                stored = pickle.loads(payload)
            except Exception:  # noqa: BLE001 - corrupt or built by another regex: recompile
                stored = None
            if isinstance(stored, dict):
                self._stored = stored
        return self

    def compile(self, source: str, flags: int = 0):
        wanted = (source, flags)
        compiled = self._used.get(wanted) or self._stored.get(wanted)
        if compiled is None:
            compiled = self._regex.compile(source, flags)
            self._missed = True
        self._used[wanted] = compiled
        return compiled

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None and (self._missed or len(self._used) != len(self._stored)):
            store(self.name, self.key, pickle.dumps(self._used, protocol=pickle.HIGHEST_PROTOCOL))

