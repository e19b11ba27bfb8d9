"""The issuer: the units of the header's issuer block (the issuing body under its parent bodies)
resolved against the gazetteer, the province, the successor after the 2025 reorganisation; and
every body the document names."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import regex

from ..facts import Fact
from .context import DocumentContext, DocumentRecord, Span
from .data import Body, bodies, fold, layout, places, title_case
from .header import Header
from .lines import Cleaned, Line, clean, content_span
from .model import StructureProblem
from .news import NewsPage
from .orgs import Context, OrgMention, find_mentions, fuzzy_mention, issuer_from_code, resolve, successors
from .places import PlaceMatch, find_place_mentions

PROVINCE_UNITS = ("tỉnh", "thành phố")
DEFAULT_PROVINCE_UNIT = "tỉnh"

_BOLD = regex.compile(r"\*\*(.+?)\*\*", regex.DOTALL)


@dataclass(frozen=True)
class IssuerUnit:
    """One unit of the issuer block ("SỞ Y TẾ", "ỦY BAN NHÂN DÂN / TỈNH QUẢNG TRỊ") in proper case."""
    name: str
    mentions: tuple[OrgMention, ...]
    province: PlaceMatch | None
    unit: str | None
    province_span: Span | None
    span: Span


@dataclass(frozen=True)
class Issuer:
    name: str | None
    span: Span | None
    body: Body | None
    short: str | None              # the name positions use: "Sở Y tế", "UBND tỉnh"
    kind: str | None               # the kind of body the positions belong to
    province: str | None
    province_span: Span | None
    parents: tuple[IssuerUnit, ...]
    successor: dict[str, Any] | None
    problems: tuple[StructureProblem, ...]

    @property
    def context(self) -> Context:
        return Context(self.province, self.body, self.short)

    @property
    def head(self) -> str | None:
        return self.body.head if self.body is not None else None

    def write(self, record: DocumentRecord) -> None:
        if self.parents:
            record.set("parent_body", "; ".join(p.name for p in self.parents),
                       (self.parents[0].span[0], self.parents[-1].span[1]))
        if self.name:
            record.set("issuer", self.name, self.span)
            if self.body is not None:
                record.set("issuer_body", self.body.id)
        if self.province is not None:
            record.set("province", self.province, self.province_span)
        if self.successor is not None:
            record.set("issuer_successor", self.successor)


def resolve_issuer(context: DocumentContext, header: Header, news: NewsPage | None) -> Issuer:
    """The issuer from the header's issuer block, else from its own number's code, else (a news
    page) the publisher; its province from the block, the place line, the publisher or, for a
    provincial body, the province the document names most."""
    problems: list[StructureProblem] = []
    units = [] if header.is_news else _issuer_units(context, header.issuer_block)
    if not units and header.attached_issuer is not None:
        units = [(*header.attached_issuer, ())]  # an appendix: its document's issuer
    described = []
    for a, b, leave_out in units:
        unit, spelling = _describe_unit(context, a, b, leave_out)
        described.append(unit)
        if spelling is not None:
            problems.append(spelling)
    # The issuer is the last unit that names a body; the units above it are parent bodies.
    last = max((i for i, d in enumerate(described) if d.mentions), default=len(described) - 1)
    described = described[:last + 1]
    body: Body | None = None
    short: str | None = None
    kind: str | None = None
    province: str | None = None
    province_span = None
    name = span = None
    parents: tuple[IssuerUnit, ...] = ()
    if described:
        main = described[-1]
        parents = tuple(described[:-1])
        mentions = main.mentions
        body = mentions[-1].body if mentions else None
        kind = mentions[0].body.kind if mentions else None
        for d in (main, *parents[::-1]):
            if d.province is not None:
                province = _place_name(d.province)
                province_span = d.province_span
                if d.province.misspelt:
                    problems.append(context.problem("place_spelling", *d.province_span,
                                                    corrected=d.province.corrected))
                break
        short = _short_name(main)
        name, span = main.name, main.span
    own = header.own
    if body is None and own is not None:
        body = issuer_from_code(own.fact.value.get("code"))
        if body is not None:
            name = body.name
            short = _short_from_body(body, None)
            kind = body.kind
    central = body is not None and not body.provincial
    place = header.place.match if header.place is not None else None
    if province is None and not central and place is not None and place.province is not None:
        province = place.province.name
    # Header-less pages (news): the body that publishes the page.
    publisher = news.publisher if news is not None else None
    if publisher is not None:
        body, name, kind = publisher.body, publisher.body.name, publisher.body.kind
        short = _short_from_body(body, publisher.unit)
        central = not body.provincial
        if publisher.place is not None and publisher.unit in PROVINCE_UNITS:
            province = province or _place_name(publisher.place)
    if province is None and not central and body is not None:
        province = _most_mentioned_province(context)
    if name and body is not None and body.provincial and province \
            and not layout().pattern("names_place").search(name):
        known = places().get(province)
        name = f"{name} {known.unit if known else DEFAULT_PROVINCE_UNIT} {province}"
    successor = None
    if body is not None:
        known = places().get(province) if province else None
        chain = successors(body, known.name if known else province)
        if chain:
            successor = {"name": chain[-1]["name"], "date": chain[-1]["date"], "steps": chain}
    return Issuer(name, span, body, short, kind, province, province_span,
                  parents, successor, tuple(problems))


_UNIT_LEAD = "-–•* \t"


def _issuer_units(context: DocumentContext, block: tuple[Line, ...]) -> list[tuple[int, int, tuple[Span, ...]]]:
    """Spans of the bodies named in the issuer block, outermost first, each with the ranges
    inside it that belong to another column of the header."""
    if not block:
        return []
    text = context.text
    raw_start, raw_end = block[0].start, block[-1].end
    segment = text[raw_start:raw_end]
    units: list[list[int]] = []
    if "**" in segment:
        # A crawl marks each unit bold, whatever lines it wraps over.
        pos = raw_start
        for m in _BOLD.finditer(segment):
            before = (pos, raw_start + m.start())
            if clean(text[before[0]:before[1]]):
                units.append(list(content_span(text, *before)))
            units.append(list(content_span(text, raw_start + m.start(1), raw_start + m.end(1))))
            pos = raw_start + m.end()
        if clean(text[pos:raw_end]):
            units.append(list(content_span(text, pos, raw_end)))
    else:
        units = [list(context.content(ln)) for ln in block]
    for u in units:
        # A list dash an OCR'd header left before the unit ("- SỞ GIÁO DỤC VÀ ĐÀO TẠO").
        while u[0] < u[1] and text[u[0]] in _UNIT_LEAD:
            u[0] += 1
    units = [u for u in units if u[0] < u[1] and clean(text[u[0]:u[1]]).strip("-* ")]
    merged: list[list] = []
    for u in units:
        # "TỈNH QUẢNG TRỊ" under "ỦY BAN NHÂN DÂN" is the place of the unit above.
        if merged and layout().pattern("issuer_place_line").match(clean(text[u[0]:u[1]])):
            gap = (merged[-1][1], u[0])
            if clean(text[gap[0]:gap[1]]):
                merged[-1][2].append(gap)
            merged[-1][1] = u[1]
        else:
            merged.append([u[0], u[1], []])
    return [(a, b, tuple(gaps)) for a, b, gaps in merged]


def _describe_unit(context: DocumentContext, start: int, end: int,
                   leave_out: tuple[Span, ...] = ()) -> tuple[IssuerUnit, StructureProblem | None]:
    """A unit of the issuer block in proper case, with its bodies and place, and the problem of
    a misspelt body."""
    cleaned = Cleaned(context.text, start, end, leave_out)
    text = cleaned.text
    mentions = find_mentions(text, fold(text))
    spelling = None
    if not mentions:
        close = fuzzy_mention(text)
        if close is not None:
            mentions = [close]
            form = _official_form(close.written, close.body)
            spelling = context.problem("body_spelling", *cleaned.span(close.start, close.form_end),
                                       corrected=close.body.name if not form.isupper() else form)
    pieces: list[str] = []
    pos = 0
    province: PlaceMatch | None = None
    province_span = None
    unit = None
    for m in mentions:
        if m.start > pos:
            pieces.append(_sentence_case(text[pos:m.start], first=not pieces))
        form = _official_form(" ".join(text[m.start:m.form_end].split()), m.body)
        # Acronyms stay as written ("UBND"); names take their official spelling.
        pieces.append(form if form.isupper() else m.body.name)
        if m.unit:
            pieces.append(m.unit)
            if m.place is not None:
                pieces.append(_place_name(m.place))
                if m.unit in PROVINCE_UNITS and province is None:
                    province, unit = m.place, m.unit
                    province_span = cleaned.span(*m.place_span)
        pos = m.end
    if pos < len(text):
        tail = text[pos:]
        places_in_tail = find_place_mentions(tail)
        if places_in_tail and province is None:
            place = places_in_tail[0]
            province, unit = place.match, place.unit
            province_span = cleaned.span(pos + place.start, pos + place.end)
            pieces.append(_sentence_case(tail[:place.start], first=not pieces))
            pieces.append(_place_name(place.match))
            pieces.append(_sentence_case(tail[place.end:], first=False))
        else:
            pieces.append(_sentence_case(tail, first=not pieces))
    name = " ".join(p.strip() for p in pieces if p.strip())
    return IssuerUnit(name, tuple(mentions), province, unit, province_span, (start, end)), spelling


def _official_form(written: str, body: Body) -> str:
    """How the gazetteer writes the form used ("UBND" stays an acronym), else the body's name."""
    form_of = bodies().form_of
    key = fold(written)
    return form_of[key][1] if key in form_of else body.name


def organization_facts(context: DocumentContext, issuer: Issuer) -> tuple[list[Fact], list[StructureProblem]]:
    """Every body the document names, resolved in the issuer's context, and misspellings."""
    facts: list[Fact] = []
    problems: list[StructureProblem] = []
    for m in find_mentions(context.text, context.folded):
        if m.generic:
            continue
        value = resolve(m, issuer.context)
        value["written"] = m.written
        facts.append(context.fact("organization", m.start, m.end, "organization.gazetteer", value))
        if m.misspelt:
            form = bodies().form_of[fold(" ".join(m.written.split()))][1]
            problems.append(context.problem("body_spelling", m.start, m.form_end, corrected=form))
        if m.place is not None and m.place.misspelt and m.place_span:
            problems.append(context.problem("place_spelling", *m.place_span, corrected=m.place.corrected))
    return facts, problems


def _most_mentioned_province(context: DocumentContext) -> str | None:
    counts: Counter[str] = Counter()
    for mention in find_place_mentions(context.text):
        if mention.match.province is not None:
            counts[mention.match.province.name] += 1
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def _sentence_case(text: str, first: bool) -> str:
    words = text.split()
    if not words:
        return ""
    out = [w.lower() for w in words]
    if first:
        out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out)


def _place_name(place: PlaceMatch) -> str:
    if place.province is not None:
        return place.province.name
    return title_case(place.written) if place.written.isupper() else place.written


def _short_from_body(body: Body, unit: str | None) -> str:
    if body.short:
        return body.short.format(unit=unit or DEFAULT_PROVINCE_UNIT).strip()
    return body.name


def _short_name(unit: IssuerUnit) -> str | None:
    """The issuer's name as positions use it: "Sở Y tế", "UBND tỉnh", "Đảng ủy Sở ..."."""
    mentions = unit.mentions
    if not mentions:
        return unit.name
    if len(mentions) == 1:
        return _short_from_body(mentions[0].body, mentions[0].unit)
    name = unit.name
    if unit.province is not None:
        name = regex.sub(r"\s+(?:tỉnh|thành phố)\s+" + regex.escape(_place_name(unit.province)) + r"$", "", name)
    return name
