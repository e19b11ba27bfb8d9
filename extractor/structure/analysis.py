"""Read a document's structure: page chrome, header, issuer, news page fields, signature and
distribution, the outline and sentences, people and organisations.

Each step reads the one ``DocumentContext`` built for the document and returns a typed value
that later steps take as arguments; ``analyse`` runs them in order and writes their values into
the document metadata.
"""
from __future__ import annotations

from typing import Sequence

from ..facts import Fact
from ..normalize import NormalizedText, normalize
from .chrome import read_chrome
from .context import DocumentContext, DocumentRecord
from .header import read_header, read_recipients
from .issuer import Issuer, organization_facts, resolve_issuer
from .model import Section, Sentence, Structure
from .news import read_news
from .layout import Layout
from .outline import build_outline
from .people import PeopleFinder, qualified
from .signature import Closing, read_closing
from .title import title_period


def analyse(text: str, facts: Sequence[Fact] = (), pages: Sequence[tuple[int, int, int]] = (), *,
            norm: NormalizedText | None = None, layout: Layout | None = None) -> Structure:
    """The structure of a document: metadata, sections, sentences, people and organisations.

    ``facts`` are the document's facts from :func:`extractor.extract_facts` (the header's own
    number, dates and periods are read from them); ``pages`` the ``(number, start, end)`` page
    ranges; ``norm`` the already computed ``normalize(text)`` and ``layout`` its layout, when
    the caller has them (the structure's sentences are the layout's). All offsets index
    ``text``.
    """
    if norm is None:
        norm = normalize(text)
    elif norm.source != text:
        raise ValueError("analyse: norm is not the normalisation of text")
    context = DocumentContext(text, norm, facts, pages)
    chrome = read_chrome(context)
    header = read_header(context, chrome)
    news = read_news(context, chrome) if header.is_news else None
    issuer = resolve_issuer(context, header, news)
    recipients = read_recipients(context, header)
    finder = PeopleFinder(context.text, context.folded, issuer.head, issuer.kind)
    closing = read_closing(context, header, issuer, finder)
    period = title_period(context, header.title)
    organizations, organization_problems = organization_facts(context, issuer)
    people = _person_facts(context, finder, issuer, closing)

    record = DocumentRecord(context)
    chrome.write(record, context)
    for part in (header, news, issuer, recipients, closing, period):
        if part is not None:
            part.write(record)
    skip = [*chrome.skip(), *header.skip, *closing.skip]
    if recipients is not None:
        skip.append(recipients.span)
    sections = _to_source(context, _outline(context, closing, skip))
    layout = layout if layout is not None else Layout(context.text)
    sentences = [Sentence(s.index, *context.source_span(s.start, s.end)) for s in layout.sentences]
    chrome_spans = [context.source_span(s, e) for s, e in chrome.spans()]
    new_facts = sorted([*closing.facts, *organizations, *people], key=lambda f: (f.start, f.end))
    problems = sorted([*header.problems, *issuer.problems, *closing.problems, *organization_problems],
                      key=lambda p: p.start)
    structure = Structure(text, record.document(), new_facts, sections, sentences, problems, chrome_spans)
    structure.facts = [f for f in new_facts if not structure.in_chrome(f.start, f.end)]
    return structure


def _person_facts(context: DocumentContext, finder: PeopleFinder, issuer: Issuer, closing: Closing) -> list[Fact]:
    """The people the document names, but the signer (already a fact of the signature)."""
    taken = {(f.start, f.end) for f in closing.facts}
    facts = []
    for p in finder.find():
        if context.source_span(p.start, p.end) in taken:
            continue
        titles = [pos.text for pos in p.positions]
        value = {"name": p.name, "positions": titles,
                 "qualified_positions": [qualified(x, issuer.kind, issuer.short, issuer.head) for x in titles],
                 "position_spans": [[*context.source_span(pos.start, pos.end)] for pos in p.positions]}
        if p.cue:
            value["cue"] = p.cue
        facts.append(context.fact("person", p.start, p.end, f"person.{p.how}", value))
    return facts


def _outline(context: DocumentContext, closing: Closing, skip: list[tuple[int, int]]) -> list[Section]:
    """The body's outline, then the outline of the appendices after the signature."""
    text, lines = context.text, context.lines
    sections = build_outline(text, [ln for ln in lines if closing.body_start <= ln.start < closing.body_end],
                             skip, closing.body_end)
    after = closing.after_signature
    if after is not None and after < len(text):
        sections += build_outline(text, [ln for ln in lines if ln.start >= after], skip, len(text))
    return sections


def _to_source(context: DocumentContext, sections: list[Section]) -> list[Section]:
    for node in sections:
        node.start, node.end = context.source_span(node.start, node.end)
        node.heading_end = context.source_span(node.heading_end, node.heading_end)[0]
        _to_source(context, node.children)
    return sections
