"""Document structure and entities: header metadata, signature, outline, sentences, people and
organisations (with their successors after the 2025 reorganisation).

    from extractor import extract_facts
    from extractor.structure import analyse

    result = extract_facts(text)
    structure = analyse(text, result.facts)
    structure.document        # metadata, with the text and offsets of each value under "spans"
    structure.facts           # person and organization facts
    structure.locate(fact)    # {"section": "II.2", "sentence": 17}
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import exports

if TYPE_CHECKING:
    from .analysis import analyse
    from .model import Section, Sentence, Structure, StructureProblem

# Imported when first used: the archive's search needs the layout alone, not the analysis.
__getattr__ = exports(__name__, {"analyse": ".analysis", "Section": ".model", "Sentence": ".model",
                                 "Structure": ".model", "StructureProblem": ".model"})

__all__ = ["analyse", "Structure", "Section", "Sentence", "StructureProblem"]
