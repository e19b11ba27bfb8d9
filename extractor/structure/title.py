"""The title of a document: the trích yếu under its type line, or a công văn's "V/v ...", and the
period the title names (the period the document covers)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..facts import Fact
from .context import DocumentContext, DocumentRecord, Spanned
from .data import bodies, fold, layout
from .lines import Cleaned, Line

TITLE_LINES = 8           # a trích yếu wraps over at most this many lines
SUBJECT_LINES = 5         # a "V/v" subject wraps over at most this many lines
SHORT_UPPER_LINE = 12     # an upper-case line this short may continue a lower-case title
ISSUER_LIKE_LINE = 25     # a bold upper-case line this long under the type line may be the issuer
STATED_WINDOW_REACH = 80  # a window stated right under the title starts within this of its end


def read_title(context: DocumentContext, type_line: Line) -> tuple[Spanned | None, int]:
    """The trích yếu under the type line, and where the header ends."""
    lay = layout()
    lines: list[Line] = []
    upper_title = None
    i = type_line.index + 1
    while i < len(context.lines) and len(lines) < TITLE_LINES:
        ln = context.lines[i]
        raw = ln.text.strip()
        c = context.clean_line(ln)
        if not c:
            if lines or raw not in ("", "|"):
                break
            i += 1
            continue
        if lay.pattern("rule").fullmatch(c) or raw.startswith("(") or c.startswith("("):
            break
        if raw.startswith("**") and raw.endswith("**") and lines:
            break
        if lay.pattern("body_opener").match(c) or lay.pattern("place_date").match(context.text, ln.start) \
                or c.startswith("Ngày "):
            break
        letters = [ch for ch in c if ch.isalpha()]
        is_upper = bool(letters) and all(ch.isupper() for ch in letters)
        if upper_title is None:
            upper_title = is_upper
        elif upper_title and not is_upper:
            break
        elif not upper_title and is_upper and len(c) > SHORT_UPPER_LINE:
            break
        if raw.startswith("**") and raw.endswith("**") and not lines and is_upper \
                and len(c) > ISSUER_LIKE_LINE and _issuer_like(c):
            break
        lines.append(ln)
        i += 1
    if not lines:
        return None, type_line.end
    return _wrapped_value(context, lines), lines[-1].end


def read_subject(context: DocumentContext, line: Line) -> tuple[Spanned, int]:
    """A công văn's "V/v ..." (its trích yếu), possibly wrapped, and where it ends."""
    lines = [line]
    i = line.index + 1
    while i < len(context.lines) and len(lines) < SUBJECT_LINES:
        c = context.clean_line(context.lines[i])
        if not c or not c[0].islower():
            break
        lines.append(context.lines[i])
        i += 1
    return _wrapped_value(context, lines), lines[-1].end


def _wrapped_value(context: DocumentContext, lines: list[Line]) -> Spanned:
    a = context.content(lines[0])[0]
    b = context.content(lines[-1])[1]
    return Spanned(Cleaned(context.text, a, b).text, (a, b))


def _issuer_like(line: str) -> bool:
    """An upper-case bold line that names the enacting authority ("CHỦ TỊCH ỦY BAN NHÂN DÂN ...")."""
    return bool(bodies().mention_re.search(fold(line))) and bool(layout().pattern("enacting_authority").match(line))


@dataclass(frozen=True)
class TitlePeriod:
    """The period a document covers: the one its title names."""
    value: dict[str, Any]
    fact: Fact

    def write(self, record: DocumentRecord) -> None:
        record.values["period"] = self.value
        # The fact's offsets are already the document's.
        record.spans["period"] = {"text": self.fact.text, "start": self.fact.start, "end": self.fact.end}


def title_period(context: DocumentContext, title: Spanned | None) -> TitlePeriod | None:
    """The period the title names, with the reporting window stated right under it."""
    if title is None:
        return None
    ts, te = context.source_span(*title.span)
    for f in context.facts:
        if f.kind == "period" and ts <= f.start and f.end <= te and not f.value.get("blank_day"):
            period = {"text": f.text, "start": f.value.get("start"), "end": f.value.get("end")}
            if f.value.get("reporting_window"):
                period["reporting_window"] = list(f.value["reporting_window"])
            # A stated window right under the title overrides the conventional one.
            for g in context.facts:
                if g.kind == "period" and g.value.get("granularity") == "range" \
                        and te <= g.start <= te + STATED_WINDOW_REACH:
                    period["reporting_window"] = [g.value["start"], g.value["end"]]
                    period["stated_window"] = g.text
                    break
            return TitlePeriod(period, f)
    return None
