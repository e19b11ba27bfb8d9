"""``cchc serve``: the archive in a browser. Search with facets, documents with their facts
highlighted, findings with their arithmetic and evidence (confirmed or dismissed with
``--review``), figures over time, an overview; every page has a JSON twin.

::

    from extractor.archive import Archive
    from extractor.web import create_app

    app = create_app(Archive.open("cchc-archive.sqlite", create=False), review=True)
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import exports

if TYPE_CHECKING:
    from .app import create_app

# Imported when first used: ``cchc search`` and ``--help`` load the ``serve`` command's
# module, not the web application.
__getattr__ = exports(__name__, {"create_app": ".app"})

__all__ = ["create_app"]
