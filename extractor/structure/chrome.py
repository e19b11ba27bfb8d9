"""Page chrome: what a crawled page puts around the document (the site block of a legal database,
its editorial summary and its trailer of related documents, a blog's front matter, the site's
title bar, counters, contact footer, menus and link lists, photo captions, bylines). It is read
first, so that the other steps know where the document starts and which lines are not its text;
no fact is taken from it (``Chrome.spans``), and what it says about the document (when the page
was published, the document's status on the portal) is kept as page metadata."""
from __future__ import annotations

import datetime as dt
import email.utils
from dataclasses import dataclass

import regex

from .context import DocumentContext, DocumentRecord, Span
from .data import LineRule, casefold_vi, layout
from .lines import Line

SITE_BLOCK_PROBE = 30000     # characters searched for a site-block label
SITE_BLOCK_LINES = 200       # the site block's labels are within this many lines
SITE_BLOCK_MIN_LABELS = 3    # fewer label lines than this are the document's own words
EDGE_LINES = 12              # site chrome sits within this many text lines of either end
SHORT_LINK_LINE = 40         # a "Tin liên quan" heading is shorter than this
LONGEST_CHROME_LINE = 300    # a longer line is the document's text, whatever it starts with
LONGEST_CAPTION = 500        # a photo caption is a line no longer than this
FRONT_MATTER_LINES = 40      # a blog's front matter closes within this many lines
TOP_LINES = 40               # bylines and "Ngày đăng:" lines are within this many text lines
LONGEST_DATELINE = 80        # a "Ngày đăng: …" line is shorter than this
SUMMARY_LINES = 80           # a portal's editorial summary closes within this many text lines
TRAILER_LINES = 400          # a portal's trailer starts within this many lines of the end
TITLE_LINES_BACK = 3         # the page's title lines just before the trailer's first cue

_HEADING = regex.compile(r"^[ \t]*#{1,3}[ \t]+\S")
_FRONT_MATTER_FENCE = "---"
_FRONT_MATTER_ENTRY = regex.compile(r"^[ \t]*(?P<key>[\w-]+)[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$")
_DMY = regex.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class Chrome:
    first_line: int                # index of the first line of the document proper
    site_block: Span | None        # the legal database's block before the document
    boilerplate: tuple[Line, ...]  # title bar, counters, contact, copyright
    navigation: tuple[Line, ...]   # menus, breadcrumbs, related links, images
    marginal: tuple[Line, ...] = ()              # photo captions, bylines, the portal's page title
    blocks: tuple[tuple[str, Span], ...] = ()    # front matter, editorial summary, trailer
    page: tuple[tuple[str, object, Span], ...] = ()  # page metadata: key, value, where it was read

    @property
    def line_ids(self) -> frozenset[int]:
        return frozenset(ln.index for ln in self.boilerplate + self.navigation + self.marginal)

    def skip(self) -> list[Span]:
        """Ranges that are not body text."""
        return self.spans()

    def spans(self) -> list[Span]:
        """Every range of the page that is not the document, in the normalised text."""
        ranges = [(0, self.site_block[1])] if self.site_block else []
        ranges += [span for _, span in self.blocks]
        return ranges + [(ln.start, ln.end) for ln in self.boilerplate + self.navigation + self.marginal]

    def write(self, record: DocumentRecord, context: DocumentContext) -> None:
        if self.site_block:
            record.set("site_block", True, self.site_block)
        for key, lines in (("boilerplate_lines", self.boilerplate), ("navigation_lines", self.navigation),
                           ("marginal_lines", self.marginal)):
            if lines:
                record.set_list(key, [(ln.text.strip(), *context.content(ln)) for ln in lines])
        if self.blocks:
            record.set_list("chrome_blocks", [(name, *span) for name, span in self.blocks])
        if self.page:
            record.set_fields("page", {key: (value, span) for key, value, span in self.page})


def read_chrome(context: DocumentContext) -> Chrome:
    lay = layout()
    rules = lay.page_chrome
    lines = context.lines
    page: dict[str, tuple[object, Span]] = {}
    blocks: list[tuple[str, Span]] = []
    first, site_block = _site_block(context, page)
    front = _front_matter(context, page)
    if front is not None:
        blocks.append(("front_matter", front))
    summary = _summary(context, first, site_block is not None)
    if summary is not None:
        blocks.append(("summary", (lines[summary[0]].start, lines[summary[1]].end)))
        first = summary[1] + 1
    trailer = _trailer(context, first)
    if trailer is not None:
        blocks.append(("trailer", (lines[trailer].start, len(context.text))))
    in_block = [span for _, span in blocks]
    end_line = trailer if trailer is not None else len(lines)
    # Site chrome lines: at the top and the bottom of the page; link lines anywhere.
    text_lines = [ln for ln in lines[first:end_line] if ln.text.strip(" \t*|#_")
                  and not any(s <= ln.start < e for s, e in in_block)]
    edge = {ln.index for ln in text_lines[:EDGE_LINES]} | {ln.index for ln in text_lines[-EDGE_LINES:]}
    top = {ln.index for ln in text_lines[:TOP_LINES]}
    marginal = _page_head(context, text_lines, page)
    taken = {ln.index for ln in marginal}
    boilerplate: list[Line] = []
    navigation: list[Line] = []
    related = [r for r in lay.navigation if r.id == "related"]
    published = regex.compile(r"(?i:" + "|".join(regex.escape(lab) for lab in lay.published_labels) + r")\s*:")
    for line in text_lines:
        if line.index in taken:
            continue
        c = context.clean_line(line)
        if "](" in line.text:
            if any(r.regex.match(c) or r.regex.match(line.text.strip()) for r in lay.navigation):
                navigation.append(line)
                continue
        if len(c) <= LONGEST_CAPTION and _any(rules["captions"], c):
            marginal.append(line)
            continue
        if line.index in top and (_any(rules["datelines"], c) or (len(c) < LONGEST_DATELINE and published.match(c))):
            if _dated(context, line, page, "published"):
                marginal.append(line)
                continue
        if line.index not in edge:
            if len(line.text) < SHORT_LINK_LINE and any(r.regex.match(c) for r in related):
                navigation.append(line)
            continue
        if len(c) > LONGEST_CHROME_LINE:
            continue
        if any(r.regex.search(c) if r.id == "site_name" else r.regex.match(c) for r in lay.boilerplate):
            boilerplate.append(line)
        elif any(r.regex.match(c) for r in lay.navigation):
            navigation.append(line)
    marginal.sort(key=lambda ln: ln.index)
    return Chrome(first, site_block, tuple(boilerplate), tuple(navigation), tuple(marginal), tuple(blocks),
                  tuple((key, value, span) for key, (value, span) in page.items()))


def _any(rules: list[LineRule], text: str) -> bool:
    return any(getattr(r.regex, r.how)(text) for r in rules)


def _dated(context: DocumentContext, line: Line, page: dict, key: str) -> bool:
    """Whether the line holds a date; the first is kept as the page's ``key``."""
    for s, e, fact in context.facts_between(line.start, line.end + 1, "date"):
        page.setdefault(key, (fact.value["iso"], (s, e)))
        return True
    return False


def _site_block(context: DocumentContext, page: dict) -> tuple[int, Span | None]:
    """The index of the first line after a legal database's site block, and the block's span;
    the block's values go into ``page``."""
    lay = layout()
    lines = context.lines
    labels = {casefold_vi(lab): lab for lab in lay.site_block_labels}
    probe = context.text[:SITE_BLOCK_PROBE]
    label_lines: list[tuple[int, str]] = []
    for line in lines[:SITE_BLOCK_LINES] if any(lab in probe for lab in lay.site_block_labels) else ():
        if ":" not in line.text:
            continue
        c = context.clean_line(line)
        if c.endswith(":") and casefold_vi(c[:-1]) in labels:
            label_lines.append((line.index, labels[casefold_vi(c[:-1])]))
    if len(label_lines) < SITE_BLOCK_MIN_LABELS:
        return 0, None
    j = label_lines[-1][0]
    for index, label in label_lines:
        # The value of a label is on the next non-blank line.
        j = index + 1
        while j < len(lines) and not context.clean_line(lines[j]):
            j += 1
        if j < len(lines):
            _site_value(context, lines[j], lay.site_block_fields[label], page)
    return j + 1, (lines[label_lines[0][0]].start, lines[min(j, len(lines) - 1)].end)


def _site_value(context: DocumentContext, line: Line, key: str, page: dict) -> None:
    value = context.clean_line(line)
    if not value or value in layout().site_block_placeholders:
        return
    dmy = _DMY.match(value)
    if dmy:
        try:
            value = dt.date(int(dmy[3]), int(dmy[2]), int(dmy[1])).isoformat()
        except ValueError:
            return
    page.setdefault(key, (value, context.content(line)))


def _front_matter(context: DocumentContext, page: dict) -> Span | None:
    """A blog's front matter: a ``---`` fence on the first line, ``key: value`` lines, a fence."""
    lines = context.lines
    if not lines or lines[0].text.strip() != _FRONT_MATTER_FENCE:
        return None
    keys = layout().front_matter_keys
    found: dict[str, tuple[object, Span]] = {}
    for line in lines[1:FRONT_MATTER_LINES]:
        if line.text.strip() == _FRONT_MATTER_FENCE:
            page.update({k: v for k, v in found.items() if k not in page})
            return lines[0].start, line.end
        m = _FRONT_MATTER_ENTRY.match(line.text)
        if m is None:
            if line.text.strip():
                return None
            continue
        key = keys.get(m["key"])
        value = m["value"].strip("\"' ")
        if key and value:
            start = line.start + m.start("value")
            parsed = _front_matter_date(value) if key == "published" else value
            if parsed:
                found[key] = (parsed, (start, line.start + m.end("value")))
    return None


def _front_matter_date(value: str) -> str | None:
    """An ISO date from a front-matter date: RFC 2822 (``Tue, 09 Jul 2024 10:00:00 +0700``) or ISO."""
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def _page_head(context: DocumentContext, text_lines: list[Line], page: dict) -> list[Line]:
    """A portal's section line opening the page and the page's title after it."""
    if len(text_lines) < 2 or not _any(layout().page_chrome["page_heads"], context.clean_line(text_lines[0])):
        return []
    title = text_lines[1]
    page.setdefault("title", (context.clean_line(title), context.content(title)))
    return [text_lines[0], title]


def _summary(context: DocumentContext, first: int, after_site_block: bool) -> tuple[int, int] | None:
    """The first and last line of a portal's editorial summary after its site block: a heading,
    paragraphs, and a line sending the reader to the document, before the document's header."""
    if not after_site_block:
        return None
    lay = layout()
    ends = lay.page_chrome["summary_ends"]
    text_lines = [ln for ln in context.lines[first:] if context.clean_line(ln)][:SUMMARY_LINES]
    if not text_lines or not _HEADING.match(text_lines[0].text):
        return None
    for line in text_lines[1:]:
        c = context.clean_line(line)
        if any(r.regex.match(c) for r in lay.national):
            return None
        if _any(ends, c):
            return text_lines[0].index, line.index
    return None


def _trailer(context: DocumentContext, first: int) -> int | None:
    """The index of the first line of a portal's trailer (the page's title again, the related
    documents, the comparison panel), which runs to the end of the page."""
    rules = layout().page_chrome
    lines = context.lines
    start = max(first, len(lines) - TRAILER_LINES)
    for line in lines[start:]:
        # A table cell holding the words is the document's table, not the portal's list.
        if "|" in line.text or not _any(rules["trailer_starts"], context.clean_line(line)):
            continue
        index, back = line.index, 0
        j = index - 1
        while j > first and back < TITLE_LINES_BACK:
            c = context.clean_line(lines[j])
            if c and not _any(rules["page_titles"], c):
                break
            if c:
                back += 1
                index = j
            j -= 1
        return index
    return None
