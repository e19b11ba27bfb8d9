"""User-facing messages: Vietnamese by default, English on request.

Every text lives in the catalogue, one file per language (``extractor/locale/vi.yaml`` and
``en.yaml``), under a code; :func:`message` renders one.
"""
from __future__ import annotations

from functools import cache
from importlib.resources import files

import yaml

LANGS = ("vi", "en")


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every message code of ``lang`` with its template."""
    text = files(__package__).joinpath("locale", f"{lang}.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def message(code: str, lang: str = "vi", **fields: object) -> str:
    """The message ``code`` in ``lang`` (Vietnamese for another language) with ``fields`` filled
    in; an unknown code is returned as it is, so a new problem still shows something."""
    template = catalogue(lang if lang in LANGS else "vi").get(code)
    return code if template is None else template.format(**fields)
