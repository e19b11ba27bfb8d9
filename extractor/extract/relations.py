"""What each citation does: ``value.relation`` (and ``value.articles``) of every ``doc_ref``.

Run in the extraction stage, after references (full and short) are found: the relation is read
from the words right around a citation in the normalised text, which is what this stage has
already, and the structure stage needs nothing of it. The cue words are data
(``patterns/relations.yaml``); the rules that use them are here:

0. a citation in a quotation of another document's provision (``… quy định:⏎“Điều 16. …”``)
   gets none: it is the quoted document's doing; one in a paragraph that a paragraph cue opens
   (``Căn cứ`` at the start of its line) gets that cue's relation, titles and all;
1. a citation listed right after another (``, `` ``; `` ``và``) shares the first one's relation,
   and one opening an item of a ``;`` list shares the relation of the item before it, as does
   one joined by ``và`` to a citation whose title holds the nearest cue;
2. else a cue acting on a part tied to the citation (``thay thế Danh mục … công bố tại``) amends
   or repeals it; else the nearest cue written before it governs it, when no clause break (a
   paragraph break for paragraph cues) stands between them, and the cue is not in the title of
   an earlier citation of the same clause;
3. else a cue written after it in its clause (``… hết hiệu lực``);
4. else none: ``relation: null``.
"""
from __future__ import annotations

import bisect
import functools
import sys
from dataclasses import dataclass
from typing import Any, Sequence

import regex

from .. import cache
from ..patterns import _alternation, _load_yaml, data_digest, patterns_dir, tables
from .refs import _word_key


def _cue_key(text: str) -> str:
    """A cue word's key as the caseless regex finds it: case folded fully ('ſửa đổi' is 'sửa
    đổi'), not only lowered."""
    return _word_key(text).casefold()

# The longest citation or cue a mask may start before the masked stretch.
MAX_SPAN = 400
# How far before a citation a cue is looked for, and after it.
BEFORE_WINDOW = 400
AFTER_WINDOW = 300

_PARAGRAPH_BREAK = r"[;.:!?][ \t]*\r?\n|\n[ \t]*\r?\n|\n[ \t]*[-+•*][ \t]|\.[ \t]+(?=\p{Lu})|\.$"
# A comma between numbers lists them ("số thứ tự 107, 108, 109"): no clause break.
_CLAUSE_BREAK = _PARAGRAPH_BREAK + r"|;|[()]|,(?![ \t]*\d)"
PARAGRAPH_BREAK = regex.compile(_PARAGRAPH_BREAK, regex.MULTILINE)
CLAUSE_BREAK = regex.compile(_CLAUSE_BREAK, regex.MULTILINE)
# Between two citations of one list.
LIST_GAP = regex.compile(r"[ \t]*(?:[,;][ \t]*)?(?:\r?\n[ \t]*)?(?:(?:và|hoặc)[ \t]+)?", regex.IGNORECASE)


# A cue that neither gives a relation nor stops the search.
TRANSPARENT = "transparent"
# A cue right after a law's name is part of the name ("Luật Ban hành văn bản …").
_IN_LAW_NAME = regex.compile(r"(?<![\p{L}])(?:Bộ[ \t]+luật|Luật)[ \t]+$")
# What may stand before a heading cue on its line: marks and an opening parenthesis ("*(Ban hành
# kèm theo Quyết định số …)*"); "Mẫu số 01 kèm theo Nghị định …" is another document's form.
MAX_HEADING_LEAD = 12
_HEADING_LEAD = regex.compile(r"(?:^|\()[ \t*_(\[]*$", regex.MULTILINE)
# After an after cue, "bởi"/"tại" names who amends or replaces: not this document.
_BY_ANOTHER = regex.compile(r"[ \t]*(?:\r?\n[ \t]*)?(?:bởi|tại)(?![\p{L}])")


@dataclass(frozen=True)
class Cue:
    relation: str | None  # None: a neutral cue, which stops the search
    scope: str
    not_after: tuple[str, ...] = ()  # words that, right before the cue, cancel it
    heading: bool = False  # the cue counts only where it opens its line or a parenthesis


@dataclass(frozen=True)
class Relations:
    before: regex.Pattern
    after: regex.Pattern
    before_cues: dict[str, Cue]
    after_cues: dict[str, Cue]
    articles: regex.Pattern
    article: regex.Pattern
    data: dict[str, Any]
    # A paragraph cue opening its line, at group "cue".
    opening: regex.Pattern
    parts: regex.Pattern
    part_link: regex.Pattern
    quote_open: regex.Pattern
    quote_close: regex.Pattern
    # What opens an item of a list of documents: a type word ("Luật …", "các Quyết định: …").
    doc_head: regex.Pattern
    # The end of a row of a table of tasks (its last cell a time).
    planned_row: regex.Pattern


def _words(words: list[str], store: cache.RegexStore) -> regex.Pattern:
    return store.compile(r"(?<![\p{L}\p{N}])" + _alternation(words, ignore_case=True) + r"(?![\p{L}\p{N}])")


@functools.lru_cache(maxsize=1)
def relations() -> Relations:
    data = _load_yaml(patterns_dir() / "relations.yaml")
    before: dict[str, Cue] = {}
    after: dict[str, Cue] = {}
    for word in data["neutral"]["words"]:
        before[_cue_key(word)] = Cue(None, "clause")
    for word in data["transparent"]["words"]:
        before[_cue_key(word)] = Cue(TRANSPARENT, "clause")
    for entry in data["relations"]:
        not_after = tuple(_cue_key(w) for w in entry.get("not_after") or ())
        for word in entry.get("before") or ():
            before[_cue_key(word)] = Cue(entry["relation"], entry["scope"], not_after, bool(entry.get("heading")))
        for word in entry.get("after") or ():
            after[_cue_key(word)] = Cue(entry["relation"], "clause")
    paragraph_words = [w for w, cue in before.items() if cue.scope == "paragraph"]
    doc_types = tables()["doc_types"]
    type_words = sorted({t["name"] for g in ("administrative", "normative", "party") for t in doc_types[g]}
                        | {t["word"] for t in doc_types["type_words"]})
    with cache.RegexStore("relations", data_digest()) as store:
        return Relations(_words(list(before), store), _words(list(after), store), before, after,
                         store.compile(data["articles"]["regex"]), store.compile(data["articles"]["article"]), data,
                         store.compile(r"^[ \t*_]*(?P<cue>" + _alternation(paragraph_words, ignore_case=True)
                                       + r")(?![\p{L}\p{N}])", regex.MULTILINE),
                         store.compile(data["parts"]["regex"], regex.IGNORECASE),
                         store.compile(data["parts"]["link"], regex.IGNORECASE),
                         store.compile(data["quoted_provision"]["open"]),
                         store.compile(data["quoted_provision"]["close"]),
                         store.compile(r"(?:vào[ \t]+)?(?:các[ \t]+)?(?:" + _alternation(type_words, ignore_case=False)
                                       + r")(?![\p{L}])"),
                         store.compile(data["planned_task_row"]["regex"], regex.IGNORECASE))


def quoted_provisions(text: str) -> list[tuple[int, int]]:
    """The quotations of another document's provision in ``text``: (start, end) of each, from
    the opening quote mark to the closing one, sorted."""
    rel = relations()
    reach = rel.data["quoted_provision"]["reach"]
    out: list[tuple[int, int]] = []
    for m in rel.quote_open.finditer(text):
        if out and m.start() < out[-1][1]:
            continue
        close = rel.quote_close.search(text, m.end(), min(len(text), m.end() + reach))
        if close is not None:
            out.append((m.end() - 1, close.end()))
    return out


def inside(offset: int, regions: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """The region of ``regions`` (sorted, apart) that holds ``offset``, or None."""
    i = bisect.bisect_right(regions, (offset, sys.maxsize)) - 1
    return regions[i] if i >= 0 and regions[i][0] <= offset < regions[i][1] else None


def article_numbers(text: str) -> list[str]:
    """The article numbers a cue's article list names: "Điều 5, Điều 7" and "Điều 8 và 9"."""
    return [n for group in relations().article.findall(text) for n in regex.findall(r"\d+[a-z]?", group)]


@functools.lru_cache(maxsize=1)
def _quoted_title() -> regex.Pattern:
    return regex.compile(relations().data["quoted_title"]["regex"])


def quoted_title(text: str, offset: int) -> tuple[str, int, int] | None:
    """The title a citation ending at ``offset`` is quoted with ("… về cải cách hành chính năm
    2024 như sau"): (title, start, end), or None when none follows it."""
    m = _quoted_title().match(text, offset)
    return (m["title"], m.start("title"), m.end("title")) if m else None


def title_abbreviations() -> dict[str, str]:
    """Abbreviations a quoted title may use for words the cited title spells out (CCHC)."""
    return dict(relations().data["quoted_title"]["abbreviations"])


def _masked(text: str, start: int, end: int, spans: Sequence[tuple[int, int]]) -> str:
    """``text[start:end]`` with the citations in it blanked (their dots and commas are no breaks);
    ``spans`` are sorted by start."""
    pieces, at = [], start
    # Spans end in the order they start (citations and cues do not nest): skip those before.
    first = bisect.bisect_left(spans, (start - MAX_SPAN, 0))
    for s, e in spans[first:]:
        if s >= end:
            break
        if e <= start:
            continue
        s, e = max(s, start), min(e, end)
        if s > at:
            pieces.append(text[at:s])
        if e > at:
            pieces.append(" " * (e - max(s, at)))
            at = e
    pieces.append(text[at:end])
    return "".join(pieces)


def assign_relations(text: str, refs: Sequence[Any], starts: dict[int, list[int]] | None = None) -> None:
    """Set ``value["relation"]`` (and ``value["articles"]``) on every reference candidate.

    ``refs`` have ``start``, ``end`` and ``value`` in ``text`` offsets, sorted by start; values
    are updated in place. The header's own number and self references get no relation.
    ``starts``: ``citescan.citation_starts(text)``, where the cues can start (None: search
    them the plain way).
    """
    rel = relations()
    cue_starts = starts
    citations = [r for r in refs if not r.value.get("own") and not r.value.get("self")]
    spans = [(r.start, r.end) for r in refs]
    starts = [s for s, _ in spans]
    # A title follows a citation, never the header's number or "Quyết định này".
    titled = _Titled([(r.start, r.end) for r in citations])
    windows = _windows(citations, len(text))
    if cue_starts is None:
        found_cues = (m for lo, hi in windows for m in rel.before.finditer(text, lo, hi))
    else:
        found_cues = _matches_in(rel.before, text, windows, cue_starts.get(BEFORE_CUES, []))
    cues = [m for m in found_cues if not _inside(m.start(), m.end(), spans, starts)]
    cue_ends = [m.end() for m in cues]
    masks = sorted(spans + [(m.start(), m.end()) for m in cues])
    for r in refs:
        if r.value.get("own") or r.value.get("self"):
            continue
        r.value["relation"] = None
        r.value["articles"] = None
    from_before: set[int] = set()
    quotes = quoted_provisions(text) if citations else []
    cited = [(r.start, r.end) for r in citations]
    openings = _Openings(text if citations else "", spans, rel)
    previous = head = None
    for ref in citations:
        shared = _shared(text, ref, previous, head, from_before, spans)
        prior, previous = previous, ref
        if head is None or ref.start - head.end > ITEM_REACH \
                or _ITEM_BREAK.search(_masked(text, head.end, ref.start, spans)):
            head = ref  # the first citation of a ";" item
        if inside(ref.start, quotes):
            continue
        relation = openings.relation(ref.start) or shared
        if relation is not None:
            ref.value["relation"] = relation
            from_before.add(id(ref))
            continue
        part = _part(text, ref, spans, cited, rel)
        found = _before(text, ref, cues, cue_ends, spans, titled, rel)
        if found is not None and found[0] == _TITLED:
            joined = _conjunct(text, ref, prior, found[1], from_before)
            found = (joined, None) if joined is not None else None
        if part is not None:
            ref.value["relation"] = part
            ref.value["articles"] = found[1] if found is not None and found[0] == part else None
            from_before.add(id(ref))
            continue
        if found is not None:
            relation, articles = found
            if relation is not None:
                ref.value["relation"], ref.value["articles"] = relation, articles
                from_before.add(id(ref))
            continue
        ref.value["relation"] = _after(text, ref, masks, rel, cue_starts)
    _planned_tasks(text, citations, rel)


def _planned_tasks(text: str, citations: Sequence[Any], rel: Relations) -> None:
    """A citation a row of a task table says is to be amended, replaced or repealed: none of
    this document's doing (patterns/relations.yaml: planned_task_row)."""
    planned = rel.data["planned_task_row"]
    for ref in citations:
        if ref.value.get("relation") not in planned["relations"]:
            continue
        line_start = text.rfind("\n", 0, ref.start) + 1
        line_end = text.find("\n", ref.end)
        line = text[line_start:line_end if line_end >= 0 else len(text)]
        if line.lstrip().startswith("|") and rel.planned_row.search(line):
            ref.value["relation"] = ref.value["articles"] = None


# A ";" ends an item of a list; a paragraph break ends the list.
_ITEM_BREAK = regex.compile(_PARAGRAPH_BREAK + r"|;", regex.MULTILINE)
# Right before a citation that opens an item of a ";" list.
_ITEM_OPENS = regex.compile(r";[ \t*_]*(?:\r?\n[ \t*_]*)?(?:(?:và|hoặc)[ \t]+)?$", regex.IGNORECASE)
# Right before a citation joined to the one before it by "và".
_JOINED = regex.compile(r"(?<![\p{L}])(?:và|hoặc)[ \t]*(?:\r?\n[ \t]*)?$", regex.IGNORECASE)
# How far back an item's opening citation may stand (its title in between).
ITEM_REACH = 1500


def _shared(text: str, ref: Any, previous: Any, head: Any, from_before: set[int], spans) -> str | None:
    """The relation ``ref`` shares with a citation before it: the one listed right before it
    (``, `` ``và``), or the opening citation of the ``;`` item before the one it opens."""
    if previous is not None and id(previous) in from_before and previous.value["relation"] \
            and LIST_GAP.fullmatch(text, previous.end, ref.start):
        return previous.value["relation"]
    if head is None or id(head) not in from_before or not head.value["relation"] \
            or ref.start - head.end > ITEM_REACH:
        return None
    if not _ITEM_OPENS.search(text, max(0, ref.start - 40), ref.start):
        return None
    between = _masked(text, head.end, ref.start, spans)
    if any(not _list_goes_on(text, head.end + b.end(), spans) for b in PARAGRAPH_BREAK.finditer(between)):
        return None
    return head.value["relation"]


# What _before gives, with that citation's start, when the nearest cue stands in the title of an
# earlier citation and a cue before that one would govern: the citation may be listed with it.
_TITLED = "titled"


def _conjunct(text: str, ref: Any, before: Any, titled_start: int, from_before: set[int]) -> str | None:
    """The relation of the citation whose title holds the nearest cue, when ``ref`` is joined to
    it by "và" and is of its type ("Thực hiện … Văn bản số 9151-CV/BTCTW … về triển khai các kết
    luận … và Văn bản số 9671-CV/BTCTW"): the two are listed together, the cue is the title's."""
    if before is None or before.start != titled_start or id(before) not in from_before:
        return None
    if before.value.get("doc_type") != ref.value.get("doc_type") or not _JOINED.search(text, before.end, ref.start):
        return None
    return before.value["relation"]


class _Openings:
    """The paragraphs a paragraph cue opens (``Căn cứ`` at the start of its line), each to its
    end: a paragraph break after which the next line does not open with a citation, or a ``;``
    that a cue of its own follows (``…; Xét Tờ trình số …``)."""

    def __init__(self, text: str, spans, rel: Relations):
        self.text, self.spans, self.rel = text, spans, rel
        self.reach = rel.data["opening"]["reach"]
        # Only a cue that a list of documents follows ("Căn cứ Nghị định …", "Căn cứ các Quyết
        # định: …"), not a sentence ("Căn cứ vào tỷ lệ công chức …, người đứng đầu … quy định tại").
        self.found = [(m.start("cue"), m.end("cue"), rel.before_cues[_cue_key(m.group("cue"))].relation)
                      for m in rel.opening.finditer(text) if self._lists(self._past_repeat(m))]
        self.ends = [e for _, e, _ in self.found]
        self.stops: dict[int, int] = {}

    def relation(self, offset: int) -> str | None:
        i = bisect.bisect_right(self.ends, offset) - 1
        if i < 0 or offset - self.ends[i] > self.reach:
            return None
        return self.found[i][2] if offset < self._stop(i) else None

    def _stop(self, i: int) -> int:
        if i not in self.stops:
            text, end = self.text, self.ends[i]
            hi = min(len(text), end + self.reach)
            masked = _masked(text, end, hi, self.spans)
            stop = hi
            for b in _ITEM_BREAK.finditer(masked):
                at = end + b.end()
                lead = _ITEM_LEAD.match(text, at)
                opens = _starts_at(lead.end(), self.spans)
                if self.rel.before.match(text, lead.end()) or (
                        not opens and (b.group() != ";" or "\n" in lead.group()
                                       or not self.rel.doc_head.match(text, lead.end()))):
                    stop = at
                    break
            self.stops[i] = stop
        return self.stops[i]

    def _past_repeat(self, m: regex.Match) -> int:
        """Where the cue's list starts: after the cue typed twice ("Căn cứ Căn cứ Kế hoạch …")."""
        at = _ITEM_LEAD.match(self.text, m.end()).end()
        again = self.rel.before.match(self.text, at)
        return again.end() if again and _cue_key(again.group()) == _cue_key(m.group("cue")) else m.end()

    def _lists(self, offset: int) -> bool:
        """Whether a list of documents starts at ``offset`` (after blanks, "vào", "các")."""
        at = _ITEM_LEAD.match(self.text, offset).end()
        return _starts_at(at, self.spans) or self.rel.doc_head.match(self.text, at) is not None \
            or _starts_at(_VAO.match(self.text, at).end(), self.spans)


# Blanks, emphasis and one line break after a break.
_ITEM_LEAD = regex.compile(r"[ \t*_]*(?:\r?\n[ \t*_]*)?")
_VAO = regex.compile(r"(?:vào|các)?[ \t]*")


def _starts_at(offset: int, spans) -> bool:
    i = bisect.bisect_left(spans, (offset, 0))
    return i < len(spans) and spans[i][0] == offset


def _part(text: str, ref: Any, spans, cited, rel: Relations) -> str | None:
    """The relation a cue acting on a part tied to ``ref`` gives it ("thay thế Danh mục … công bố
    tại các Quyết định: Số 2196/QĐ-UBND"): the cue's relation for a part, within the sentence,
    ``ref`` the first citation after the cue and no citation before the cue in the sentence (the
    cue would be in its title). ``cited``: the citations' spans, sorted."""
    lo = max(0, ref.start - BEFORE_WINDOW)
    if not rel.part_link.search(text, lo, ref.start):
        return None
    masked = _masked(text, lo, ref.start, spans)
    start = lo
    for b in _ITEM_BREAK.finditer(masked):
        start = lo + b.end()
    found = None
    for m in rel.parts.finditer(text, start, ref.start):
        found = m
    if found is None or _inside_any(found.end(), ref.start, spans) or _inside_any(start, found.start(), cited):
        return None
    cue = rel.before_cues.get(_cue_key(found.group("cue")))
    return rel.data["parts"]["relations"].get(cue.relation) if cue is not None else None


def _inside_any(start: int, end: int, spans) -> bool:
    """Whether a citation starts in [start, end)."""
    i = bisect.bisect_left(spans, (start, 0))
    return i < len(spans) and spans[i][0] < end


# The scan ids of the cue starts (extract/citescan.py).
BEFORE_CUES = -1
AFTER_CUES = -2


def _matches_in(compiled: regex.Pattern, text: str, windows: Sequence[tuple[int, int]], starts: list[int]):
    """The matches ``compiled.finditer(text, lo, hi)`` gives in each window, trying only at
    ``starts`` (sorted, a superset of where a match can start)."""
    match = compiled.match
    for lo, hi in windows:
        end = lo
        for i in range(bisect.bisect_left(starts, lo), len(starts)):
            s = starts[i]
            if s >= hi:
                break
            if s < end:
                continue
            m = match(text, s, hi)
            if m is not None and m.end() > m.start():
                yield m
                end = m.end()


# Markdown emphasis and blanks that may open a line.
_LINE_LEAD = regex.compile(r"[ \t*_]*")


def _list_goes_on(text: str, offset: int, spans) -> bool:
    """Whether a paragraph cue's list goes on after a line break: the next line opens with a
    citation ("Căn cứ Nghị định số 63/2010/NĐ-CP …;⏎Nghị định số 48/2013/NĐ-CP …")."""
    start = _LINE_LEAD.match(text, offset).end()
    return any(s == start for s, _ in spans)


def _inside(start: int, end: int, spans: Sequence[tuple[int, int]], starts: Sequence[int]) -> bool:
    i = bisect.bisect_right(starts, start) - 1
    return i >= 0 and spans[i][1] > start


def _before(text: str, ref: Any, cues: list, cue_ends: list[int], spans, titled, rel: Relations
            ) -> tuple[str | None, list[str] | None] | None:
    """(relation, articles) of the nearest governing cue before ``ref``; None when there is none.
    A neutral cue gives (None, None)."""
    lo = max(0, ref.start - BEFORE_WINDOW)
    in_title_of: int | None = None
    i = bisect.bisect_right(cue_ends, ref.start) - 1
    while i >= 0 and cues[i].end() > lo:
        m = cues[i]
        i -= 1
        cue = rel.before_cues[_cue_key(m.group())]
        if cue.relation == TRANSPARENT or _IN_LAW_NAME.search(text, max(0, m.start() - 12), m.start()):
            continue
        if cue.not_after and _cue_key(text[max(0, m.start() - 12):m.start()]).split()[-1:] in (
                [w] for w in cue.not_after):
            continue
        if cue.heading and not _HEADING_LEAD.search(text, max(0, m.start() - MAX_HEADING_LEAD), m.start()):
            continue
        if _in_title(text, m.start(), lo, titled):
            # The citation stands in that title too ("Quyết định 897/… về việc … thực hiện theo
            # Nghị quyết 66/NQ-CP"): a clause cue before the titled citation is that one's.
            titled_start = titled.last_before(m.start())[0]
            in_title_of = titled_start if in_title_of is None else min(in_title_of, titled_start)
            continue
        if in_title_of is not None and cue.scope == "clause" and m.end() <= in_title_of:
            return _TITLED, in_title_of
        between = _masked(text, m.end(), ref.start, spans)
        articles_match = rel.articles.match(text, m.end(), ref.start)
        if articles_match:
            between = " " * (articles_match.end() - m.end()) + between[articles_match.end() - m.end():]
        if cue.scope == "paragraph":
            if any(not _list_goes_on(text, m.end() + b.end(), spans) for b in PARAGRAPH_BREAK.finditer(between)):
                return None
        elif CLAUSE_BREAK.search(between):
            return None
        articles = None
        if articles_match and cue.relation in ("amends", "repeals"):
            articles = article_numbers(articles_match.group()) or None
        return cue.relation, articles
    return None


def _windows(citations: Sequence[Any], length: int) -> list[tuple[int, int]]:
    """Where cues can govern a citation: the stretch before each (merged), so a long document
    with few citations is not searched through."""
    out: list[list[int]] = []
    for r in citations:
        lo, hi = max(0, r.start - BEFORE_WINDOW - 40), min(length, r.start)
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]


class _Titled:
    """The citations a title may follow, sorted, with the last one ending before an offset."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = sorted(spans, key=lambda s: s[1])
        self.ends = [e for _, e in self.spans]

    def last_before(self, offset: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(self.ends, offset) - 1
        return self.spans[i] if i >= 0 else None


def _in_title(text: str, cue_start: int, lo: int, titled: _Titled) -> bool:
    """Whether the cue follows an earlier citation of its clause with no break: it is then in
    that citation's title ("Nghị định số 107/2021/NĐ-CP sửa đổi, bổ sung …")."""
    earlier = titled.last_before(cue_start)
    if earlier is None or earlier[1] < lo:
        return False
    e = earlier[1]
    return not CLAUSE_BREAK.search(text, e, cue_start) and not _LINE_OPENS.search(text, e, cue_start)


# A line that opens with a capital opens a new sentence (a wrapped title goes on in lower case).
_LINE_OPENS = regex.compile(r"\n[ \t]*\p{Lu}")


def _after(text: str, ref: Any, masks, rel: Relations, starts: dict[int, list[int]] | None = None) -> str | None:
    """The relation a cue written after ``ref`` in its clause gives it, or None. The clause may
    list more citations and their titles ("Nghị định số 110/2004/NĐ-CP … và Nghị định số
    09/2010/NĐ-CP … sửa đổi, bổ sung … hết hiệu lực"): their own dots and commas are no breaks."""
    hi = min(len(text), ref.end + AFTER_WINDOW)
    masked = _masked(text, ref.end, hi, masks)
    stop = CLAUSE_BREAK.search(masked)
    if stop:
        hi = ref.end + stop.start()
    found = (rel.after.finditer(text, ref.end, hi) if starts is None
             else _matches_in(rel.after, text, [(ref.end, hi)], starts.get(AFTER_CUES, [])))
    for m in found:
        if not _BY_ANOTHER.match(text, m.end()):
            return rel.after_cues[_cue_key(m.group())].relation
    return None
