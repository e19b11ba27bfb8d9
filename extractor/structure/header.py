"""The header of an administrative document (NĐ 30/2020/NĐ-CP, Phụ lục I; Party documents
alike): issuer block, quốc hiệu, own number (``Số:``), place and date, urgency and secrecy marks,
type line and trích yếu (or a công văn's ``V/v``), and the recipients (``Kính gửi``)."""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from ..facts import Fact
from ..patterns import tables
from .chrome import Chrome
from .context import DocumentContext, DocumentRecord, Span, Spanned
from .data import layout
from .lines import Line, clean, content_span, list_item_values
from .model import StructureProblem
from .places import PlaceMatch, resolve_place
from .title import read_subject, read_title

HEADER_LINES = 45        # the header is within this many non-empty lines of the content start
TYPE_LINE_REACH = 400    # a type line this far above the own number is the issuer's, not the type
DATE_REACH = 80          # the header date's fact starts within this of "ngày"
RECIPIENTS_REACH = 3000  # "Kính gửi" is within this of the header's end

NEWS_ARTICLE = "news_article"
APPENDIX = "Phụ lục"     # the type of an appendix issued as a file of its own
ATTACHED_REACH = 12      # the "(Kèm theo …)" line is within this many lines of the appendix heading


def _type_names() -> dict[str, str]:
    """Upper-case type lines ("BÁO CÁO", "QUYẾT ĐỊNH") → type name."""
    doc_types = tables()["doc_types"]
    names = {}
    for group in ("administrative", "normative", "party"):
        for t in doc_types[group]:
            names[t["name"].upper()] = t["name"]
    for t in doc_types["type_words"]:
        if t["doc_type"]:
            names[t["word"].upper()] = t["doc_type"]
    return names


_TYPE_NAMES = _type_names()


@dataclass(frozen=True)
class OwnReference:
    """The header's own number: the ``doc_ref`` fact and its normalised span."""
    start: int
    end: int
    fact: Fact


@dataclass(frozen=True)
class HeaderPlace:
    written: str
    match: PlaceMatch
    span: Span


@dataclass(frozen=True)
class HeaderDate:
    iso: str | None
    written: str
    span: Span
    blank_day: bool = False
    month: str | None = None    # "2023-09" of a blank-day date that names its month
    year: int | None = None     # of a blank-day date that names only its year


@dataclass(frozen=True)
class Header:
    kind: str                              # party, normative, state_administrative, news_article
    start: int                             # where the header starts (0 with no header)
    end: int                               # where its last part read ends
    own: OwnReference | None
    issuer_block: tuple[Line, ...]         # the issuer's upper-case lines, outermost first
    doc_type: Spanned | None               # from the type line ("BÁO CÁO")
    title: Spanned | None                  # trích yếu or "V/v ..."
    place: HeaderPlace | None
    date: HeaderDate | None
    marks: dict[str, Spanned] = field(default_factory=dict)   # urgency, secrecy, draft_mark
    problems: tuple[StructureProblem, ...] = ()
    skip: tuple[Span, ...] = ()
    # An appendix's "(Kèm theo Nghị định số … của Chính phủ)": the document it is attached to
    # and the span of that document's issuer, which is the appendix's.
    attached: OwnReference | None = None
    attached_issuer: Span | None = None

    @property
    def is_news(self) -> bool:
        return self.kind == NEWS_ARTICLE

    def write(self, record: DocumentRecord) -> None:
        record.set("kind", self.kind)
        if self.own is not None:
            v = self.own.fact.value
            record.set("doc_type", v.get("doc_type"))
            record.set("number", v.get("number"), (self.own.start, self.own.end))
            record.set("code", v.get("code"))
            record.set("canonical", v.get("canonical"))
            record.set("partial", bool(v.get("partial")))
        if self.doc_type is not None:
            record.set("doc_type", self.doc_type.value, self.doc_type.span)
        if self.title is not None:
            record.set("title", self.title.value, self.title.span)
        if self.place is not None:
            record.set("place_as_written", self.place.written, self.place.span)
            record.set("place", self.place.match.corrected, self.place.span)
        date = self.date
        if date is not None and date.blank_day:
            record.set("date", None)
            record.set("date_as_written", date.written, date.span)
            if date.month is not None:
                record.set("month", date.month)
            else:
                record.set("year", date.year)
        elif date is not None:
            record.set("date", date.iso, date.span)
            record.set("date_as_written", date.written)
        for key, mark in self.marks.items():
            record.set(key, mark.value, mark.span)
        if self.attached is not None:
            record.set("attached_to", self.attached.fact.value.get("canonical"),
                       (self.attached.start, self.attached.end))


@dataclass(frozen=True)
class _HeaderLines:
    """Which lines of the header hold which part."""
    first: int | None
    own: OwnReference | None
    national: Line | None
    party_line: bool
    type_line: tuple[Line, str] | None
    issuer_block: tuple[Line, ...]
    place_date: tuple[Line, regex.Match] | None
    marks: dict[str, Line]
    subject: Line | None
    attached: tuple[Line, regex.Match] | None = None


def read_header(context: DocumentContext, chrome: Chrome) -> Header:
    """The header's parts, read from the first lines of the document proper."""
    head = _header_lines(context, chrome)
    own = head.own
    problems: list[StructureProblem] = []
    skip: list[Span] = []
    end = head.first or 0
    if own is not None:
        line = context.line_at(own.start)
        end = max(end, line.end)
        skip.append((line.start, line.end))
        if own.fact.value.get("partial"):
            problems.append(context.problem("unnumbered_draft", *context.content(line),
                                            ref_code=own.fact.value.get("code")))
    doc_type = title = None
    if head.type_line is not None:
        line, name = head.type_line
        doc_type = Spanned(name, context.content(line))
        title, title_end = read_title(context, line)
        if title is not None:
            skip.append((line.start, title_end))
        end = max(end, title_end)
    if head.subject is not None and title is None:
        title, title_end = read_subject(context, head.subject)
        skip.append((head.subject.start, title_end))
        end = max(end, title_end)
    place = date = None
    if head.place_date is not None:
        line, m = head.place_date
        written = context.text[m.start("place"):m.end("place")].strip()
        place = HeaderPlace(written, resolve_place(written), (m.start("place"), m.end("place")))
        if place.match.misspelt:
            problems.append(context.problem("place_spelling", *place.span, corrected=place.match.corrected))
        date = _read_date(context, m.start("date"))
        if date is not None and date.blank_day:
            problems.append(context.problem("blank_day_draft", *date.span))
        date_line = context.line_at(m.start("date"))
        end = max(end, date_line.end)
        skip.append((line.start, date_line.end))
    marks = {}
    for mark, key in (("urgency", "urgency"), ("secrecy", "secrecy"), ("draft", "draft_mark")):
        if mark in head.marks:
            line = head.marks[mark]
            marks[key] = Spanned(context.clean_line(line), context.content(line))
    if "draft_mark" in marks:
        problems.append(context.problem("draft_mark", *marks["draft_mark"].span))
    skip.extend((line.start, line.end) for line in head.issuer_block)
    attached = attached_issuer = None
    if head.attached is not None:
        line, m = head.attached
        attached = next((OwnReference(s, e, f) for s, e, f in context.facts_between(m.start(), m.end(), "doc_ref")),
                        None)
        attached_issuer = (m.start("issuer"), m.end("issuer"))
        skip.append((line.start, context.line_at(m.end() - 1).end))
        end = max(end, m.end())
    return Header(_kind(head, attached), head.first or 0, end, own, head.issuer_block, doc_type, title,
                  place, date, marks, tuple(problems), tuple(skip), attached, attached_issuer)


def _kind(head: _HeaderLines, attached: OwnReference | None = None) -> str:
    family = head.own.fact.value.get("family") if head.own is not None else None
    if family is None and attached is not None:
        family = attached.fact.value.get("family")  # an appendix is of its document's kind
    if head.party_line or family == "party":
        return "party"
    if family in ("normative", "joint"):
        return "normative"
    if head.own is not None or head.national is not None or head.type_line is not None:
        return "state_administrative"
    return NEWS_ARTICLE


def _first_lines(context: DocumentContext, chrome: Chrome) -> list[Line]:
    """The header's lines in reading order: a header laid out in two columns (a PDF's text
    columns, a DOCX or HTML header table) is read column by column, so the issuer (left) is
    never joined to the national motto (right)."""
    out = []
    chrome_ids = chrome.line_ids
    for line in context.lines[chrome.first_line:]:
        if line.index in chrome_ids:
            continue
        if context.clean_line(line):
            out.append(line)
            if len(out) >= HEADER_LINES:
                break
    return _by_columns(context, out)


# A header line of two columns: a PDF line whose columns the reader separates by a tab, a
# table row written as "| cell | cell |", or the issuer's line running into the quốc hiệu.
_COLUMN_SEPARATOR = regex.compile(r"\t|\s\|\s")
# Inside one column, a rule, the motto and the place-and-date line start a new line.
_WITHIN_COLUMN = regex.compile(r"[-_=]{3,}|(?=Độc\ lập\ -)|(?=\bSố\s*:)|(?<!\p{L}[ \t])(?=\p{Lu}[\p{L} .]{1,30},\s*ngày\b)")


def _by_columns(context: DocumentContext, lines: list[Line]) -> list[Line]:
    ordered: list[Line] = []
    run: list[list[Line]] = []
    for line in lines:
        columns = _columns(context, line)
        if len(columns) > 1:
            run.append(columns)
            continue
        ordered += _read_down(run)
        run = []
        ordered.append(line)
    return ordered + _read_down(run)


def _read_down(run: list[list[list[Line]]]) -> list[Line]:
    """Consecutive two-column lines, the first column top to bottom, then the next."""
    width = max((len(columns) for columns in run), default=0)
    return [piece for j in range(width) for columns in run if j < len(columns) for piece in columns[j]]


def _columns(context: DocumentContext, line: Line) -> list[list[Line]]:
    """A line's columns, each as the lines it holds."""
    text = line.text
    bounds, previous = [], 0
    national = layout().pattern("national_column").search(text)
    breaks = sorted([*((m.start(), m.end()) for m in _COLUMN_SEPARATOR.finditer(text)),
                     *([national.span()] if national else [])])
    for start, end in breaks:
        if start < previous:
            continue
        bounds.append((previous, start))
        previous = end
    bounds.append((previous, len(text)))
    columns = []
    for a, b in bounds:
        pieces, start = [], a
        for m in _WITHIN_COLUMN.finditer(text, a, b):
            pieces.append((start, m.start()))
            start = m.end()
        pieces.append((start, b))
        column = []
        for x, y in pieces:
            x, y = content_span(text, x, y)
            if y > x:
                column.append(Line(line.index, line.start + x, line.start + y, text[x:y]))
        if column:
            columns.append(column)
    return columns


def _own_reference(context: DocumentContext, start: int, end: int) -> OwnReference | None:
    lay = layout()
    refs = list(context.facts_between(start, end, "doc_ref"))
    for s, e, f in refs:
        if f.value.get("own"):
            return OwnReference(s, e, f)
    # "Số:" alone on its line with the number on the next (a crawl wrapped the header).
    for s, e, f in refs:
        line = context.line_at(s)
        at_start = s == context.content(line)[0]
        if at_start and lay.pattern("number_wrapped").match(context.text[s:e]):
            return OwnReference(s, e, f)
        if at_start and lay.pattern("number_line").match(context.text, s) and line.start < s:
            return OwnReference(s, e, f)  # "| Số: 1/2026/TT-BNV |": a header table's cell
        if at_start and line.index and lay.pattern("number_alone").fullmatch(
                context.clean_line(context.lines[line.index - 1])):
            return OwnReference(s, e, f)
    return None


def _header_lines(context: DocumentContext, chrome: Chrome) -> _HeaderLines:
    lay = layout()
    head = _first_lines(context, chrome)
    if not head:
        return _HeaderLines(None, None, None, False, None, (), None, {}, None)
    region_end = head[-1].end
    own = _own_reference(context, head[0].start, region_end)
    national = None
    party_line = False
    for line in head:
        c = context.clean_line(line)
        matched = [r for r in lay.national if r.regex.match(c)]
        if matched:
            national = national or line
            party_line = party_line or any(r.id == "party" for r in matched)
    # The type line comes before the body's first line.
    type_line = None
    for line in head:
        c = context.clean_line(line)
        if lay.pattern("body_opener").match(c) and not c.startswith("Kính gửi"):
            break
        name = _TYPE_NAMES.get(c.upper()) if c.isupper() else None
        if name and (own is None or line.start > own.start - TYPE_LINE_REACH):
            type_line = (line, name)
            break
    # Issuer block: capital lines before the number line (or the type line), other than the
    # national lines, rules and marks.
    limit = own.start if own else (type_line[0].start if type_line else region_end)
    block: list[Line] = []
    for line in head:
        if line.start >= limit:
            break
        c = context.clean_line(line)
        if any(r.regex.match(c) for r in lay.national) or lay.pattern("rule").fullmatch(c):
            if block:
                break
            continue
        if (not c or c in lay.urgency or c in lay.secrecy or c in lay.draft_marks
                or lay.pattern("place_date").match(context.text, line.start)):
            continue
        letters = [ch for ch in c if ch.isalpha()]
        if letters and all(ch.isupper() for ch in letters):
            block.append(line)
    place_date = None
    for line in head:
        m = lay.pattern("place_date").match(context.text, line.start)
        if m and line.start < (type_line[0].start + 1 if type_line else region_end + 1):
            place_date = (line, m)
            break
    marks: dict[str, Line] = {}
    for line in head:
        c = context.clean_line(line)
        if c in lay.urgency:
            marks["urgency"] = line
        elif c in lay.secrecy:
            marks["secrecy"] = line
        elif c in lay.draft_marks:
            marks["draft"] = line
    subject = next((ln for ln in head if lay.pattern("subject").match(ln.text)), None)
    attached = None
    if own is None and national is None and type_line is None and _is_appendix_heading(context, head[0]):
        type_line, block = (head[0], APPENDIX), []  # its caps lines are its title and outline
        attached = next(((ln, m) for ln in head[1:ATTACHED_REACH]
                         if (m := lay.pattern("attached_to").match(context.text, ln.start))), None)
    return _HeaderLines(head[0].start, own, national, party_line, type_line, tuple(block), place_date,
                        marks, subject, attached)


def _is_appendix_heading(context: DocumentContext, line: Line) -> bool:
    """The first line is an appendix's heading ("Phụ lục VI"): the file is an appendix."""
    rule = next(r for r in layout().outline if r.id == "appendix")
    return bool(rule.regex.match(context.clean_line(line)))


def _read_date(context: DocumentContext, at: int) -> HeaderDate | None:
    for s, e, f in context.facts_between(at, at + DATE_REACH):
        if s != at:
            continue
        written = context.text[s:e]
        if f.kind == "date":
            return HeaderDate(f.value["iso"], written, (s, e))
        if f.kind == "period" and f.value.get("blank_day"):
            by_month = f.value.get("granularity") == "month"
            return HeaderDate(None, written, (s, e), blank_day=True,
                              month=f.value["start"][:7] if by_month else None,
                              year=None if by_month else int(f.value["start"][:4]))
    return None


@dataclass(frozen=True)
class Recipients:
    items: tuple[tuple[str, int, int], ...]   # each recipient with its normalised span
    span: Span                                 # the "Kính gửi" lines

    def write(self, record: DocumentRecord) -> None:
        record.set_list("recipients", self.items)


def read_recipients(context: DocumentContext, header: Header) -> Recipients | None:
    """The recipients of "Kính gửi", on its line or listed under it."""
    start = header.start
    m = layout().pattern("recipients").search(context.text, start)
    if not m or m.start() > max(header.end, start) + RECIPIENTS_REACH:
        return None
    text = context.text
    line = context.line_at(m.start())
    rest = clean(text[m.end():line.end])
    items: list[Span] = []
    end_line = line
    if rest and not rest.startswith("-"):
        items.append(content_span(text, m.end(), line.end))
    else:
        if rest.startswith("-"):
            items.append(content_span(text, m.end(), line.end))
        # A recipient wraps onto a line that goes on in lower case.
        items, after = context.dash_items(line.index + 1, items, lambda item, words: words[0].islower())
        last_item = max((i for i in range(line.index + 1, after) if context.clean_line(context.lines[i])), default=None)
        if last_item is not None:
            end_line = context.lines[last_item]
    values = list_item_values(text, items)
    if not values:
        return None
    return Recipients(tuple(values), (line.start, end_line.end))
