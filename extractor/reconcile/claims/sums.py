"""Sums a document states: a total and the parts its wording lists ("trong đó", "gồm", a
parenthetical breakdown, a bulleted list under "gồm:", parallel labels, states of one family,
the dossier flow received = resolved + pending)."""
from __future__ import annotations

import bisect
import functools

import regex

from ..clauses import clause_of, in_comparison, is_comparison
from ...structure.layout import Layout
from ..vocabulary import cue_pattern, cue_regex, vocabulary, words_pattern, words_regex
from .base import Claim, Figure, Reading

# Character windows, sized on how reports write a total and its parts.
# The label that may open a part ("Hồ sơ đang giải quyết, chưa đến hạn: 709 hồ sơ").
PART_LABEL_CHARS = 70
# Punctuation between a breakdown cue and its first part ("trong đó: 42 xã").
CUE_PUNCTUATION = 3
# A cue announces a total's parts when it follows the total closely ("14.911 hồ sơ, trong đó …").
BREAKDOWN_CUE_REACH = 40
# Where the cue that announced the parts is read back, to tell "trong đó" (which may name only
# the main parts) from "gồm".
EXHAUSTIVE_CUE_WINDOW = 60
# A cue ending the total's line announces a list below only on a line of one sentence or two.
LIST_CUE_LINE_CHARS = 240
# The words that lead a whole stand right before it ("Trong số 40 thủ tục").
WHOLE_LEAD_CHARS = 20
# A led whole and its first part share a clause ("Trong số 40 thủ tục mới ban hành …, có 31 …").
LEAD_GAP_CHARS = 200
# A parenthesis of parts follows its total within its clause ("14.202 hồ sơ (398 … , 13.798 …)").
BREAKDOWN_PAREN_GAP = 160
# A parallel label is a few words ("cấp độ 3: 58 TTHC").
PARALLEL_LABEL_CHARS = 60
# The total's own label stands right before it ("Tổng số TTHC: 122 TTHC").
OWN_LABEL_LOOKBACK = 80
# The verb that makes a figure the received dossiers stands before it in its clause ("Trong kỳ,
# Trung tâm đã tiếp nhận 9.214 hồ sơ").
RECEIVED_LOOKBACK = 90
# The verb that makes a figure the resolved dossiers stands right before it ("đã giải quyết 9.030").
RESOLVED_LOOKBACK = 70
# The dossier flow is stated in one paragraph or runs on into the next.
FLOW_PARAGRAPHS = 1
# ... and within this many dossier figures after the received ones (a bound that keeps one
# paragraph of thousands of figures linear).
FLOW_FIGURES = 40


@functools.lru_cache(maxsize=1)
def _continuation() -> regex.Pattern:
    """The gap between two parts of a list: a separator or a joining word, then the next part's
    label."""
    return regex.compile(r"[^;()\n]*?(?:[,;]|(?<!\p{L})(?:" + cue_pattern("part_joiners") + r")(?!\p{L}))\s*"
                         r"(?:(?:" + cue_pattern("part_openers") + rf")\s+)?(?:[^,;()\d\n]{{1,{PART_LABEL_CHARS}}}:\s*)?\Z")


_FIRST_PART = regex.compile(rf"\W{{0,{CUE_PUNCTUATION}}}(?:[^,;()\d\n]{{1,{PART_LABEL_CHARS}}}:\s*)?\Z")


def breakdowns(reading: Reading) -> list[Claim]:
    """The totals whose wording announces their parts, with those parts."""
    if reading.breakdowns is None:
        reading.breakdowns = _breakdown_claims(reading.text, reading.layout, reading.figures)
    return reading.breakdowns


def breakdown_claims(reading: Reading) -> list[Claim]:
    return breakdowns(reading)


def _taken(reading: Reading) -> set[int]:
    """Figures a breakdown holds, as total or part: no other sum takes them for its total."""
    return {f.start for claim in breakdowns(reading) for f in claim.facts}


def _breakdown_claims(text: str, layout: Layout, figures: list[Figure]) -> list[Claim]:
    claims = []
    for i, total in enumerate(figures):
        if in_comparison(text, layout, total.start):
            continue
        parts = _breakdown(text, layout, figures, i)
        cue = cue_regex("breakdown_cues").search(text, total.end, min(len(text), total.end + EXHAUSTIVE_CUE_WINDOW))
        partial = bool(cue and cue_regex("partial_breakdown_cues", "^").match(cue.group()))
        if len(parts) == 1 and partial and parts[0].start > cue.start():
            # "đã xử lý: 21, trong đó, đúng hạn: 21": one part named, which the whole holds.
            claims.append(Claim("sum", "sum.breakdown_subset", [total.fact, parts[0].fact],
                                {"total": total.value, "parts": [parts[0].value], "exhaustive": False,
                                 "subset": True}))
            continue
        if len(parts) < 2 or not _one_partition(parts):
            continue
        claim = _sum_claim(total, parts, "sum.breakdown")
        claim.values["exhaustive"] = not partial
        claims.append(claim)
    return claims


def _sum_claim(total: Figure, parts: list[Figure], rule: str) -> Claim:
    chosen = parts
    running = sum(p.value for p in parts[:1])
    for k in range(2, len(parts) + 1):
        running += parts[k - 1].value
        if running == total.value:
            chosen = parts[:k]
            break
    return Claim("sum", rule, [total.fact] + [p.fact for p in chosen],
                 {"total": total.value, "parts": [p.value for p in chosen]})


def _one_partition(parts: list[Figure]) -> bool:
    """Whether the parts' known metrics can all come from one split of a whole."""
    known = {p.metric for p in parts if p.metric}
    if len(known) < 2:
        return True
    return any(known <= members for _, members in vocabulary().partitions)


def _breakdown(text: str, layout: Layout, figures: list[Figure], i: int) -> list[Figure]:
    """The parts a total announces: after 'trong đó'/'gồm', or in a parenthesis after it."""
    total = figures[i]
    sentence_end = layout.sentence_span(total.start)[1]
    gap_start = total.end
    # Skip a comparison "(năm 2022 ...)" right after the total.
    paren = layout.paren_at(_skip_blank(text, gap_start))
    if paren is not None and is_comparison(text, paren):
        gap_start = paren.end
    # A cue that ends the total's line announces a list below ("…, cụ thể:" then "1. …").
    line_end = text.find("\n", gap_start)
    line_end = len(text) if line_end < 0 else line_end
    line_cue = None
    # (Only a short rest of the line is searched: scanning a megabyte-long line for every
    # figure on it was quadratic.)
    for line_cue in (cue_regex("breakdown_cues").finditer(text, gap_start, line_end)
                     if line_end - gap_start < LIST_CUE_LINE_CHARS else ()):
        pass
    if line_cue and line_end - gap_start < LIST_CUE_LINE_CHARS:
        bullets = _bullet_parts(text, layout, figures, i, line_cue.end())
        if bullets:
            return bullets
    at = next((k for k in range(i + 1, len(figures))
               if figures[k].group == total.group and figures[k].start >= gap_start), None)
    nxt = figures[at] if at is not None else None
    if nxt is None or nxt.start >= sentence_end:
        return []
    gap = text[gap_start : nxt.start]
    cue = cue_regex("breakdown_cues").search(gap)
    if cue and cue.start() <= BREAKDOWN_CUE_REACH and ";" not in gap[: cue.start()]:
        if _FIRST_PART.match(gap, cue.end()):
            return _list_parts(text, layout, figures, at, total.group, sentence_end)
    lead = text[max(0, total.start - WHOLE_LEAD_CHARS) : total.start]
    if cue_regex("whole_lead_cues", "").search(lead) and ";" not in gap and len(gap) < LEAD_GAP_CHARS:
        return _list_parts(text, layout, figures, at, total.group, sentence_end)
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
    if paren is None or paren.start < total.end or is_comparison(text, paren):
        return None
    between = text[total.end : paren.start]
    if ";" in between or len(between) > BREAKDOWN_PAREN_GAP:
        return None
    return paren


def _list_parts(text: str, layout: Layout, figures: list[Figure], first: int, group: str | None,
                sentence_end: int) -> list[Figure]:
    """A list of parts from figures[first]: items joined by ',', ';' or 'và'."""
    parts = [figures[first]]
    first_paren = layout.enclosing_paren(figures[first].start)
    for k in range(first + 1, len(figures)):
        figure = figures[k]
        if figure.start >= sentence_end:
            break
        if layout.enclosing_paren(figure.start) != first_paren:
            if in_comparison(text, layout, figure.start):
                continue
            break
        if figure.group != group:
            continue
        gap = _without_parens(text, layout, parts[-1].end, figure.start)
        if not _continuation().match(gap):
            break
        if ";" in gap and cue_regex("new_statement_openers", r"^\s*").match(gap.rsplit(";", 1)[1]):
            break  # "…: 21; số PAKN đang xử lý: 28": the next statement, not a part
        parts.append(figure)
    return parts


def _without_parens(text: str, layout: Layout, start: int, end: int) -> str:
    """text[start:end] with every whole parenthesis inside it blanked out."""
    gap = list(text[start:end])
    parens = layout.parens
    for k in range(bisect.bisect_left(parens, start, key=lambda p: p.start), len(parens)):
        paren = parens[k]
        if paren.start >= end:
            break
        if paren.start >= start and paren.end <= end:
            gap[paren.start - start : paren.end - start] = " " * (paren.end - paren.start)
    return "".join(gap)


# "…: 122 TTHC; cấp độ 3: 58 TTHC; cấp độ 4: 62 TTHC": parallel labels split the figure before.
_LABEL_BEFORE = regex.compile(rf";\s*(?P<label>[^;:()\n]{{2,{PARALLEL_LABEL_CHARS}}}?)\s*:\s*\Z")


def parallel_label_claims(reading: Reading) -> list[Claim]:
    text, figures, taken = reading.text, reading.figures, _taken(reading)
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
        own_label = _LABEL_BEFORE.search(text.replace("(", ";"), max(0, total.start - OWN_LABEL_LOOKBACK), total.start)
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
    return bool(cue_regex("breakdown_cues").search(text, total.end, total.end + BREAKDOWN_CUE_REACH))


def state_claims(reading: Reading) -> list[Claim]:
    text, layout, figures, taken = reading.text, reading.layout, reading.figures, _taken(reading)
    claims = []
    for family in vocabulary().state_families:
        states = {name: words_regex(cue.words) for name, cue in family.states.items()}

        def state_of(figure: Figure) -> str | None:
            clause = clause_of(text, layout, figure)
            return next((name for name, rx in states.items() if rx.search(clause)), None)

        for i, total in enumerate(figures):
            if total.start in taken or not total.is_count or state_of(total) is not None:
                continue
            clause = clause_of(text, layout, total)
            if not cue_regex("whole_cues").search(clause[: clause.find(total.fact.text)]):
                continue
            if in_comparison(text, layout, total.start):
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


def dossier_flow_claims(reading: Reading) -> list[Claim]:
    text, layout, figures = reading.text, reading.layout, reading.figures
    flow = vocabulary().dossier_flow
    words = {role: words_regex(flow.cues[role].words) for role in ("received", "received_part", "resolved", "pending", "overdue")}
    not_yet = regex.compile(r"(?<!\p{L})(?:" + words_pattern(flow.cues["not_yet"].words) + r")\s*$", regex.IGNORECASE)
    unresolved = regex.compile(words_pattern(flow.cues["unresolved"].words), regex.IGNORECASE)
    dossiers = [f for f in figures if f.group == flow.unit_group and not in_comparison(text, layout, f.start)]
    claims = []
    used: set[int] = set()
    clauses: dict[int, str] = {}

    def clause(figure: Figure) -> str:
        if figure.start not in clauses:
            clauses[figure.start] = clause_of(text, layout, figure)
        return clauses[figure.start]

    for i, received in enumerate(dossiers):
        if received.start in used:
            continue
        before = text[max(layout.sentence_span(received.start)[0], received.start - RECEIVED_LOOKBACK) : received.start]
        if not words["received"].search(before) or words["received_part"].search(clause(received)):
            continue
        resolved = None
        pendings: list[Figure] = []
        overdue: list[Figure] = []
        for figure in dossiers[i + 1 : i + 1 + FLOW_FIGURES]:
            if layout.paragraph(figure.start) - layout.paragraph(received.start) > FLOW_PARAGRAPHS:
                break
            figure_clause = clause(figure)
            window = text[max(layout.sentence_span(figure.start)[0], figure.start - RESOLVED_LOOKBACK) : figure.start]
            if resolved is None:
                m = None
                for m in words["resolved"].finditer(window):
                    pass
                if m is not None and not not_yet.search(window[: m.start()]) and layout.enclosing_paren(figure.start) is None:
                    resolved = figure
                continue
            if layout.enclosing_paren(figure.start) is not None:
                continue
            if words["pending"].search(figure_clause):
                pendings.append(figure)
            elif words["overdue"].search(figure_clause) and unresolved.search(
                    text[figure.end : layout.sentence_span(figure.start)[1]]):
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
