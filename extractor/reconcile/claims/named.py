"""Wholes named by their parts: a ratio's side or a figure whose words name a whole that one
split divides into figures stated before it ("tỷ lệ giải quyết trước hạn và đúng hạn đạt 99,5%
(4.081/4.101 hồ sơ)" after the early and on-time counts)."""
from __future__ import annotations

from decimal import Decimal

from ...facts import Fact
from ..clauses import clause_of, in_comparison
from ..metrics import metric_named, metric_words
from ...structure.layout import Layout
from ..vocabulary import vocabulary
from .base import Claim, Figure, Reading

# How far before a ratio or a percentage the figures it is made of are looked for.
NAMED_PARTS_WINDOW = 1500


def nearest_before(figures: list[Figure], text: str, layout: Layout, offset: int, metric: str) -> Figure | None:
    """The last figure with ``metric`` before ``offset`` within NAMED_PARTS_WINDOW, not in a comparison."""
    return next((f for f in reversed(figures) if f.metric == metric and f.end <= offset
                 and offset - f.start <= NAMED_PARTS_WINDOW and not in_comparison(text, layout, f.start)), None)


def stated_parts(text: str, layout: Layout, figures: list[Figure], whole: str | None, offset: int,
                 spelled_in: str | None = None) -> list[Figure] | None:
    """The figures stated before ``offset`` that make up a ``whole`` metric by its one split, the
    nearest with each part's metric, in text order; None when the whole has no single split
    (received dossiers split several ways), a part is not stated, or ``spelled_in`` (the words
    naming the whole) does not spell out every part."""
    splits = [parts for w, parts in vocabulary().partitions if w == whole]
    if len(splits) != 1:
        return None
    if spelled_in is not None and not all(metric_words(m).search(spelled_in) for m in splits[0]):
        return None
    parts = [nearest_before(figures, text, layout, offset, metric) for metric in sorted(splits[0])]
    return None if None in parts else sorted(parts, key=lambda f: f.start)


def label_before(text: str, layout: Layout, offset: int) -> str:
    """The words of the clause before ``offset``: what a share there is "tỷ lệ" of."""
    return text[layout.sentence_span(offset)[0] : offset].rsplit(";", 1)[-1]


def _named_sum(total_fact: Fact, total: Decimal, parts: list[Figure]) -> Claim:
    return Claim("sum", "sum.named_whole", [total_fact] + [p.fact for p in parts],
                 {"total": total, "parts": [p.value for p in parts], "exhaustive": True})


def named_whole_claims(reading: Reading) -> list[Claim]:
    """A side of a ratio whose words name a whole that one split divides into parts the text
    stated before: "tỷ lệ giải quyết trước hạn và đúng hạn đạt 99,5% (4.081/4.101 hồ sơ)" after
    "(3.655 hồ sơ trước hạn, 426 hồ sơ đúng hạn, …)" claims 4.081 = 3.655 + 426; "(3.020/4.128
    hồ sơ tiếp nhận mới)" after "3.020 hồ sơ trực tuyến, 1.108 hồ sơ trực tiếp" claims 4.128 =
    3.020 + 1.108. The numerator, named by the share's label ("tỷ lệ …"), must spell out each
    part ("trước hạn và đúng hạn"), since the label names what the share counts among other
    words ("tỷ lệ số hóa kết quả giải quyết" counts digitised results, not resolved dossiers);
    the words right after the denominator name it directly."""
    text, layout, facts, figures = reading.text, reading.layout, reading.facts, reading.figures
    claims = []
    for ratio in (f for f in facts if f.kind == "ratio" and f.value.get("unit")):
        group = vocabulary().group_of(ratio.value["unit"])
        label = label_before(text, layout, ratio.start)
        paren = layout.enclosing_paren(ratio.start)
        after = text[ratio.end : paren.end - 1 if paren is not None and paren.end > ratio.end else ratio.end]
        for side, words in (("numerator", label), ("denominator", ratio.text.rsplit("/", 1)[-1] + after)):
            parts = stated_parts(text, layout, figures, metric_named(words, group), ratio.start,
                                 spelled_in=words if side == "numerator" else None)
            if parts is not None:
                claims.append(_named_sum(ratio, Decimal(ratio.value[side]), parts))
    return claims


def named_figure_claims(reading: Reading) -> list[Claim]:
    """A figure whose words name a whole by spelling out each of its parts, stated before it:
    "Trong số 40 thủ tục mới ban hành và được sửa đổi, bổ sung" after "mới ban hành: 12 thủ
    tục" and "được sửa đổi, bổ sung: 28 thủ tục" claims 40 = 12 + 28. A sum a reader before
    stated with the same facts is not stated twice."""
    text, layout, figures = reading.text, reading.layout, reading.figures
    stated = {tuple(f.start for f in c.facts) for c in reading.claims if c.kind == "sum"}
    claims = []
    for figure in figures:
        if figure.metric is None or in_comparison(text, layout, figure.start):
            continue
        parts = stated_parts(text, layout, figures, figure.metric, figure.start,
                             spelled_in=clause_of(text, layout, figure))
        if parts is not None:
            claim = _named_sum(figure.fact, figure.value, parts)
            if tuple(f.start for f in claim.facts) not in stated:
                claims.append(claim)
    return claims
