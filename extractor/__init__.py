"""cchc-extractor: facts from Vietnamese administrative-reform documents, with provenance.

The pipeline is read → normalise → extract → structure → reconcile, run by one orchestrator,
:func:`process`. The library verbs:

- :func:`read_document` turns a file into a :class:`Document`;
- :func:`extract_facts` finds the facts in a text;
- :func:`process` runs every stage on a file and returns a :class:`Processed` (the document,
  its normalised text, facts, structure, layout, checked claims and findings);
- :func:`extract_document` returns the output record of ``cchc extract`` for one file.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .lazy import exports

if TYPE_CHECKING:
    from .document import Document, Page
    from .extract import Extraction, extract_facts
    from .facts import Fact, Problem
    from .pipeline import Processed, process
    from .read import ReadError, read_document

__version__ = "0.1.0"

# Imported when first used (extractor/lazy.py): search and --help need none of them.
__getattr__ = exports(__name__, {
    "Document": ".document", "Page": ".document", "Extraction": ".extract", "extract_facts": ".extract",
    "Fact": ".facts", "Problem": ".facts", "Processed": ".pipeline", "process": ".pipeline",
    "ReadError": ".read", "read_document": ".read"})


def extract_document(path: str, lang: str = "vi") -> dict:
    """The ``cchc extract`` record of one file: source, facts, problems and errors.

    A file that cannot be read gives a record with an empty fact list and its error, so a batch
    never stops on one bad file; the file is read within the budget of the current reading
    options (:mod:`extractor.budget`).
    """
    from .budget import process_bounded

    return process_bounded(path, reconcile=False).record(lang)


__all__ = ["Document", "Page", "Fact", "Problem", "Extraction", "ReadError", "read_document",
           "extract_facts", "extract_document", "process", "Processed", "__version__"]
