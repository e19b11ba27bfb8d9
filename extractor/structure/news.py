"""A news page, which has no administrative header: its headline, when it was published, the date
of the event it reports, and the body whose site publishes it."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from .chrome import Chrome
from .context import DocumentContext, DocumentRecord, Span
from .data import Body, fold, layout
from .lines import Cleaned, Line, clean
from .orgs import find_mentions
from .places import PlaceMatch

HEADLINE_LINES = 40      # the headline is within this many text lines of the page's start
PUBLISHED_LINES = 60     # so is the "Ngày đăng:" line
EVENT_REACH = 3000       # the event's date is within this of the headline or publication line
EVENT_CUE_REACH = 20     # "sáng ngày" is within this before the date
FOOTER_LINES = 6         # the publisher may be named in this many last lines

_HEADING = regex.compile(r"^[ \t]*#{1,2}[ \t]+(.+?)[ \t#]*$")


@dataclass(frozen=True)
class DatedValue:
    iso: str
    span: Span


@dataclass(frozen=True)
class Publisher:
    """The body the page's chrome names, as named there."""
    body: Body
    unit: str | None            # "tỉnh" of "Sở Y tế tỉnh ..."
    place: PlaceMatch | None    # the province of a provincial body, when named
    span: Span                  # the line naming it


@dataclass(frozen=True)
class NewsPage:
    headline: tuple[str, Span] | None
    published: DatedValue | None
    event_date: DatedValue | None
    publisher: Publisher | None

    def write(self, record: DocumentRecord) -> None:
        if self.headline is not None:
            record.set("headline", *self.headline)
        if self.published is not None:
            record.set("published", self.published.iso, self.published.span)
        if self.event_date is not None:
            record.set("event_date", self.event_date.iso, self.event_date.span)
        if self.publisher is not None:
            record.set("publisher", self.publisher.body.name, self.publisher.span)


def read_news(context: DocumentContext, chrome: Chrome) -> NewsPage:
    lay = layout()
    chrome_ids = chrome.line_ids
    lines = [ln for ln in context.lines[chrome.first_line:] if context.clean_line(ln)]
    headline_line = headline = None
    for ln in lines[:HEADLINE_LINES]:
        m = _HEADING.match(ln.text)
        if m:
            headline_line = ln
            headline = (clean(m.group(1)), (ln.start + m.start(1), ln.start + m.end(1)))
            break
    labels = regex.compile(r"(?i:" + "|".join(regex.escape(lab) for lab in lay.published_labels) + r")\s*:")
    published_line = published = None
    for ln in lines[:PUBLISHED_LINES]:
        if labels.match(context.clean_line(ln)):
            for s, e, f in context.facts_between(ln.start, ln.end + 1, "date"):
                published = DatedValue(f.value["iso"], (s, e))
                published_line = ln
                break
            if published_line:
                break
    start = published_line or headline_line or (lines[0] if lines else None)
    start_at = start.end if start is not None else 0
    event_date = None
    event_cue = lay.pattern("event_cue")
    for s, e, f in context.facts_between(start_at, start_at + EVENT_REACH, "date"):
        line = context.line_at(s)
        if line.index in chrome_ids:
            continue
        if s == line.start or event_cue.search(context.text, max(line.start, s - EVENT_CUE_REACH), s):
            event_date = DatedValue(f.value["iso"], (s, e))
            break
    footer = [ln for ln in lines[-FOOTER_LINES:] if ln.index not in chrome_ids
              and (ln.text.strip().startswith("**") or context.clean_line(ln).isupper())]
    return NewsPage(headline, published, event_date, _publisher(context, list(chrome.boilerplate) + footer))


def _publisher(context: DocumentContext, lines: list[Line]) -> Publisher | None:
    for ln in lines:
        text = Cleaned(context.text, ln.start, ln.end).text
        mentions = [m for m in find_mentions(text, fold(text)) if not m.generic]
        if mentions:
            m = mentions[0]
            return Publisher(m.body, m.unit, m.place, (ln.start, ln.end))
    return None
