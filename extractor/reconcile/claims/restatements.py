"""Restatements within one document: the same figure stated twice, in a summary and in the body,
in two sections, or in the body and the total of the appendix table it points to.

Two statements are the same figure only when the wording says so, never because the numbers
happen to be equal or close:

- an amount the text sends to an appendix ("50.000 triệu đồng (Chi tiết tại Phụ lục 01)") and
  the total row of the table under that appendix's heading, in one kind of unit (amounts
  compared in đồng, whatever scale each is written in);
- a figure whose label (the words right before it), unit and period are those of another
  sentence's figure, when the two sentences also share another figure stated alike (the anchor:
  "... số trạm 5G đạt 68.457 trạm (57,5% số trạm 4G)" restates "... số trạm 5G đạt 68,457 trạm,
  bằng 57,5% số trạm 4G"). A label that a list repeats with many values is a template, not a
  restatement.

Weaker likeness (one figure repeated with the same value and unit and a word of its context in
common, or a value too particular to repeat by chance) is recorded as a restatement that holds;
two such figures that differ are not a finding, since nothing says they are one figure.
"""
from __future__ import annotations

import functools
from collections import defaultdict
from decimal import Decimal
from typing import Iterable

import regex

from ...facts import Fact
from ..vocabulary import cue_pattern
from .base import Claim, Reading

# Words of a figure's label compared between two statements: the nearest ones before it.
LABEL_WORDS = 4
# Words around a figure looked at for the weaker likeness.
CONTEXT_WORDS = 3
# A value with this many significant digits (42.420, 987, 57,5) is too particular to be
# stated twice by chance for two different figures.
DISTINCTIVE_DIGITS = 3
# Words of context a plain value must share with its restatement.
PLAIN_SHARED_WORDS = 2
# Two statements of one figure stand in paragraphs this far apart at least: sibling items of a
# list ("- Trên 88.000 người … được thêm 1 điểm" / "- Trên 176.000 người … được thêm 0,5 điểm")
# share their words and a border value, and are not one figure.
RESTATEMENT_PARAGRAPHS = 2
# A label stated with this many different values is a list's template ("- Xã A: 120 hồ sơ").
TEMPLATE_VALUES = 3
# A label, or a value, stated more often than this is a list's template or a recurring value,
# not one figure stated twice (and comparing its every pair would grow with their square).
TEMPLATE_MENTIONS = 50
# Characters around a figure in which its label and context words are read.
CONTEXT_WINDOW_CHARS = 200
# A figure of the body and the appendix row that copies its sentence have this many words
# before them in common ("… doanh nghiệp vừa và nhỏ địa phương ứng dụng công nghệ số đạt 60%").
APPENDIX_LABEL_WORDS = 6
# An appendix reference and the heading it names: "Phụ lục 01" and "PHỤ LỤC 01:".
APPENDIX_HEADING_LINE_CHARS = 40

_WORD = regex.compile(r"[\p{L}\p{N}]+(?:[.,]\p{N}+)*")
_DIGITS = regex.compile(r"\d")


def restatement_claims(reading: Reading) -> list[Claim]:
    repeated = _repeated_claims(reading)
    return _appendix_claims(reading) + _cut_time_claims(reading) + repeated + _appendix_row_claims(reading, repeated)


# ---------------------------------------------------------------- a time limit and its cut

# A procedure's row states its time limit, then notes the cut a few hundred characters on.
CUT_ROW_CHARS = 1500


@functools.lru_cache(maxsize=1)
def _cut_note() -> regex.Pattern:
    """'Cắt giảm thời gian giải quyết từ 26 ngày xuống 24 ngày'."""
    return regex.compile(r"(?:" + cue_pattern("time_cut_words") + r")\s+từ\s+(?P<before>\d+)\s+ngày\s+xuống\s+"
                         r"(?:còn\s+)?(?P<after>\d+)\s+ngày", regex.I)


@functools.lru_cache(maxsize=1)
def _time_limit() -> regex.Pattern:
    """'Trong thời hạn 24 ngày làm việc': the time limit a procedure's row states."""
    return regex.compile(r"(?:" + cue_pattern("time_limit_words") + r")[^\d\n]{0,20}?(?P<days>\d+)\s+ngày", regex.I)


def _cut_time_claims(reading: Reading) -> list[Claim]:
    """The time limit a row of a list of procedures states is the time after the cut its note
    gives ("Trong thời hạn 26 ngày …" with "Cắt giảm thời gian giải quyết từ 26 ngày xuống 24
    ngày" states the limit before the cut). The row starts at its number (a line of its own when
    a table's cells were written one under another, the table line itself otherwise); its limit
    is the one statement of a limit in it (with several, the relation is unchecked)."""
    text = reading.text
    claims = []
    for note in _cut_note().finditer(text):
        line_start = text.rfind("\n", 0, note.start()) + 1
        if text.count("|", line_start, note.start()) >= 2:
            row_start = line_start
        else:
            numbers = list(_ROW_NUMBER.finditer(text, max(0, note.start() - CUT_ROW_CHARS), note.start()))
            if not numbers:
                continue
            row_start = numbers[-1].end()
        limits = list(_time_limit().finditer(text, row_start, note.start())) + list(
            _LIMIT_CELL.finditer(text, row_start, note.start()))
        if not limits:
            continue
        limit = max(limits, key=lambda m: m.start())
        cut = _day_fact(text, note.start("after"), note.end())
        stated = _day_fact(text, limit.start("days"), limit.end())
        values = {"values": [Decimal(limit["days"]), Decimal(note["after"])], "where": "time_cut"}
        if len(limits) > 1:
            values["unchecked"] = "several_time_limits"
        claims.append(Claim("restatement", "restatement.time_cut", [stated, cut], values))
    return claims


# A row's number on a line of its own ("7"), and a time limit that is a cell of its own ("30 ngày").
_ROW_NUMBER = regex.compile(r"^[ \t]*\d{1,3}\.?[ \t]*$", regex.M)
_LIMIT_CELL = regex.compile(r"^[ \t]*(?P<days>\d+)[ \t]+ngày(?:[ \t]+làm[ \t]+việc)?[ \t]*$", regex.M)


def _day_fact(text: str, start: int, end: int) -> Fact:
    return Fact("quantity", text[start:end], start, end, "reconcile.time_limit",
                {"value": Decimal(regex.match(r"\d+", text[start:end]).group()), "decimals": 0, "unit": "ngày"})


# ---------------------------------------------------------------- body and appendix total

@functools.lru_cache(maxsize=1)
def _appendix_reference() -> regex.Pattern:
    """'(Chi tiết tại Phụ lục 01 kèm theo …)': the number of the appendix a figure is detailed in."""
    return regex.compile(r"(?:" + cue_pattern("appendix_words") + r")\s+(?:số\s+)?(?P<n>[0-9IVX]+[a-z]?)\b", regex.I)


def _appendix_number(written: str) -> str:
    return written.lstrip("0").upper() or "0"


def _appendix_headings(text: str) -> dict[str, int]:
    """Where each appendix starts: a line that is its heading ("PHỤ LỤC 01:", "Phụ lục II")."""
    headings: dict[str, int] = {}
    pattern = regex.compile(r"^[ \t*#_]*(?:" + cue_pattern("appendix_words") + r")\s+(?:số\s+)?(?P<n>[0-9IVX]+[a-z]?)\b"
                            rf"[^\n]{{0,{APPENDIX_HEADING_LINE_CHARS}}}$", regex.I | regex.M)
    for m in pattern.finditer(text):
        headings.setdefault(_appendix_number(m["n"]), m.start())
    return headings


def _appendix_claims(reading: Reading) -> list[Claim]:
    text, layout, facts = reading.text, reading.layout, reading.facts
    headings = _appendix_headings(text)
    if not headings:
        return []
    starts = sorted(headings.values())
    totals = [f for f in facts if f.pattern.startswith("table.") and f.kind in ("money", "quantity")
              and _total_row().match(f.value.get("table", {}).get("row", ""))]
    claims = []
    for fact in facts:
        if fact.kind not in ("money", "quantity") or fact.pattern.startswith("table."):
            continue
        sentence_end = layout.sentence_span(fact.start)[1]
        reference = _appendix_reference().search(text, fact.end, min(sentence_end, fact.end + APPENDIX_HEADING_LINE_CHARS * 2))
        if reference is None or regex.search(r"\d", text[fact.end:reference.start()]) is not None:
            continue
        start = headings.get(_appendix_number(reference["n"]))
        if start is None or start < fact.end:
            continue
        end = next((s for s in starts if s > start), len(text))
        candidates = [t for t in totals if start < t.start < end and _same_kind(fact, t)]
        if not candidates:
            continue
        first = min(c.start for c in candidates)
        # The first table under the heading, its total row: one figure of the figure's kind.
        line_end = text.find("\n", first)
        row = [c for c in candidates if text.rfind("\n", 0, c.start) == text.rfind("\n", 0, first)
               and (line_end < 0 or c.start < line_end)]
        values = {"values": [_amount(fact)] + [_amount(c) for c in row[:1]], "where": "appendix"}
        if len(row) != 1:
            values["unchecked"] = "appendix_total_columns"
        claims.append(Claim("restatement", "restatement.appendix_total", [fact] + row[:1], values))
    return claims


@functools.lru_cache(maxsize=1)
def _total_row() -> regex.Pattern:
    return regex.compile(r"^\W*(?:" + cue_pattern("table_total_labels") + r")\W*$", regex.I)


def _same_kind(a: Fact, b: Fact) -> bool:
    if a.kind != b.kind:
        return False
    if a.kind == "money":
        return a.value.get("per") == b.value.get("per")
    return a.value.get("unit") is not None and a.value.get("unit") == b.value.get("unit")


def _amount(fact: Fact) -> Decimal:
    return Decimal(fact.value["amount"] if fact.kind == "money" else fact.value["value"])


# ---------------------------------------------------------------- body and appendix row

def _appendix_row_claims(reading: Reading, taken: list[Claim]) -> list[Claim]:
    """A target or a result of the body copied into a row of an appendix's table ("- Tỷ lệ
    doanh nghiệp … ứng dụng công nghệ số đạt 60%." and the row "2 | Tỷ lệ doanh nghiệp … ứng
    dụng công nghệ số đạt 60%."): the same kind and unit, the same APPENDIX_LABEL_WORDS words
    before each in its sentence, the same words after it and the same period, one figure in the body (before the first
    appendix heading) and one after it. A label stated more than once on either side is a
    list's template, not one figure."""
    text, layout = reading.text, reading.layout
    first = _first_appendix(text)
    if first is None:
        return []
    body: dict[tuple, list[_Mention]] = defaultdict(list)
    appendix: dict[tuple, list[_Mention]] = defaultdict(list)
    for m in _mentions(reading):
        start = layout.sentence_span(m.fact.start)[0]
        words = [w.lower() for w in _WORD.findall(text, max(start, m.fact.start - CONTEXT_WINDOW_CHARS), m.fact.start)]
        if len(words) < APPENDIX_LABEL_WORDS:
            continue
        # The words after it in its sentence too: "… chiếm tối thiểu 80% các hoạt động" is not
        # "… chiếm tối thiểu 50% tổng số hoạt động".
        key = (m.kind, tuple(words[-APPENDIX_LABEL_WORDS:]), tuple(m.after[:CONTEXT_WORDS]))
        (appendix if m.fact.start > first else body)[key].append(m)
    pairs = {tuple(sorted(f.start for f in c.facts)) for c in taken}
    claims = []
    for key, copies in appendix.items():
        stated = body.get(key, [])
        if len(stated) != 1 or len(copies) != 1:
            continue
        a, b = stated[0], copies[0]
        if (a.periods and b.periods and a.periods != b.periods) or (a.fact.start, b.fact.start) in pairs:
            continue
        claims.append(Claim("restatement", "restatement.appendix_row", [a.fact, b.fact],
                            {"values": [_written_value(a), _written_value(b)], "where": "appendix"}))
    return claims


def _first_appendix(text: str) -> int | None:
    """Where the first appendix starts: its numbered heading, or a line that is only the word
    ("**PHỤ LỤC**")."""
    alone = regex.compile(r"^[ \t*#_]*(?:" + cue_pattern("appendix_words") + r")(?:\s+(?:số\s+)?[0-9IVX]+[a-z]?)?[ \t*#_:.]*$",
                          regex.I | regex.M).search(text)
    starts = list(_appendix_headings(text).values()) + ([alone.start()] if alone else [])
    return min(starts) if starts else None


# ---------------------------------------------------------------- a figure stated twice

class _Mention:
    """A figure with what identifies it: its kind and unit, its label, its context and period."""

    def __init__(self, reading: Reading, fact: Fact, periods: list[Fact]):
        text, layout = reading.text, reading.layout
        self.fact = fact
        self.sentence = layout.sentence(fact.start)
        self.paragraph = layout.paragraph(fact.start)
        start, end = layout.sentence_span(fact.start)
        clause_start = max(start, text.rfind(";", start, fact.start) + 1)
        self.before = [w.lower() for w in _words_before(text, clause_start, fact.start)]
        self.after = [w.lower() for w in _words_after(text, fact.end, end)]
        self.kind, self.value = _kind_and_value(fact)
        self.periods = frozenset(" ".join(p.value.get("label", p.text).lower().split())
                                 for p in periods if layout.sentence(p.start) == self.sentence)
        self.distinctive = len(_DIGITS.findall(_significant(fact))) >= DISTINCTIVE_DIGITS

    @property
    def label(self) -> tuple[str, ...] | None:
        return tuple(self.before[-LABEL_WORDS:]) if len(self.before) >= LABEL_WORDS else None


def _words_before(text: str, start: int, end: int) -> list[str]:
    """The last LABEL_WORDS words of ``text[start:end]``, read from a window before ``end``: a
    sentence of thousands of figures costs each figure its window, not the whole sentence."""
    window = max(start, end - CONTEXT_WINDOW_CHARS)
    found = _WORD.findall(text, window, end)
    if window > start:
        if len(found) <= LABEL_WORDS:  # words too long for the window: read it all
            found = _WORD.findall(text, start, end)
        else:
            found = found[1:]  # the window may start inside a word
    return found[-LABEL_WORDS:]


def _words_after(text: str, start: int, end: int) -> list[str]:
    """The first CONTEXT_WORDS words of ``text[start:end]``, from a window after ``start``."""
    window = min(end, start + CONTEXT_WINDOW_CHARS)
    found = _WORD.findall(text, start, window)
    if window < end:
        if len(found) <= CONTEXT_WORDS:
            found = _WORD.findall(text, start, end)
        else:
            found = found[:-1]  # the window may end inside a word
    return found[:CONTEXT_WORDS]


def _significant(fact: Fact) -> str:
    """The digits of the number as written, without the zeros before and after it."""
    number = regex.match(r"[\d.,/]+", fact.text)
    digits = "".join(_DIGITS.findall(number.group() if number else fact.text))
    return digits.strip("0")


def _kind_and_value(fact: Fact) -> tuple[tuple, tuple]:
    v = fact.value
    if fact.kind == "quantity":
        return ("quantity", v.get("unit")), (Decimal(v["value"]),)
    if fact.kind == "money":
        return ("money", v.get("per")), (Decimal(v["amount"]),)
    if fact.kind == "percent":
        return ("percent",), (Decimal(v["value"]),)
    return ("ratio", v.get("unit")), (Decimal(v["numerator"]), Decimal(v["denominator"]))


def _mentions(reading: Reading) -> list[_Mention]:
    periods = [f for f in reading.facts if f.kind == "period"]
    found = []
    for fact in reading.facts:
        if fact.kind not in ("quantity", "money", "percent", "ratio") or fact.pattern.startswith("table."):
            continue
        if fact.kind == "quantity" and fact.value.get("unit") is None:
            continue
        found.append(_Mention(reading, fact, periods))
    return found


def _alike(a: _Mention, b: _Mention) -> bool:
    """The weaker likeness: same value, unit and period, and a particular value with a word of
    its context in common, or a plain value ("16 bộ", "90%") with two (a percentage: the noun
    after it among them)."""
    if a.kind != b.kind or a.value != b.value or abs(a.paragraph - b.paragraph) < RESTATEMENT_PARAGRAPHS:
        return False
    if a.periods and b.periods and a.periods != b.periods:
        return False
    after = set(w for w in a.after[:CONTEXT_WORDS] if not _DIGITS.search(w)) & set(b.after[:CONTEXT_WORDS])
    before = set(a.before[-CONTEXT_WORDS:]) & set(b.before[-CONTEXT_WORDS:])
    if a.kind == ("percent",) and not (a.after and b.after and a.after[0] == b.after[0]):
        return False
    return len(after) + len(before) >= (1 if a.distinctive else PLAIN_SHARED_WORDS)


def _same_statement(a: _Mention, b: _Mention, by_sentence: dict[int, list[_Mention]]) -> list[_Mention] | None:
    """The strong identity: same label, unit and period, in two sentences that share another
    particular figure stated alike. Returns the anchors (one in each sentence)."""
    if a.kind != b.kind or a.label is None or a.label != b.label:
        return None
    if abs(a.paragraph - b.paragraph) < RESTATEMENT_PARAGRAPHS:
        return None
    if a.periods and b.periods and a.periods != b.periods:
        return None
    for x in by_sentence[a.sentence]:
        if x is a or not x.distinctive:
            continue
        for y in by_sentence[b.sentence]:
            if y is not b and x.kind == y.kind and x.value == y.value:
                return [x, y]
    return None


def _repeated_claims(reading: Reading) -> list[Claim]:
    mentions = _mentions(reading)
    by_sentence: dict[int, list[_Mention]] = defaultdict(list)
    for m in mentions:
        by_sentence[m.sentence].append(m)
    # A label a list repeats with many values is a template ("- Xã A tiếp nhận 120 hồ sơ").
    values_of_label: dict[tuple, set] = defaultdict(set)
    for m in mentions:
        if m.label is not None:
            values_of_label[(m.kind, m.label)].add(m.value)
    # Only mentions of one kind and label can be one statement: pairs are looked for within
    # those groups, in the order of the text, not among every pair of figures.
    by_label: dict[tuple, list[tuple[int, _Mention]]] = defaultdict(list)
    for i, m in enumerate(mentions):
        if m.label is not None:
            by_label[(m.kind, m.label)].append((i, m))
    paired: list[tuple[int, int, Claim]] = []
    for key, group in by_label.items():
        if len(values_of_label[key]) >= TEMPLATE_VALUES or len(group) > TEMPLATE_MENTIONS:
            continue
        for n, (i, a) in enumerate(group):
            for j, b in group[n + 1:]:
                if a.value == b.value:
                    continue
                anchors = _same_statement(a, b, by_sentence)
                if anchors is None:
                    continue
                paired.append((i, j, Claim("restatement", "restatement.label_anchor", [a.fact, b.fact], {
                    "values": [_written_value(a), _written_value(b)], "where": "text",
                    "anchor": [x.fact.text for x in anchors]})))
    claims: list[Claim] = [claim for _, _, claim in sorted(paired, key=lambda p: (p[0], p[1]))]
    by_value: dict[tuple, list[_Mention]] = defaultdict(list)
    for m in mentions:
        by_value[(m.kind, m.value)].append(m)
    for group in by_value.values():
        if not group[0].distinctive and len(group) != 2:
            continue  # a plain value stated more than twice is a recurring value, not one figure
        if len(group) > TEMPLATE_MENTIONS:
            continue  # so is any value stated in every line of a long list
        for cluster in _clusters(group):
            claims.append(Claim("restatement", "restatement.equal", [m.fact for m in cluster], {
                "values": [_written_value(m) for m in cluster], "where": "text"}))
    return claims


def _clusters(group: list[_Mention]) -> Iterable[list[_Mention]]:
    """The mentions of one value linked by the weaker likeness, each cluster of two or more."""
    clusters: list[list[_Mention]] = []
    for m in group:
        home = next((c for c in clusters if any(_alike(m, x) for x in c)), None)
        if home is None:
            clusters.append([m])
        else:
            home.append(m)
    return [c for c in clusters if len(c) > 1]


def _written_value(m: _Mention) -> Decimal | str:
    """The value to compare and show: a ratio as its two sides ("22/22")."""
    return m.value[0] if len(m.value) == 1 else "/".join(str(x) for x in m.value)
