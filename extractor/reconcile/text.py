"""Moved: the layout lives in :mod:`extractor.structure.layout`."""
from ..structure.layout import Layout, Paren

__all__ = ["Layout", "Paren"]
