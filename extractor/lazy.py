"""Names a package exports, imported from their modules when first used (PEP 562).

``import extractor`` and the packages under it used to import every stage at once, so
``cchc search`` and ``cchc --help`` loaded the whole extraction pipeline (about 0.5 s of CPU)
to use none of it. A package lists its exports as ``{name: module}`` and sets
``__getattr__ = exports(__name__, EXPORTS)``; its ``if TYPE_CHECKING:`` block imports them
for type checkers and for tests/test_import_cycles.py.
"""
from __future__ import annotations

import importlib
import sys
from typing import Any, Callable


def exports(package: str, names: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` giving ``names[name]``'s ``name`` (a relative module name)."""

    def __getattr__(name: str) -> Any:
        if name not in names:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(names[name], package), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
