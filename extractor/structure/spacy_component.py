"""The spaCy component ``cchc_facts`` and an HTML view of a document's facts.

    import spacy
    nlp = make_nlp()                         # spaCy's Vietnamese without pyvi, plus cchc_facts
    doc = nlp(text)
    doc.spans["cchc"]                        # every fact, labelled with its kind
    doc.spans["cchc"][0]._.cchc_value        # its typed value
    doc._.cchc_document                      # the document metadata
    html = render_html(doc)                  # displaCy's span view, UTF-8

The factory is registered through the ``spacy_factories`` entry point (pyproject.toml), so
``nlp.add_pipe("cchc_facts")`` works in any pipeline once the package is installed; importing
this module registers it too.

spaCy's Vietnamese tokenizer needs pyvi for word segmentation; ``make_nlp`` turns that off and
uses a rule-based tokenizer (spaces, then spaCy's default punctuation rules), which is all the
component needs: facts are found on the text and mapped to tokens with
``doc.char_span(..., alignment_mode="expand")``.
"""
from __future__ import annotations

from typing import Any

import spacy
from spacy import displacy
from spacy.language import Language
from spacy.lang.punctuation import TOKENIZER_INFIXES, TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from ..extract import extract_facts
from ..facts import to_jsonable
from . import analyse

SPANS_KEY = "cchc"

if not Doc.has_extension("cchc_document"):
    Doc.set_extension("cchc_document", default=None)
if not Doc.has_extension("cchc_problems"):
    Doc.set_extension("cchc_problems", default=None)
if not Doc.has_extension("cchc_structure"):
    Doc.set_extension("cchc_structure", default=None)
if not Span.has_extension("cchc_value"):
    Span.set_extension("cchc_value", default=None)
if not Span.has_extension("cchc_pattern"):
    Span.set_extension("cchc_pattern", default=None)


class CchcFacts:
    """Puts every fact of the document (figures, references, dates, periods, people,
    organisations) in ``doc.spans[spans_key]`` and the metadata on ``doc._.cchc_document``."""

    def __init__(self, spans_key: str = SPANS_KEY, structure: bool = True):
        self.spans_key = spans_key
        self.structure = structure

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        extraction = extract_facts(text)
        facts = list(extraction.facts)
        problems = list(extraction.problems)
        if self.structure:
            result = analyse(text, extraction.facts)
            facts += result.facts
            problems += result.problems
            doc._.cchc_document = to_jsonable(result.document)
            doc._.cchc_structure = result
        spans = []
        for fact in sorted(facts, key=lambda f: (f.start, f.end)):
            span = doc.char_span(fact.start, fact.end, label=fact.kind, alignment_mode="expand")
            if span is None:
                continue
            span._.cchc_value = to_jsonable(fact.value)
            span._.cchc_pattern = fact.pattern
            spans.append(span)
        doc.spans[self.spans_key] = spans
        doc._.cchc_problems = [p.to_dict() for p in problems]
        return doc


@Language.factory("cchc_facts", assigns=["doc.spans", "doc._.cchc_document"],
                  default_config={"spans_key": SPANS_KEY, "structure": True})
def make_cchc_facts(nlp: Language, name: str, spans_key: str, structure: bool) -> CchcFacts:
    return CchcFacts(spans_key, structure)


@spacy.registry.tokenizers("cchc.rule_tokenizer.v1")
def create_rule_tokenizer():
    """Spaces and spaCy's default punctuation rules: no word segmentation, no pyvi."""

    def make(nlp: Language) -> Tokenizer:
        return Tokenizer(nlp.vocab,
                         prefix_search=compile_prefix_regex(TOKENIZER_PREFIXES).search,
                         suffix_search=compile_suffix_regex(TOKENIZER_SUFFIXES).search,
                         infix_finditer=compile_infix_regex(TOKENIZER_INFIXES).finditer)

    return make


def make_nlp(structure: bool = True) -> Language:
    """spaCy's Vietnamese pipeline without pyvi, with the cchc_facts component."""
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "cchc.rule_tokenizer.v1"}}})
    nlp.add_pipe("cchc_facts", config={"structure": structure})
    return nlp


COLORS = {
    "doc_ref": "#a6cee3", "date": "#b2df8a", "period": "#fdbf6f", "ratio": "#cab2d6",
    "percent": "#fb9a99", "money": "#ffff99", "quantity": "#e0e0e0", "person": "#f4a582",
    "organization": "#92c5de",
}


def render_html(doc_or_text: Doc | str, *, spans_key: str = SPANS_KEY, title: str | None = None) -> str:
    """A whole HTML page showing the document with its facts highlighted (displaCy's span
    style), declared UTF-8 so Vietnamese text shows correctly when the file is opened."""
    doc = make_nlp()(doc_or_text) if isinstance(doc_or_text, str) else doc_or_text
    options: dict[str, Any] = {"spans_key": spans_key, "colors": COLORS}
    html = displacy.render(doc, style="span", page=True, minify=False, options=options, jupyter=False)
    head = '<meta charset="utf-8">'
    if title:
        from html import escape

        head += f"\n<title>{escape(title)}</title>"
        html = html.replace("<title>displaCy</title>", "", 1)
    if "charset" not in html.lower():
        html = html.replace("<head>", "<head>\n" + head, 1)
    return html
