"""Page chrome: what a crawled page puts around the document (the site block of a legal database,
the site's title bar, counters, contact footer, menus and link lists). It is read first, so that
the other steps know where the document starts and which lines are not its text."""
from __future__ import annotations

from dataclasses import dataclass

from .context import DocumentContext, DocumentRecord, Span
from .data import casefold_vi, layout
from .lines import Line

SITE_BLOCK_PROBE = 30000     # characters searched for a site-block label
SITE_BLOCK_LINES = 200       # the site block's labels are within this many lines
SITE_BLOCK_MIN_LABELS = 3    # fewer label lines than this are the document's own words
EDGE_LINES = 12              # site chrome sits within this many text lines of either end
SHORT_LINK_LINE = 40         # a "Tin liên quan" heading is shorter than this
LONGEST_CHROME_LINE = 300    # a longer line is the document's text, whatever it starts with


@dataclass(frozen=True)
class Chrome:
    first_line: int                # index of the first line of the document proper
    site_block: Span | None        # the legal database's block before the document
    boilerplate: tuple[Line, ...]  # title bar, counters, contact, copyright
    navigation: tuple[Line, ...]   # menus, breadcrumbs, related links

    @property
    def line_ids(self) -> frozenset[int]:
        return frozenset(ln.index for ln in self.boilerplate + self.navigation)

    def skip(self) -> list[Span]:
        """Ranges that are not body text."""
        ranges = [(0, self.site_block[1])] if self.site_block else []
        return ranges + [(ln.start, ln.end) for ln in self.boilerplate + self.navigation]

    def write(self, record: DocumentRecord, context: DocumentContext) -> None:
        if self.site_block:
            record.set("site_block", True, self.site_block)
        for key, lines in (("boilerplate_lines", self.boilerplate), ("navigation_lines", self.navigation)):
            if lines:
                record.set_list(key, [(ln.text.strip(), *context.content(ln)) for ln in lines])


def read_chrome(context: DocumentContext) -> Chrome:
    lay = layout()
    lines = context.lines
    first, site_block = _site_block(context)
    # Site chrome lines: at the top and the bottom of the page; link lines anywhere.
    text_lines = [ln for ln in lines[first:] if ln.text.strip(" \t*|#_")]
    edge = {ln.index for ln in text_lines[:EDGE_LINES]} | {ln.index for ln in text_lines[-EDGE_LINES:]}
    boilerplate: list[Line] = []
    navigation: list[Line] = []
    related = [r for r in lay.navigation if r.id == "related"]
    for line in text_lines:
        if "](" in line.text:
            c = context.clean_line(line)
            if any(r.regex.match(c) or r.regex.match(line.text.strip()) for r in lay.navigation):
                navigation.append(line)
                continue
        if line.index not in edge:
            if len(line.text) < SHORT_LINK_LINE and any(r.regex.match(context.clean_line(line)) for r in related):
                navigation.append(line)
            continue
        c = context.clean_line(line)
        if len(c) > LONGEST_CHROME_LINE:
            continue
        if any(r.regex.search(c) if r.id == "site_name" else r.regex.match(c) for r in lay.boilerplate):
            boilerplate.append(line)
        elif any(r.regex.match(c) for r in lay.navigation):
            navigation.append(line)
    return Chrome(first, site_block, tuple(boilerplate), tuple(navigation))


def _site_block(context: DocumentContext) -> tuple[int, Span | None]:
    """The index of the first line after a legal database's site block, and the block's span."""
    lay = layout()
    lines = context.lines
    labels = {casefold_vi(lab) for lab in lay.site_block_labels}
    probe = context.text[:SITE_BLOCK_PROBE]
    label_lines = []
    for line in lines[:SITE_BLOCK_LINES] if any(lab in probe for lab in lay.site_block_labels) else ():
        if ":" not in line.text:
            continue
        c = context.clean_line(line)
        if c.endswith(":") and casefold_vi(c[:-1]) in labels:
            label_lines.append(line.index)
    if len(label_lines) < SITE_BLOCK_MIN_LABELS:
        return 0, None
    # The value of the last label is on the next non-blank line.
    j = label_lines[-1] + 1
    while j < len(lines) and not context.clean_line(lines[j]):
        j += 1
    return j + 1, (lines[label_lines[0]].start, lines[min(j, len(lines) - 1)].end)
