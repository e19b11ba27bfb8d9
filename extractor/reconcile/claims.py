"""Claims a document makes about its own figures, read from how reports write them.

A claim is structural: it is recognised from the wording ("trong đó", a parenthetical
breakdown, "đạt 81,4%", "(năm 2022 ... tăng ...)"), never from the figures happening to add up,
so a figure that was mistyped is still caught. Where the wording leaves the whole of a
percentage open, the candidates in the paragraph are tried and the one that fits is kept (50 and
68 are shares of 118, not of 145).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Sequence

import regex

from ..facts import Fact
from .arithmetic import percent_holds
from .clauses import clause as _clause, in_comparison as _in_comparison, is_comparison as _is_comparison
from .metrics import metric_named, metric_of, metric_unit_group, metric_words
from .text import Layout
from .vocabulary import cue as _cue, vocabulary, words_regex
# messages.metric_label looks metric labels up through this name.
from .vocabulary import document as _metrics  # noqa: F401


@dataclass
class Figure:
    """A quantity, money amount or percentage with what it counts."""

    fact: Fact
    value: Decimal
    group: str | None
    is_count: bool
    metric: str | None = None

    @property
    def start(self) -> int:
        return self.fact.start

    @property
    def end(self) -> int:
        return self.fact.end


@dataclass
class Claim:
    """A relation the document states between figures, and the facts that state it."""

    kind: str  # sum, share, implied_whole, difference
    rule: str
    facts: list[Fact]
    values: dict[str, Any] = field(default_factory=dict)


def _figures(facts: Sequence[Fact]) -> list[Figure]:
    figures = []
    for fact in facts:
        if fact.kind == "quantity":
            figures.append(Figure(fact, Decimal(fact.value["value"]), vocabulary().group_of(fact.value["unit"]),
                                  fact.value.get("decimals", 0) == 0))
        elif fact.kind == "money":
            figures.append(Figure(fact, Decimal(fact.value["amount"]), "VND", False))
    return figures


def find_claims(text: str, facts: Sequence[Fact]) -> list[Claim]:
    """Every arithmetic claim the document makes about its figures."""
    layout = Layout(text)
    facts = sorted(facts, key=lambda f: f.start)
    figures = _figures(facts)
    ratios = [(f.start, f.end) for f in facts if f.kind == "ratio"]
    figures = [f for f in figures if not _inside(f, ratios) and not _on_table_line(text, f.start)]
    for figure in figures:
        figure.metric = metric_of(text, layout, figure.fact)
    claims: list[Claim] = []
    sums = _sum_claims(text, layout, figures)
    linked = {(c.facts[0].start, f.start) for c in sums for f in c.facts[1:]}
    claims += _share_claims(text, layout, facts, figures, linked)
    claims += sums
    taken = {f.start for claim in sums for f in claim.facts}
    claims += _parallel_label_claims(text, layout, figures, taken)
    claims += _state_claims(text, layout, figures, taken)
    claims += _dossier_flow_claims(text, layout, figures, taken)
    claims += _difference_claims(text, layout, figures)
    claims += _remainder_claims(text, layout, facts, figures)
    claims += _named_whole_claims(text, layout, facts, figures)
    stated = {tuple(f.start for f in c.facts) for c in claims if c.kind == "sum"}
    claims += [c for c in _named_figure_claims(text, layout, figures)
               if tuple(f.start for f in c.facts) not in stated]
    return claims


def _on_table_line(text: str, offset: int) -> bool:
    """Cells of a Markdown or text table: their arithmetic runs along rows and columns."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text.count("|", start, len(text) if end < 0 else end) >= 2


def _inside(figure: Figure, spans: list[tuple[int, int]]) -> bool:
    """A count inside "56/56 nhiệm vụ" is the ratio's, not a figure of its own."""
    return any(start <= figure.start and figure.end <= end for start, end in spans)


# ---------------------------------------------------------------- shares (percentages)

def _share_claims(text: str, layout: Layout, facts: Sequence[Fact], figures: list[Figure],
                  linked: set[tuple[int, int]]) -> list[Claim]:
    claims = []
    ratios = [f for f in facts if f.kind == "ratio"]
    percents = [f for f in facts if f.kind == "percent"]
    targets = _targets(text, layout, percents)
    used: set[int] = set()
    for percent in percents:
        after = text[percent.end : percent.end + 30]
        if _cue("not_share_cues", r"^\s*").match(after):
            continue
        ratio = _adjacent_ratio(text, layout, percent, [r for r in ratios if r.start not in used], figures)
        if ratio is not None:
            used.add(ratio.start)
            counts = (ratio.value.get("unit") not in (None, "VND") and ratio.value["numerator_decimals"] == 0
                      and ratio.value["denominator_decimals"] == 0 and not ratio.value.get("scale"))
            claims.append(Claim("share", "share.ratio", [ratio, percent], {
                "part": Decimal(ratio.value["numerator"]), "whole": Decimal(ratio.value["denominator"]),
                "percent": Decimal(percent.value["value"]), "decimals": percent.value["decimals"],
                "counts": counts, "target": targets.get(layout.sentence(percent.start))}))
            continue
        part = _part_before(text, layout, percent, figures)
        if part is None:
            claim = _share_of_named_parts(text, layout, percent, figures)
            if claim is not None:
                claim.values["target"] = targets.get(layout.sentence(percent.start))
                claims.append(claim)
            continue
        claim = _share_of_part(text, layout, percent, part, figures, linked)
        if claim is not None:
            claim.values["target"] = targets.get(layout.sentence(percent.start))
            claims.append(claim)
    return claims


_TARGET_CUE = regex.compile(r"(?:chỉ\s+tiêu|mục\s+tiêu|kế\s+hoạch(?:\s+đề\s+ra)?|yêu\s+cầu)\W{0,3}(?:là\s+|đạt\s+)?"
                            r"(?:(?:ít\s+nhất|tối\s+thiểu|trên|từ)\s+)?\Z", regex.I)


def _targets(text: str, layout: Layout, percents: list[Fact]) -> dict[int, Decimal]:
    """A target percentage stated in a sentence ("chỉ tiêu 80%"): a share on the other side of
    it turns "đạt" into "không đạt"."""
    targets = {}
    for percent in percents:
        if _TARGET_CUE.search(text, max(0, percent.start - 40), percent.start):
            targets[layout.sentence(percent.start)] = Decimal(percent.value["value"])
    return targets


def _adjacent_ratio(text: str, layout: Layout, percent: Fact, ratios: list[Fact],
                    figures: list[Figure]) -> Fact | None:
    sentence = layout.sentence(percent.start)
    best = None
    for ratio in ratios:
        if layout.sentence(ratio.start) != sentence:
            continue
        if ratio.end <= percent.start:
            gap = text[ratio.end : percent.start]
            paren = layout.enclosing_paren(percent.start)
            if paren is not None and paren.start >= ratio.end and not _SHARE_PAREN.match(
                    text, paren.start + 1, percent.start):
                continue  # "(Sơn La đang hoàn tất, đạt 85%)": another subject
            if len(gap) <= 120 and ";" not in gap and not _cue("comparison_cues").search(gap) and not any(
                    ratio.end <= f.start < percent.start for f in figures):
                best = ratio
        elif percent.end <= ratio.start:
            gap = text[percent.end : ratio.start]
            if regex.fullmatch(r"[\s(:]{0,4}", gap) and best is None:
                return ratio
    return best


_SHARE_PAREN = regex.compile(r"\s*(?:đạt|chiếm|bằng|tỷ lệ|tỉ lệ|tương đương|khoảng)?[\s:]*\Z", regex.I)


def _part_before(text: str, layout: Layout, percent: Fact, figures: list[Figure]) -> Figure | None:
    """The count or amount a percentage is a share of the whole of: 'X ... đạt 81,4%'."""
    before = [f for f in figures if f.end <= percent.start]
    if not before:
        return None
    part = before[-1]
    gap = text[part.end : percent.start]
    if len(gap) > 140 or ";" in gap or regex.search(r"\d", gap):
        return None
    if layout.sentence(part.start) != layout.sentence(percent.start):
        return None
    if not _cue("share_cues").search(gap) and "(" not in gap:
        return None
    # "trên 80%", "tăng 84%": a bound or a change, not a share.
    if _cue("not_share_cues").search(gap[-20:]):
        return None
    return part


def _share_of_part(text: str, layout: Layout, percent: Fact, part: Figure, figures: list[Figure],
                   linked: set[tuple[int, int]]) -> Claim | None:
    stated = Decimal(percent.value["value"])
    decimals = percent.value["decimals"]
    paragraph = layout.paragraph(part.start)
    candidates = [
        f for f in reversed(figures)
        if f.end <= part.start and f.group == part.group and f.value >= part.value and f.value > 0
        and layout.paragraph(f.start) == paragraph and part.start - f.end < 800
        and not _in_comparison(text, layout, f.start)
    ]
    for whole in candidates:
        if percent_holds(part.value, whole.value, stated, decimals):
            return Claim("share", "share.part_whole", [part.fact, whole.fact, percent], {
                "part": part.value, "whole": whole.value, "percent": stated, "decimals": decimals})
    sentence = layout.sentence(part.start)
    same_sentence = [f for f in candidates if layout.sentence(f.start) == sentence]
    sentence_start = layout.sentence_span(part.start)[0]
    if not same_sentence and _cue("subset_openers", r"^\W*").match(text[sentence_start : sentence_start + 20]):
        same_sentence = [f for f in candidates if layout.sentence(f.start) == sentence - 1]
    if stated == 100:
        return None  # "(100%)" with no whole that fits says "all of them", of a whole not given
    # With no whole that fits, the percentage is held against a whole it is tied to: one whose
    # breakdown lists the part, or one whose metric the part's metric splits.
    same_sentence = [f for f in same_sentence if (f.start, part.start) in linked or _splits(part, f)]
    if same_sentence:
        whole = same_sentence[0]
        return Claim("share", "share.part_whole", [part.fact, whole.fact, percent], {
            "part": part.value, "whole": whole.value, "percent": stated, "decimals": decimals})
    if part.is_count and stated > 0:
        return Claim("implied_whole", "share.implied_whole", [part.fact, percent], {
            "part": part.value, "percent": stated, "decimals": decimals})
    return None


def _splits(part: Figure, whole: Figure) -> bool:
    """Whether the part's metric is one the whole's splits into, or the same one narrowed
    ("8.493 văn bản được ký số ...; có 8.368 văn bản được lãnh đạo ký số")."""
    if part.metric is None:
        return False
    return part.metric == whole.metric or any(
        part.metric in parts for w, parts in vocabulary().partitions if w == whole.metric)


def _one_partition(parts: list[Figure]) -> bool:
    """Whether the parts' known metrics can all come from one split of a whole."""
    known = {p.metric for p in parts if p.metric}
    if len(known) < 2:
        return True
    return any(known <= members for _, members in vocabulary().partitions)


# ---------------------------------------------------------------- sums

_CONTINUATION = regex.compile(
    r"[^;()\n]*?(?:[,;]|(?<!\p{L})và(?!\p{L}))\s*(?:có\s+)?(?:[^,;()\d\n]{1,70}:\s*)?\Z")
_FIRST_PART = regex.compile(r"\W{0,3}(?:[^,;()\d\n]{1,70}:\s*)?\Z")


def _sum_claims(text: str, layout: Layout, figures: list[Figure]) -> list[Claim]:
    claims = []
    for i, total in enumerate(figures):
        if _in_comparison(text, layout, total.start):
            continue
        parts = _breakdown(text, layout, figures, i)
        if len(parts) < 2 or not _one_partition(parts):
            continue
        claim = _sum_claim(total, parts, "sum.breakdown")
        cue = _cue("breakdown_cues").search(text, total.end, min(len(text), total.end + 60))
        claim.values["exhaustive"] = not (cue and _cue("partial_breakdown_cues", "^").match(cue.group()))
        claims.append(claim)
    return claims


def _sum_claim(total: Figure, parts: list[Figure], rule: str) -> Claim:
    chosen = parts
    for k in range(2, len(parts) + 1):
        if sum(p.value for p in parts[:k]) == total.value:
            chosen = parts[:k]
            break
    return Claim("sum", rule, [total.fact] + [p.fact for p in chosen],
                 {"total": total.value, "parts": [p.value for p in chosen]})


def _breakdown(text: str, layout: Layout, figures: list[Figure], i: int) -> list[Figure]:
    """The parts a total announces: after 'trong đó'/'gồm', or in a parenthesis after it."""
    total = figures[i]
    sentence_end = layout.sentence_span(total.start)[1]
    gap_start = total.end
    # Skip a comparison "(năm 2022 ...)" right after the total.
    paren = layout.paren_at(_skip_blank(text, gap_start))
    if paren is not None and _is_comparison(text, paren):
        gap_start = paren.end
    # A cue that ends the total's line announces a list below ("…, cụ thể:" then "1. …").
    line_end = text.find("\n", gap_start)
    line_end = len(text) if line_end < 0 else line_end
    line_cue = None
    for line_cue in _cue("breakdown_cues").finditer(text, gap_start, line_end):
        pass
    if line_cue and line_end - gap_start < 240:
        bullets = _bullet_parts(text, layout, figures, i, line_cue.end())
        if bullets:
            return bullets
    nxt = next((f for f in figures[i + 1 :] if f.group == total.group and f.start >= gap_start), None)
    if nxt is None or nxt.start >= sentence_end:
        return []
    gap = text[gap_start : nxt.start]
    cue = _cue("breakdown_cues").search(gap)
    if cue and cue.start() <= 40 and ";" not in gap[: cue.start()]:
        if _FIRST_PART.match(gap, cue.end()):
            return _list_parts(text, layout, figures, figures.index(nxt), total.group, sentence_end)
    lead = text[max(0, total.start - 20) : total.start]
    if _cue("whole_lead_cues", "").search(lead) and ";" not in gap and len(gap) < 200:
        return _list_parts(text, layout, figures, figures.index(nxt), total.group, sentence_end)
    open_paren = _breakdown_paren(text, layout, total, nxt)
    if open_paren is not None:
        inside = [f for f in figures[i + 1 :]
                  if open_paren.start < f.start < open_paren.end and f.group == total.group
                  and layout.enclosing_paren(f.start) == open_paren]
        if len(inside) < 2 and not inside:
            return []
        parts = list(inside)
        # "(398 ..., 13.798 ...), 06 hồ sơ trễ hạn": the list goes on after the parenthesis.
        follow = next((f for f in figures if f.start >= open_paren.end), None)
        if follow is not None and follow.group == total.group and \
                regex.fullmatch(r"\s*,\s*", text[open_paren.end : follow.start]):
            parts += _list_parts(text, layout, figures, figures.index(follow), total.group, sentence_end)
        return parts
    return []


_BULLET = regex.compile(r"\n[ \t]*\n?[ \t]*(?:[-+•*]|\d{1,2}[.)]|[a-zđ]\))[ \t]+")


def _bullet_parts(text: str, layout: Layout, figures: list[Figure], i: int, cue_end: int) -> list[Figure]:
    """'Tổng kinh phí: 1,5 tỷ đồng, gồm:' then one part per list item on the lines below."""
    total = figures[i]
    line_end = text.find("\n", cue_end)
    if line_end < 0 or text[cue_end:line_end].strip(" \t:") != "":
        return []
    parts: list[Figure] = []
    position = line_end
    while True:
        item = _BULLET.match(text, position)
        if not item:
            break
        item_end = text.find("\n", item.end())
        item_end = len(text) if item_end < 0 else item_end
        in_item = [f for f in figures if item.end() <= f.start < item_end and f.group == total.group
                   and layout.enclosing_paren(f.start) is None]
        if not in_item:
            break
        parts.append(in_item[0])
        position = item_end
    return parts if len(parts) >= 2 else []


def _skip_blank(text: str, offset: int) -> int:
    while offset < len(text) and text[offset] in " \t":
        offset += 1
    return offset


def _breakdown_paren(text: str, layout: Layout, total: Figure, nxt: Figure):
    """A parenthesis in the total's clause that holds its next same-unit figure."""
    paren = layout.enclosing_paren(nxt.start)
    if paren is None or paren.start < total.end or _is_comparison(text, paren):
        return None
    between = text[total.end : paren.start]
    if ";" in between or len(between) > 160:
        return None
    return paren


def _list_parts(text: str, layout: Layout, figures: list[Figure], first: int, group: str | None,
                sentence_end: int) -> list[Figure]:
    """A list of parts from figures[first]: items joined by ',', ';' or 'và'."""
    parts = [figures[first]]
    first_paren = layout.enclosing_paren(figures[first].start)
    for figure in figures[first + 1 :]:
        if figure.start >= sentence_end:
            break
        if layout.enclosing_paren(figure.start) != first_paren:
            if _in_comparison(text, layout, figure.start):
                continue
            break
        if figure.group != group:
            continue
        if not _CONTINUATION.match(_without_parens(text, layout, parts[-1].end, figure.start)):
            break
        parts.append(figure)
    return parts


def _without_parens(text: str, layout: Layout, start: int, end: int) -> str:
    """text[start:end] with every whole parenthesis inside it blanked out."""
    gap = list(text[start:end])
    for paren in layout.parens:
        if paren.start >= end:
            break
        if paren.start >= start and paren.end <= end:
            gap[paren.start - start : paren.end - start] = " " * (paren.end - paren.start)
    return "".join(gap)


# "…: 122 TTHC; cấp độ 3: 58 TTHC; cấp độ 4: 62 TTHC": parallel labels split the figure before.
_LABEL_BEFORE = regex.compile(r";\s*(?P<label>[^;:()\n]{2,60}?)\s*:\s*\Z")


def _parallel_label_claims(text: str, layout: Layout, figures: list[Figure], taken: set[int]) -> list[Claim]:
    claims = []
    for i, total in enumerate(figures):
        if total.start in taken:
            continue
        labels: list[list[str]] = []
        parts: list[Figure] = []
        previous_end = total.end
        for figure in figures[i + 1 :]:
            if figure.group != total.group:
                break
            m = _LABEL_BEFORE.search(text, previous_end, figure.start)
            if not m or m.start() != _skip_clause(text, previous_end, figure.start):
                break
            words = m["label"].lower().split()
            if labels and not _parallel(labels[0], words):
                break
            labels.append(words)
            parts.append(figure)
            previous_end = figure.end
        own_label = _LABEL_BEFORE.search(text.replace("(", ";"), max(0, total.start - 80), total.start)
        if own_label and labels and _parallel(labels[0], own_label["label"].lower().split()):
            continue  # the "total" is the first item of the same list
        if len(parts) >= 2 and not _has_breakdown_cue(text, total):
            claims.append(_sum_claim(total, parts, "sum.parallel_labels"))
    return claims


def _skip_clause(text: str, start: int, end: int) -> int:
    """Offset of the first ';' after ``start`` (the end of a figure's own clause)."""
    i = text.find(";", start, end)
    return i if i >= 0 else end


def _parallel(a: list[str], b: list[str]) -> bool:
    return len(a) == len(b) and len(a) >= 2 and a[:-1] == b[:-1] and a[-1] != b[-1]


def _has_breakdown_cue(text: str, total: Figure) -> bool:
    return bool(_cue("breakdown_cues").search(text, total.end, total.end + 40))


def _state_claims(text: str, layout: Layout, figures: list[Figure], taken: set[int]) -> list[Claim]:
    claims = []
    for family in vocabulary().state_families:
        states = {name: words_regex(words) for name, words in family.items()}

        def state_of(figure: Figure) -> str | None:
            clause = _clause(text, layout, figure)
            return next((name for name, rx in states.items() if rx.search(clause)), None)

        for i, total in enumerate(figures):
            if total.start in taken or not total.is_count or state_of(total) is not None:
                continue
            clause = _clause(text, layout, total)
            if not _cue("whole_cues").search(clause[: clause.find(total.fact.text)]):
                continue
            if _in_comparison(text, layout, total.start):
                continue
            sentence_end = layout.sentence_span(total.start)[1]
            parts: list[Figure] = []
            seen: set[str] = set()
            for figure in figures[i + 1 :]:
                if figure.start >= sentence_end:
                    break
                if figure.group != total.group:
                    continue
                state = state_of(figure)
                if state is None or state in seen:
                    break
                seen.add(state)
                parts.append(figure)
            if len(parts) >= 2:
                claims.append(_sum_claim(total, parts, "sum.states"))
    return claims


def _dossier_flow_claims(text: str, layout: Layout, figures: list[Figure], taken: set[int]) -> list[Claim]:
    flow = vocabulary().dossier_flow
    if not flow:
        return []
    words = {key: words_regex(flow.words[key]) for key in ("received", "received_part", "resolved", "pending", "overdue")}
    not_yet = regex.compile(r"(?<!\p{L})(?:đang|chưa)\s*$", regex.IGNORECASE)
    dossiers = [f for f in figures if f.group == flow.unit_group and not _in_comparison(text, layout, f.start)]
    claims = []
    used: set[int] = set()
    for i, received in enumerate(dossiers):
        if received.start in used:
            continue
        before = text[max(layout.sentence_span(received.start)[0], received.start - 90) : received.start]
        if not words["received"].search(before) or words["received_part"].search(_clause(text, layout, received)):
            continue
        resolved = pending = None
        pendings: list[Figure] = []
        overdue: list[Figure] = []
        for figure in dossiers[i + 1 :]:
            if layout.paragraph(figure.start) - layout.paragraph(received.start) > 1:
                break
            clause = _clause(text, layout, figure)
            window = text[max(layout.sentence_span(figure.start)[0], figure.start - 70) : figure.start]
            if resolved is None:
                m = None
                for m in words["resolved"].finditer(window):
                    pass
                if m is not None and not not_yet.search(window[: m.start()]) and layout.enclosing_paren(figure.start) is None:
                    resolved = figure
                continue
            if layout.enclosing_paren(figure.start) is not None:
                continue
            if words["pending"].search(clause):
                pendings.append(figure)
            elif words["overdue"].search(clause) and regex.search(
                    r"chưa\s+(?:được\s+)?giải\s+quyết", text[figure.end : layout.sentence_span(figure.start)[1]], regex.I):
                overdue.append(figure)
        if resolved is None or not pendings:
            continue
        parts = [resolved] + pendings + overdue
        used.update(f.start for f in parts)
        claim = _sum_claim(received, parts, "sum.dossier_flow")
        claim.values["parts"] = [p.value for p in parts]
        claim.facts = [received.fact] + [p.fact for p in parts]
        claims.append(claim)
    return claims


# ---------------------------------------------------------------- wholes named by their parts

# How far before a ratio or a percentage the figures it is made of are looked for.
NAMED_PARTS_WINDOW = 1500


def _nearest_before(figures: list[Figure], text: str, layout: Layout, offset: int, metric: str) -> Figure | None:
    """The last figure with ``metric`` before ``offset`` within NAMED_PARTS_WINDOW, not in a comparison."""
    return next((f for f in reversed(figures) if f.metric == metric and f.end <= offset
                 and offset - f.start <= NAMED_PARTS_WINDOW and not _in_comparison(text, layout, f.start)), None)


def _stated_parts(text: str, layout: Layout, figures: list[Figure], whole: str | None, offset: int,
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
    parts = [_nearest_before(figures, text, layout, offset, metric) for metric in sorted(splits[0])]
    return None if None in parts else sorted(parts, key=lambda f: f.start)


def _label_before(text: str, layout: Layout, offset: int) -> str:
    """The words of the clause before ``offset``: what a share there is "tỷ lệ" of."""
    return text[layout.sentence_span(offset)[0] : offset].rsplit(";", 1)[-1]


def _share_of_named_parts(text: str, layout: Layout, percent: Fact, figures: list[Figure]) -> Claim | None:
    """A percentage named by a metric whose share the domain defines, with no figures of its
    own: "Tỷ lệ giải quyết đúng và trước hạn đạt 99,92%" after "Đã giải quyết 15.931 hồ sơ,
    trong đó 14.807 hồ sơ trước hạn, 1.112 hồ sơ đúng hạn" is (14.807 + 1.112) / 15.931."""
    label = _label_before(text, layout, percent.start)
    for metric, base in vocabulary().share_bases.items():
        if metric_named(label, metric_unit_group(metric)) != metric:
            continue
        parts = _stated_parts(text, layout, figures, metric, percent.start)
        whole = _nearest_before(figures, text, layout, percent.start, base)
        if parts is None or whole is None:
            return None
        return Claim("share", "share.named_parts", [percent, whole.fact] + [p.fact for p in parts], {
            "part": sum(p.value for p in parts), "whole": whole.value,
            "percent": Decimal(percent.value["value"]), "decimals": percent.value["decimals"]})
    return None


def _named_sum(total_fact: Fact, total: Decimal, parts: list[Figure]) -> Claim:
    return Claim("sum", "sum.named_whole", [total_fact] + [p.fact for p in parts],
                 {"total": total, "parts": [p.value for p in parts], "exhaustive": True})


def _named_whole_claims(text: str, layout: Layout, facts: Sequence[Fact], figures: list[Figure]) -> list[Claim]:
    """A side of a ratio whose words name a whole that one split divides into parts the text
    stated before: "tỷ lệ giải quyết trước hạn và đúng hạn đạt 99,5% (4.081/4.101 hồ sơ)" after
    "(3.655 hồ sơ trước hạn, 426 hồ sơ đúng hạn, …)" claims 4.081 = 3.655 + 426; "(3.020/4.128
    hồ sơ tiếp nhận mới)" after "3.020 hồ sơ trực tuyến, 1.108 hồ sơ trực tiếp" claims 4.128 =
    3.020 + 1.108. The numerator, named by the share's label ("tỷ lệ …"), must spell out each
    part ("trước hạn và đúng hạn"), since the label names what the share counts among other
    words ("tỷ lệ số hóa kết quả giải quyết" counts digitised results, not resolved dossiers);
    the words right after the denominator name it directly."""
    claims = []
    for ratio in (f for f in facts if f.kind == "ratio" and f.value.get("unit")):
        group = vocabulary().group_of(ratio.value["unit"])
        label = _label_before(text, layout, ratio.start)
        paren = layout.enclosing_paren(ratio.start)
        after = text[ratio.end : paren.end - 1 if paren is not None and paren.end > ratio.end else ratio.end]
        for side, words in (("numerator", label), ("denominator", ratio.text.rsplit("/", 1)[-1] + after)):
            parts = _stated_parts(text, layout, figures, metric_named(words, group), ratio.start,
                                  spelled_in=words if side == "numerator" else None)
            if parts is not None:
                claims.append(_named_sum(ratio, Decimal(ratio.value[side]), parts))
    return claims


def _named_figure_claims(text: str, layout: Layout, figures: list[Figure]) -> list[Claim]:
    """A figure whose words name a whole by spelling out each of its parts, stated before it:
    "Trong số 40 thủ tục mới ban hành và được sửa đổi, bổ sung" after "mới ban hành: 12 thủ
    tục" and "được sửa đổi, bổ sung: 28 thủ tục" claims 40 = 12 + 28."""
    claims = []
    for figure in figures:
        if figure.metric is None or _in_comparison(text, layout, figure.start):
            continue
        parts = _stated_parts(text, layout, figures, figure.metric, figure.start,
                              spelled_in=_clause(text, layout, figure))
        if parts is not None:
            claims.append(_named_sum(figure.fact, figure.value, parts))
    return claims


# ---------------------------------------------------------------- differences

def _remainder_claims(text: str, layout: Layout, facts: Sequence[Fact], figures: list[Figure]) -> list[Claim]:
    """'hoàn thành 56/60 nhiệm vụ, đạt 93,3%; 04 nhiệm vụ chưa hoàn thành': 60 - 56 = 4."""
    claims = []
    for ratio in (f for f in facts if f.kind == "ratio" and f.value.get("unit")):
        group = vocabulary().group_of(ratio.value["unit"])
        sentence_end = layout.sentence_span(ratio.start)[1]
        rest = next((f for f in figures if ratio.end <= f.start < sentence_end and f.group == group), None)
        if rest is None or not _cue("remainder_words").search(_clause(text, layout, rest)):
            continue
        claims.append(Claim("difference", "difference.remainder", [ratio, rest.fact], {
            "current": Decimal(ratio.value["denominator"]), "previous": Decimal(ratio.value["numerator"]),
            "change": rest.value, "sign": 1}))
    return claims


def _difference_claims(text: str, layout: Layout, figures: list[Figure]) -> list[Claim]:
    """'14.911 hồ sơ (năm 2022 tiếp nhận 8.008 hồ sơ tăng 6.903 hồ sơ)'."""
    claims = []
    for i, current in enumerate(figures):
        if _in_comparison(text, layout, current.start):
            continue
        following = [f for f in figures[i + 1 :] if f.group == current.group][:2]
        if len(following) != 2:
            continue
        previous, change = following
        paren = layout.enclosing_paren(previous.start)
        if paren is None or paren.start < current.end or not _is_comparison(text, paren):
            continue
        if layout.enclosing_paren(change.start) != paren:
            continue
        if regex.search(r"[;\d]", text[current.end : paren.start]) or paren.start - current.end > 60:
            continue
        verb = text[previous.end : change.start]
        if _cue("increase_words").search(verb):
            sign = 1
        elif _cue("decrease_words").search(verb):
            sign = -1
        else:
            continue
        claims.append(Claim("difference", "difference.comparison", [current.fact, previous.fact, change.fact], {
            "current": current.value, "previous": previous.value, "change": change.value, "sign": sign}))
    return claims
