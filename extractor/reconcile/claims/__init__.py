"""Claims a document makes about its own figures, read from how reports write them.

A claim is structural: it is recognised from the wording ("trong đó", a parenthetical
breakdown, "đạt 81,4%", "(năm 2022 ... tăng ...)"), never from the figures happening to add up,
so a figure that was mistyped is still caught. Each family of claims has its reader module;
``READERS`` runs them in a fixed order, since a later reader skips what an earlier one took.
"""
from __future__ import annotations

from typing import Callable, Sequence

from ...facts import Fact
from ...structure.layout import Layout
from .base import Claim, Figure, Reading, read
from .changes import change_claims
from .differences import difference_claims, remainder_claims
from .formulas import formula_claims
from .named import named_figure_claims, named_whole_claims
from .restatements import restatement_claims
from .shares import share_claims
from .simplification import simplification_claims
from .steps import step_time_claims
from .sums import breakdown_claims, dossier_flow_claims, parallel_label_claims, state_claims

READERS: tuple[Callable[[Reading], list[Claim]], ...] = (
    share_claims,  # falls back on the whole a breakdown links a part to
    breakdown_claims,
    parallel_label_claims,  # these three skip totals a breakdown holds
    state_claims,
    dossier_flow_claims,
    difference_claims,
    remainder_claims,
    named_whole_claims,
    named_figure_claims,  # skips a sum the readers before stated with the same facts
    restatement_claims,
    formula_claims,
    change_claims,
    simplification_claims,
    step_time_claims,
)


def find_claims(text: str, facts: Sequence[Fact], *, layout: Layout | None = None) -> list[Claim]:
    """Every arithmetic claim the document makes about its figures. ``layout`` is the text's
    layout when the caller has built it already."""
    reading = read(text, facts, layout if layout is not None else Layout(text))
    for reader in READERS:
        reading.claims += reader(reading)
    return reading.claims


__all__ = ["Claim", "Figure", "READERS", "Reading", "find_claims"]
