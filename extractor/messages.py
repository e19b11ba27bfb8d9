"""User-facing messages: Vietnamese by default, English on request.

Every text lives in the catalogue, one file per language (``extractor/locale/vi.yaml`` and
``en.yaml``), under a code; :func:`message` renders one.
"""
from __future__ import annotations

import functools
from pathlib import Path

from . import cache

LANGS = ("vi", "en")
LOCALE = Path(__file__).resolve().parent / "locale"


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """Every message code of ``lang`` with its template (parsed once, then from the cache)."""
    return cache.parsed_yaml(LOCALE / f"{lang}.yaml", _parse)


def _parse(stream) -> dict[str, str]:
    import yaml

    return yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def message(code: str, lang: str = "vi", **fields: object) -> str:
    """The message ``code`` in ``lang`` (Vietnamese for another language) with ``fields`` filled
    in; an unknown code is returned as it is, so a new problem still shows something."""
    template = catalogue(lang if lang in LANGS else "vi").get(code)
    return code if template is None else template.format(**fields)
