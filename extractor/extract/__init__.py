"""Find facts in document text: references, dates, periods and figures.

Kinds are found in an order where each may rely on the ones before: dates, then references
(which take their dates), then periods, then figures (which must not be parts of any of those).
"""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from ..document import Table
from ..facts import Fact, Problem
from ..structure.tables import TableView, table_in, table_views
from ..normalize import NormalizedText, normalize
from ..patterns import Pattern, ScanGroup, load_patterns, scan_groups
from . import dates, numbers, refs
from .relations import assign_relations
from .shortrefs import ShortPattern, find_short_refs
from .cells import cell_facts
from .citescan import citation_starts
from .prefilter import matches_at, prefilter

BUILDERS: dict[str, Callable[..., Any]] = {
    "date": dates.build_date,
    "range": dates.build_range,
    "quarter": dates.build_quarter,
    "months_of_year": dates.build_months_of_year,
    "blank_day": dates.build_blank_day,
    "month": dates.build_month,
    "multi_year": dates.build_multi_year,
    "year": dates.build_year,
    "reference": refs.build_reference,
    "blank_reference": refs.build_blank_reference,
    "ratio": numbers.build_ratio,
    "percent": numbers.build_percent,
    "money": numbers.build_money,
    "quantity": numbers.build_quantity,
}

FIGURE_KINDS = ("ratio", "percent", "money", "quantity")
LEAD_WINDOW = 48


@dataclass(slots=True)
class Candidate:
    kind: str
    start: int
    end: int
    pattern: Pattern
    value: dict[str, Any]


@dataclass
class Context:
    """What a builder may look at besides its match: the whole matching text."""

    text: str
    encoded: bytes | None = None  # ``text`` in UTF-8, when normalising had it already


@dataclass
class Extraction:
    facts: list[Fact]
    problems: list[Problem]
    # The tables read, in the offsets of the normalised text (the reconciler checks them).
    tables: list[TableView] = field(default_factory=list)


_TRIM_START, _TRIM_END = " \t\r\n*", " \t\r\n"


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM_START:
        start += 1
    while end > start and text[end - 1] in _TRIM_END:
        end -= 1
    return start, end


def run_pattern(pattern: Pattern, ctx: Context) -> tuple[list[Candidate], list[Problem]]:
    """All matches of one pattern that its builder accepts, plus the problems it reports."""
    return _run_scan(ScanGroup((pattern,), pattern.compiled), ctx)


_PLANS: dict[tuple[str, ...], dict[str, tuple[Callable[..., Any], tuple[int, ...]]]] = {}


def _plan(group: ScanGroup) -> dict[str, tuple[Callable[..., Any], tuple[int, ...]]]:
    """By pattern id: its builder with the pattern's options bound, and the indices in the
    group's regex of its lookbehind groups (names are looked up slowly by the regex module)."""
    key = tuple(p.id for p in group.patterns)
    plan = _PLANS.get(key)
    if plan is None:
        index = group.compiled.groupindex
        plan = _PLANS[key] = {
            p.id: (functools.partial(BUILDERS[p.builder], **p.options),
                   tuple(index[name] for name in p.behind_groups)) for p in group.patterns}
    return plan


def _run_scan(group: ScanGroup, ctx: Context, starts: list[int] | None = None
              ) -> tuple[list[Candidate], list[Problem]]:
    """Candidates of one scan group: searched everywhere, or tried only at ``starts``."""
    found: list[Candidate] = []
    problems: list[Problem] = []
    text = ctx.text
    matches = group.compiled.finditer(text) if starts is None else matches_at(group.compiled, text, starts)
    only = group.patterns[0] if len(group.patterns) == 1 else None
    plan = _plan(group)
    for m in matches:
        if m.end() == m.start():
            continue
        pattern = only or group.pattern_of(m)
        # Patterns anchor on a rare character ("/", "%", "đồng") and capture what precedes it
        # in a lookbehind: the fact starts at the earliest group that took part, or at the
        # pattern's lead (type word, "số", "từ") when one ends right there.
        build, behind = plan[pattern.id]
        start = m.start()
        for index in behind:
            group_start = m.start(index)
            if 0 <= group_start < start:
                start = group_start
        lead = None
        if pattern.lead is not None:
            lead = pattern.lead.match(text, max(0, start - LEAD_WINDOW), start)
            if lead:
                start = lead.start()
        value = build(m, ctx, lead=lead)
        if value is None:
            continue
        if isinstance(value, Problem):
            problems.append(value)
            continue
        end = m.end()
        if text[start] in _TRIM_START or text[end - 1] in _TRIM_END:
            start, end = _trimmed(text, start, end)
        found.append(Candidate(pattern.kind, start, end, pattern, value))
    return found, problems


@functools.lru_cache(maxsize=1)
def _pattern_order() -> dict[str, dict[str, int]]:
    """Each kind's pattern ids with their rank in file order (earlier wins ties)."""
    return {kind: {p.id: i for i, p in enumerate(patterns)} for kind, patterns in load_patterns().items()}


def _without_overlaps(candidates: list[Candidate], order: dict[str, int]) -> list[Candidate]:
    """Keep the longest of overlapping candidates; on equal spans the earlier pattern wins."""
    ranked = sorted(candidates, key=lambda c: (-(c.end - c.start), order[c.pattern.id], c.start))
    kept: list[Candidate] = []
    starts: list[int] = []
    for c in ranked:
        i = bisect.bisect_left(starts, c.start)
        if i > 0 and kept[i - 1].end > c.start:
            continue
        if i < len(kept) and kept[i].start < c.end:
            continue
        starts.insert(i, c.start)
        kept.insert(i, c)
    return kept


class _Spans:
    """Sorted, non-overlapping spans with a fast overlap test."""

    def __init__(self, spans: Sequence[tuple[int, int]]):
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [s for s, _ in merged]
        self._ends = [e for _, e in merged]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self._starts, start)
        if i > 0 and self._ends[i - 1] > start:
            return True
        return i < len(self._starts) and self._starts[i] < end

    def contains(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self._starts, start) - 1
        return i >= 0 and self._ends[i] >= end


def find_candidates(ctx: Context, use_prefilter: bool = True) -> tuple[list[Candidate], list[Problem]]:
    """Every accepted, non-conflicting candidate fact in ``ctx.text``, sorted by position.

    ``use_prefilter=False`` searches every pattern everywhere (the reference the prefilter
    is tested against).
    """
    problems: list[Problem] = []
    by_kind: dict[str, list[Candidate]] = {}
    groups = scan_groups()
    screen = prefilter() if use_prefilter else None
    starts = screen.starts(ctx.text, ctx.encoded) if screen is not None else None
    for i, group in enumerate(groups):
        group_starts = starts.get(i) if starts is not None else None
        if group_starts is not None and not group_starts:
            continue
        found, issues = _run_scan(group, ctx, group_starts)
        problems.extend(issues)
        for candidate in found:
            by_kind.setdefault(candidate.kind, []).append(candidate)

    def run_kind(kind: str) -> list[Candidate]:
        found = by_kind.get(kind)
        return _without_overlaps(found, _pattern_order()[kind]) if found else []

    date_facts = run_kind("date")
    ref_facts = run_kind("doc_ref")
    ref_spans = _Spans([(c.start, c.end) for c in ref_facts])
    free_dates = [d for d in date_facts if not ref_spans.overlaps(d.start, d.end)]
    refs.attach_preceding_dates(ctx.text, ref_facts, free_dates)
    refs.attach_header_dates(ctx.text, ref_facts, date_facts)

    date_spans = _Spans([(c.start, c.end) for c in date_facts])
    period_facts = [
        p for p in run_kind("period")
        if not ref_spans.overlaps(p.start, p.end)
        and (not date_spans.overlaps(p.start, p.end) or p.value.get("granularity") == "range")
    ]

    blocked = _Spans([(c.start, c.end) for c in date_facts + ref_facts + period_facts])
    # Figures of different kinds may overlap (a ratio of two money amounts): resolve per kind.
    figures = [c for kind in FIGURE_KINDS for c in run_kind(kind) if not blocked.overlaps(c.start, c.end)]
    ratio_spans = _Spans([(c.start, c.end) for c in figures if c.kind == "ratio"])
    figures = [c for c in figures if c.kind != "quantity" or not ratio_spans.overlaps(c.start, c.end)]

    everything = date_facts + ref_facts + period_facts + figures
    everything.sort(key=lambda c: (c.start, c.end))
    return everything, problems


def _with_short_refs(text: str, candidates: list[Candidate], encoded: bytes | None = None,
                     use_prefilter: bool = True) -> list[Candidate]:
    """The candidates with the short references added (resolved against the full ones), and
    the relation of every citation (extract/relations.py). A short "Quyết định này" may stand
    for the decision the document is attached to: the full references' relations are then read
    first (``relate``), and all again once the short ones are in place."""
    refs = [c for c in candidates if c.kind == "doc_ref"]
    starts = citation_starts(text, encoded) if use_prefilter else None
    shorts = find_short_refs(text, refs, lambda start, end, pid, value: Candidate(
        "doc_ref", start, end, ShortPattern(pid), value),  # type: ignore[arg-type]
        relate=lambda: assign_relations(text, refs, starts), scan_starts=starts)
    if shorts:
        taken = _Spans([(c.start, c.end) for c in shorts])
        # Dates stay (a citation's date is a date too); a figure inside a short reference goes.
        candidates = [c for c in candidates if c.kind not in FIGURE_KINDS or not taken.overlaps(c.start, c.end)]
        candidates = sorted(candidates + shorts, key=lambda c: (c.start, c.end))
        refs = [c for c in candidates if c.kind == "doc_ref"]
    assign_relations(text, refs, starts)
    return candidates


def extract_facts(text: str, pages: Sequence[tuple[int, int, int]] = (), *,
                  norm: NormalizedText | None = None, tables: Sequence[Table] = ()) -> Extraction:
    """Extract every fact from a document's text.

    ``pages`` lists ``(page_number, start, end)`` character ranges of the text; facts then
    carry their page. Offsets of the returned facts index ``text`` itself. ``norm`` is the
    text's normalisation when the caller made it already (the pipeline normalises once).
    ``tables`` are the reader's tables (else the text's Markdown tables are read): a bare
    number in a cell becomes a figure when the table states its unit.
    """
    norm = norm if norm is not None else normalize(text)
    candidates, problems = find_candidates(Context(norm.text, norm.encoded))
    candidates = _with_short_refs(norm.text, candidates, norm.encoded)
    views = table_views(norm.text, [table_in(norm, t) for t in tables])
    in_cells = cell_facts(norm.text, views, [(c.start, c.end) for c in candidates])
    page_starts = [p[1] for p in pages]

    def page_of(offset: int) -> int | None:
        if not pages:
            return None
        i = bisect.bisect_right(page_starts, offset) - 1
        return pages[max(i, 0)][0]

    span = norm.source_span
    facts = []
    for c in candidates:
        start, end = span(c.start, c.end)
        target = c.value.get("resolves_to") if c.kind == "doc_ref" else None
        if target and target.get("start") is not None:
            t_start, t_end = span(target["start"], target["end"])
            c.value["resolves_to"] = {**target, "start": t_start, "end": t_end}
        facts.append(Fact(c.kind, text[start:end], start, end, c.pattern.id, c.value,
                          page_of(start) if pages else None))
    for c in in_cells:
        start, end = span(c["start"], c["end"])
        facts.append(Fact(c["kind"], text[start:end], start, end, c["pattern"], c["value"],
                          page_of(start) if pages else None))
    if in_cells:
        facts.sort(key=lambda f: (f.start, f.end))
    mapped_problems = []
    for p in problems:
        start, end = span(p.start, p.end)
        mapped_problems.append(Problem(p.code, text[start:end], start, end, p.detail, page_of(start)))
    return Extraction(facts, mapped_problems, views)


__all__ = ["extract_facts", "Extraction", "find_candidates", "run_pattern", "Context"]
