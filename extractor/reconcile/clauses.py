"""The parts of a sentence that claims and metrics read: a figure's own clause, and the
parentheses that compare with another period."""
from __future__ import annotations

from ..structure.layout import Layout, Paren
from .vocabulary import cue_regex


CLAUSE_REACH = 2000  # characters


def clause_of(text: str, layout: Layout, item) -> str:
    """The clause of ``item`` (a fact or a figure): from the separator before it to the separator
    after it."""
    start, end = layout.sentence_span(item.start)
    # Separators are looked for within CLAUSE_REACH of the item: a clause is never longer, and
    # a sentence of a megabyte with no separator must not be scanned for every figure in it.
    start = max(start, item.start - CLAUSE_REACH)
    end = min(end, item.end + CLAUSE_REACH)
    left = max(text.rfind(sep, start, item.start) for sep in ",;(")
    right_candidates = [i for i in (text.find(sep, item.end, end) for sep in ",;()") if i >= 0]
    right = min(right_candidates) if right_candidates else end
    return text[max(left + 1, start) : right]


def is_comparison(text: str, paren: Paren) -> bool:
    """Whether a parenthesis compares with another period ("(năm 2022 tiếp nhận 8.008 hồ sơ
    tăng 6.903 hồ sơ)"): its figures are not parts of the figure before it."""
    inside = text[paren.start + 1 : paren.end - 1]
    return bool(cue_regex("comparison_openers", r"^\s*").match(inside)) or bool(
        cue_regex("comparison_verbs").search(inside))


def in_comparison(text: str, layout: Layout, offset: int) -> bool:
    paren = layout.enclosing_paren(offset)
    return paren is not None and is_comparison(text, paren)
