"""What a reader raises for a file it cannot read, and what it reports of a file it read only
in part; both give one-line messages naming the file."""
from __future__ import annotations

from ..messages import message


class ReadError(Exception):
    """A file that cannot be read as a document; ``str()`` is a one-line message naming it."""

    def __init__(self, code: str, path: str, **detail: object):
        self.code = code
        self.path = path
        self.detail = detail
        super().__init__(message(code, "vi", path=path, **detail))

    def __reduce__(self):
        # Sent back pickled from a bounded reading process (extractor.budget).
        return _rebuild, (self.code, self.path, self.detail)

    def message(self, lang: str = "vi") -> str:
        return message(self.code, lang, path=self.path, **self.detail)


class ReadWarning:
    """Something the reader could not do fully, the document still being usable."""

    def __init__(self, code: str, path: str, **detail: object):
        self.code = code
        self.path = path
        self.detail = detail

    def message(self, lang: str = "vi") -> str:
        return message(self.code, lang, path=self.path, **self.detail)

    def __repr__(self) -> str:
        return f"ReadWarning({self.code!r}, {self.detail!r})"

    def __str__(self) -> str:
        return self.message("vi")


def _rebuild(code: str, path: str, detail: dict) -> ReadError:
    return ReadError(code, path, **detail)
