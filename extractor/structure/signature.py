"""The end of an administrative document: the distribution list ("Nơi nhận:") and the signature
block (signing authority "TM."/"KT."/..., position, signer), which also tell where the body ends
and where appendices start."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..facts import Fact
from .context import DocumentContext, DocumentRecord, Span
from .data import fold, layout, positions, title_case
from .header import Header
from .issuer import Issuer
from .lines import Cleaned, clean, content_span, list_item_values
from .model import StructureProblem
from .people import PeopleFinder, qualified, signature_title

SIGNATURE_LINES = 14       # the signature block is within this many lines of the list or end mark
SIGNATURE_BLOCK_LINES = 10 # authority, position and signer take at most this many lines
WRAPPED_BOLD_LINES = 3     # a bold signing line wraps over at most this many more lines
LONGEST_POSITION = 60      # a longer upper-case line is not a position



@dataclass(frozen=True)
class _SignatureBlock:
    """Where the parts of a signature block are (normalised spans)."""
    authority: tuple[Span, ...]    # "TM. ỦY BAN NHÂN DÂN", then a deputy's "KT. CHỦ TỊCH"
    position: Span | None
    signer: tuple[int, int, str] | None
    last_line: int


@dataclass(frozen=True)
class Signature:
    value: dict[str, Any]          # authority, position, signer (and deputy)
    spans: dict[str, Any]
    signer: Fact | None            # the signer as a person fact


@dataclass(frozen=True)
class Closing:
    distribution: tuple[tuple[str, int, int], ...] | None
    signature: Signature | None
    body_start: int                # where the body starts: after the header's last line
    body_end: int                  # where it ends: at the distribution list or the end mark
    after_signature: int | None    # where appendices may start
    problems: tuple[StructureProblem, ...]
    skip: tuple[Span, ...]

    def write(self, record: DocumentRecord) -> None:
        if self.distribution is not None:
            record.set_list("distribution", self.distribution)
        if self.signature is not None:
            record.set("signature", self.signature.value)
            record.spans["signature"] = self.signature.spans

    @property
    def facts(self) -> list[Fact]:
        return [self.signature.signer] if self.signature is not None and self.signature.signer else []


def read_closing(context: DocumentContext, header: Header, issuer: Issuer, finder: PeopleFinder) -> Closing:
    lines = context.lines
    body_start = lines[context.line_at(header.end).index].end if header.end else 0
    distribution = _read_distribution(context, body_start) if not header.is_news else None
    block = None
    body_end = len(context.text)
    skip: list[Span] = []
    values = None
    if distribution is not None:
        items, dist_start, dist_end = distribution
        values = tuple(list_item_values(context.text, items))
        skip.append((dist_start, dist_end))
        body_end = dist_start
        after = context.line_at(dist_end).index + 1
        block = _find_signature(context, after, after + SIGNATURE_LINES, finder)
        if block is None:
            before = context.line_at(dist_start).index
            block = _find_signature(context, max(0, before - SIGNATURE_LINES), before, finder)
    elif not header.is_news:
        end_mark = layout().pattern("end_mark").search(context.text, body_start)
        if end_mark is not None:
            start_line = context.line_at(end_mark.end()).index + 1
            block = _find_signature(context, start_line, start_line + SIGNATURE_LINES, finder)
            if block is not None:
                body_end = lines[start_line - 1].end
    after_signature = None
    if block is not None:
        after_signature = lines[min(block.last_line, len(lines) - 1)].end + 1
        if distribution is not None:
            after_signature = max(after_signature, distribution[2] + 1)
    elif distribution is not None:
        after_signature = distribution[2] + 1
    signature = None
    problems: list[StructureProblem] = []
    if block is not None:
        signature, unsigned, signature_skip = _record_signature(context, block, issuer)
        skip.append(signature_skip)
        if unsigned is not None:
            problems.append(unsigned)
    return Closing(values, signature, body_start, body_end, after_signature, tuple(problems), tuple(skip))


def _read_distribution(context: DocumentContext, after: int) -> tuple[list[Span], int, int] | None:
    """The items of "Nơi nhận:", where the list starts and where it ends."""
    text, lines = context.text, context.lines
    m = layout().pattern("distribution").search(text, after)
    if not m:
        return None
    line = context.line_at(m.end())
    # Items may start on the "Nơi nhận:" line itself.
    first = [content_span(text, m.end(), line.end)] if clean(text[m.end():line.end]).startswith("-") else []

    def wraps(item: Span, words: str) -> bool:
        """An item not yet ended by its punctuation goes on, unless the signature starts."""
        return not text[item[0]:item[1]].rstrip("*").endswith((";", ".", ",")) and not layout().prefix_re.match(words)

    items, after = context.dash_items(line.index + 1, first, wraps)
    end_line = lines[after - 1] if after > 0 else line
    return items, m.start(), end_line.end


def _find_signature(context: DocumentContext, start_line: int, stop_line: int,
                    finder: PeopleFinder) -> _SignatureBlock | None:
    """The first signature block starting on a signing or position line in the range."""
    lay = layout()
    i = start_line
    while i < min(stop_line, len(context.lines)):
        c = context.clean_line(context.lines[i])
        if not c:
            i += 1
            continue
        if lay.prefix_re.match(c) or (_is_upper(c) and _is_title(c)):
            found = _signature_from(context, i, stop_line, finder)
            if found:
                return found
        i += 1
    return None


def _logical_line(context: DocumentContext, j: int) -> tuple[int, int, int]:
    """Content span of line ``j``, extended over the lines that a bold run wrapped
    ("**TM. ỦY BAN NHÂN\nDÂN**", "**KT. BỘ TRƯỞNG,\nCHỦ NHIỆM**"), but not over a next line
    that is a signing element of its own ("**KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC**"); returns
    (start, end, index of the next line)."""
    lines = context.lines
    ln = lines[j]
    a, b = context.content(ln)
    if not (ln.text.lstrip().startswith("**") and ln.text.count("**") % 2 == 1):
        return a, b, j + 1
    k = j + 1
    while k < len(lines) and k <= j + WRAPPED_BOLD_LINES:
        nxt = lines[k]
        c = context.clean_line(nxt)
        if not c:
            break
        previous = Cleaned(context.text, a, b).text
        if layout().prefix_re.match(c) or (_is_title(c) and not previous.endswith(",")):
            break
        b = context.content(nxt)[1]
        k += 1
        if nxt.text.count("**") % 2 == 1:
            break
    return a, b, k


def _signature_from(context: DocumentContext, i: int, stop_line: int,
                    finder: PeopleFinder) -> _SignatureBlock | None:
    lay = layout()
    text = context.text
    authority: list[list[int]] = []
    position: Span | None = None
    j = i
    stop = min(stop_line, len(context.lines))
    while j < stop and j < i + SIGNATURE_BLOCK_LINES:
        if not context.clean_line(context.lines[j]):
            j += 1
            continue
        a, b, nxt = _logical_line(context, j)
        c = Cleaned(text, a, b).text
        upper = _is_upper(c)
        if lay.prefix_re.match(c):
            authority.append([a, b])
        elif authority and Cleaned(text, *authority[-1]).text.endswith(",") and upper and position is None:
            # "KT. BỘ TRƯỞNG," wraps its authority on the next line.
            authority[-1][1] = b
        elif upper and position is None and len(c) <= LONGEST_POSITION \
                and not (authority and not _is_title(c) and finder.is_name(title_case(c))):
            position = (a, b)
        elif position is not None or authority:
            if layout().pattern("signed_mark").match(c):
                j = nxt
                continue
            got = finder.name_at(a, allow_newline=True, limit=b, ner_window=(a, b))
            if got is None and c.isupper():
                got = _upper_name(text, a, b, finder)
            if got is None:
                return None
            return _SignatureBlock(tuple((a, b) for a, b in authority), position, got, nxt - 1)
        else:
            return None
        j = nxt
    if position is not None or authority:
        return _SignatureBlock(tuple((a, b) for a, b in authority), position, None, j - 1)
    return None


def _upper_name(text: str, a: int, b: int, finder: PeopleFinder) -> tuple[int, int, str] | None:
    name = title_case(text[a:b])
    if finder.is_name(name):
        return a, b, name
    return None


def _record_signature(context: DocumentContext, block: _SignatureBlock,
                      issuer: Issuer) -> tuple[Signature, StructureProblem | None, Span]:
    """The signature's values and spans, the problem of an unsigned one, and the lines it takes."""
    text = context.text
    authority = block.authority
    value: dict[str, Any] = {"authority": None, "position": None, "signer": None}
    spans: dict[str, Any] = {}
    if authority:
        value["authority"] = Cleaned(text, *authority[0]).text
        spans["authority"] = context.span(*authority[0])
        if len(authority) > 1:
            value["deputy"] = Cleaned(text, *authority[1]).text
            spans["deputy"] = context.span(*authority[1])
    if block.position is not None:
        value["position"] = Cleaned(text, *block.position).text
        spans["position"] = context.span(*block.position)
    first = authority[0] if authority else block.position
    start_line = context.line_at(first[0])
    if block.signer is None:
        unsigned = context.problem("unsigned", first[0], (block.position or authority[-1])[1])
        last = context.lines[min(block.last_line, len(context.lines) - 1)]
        return Signature(value, spans, None), unsigned, (start_line.start, last.end)
    s, e, name = block.signer
    value["signer"] = name
    spans["signer"] = context.span(s, e)
    shown = value["position"] or (value.get("deputy") or value["authority"] or "")
    shown = layout().prefix_re.sub("", shown)
    title = signature_title(shown) if shown else None
    titles = [title] if title else []
    person = {"name": name, "positions": titles,
              "qualified_positions": [qualified(p, issuer.kind, issuer.short, issuer.head) for p in titles],
              "role": "signer"}
    signer = context.fact("person", s, e, "person.signature", person)
    return Signature(value, spans, signer), None, (start_line.start, context.line_at(e).end)


def _is_upper(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _is_title(line: str) -> bool:
    return fold(line.strip(" ,")) in positions().by_folded
