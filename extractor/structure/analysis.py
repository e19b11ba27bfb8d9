"""Read a document's structure: header, title, signature, distribution, news page fields, the
outline and sentences, people and organisations.

Everything is read on the normalised text (extractor.normalize) and reported in offsets of the
document text, so every value's ``text`` is ``doc_text[start:end]``.
"""
from __future__ import annotations

import bisect
from collections import Counter
from typing import Any, Sequence

import regex

from ..facts import Fact
from ..normalize import NormalizedText, normalize
from ..patterns import tables
from .data import Body, bodies, casefold_vi, fold, layout, places, positions, title_case
from .lines import Cleaned, Line, clean, content_span, split_lines
from .model import Structure, StructureProblem
from .orgs import Context, OrgMention, find_mentions, fuzzy_mention, issuer_from_code, resolve, successors
from .outline import build_outline, split_sentences
from .people import PeopleFinder, qualified, signature_title
from .places import PlaceMatch, find_place_mentions, resolve_place

HEADER_LINES = 45          # the header is within this many non-empty lines of the content start
_PLACE_DATE = regex.compile(r"^[ \t*_|]*(?P<place>[^\s,*|][^,\n*|]{0,40}?)[ \t]*,[ \t*]*\n?[ \t*]*(?P<date>ngày\b)",
                            regex.IGNORECASE | regex.MULTILINE)
_NOI_NHAN = regex.compile(r"^[ \t*_|]*Nơi[ \t*]*\n?[ \t*]*nhận[ \t*]*:?", regex.MULTILINE)
_KINH_GUI = regex.compile(r"^[ \t*_|]*Kính[ \t]+gửi[ \t*]*:?[ \t*]*", regex.MULTILINE)
_VV = regex.compile(r"^[ \t*_|]*(?P<vv>V/[vV]\b)")
_BODY_OPENERS = regex.compile(r"^(?:Căn cứ|Thực hiện|Xét|Theo đề nghị|Trên cơ sở|Kính gửi|Điều \d)")
_END_MARK = regex.compile(r"\./\.")
_DATE_IN_LINE = regex.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)")
_NAME_SKIP = regex.compile(r"^\(?(?:Đã ký|đã ký|Đã ký và đóng dấu|Ký số|\[daky\]|Chữ ký số)\)?\.?$")
_SO_WRAPPED = regex.compile(r"(?:\*\*)?Số[ \t]*:?[ \t*]*\n")
_SO_ALONE = regex.compile(r"Số\s*:?")
_RULE = regex.compile(r"[-_=*.\s]+")
_BOLD = regex.compile(r"\*\*(.+?)\*\*", regex.DOTALL)
_UNIT_LINE = regex.compile(r"(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG)\b")
_DASH = regex.compile(r"-\s*")
_HEADING = regex.compile(r"^[ \t]*#{1,2}[ \t]+(.+?)[ \t#]*$")
_NAMES_PLACE = regex.compile(r"\b(?:tỉnh|thành phố|Thành phố|huyện|xã|phường)\s+\p{Lu}")
_ENACTING = regex.compile(r"(?:CHỦ TỊCH|GIÁM ĐỐC|BỘ TRƯỞNG|THỦ TƯỚNG|ỦY BAN|UỶ BAN|HỘI ĐỒNG|BAN THƯỜNG VỤ)")
_EVENT_CUE = regex.compile(r"(?i:(?:sáng|chiều|tối|trưa)\s+)?ngày\s*$")


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


class _Analysis:
    def __init__(self, source: str, facts: Sequence[Fact], pages: Sequence[tuple[int, int, int]],
                 norm: NormalizedText | None = None):
        self.source = source
        self.norm: NormalizedText = norm if norm is not None else normalize(source)
        self.t = self.norm.text
        self.folded = fold(self.t)
        self.lines = split_lines(self.t)
        self._line_starts = [ln.start for ln in self.lines]
        self.pages = list(pages)
        self.facts = sorted(facts, key=lambda f: f.start)
        self._fact_norm = [(self.to_norm(f.start), self.to_norm(f.end), f) for f in self.facts]
        self.doc: dict[str, Any] = {}
        self.spans: dict[str, Any] = {}
        self.problems: list[StructureProblem] = []
        self.new_facts: list[Fact] = []
        self.skip: list[tuple[int, int]] = []   # ranges that are not body text (header parts, lists)
        self._clean: dict[int, str] = {}

    def c(self, line: Line) -> str:
        """The line's words without markup (cached)."""
        got = self._clean.get(line.index)
        if got is None:
            got = self._clean[line.index] = clean(line.text)
        return got

    # --- offsets ---------------------------------------------------------------------------

    def to_norm(self, offset: int) -> int:
        norm = self.norm
        if norm.is_identity:
            return offset
        srcs = norm._src_starts
        i = bisect.bisect_right(srcs, offset) - 1
        if i < 0:
            return offset
        if norm._copied[i]:
            return norm._norm_starts[i] + (offset - srcs[i])
        return norm._norm_starts[i]

    def src(self, start: int, end: int) -> tuple[int, int]:
        return self.norm.source_span(start, end)

    def span(self, start: int, end: int) -> dict[str, Any]:
        s, e = self.src(start, end)
        return {"text": self.source[s:e], "start": s, "end": e}

    def page_of(self, offset: int) -> int | None:
        if not self.pages:
            return None
        i = bisect.bisect_right([p[1] for p in self.pages], offset) - 1
        return self.pages[max(i, 0)][0]

    def problem(self, code: str, start: int, end: int, **detail: Any) -> None:
        s, e = self.src(start, end)
        self.problems.append(StructureProblem(code, self.source[s:e], s, e, detail, self.page_of(s)))

    def fact(self, kind: str, start: int, end: int, pattern: str, value: dict) -> Fact:
        s, e = self.src(start, end)
        made = Fact(kind, self.source[s:e], s, e, pattern, value, self.page_of(s))
        self.new_facts.append(made)
        return made

    def line_at(self, offset: int) -> Line:
        return self.lines[max(0, bisect.bisect_right(self._line_starts, offset) - 1)]

    def facts_between(self, start: int, end: int, kind: str | None = None):
        for s, e, f in self._fact_norm:
            if s >= end:
                break
            if s >= start and (kind is None or f.kind == kind):
                yield s, e, f

    def set(self, key: str, value: Any, start: int | None = None, end: int | None = None) -> None:
        self.doc[key] = value
        if start is not None and end is not None:
            self.spans[key] = self.span(start, end)

    # --- page chrome -----------------------------------------------------------------------

    def read_chrome(self) -> int:
        """Skip the site block of a legal-database page and collect web-page chrome lines;
        returns the index of the first line of the document proper."""
        lay = layout()
        labels = {casefold_vi(lab) for lab in lay.site_block_labels}
        label_lines = []
        probe = self.t[:30000]
        for line in self.lines[:200] if any(lab in probe for lab in lay.site_block_labels) else ():
            if ":" not in line.text:
                continue
            c = self.c(line)
            if c.endswith(":") and casefold_vi(c[:-1]) in labels:
                label_lines.append(line.index)
        first = 0
        if len(label_lines) >= 3:
            last = label_lines[-1]
            j = last + 1
            while j < len(self.lines) and not self.c(self.lines[j]):
                j += 1
            first = j + 1
            start = self.lines[label_lines[0]].start
            self.set("site_block", True, start, self.lines[min(j, len(self.lines) - 1)].end)
            self.skip.append((0, self.lines[min(j, len(self.lines) - 1)].end))
        # Site chrome lines: at the top and the bottom of the page; link lines anywhere.
        text_lines = [ln for ln in self.lines[first:] if ln.text.strip(" \t*|#_")]
        edge = {ln.index for ln in text_lines[:12]} | {ln.index for ln in text_lines[-12:]}
        chrome, navigation = [], []
        related = [r for r in lay.navigation if r.id == "related"]
        for line in text_lines:
            if "](" in line.text:
                c = self.c(line)
                if any(r.regex.match(c) or r.regex.match(line.text.strip()) for r in lay.navigation):
                    navigation.append(line)
                    continue
            if line.index not in edge:
                if len(line.text) < 40 and any(r.regex.match(self.c(line)) for r in related):
                    navigation.append(line)
                continue
            c = self.c(line)
            if len(c) > 300:
                continue
            if any(r.regex.search(c) if r.id == "site_name" else r.regex.match(c) for r in lay.boilerplate):
                chrome.append(line)
            elif any(r.regex.match(c) for r in lay.navigation):
                navigation.append(line)
        self.chrome = chrome
        if chrome:
            self.doc["boilerplate_lines"] = [ln.text.strip() for ln in chrome]
            self.spans["boilerplate_lines"] = [self.span(*content_span(self.t, ln.start, ln.end)) for ln in chrome]
        if navigation:
            self.doc["navigation_lines"] = [ln.text.strip() for ln in navigation]
            self.spans["navigation_lines"] = [self.span(*content_span(self.t, ln.start, ln.end)) for ln in navigation]
        for ln in chrome + navigation:
            self.skip.append((ln.start, ln.end))
        self.chrome_ids = {ln.index for ln in chrome + navigation}
        return first

    # --- header ----------------------------------------------------------------------------

    def header_lines(self, first: int) -> list[Line]:
        out = []
        for line in self.lines[first:]:
            if line.index in self.chrome_ids:
                continue
            if self.c(line):
                out.append(line)
                if len(out) >= HEADER_LINES:
                    break
        return out

    def own_reference(self, start: int, end: int) -> tuple[int, int, Fact] | None:
        refs = list(self.facts_between(start, end, "doc_ref"))
        for s, e, f in refs:
            if f.value.get("own"):
                return s, e, f
        # "Số:" alone on its line with the number on the next (a crawl wrapped the header).
        for s, e, f in refs:
            line = self.line_at(s)
            at_start = s == content_span(self.t, line.start, line.end)[0]
            if at_start and _SO_WRAPPED.match(self.t[s:e]):
                return s, e, f
            if at_start and line.index and _SO_ALONE.fullmatch(self.c(self.lines[line.index - 1])):
                return s, e, f
        return None

    def read_header(self, first: int) -> dict[str, Any]:
        lay = layout()
        head = self.header_lines(first)
        if not head:
            return {}
        region_end = head[-1].end
        info: dict[str, Any] = {"first": head[0].start}
        own = self.own_reference(head[0].start, region_end)
        national = None
        for line in head:
            c = self.c(line)
            if any(r.regex.match(c) for r in lay.national):
                national = national or line
                if c == "ĐẢNG CỘNG SẢN VIỆT NAM":
                    info["party_line"] = line
        info["national"] = national
        # Type line, title and the body's first line.
        type_line = None
        for line in head:
            c = self.c(line)
            if _BODY_OPENERS.match(c) and not c.startswith("Kính gửi"):
                break
            name = _TYPE_NAMES.get(c.upper()) if c.isupper() else None
            if name and (own is None or line.start > own[0] - 400):
                type_line = (line, name)
                break
        info["type_line"] = type_line
        info["own"] = own
        # Issuer block: capital lines before the number line (or the type line), other than the
        # national lines, rules and marks.
        limit = own[0] if own else (type_line[0].start if type_line else region_end)
        block: list[Line] = []
        for line in head:
            if line.start >= limit:
                break
            c = self.c(line)
            if any(r.regex.match(c) for r in lay.national) or _RULE.fullmatch(c):
                if block:
                    break
                continue
            if (not c or c in lay.urgency or c in lay.secrecy or c in lay.draft_marks
                    or _PLACE_DATE.match(self.t, line.start)):
                continue
            letters = [ch for ch in c if ch.isalpha()]
            if letters and all(ch.isupper() for ch in letters):
                block.append(line)
        info["issuer_block"] = block
        # Place and date.
        for line in head:
            m = _PLACE_DATE.match(self.t, line.start)
            if m and line.start < (type_line[0].start + 1 if type_line else region_end + 1):
                info["place_date"] = (line, m)
                break
        # Marks.
        for line in head:
            c = self.c(line)
            if c in lay.urgency:
                info["urgency"] = line
            elif c in lay.secrecy:
                info["secrecy"] = line
            elif c in lay.draft_marks:
                info["draft"] = line
        info["vv"] = next(((ln, _VV.match(ln.text)) for ln in head if _VV.match(ln.text)), None)
        return info

    def issuer_units(self, block: list[Line]) -> list[tuple[int, int]]:
        """Spans of the bodies named in the issuer block, outermost first."""
        if not block:
            return []
        raw_start, raw_end = block[0].start, block[-1].end
        segment = self.t[raw_start:raw_end]
        units: list[list[int]] = []
        if "**" in segment:
            pos = raw_start
            for m in _BOLD.finditer(segment):
                before = (pos, raw_start + m.start())
                if clean(self.t[before[0]:before[1]]):
                    units.append(list(content_span(self.t, *before)))
                units.append(list(content_span(self.t, raw_start + m.start(1), raw_start + m.end(1))))
                pos = raw_start + m.end()
            if clean(self.t[pos:raw_end]):
                units.append(list(content_span(self.t, pos, raw_end)))
        else:
            units = [list(content_span(self.t, ln.start, ln.end)) for ln in block]
        units = [u for u in units if u[0] < u[1] and clean(self.t[u[0]:u[1]]).strip("-* ")]
        merged: list[list[int]] = []
        for u in units:
            c = clean(self.t[u[0]:u[1]])
            if merged and _UNIT_LINE.match(c):
                merged[-1][1] = u[1]
            else:
                merged.append(u)
        return [(a, b) for a, b in merged]

    def describe_unit(self, start: int, end: int) -> dict[str, Any]:
        """A unit of the issuer block in proper case, with its bodies and place."""
        cleaned = Cleaned(self.t, start, end)
        text = cleaned.text
        mentions = find_mentions(text, fold(text))
        if not mentions:
            close = fuzzy_mention(text)
            if close is not None:
                mentions = [close]
                form = bodies().form_of[fold(close.written)][1] if fold(close.written) in bodies().form_of else close.body.name
                a, b = cleaned.span(close.start, close.form_end)
                self.problem("body_spelling", a, b, corrected=close.body.name if not form.isupper() else form)
        pieces: list[str] = []
        pos = 0
        province: PlaceMatch | None = None
        province_span = None
        unit = None
        for m in mentions:
            if m.start > pos:
                pieces.append(_sentence_case(text[pos:m.start], first=not pieces))
            key = fold(" ".join(text[m.start:m.form_end].split()))
            form = bodies().form_of[key][1] if key in bodies().form_of else m.body.name
            # Acronyms stay as written ("UBND"); names take their official spelling.
            pieces.append(form if form.isupper() else m.body.name)
            if m.unit:
                pieces.append(m.unit)
                if m.place is not None:
                    pieces.append(_place_name(m.place))
                    if m.unit in ("tỉnh", "thành phố") and province is None:
                        province, unit = m.place, m.unit
                        province_span = cleaned.span(*m.place_span)
            pos = m.end
        if pos < len(text):
            tail = text[pos:]
            places_in_tail = find_place_mentions(tail)
            if places_in_tail and province is None:
                place = places_in_tail[0]
                province, unit = place.match, place.unit
                province_span = cleaned.span(pos + place.start, pos + place.end)
                pieces.append(_sentence_case(tail[:place.start], first=not pieces))
                pieces.append(_place_name(place.match))
                pieces.append(_sentence_case(tail[place.end:], first=False))
            else:
                pieces.append(_sentence_case(tail, first=not pieces))
        name = " ".join(p.strip() for p in pieces if p.strip())
        return {"name": name, "mentions": mentions, "province": province, "unit": unit,
                "province_span": province_span, "start": start, "end": end}

    # --- signature and distribution --------------------------------------------------------

    def read_distribution(self, after: int) -> tuple[list[tuple[int, int]], int, int] | None:
        m = _NOI_NHAN.search(self.t, after)
        if not m:
            return None
        items: list[list[int]] = []
        line = self.line_at(m.end())
        # Items may start on the "Nơi nhận:" line itself.
        rest_start = m.end()
        i = line.index
        first_rest = clean(self.t[rest_start:line.end])
        if first_rest.startswith("-"):
            a, b = content_span(self.t, rest_start, line.end)
            items.append([a, b])
        i += 1
        while i < len(self.lines):
            ln = self.lines[i]
            c = self.c(ln)
            if not c:
                if items:
                    break
                i += 1
                continue
            if c.startswith("-"):
                a, b = content_span(self.t, ln.start, ln.end)
                items.append([a, b])
            elif items and not self.t[items[-1][0]:items[-1][1]].rstrip("*").endswith((";", ".", ",")) \
                    and not layout().prefix_re.match(c):
                items[-1][1] = content_span(self.t, ln.start, ln.end)[1]
            else:
                break
            i += 1
        end_line = self.lines[i - 1] if i > 0 else line
        return [(a, b) for a, b in items], m.start(), end_line.end

    def distribution_values(self, items: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
        values = []
        for a, b in items:
            cleaned = Cleaned(self.t, a, b)
            text = cleaned.text
            m = _DASH.match(text)
            s = m.end() if m else 0
            e = len(text)
            while e > s and text[e - 1] in ";,. ":
                e -= 1
            if e > s:
                sa, sb = cleaned.span(s, e)
                values.append((text[s:e], sa, sb))
        return values

    def read_signature(self, start_line: int, stop_line: int, finder: PeopleFinder) -> dict[str, Any] | None:
        lay = layout()
        i = start_line
        while i < min(stop_line, len(self.lines)):
            c = self.c(self.lines[i])
            if not c:
                i += 1
                continue
            is_prefix = bool(lay.prefix_re.match(c))
            letters = [ch for ch in c if ch.isalpha()]
            upper = bool(letters) and all(ch.isupper() for ch in letters)
            if not (is_prefix or (upper and _is_title(c))):
                i += 1
                continue
            found = self._signature_from(i, stop_line, finder)
            if found:
                return found
            i += 1
        return None

    def _logical_line(self, j: int) -> tuple[int, int, int]:
        """Content span of line ``j``, extended over the lines that a bold run wrapped
        ("**TM. ỦY BAN NHÂN\nDÂN**", "**KT. BỘ TRƯỞNG,\nCHỦ NHIỆM**"), but not over a next line
        that is a signing element of its own ("**KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC**"); returns
        (start, end, index of the next line)."""
        ln = self.lines[j]
        a, b = content_span(self.t, ln.start, ln.end)
        if not (ln.text.lstrip().startswith("**") and ln.text.count("**") % 2 == 1):
            return a, b, j + 1
        k = j + 1
        while k < len(self.lines) and k <= j + 3:
            nxt = self.lines[k]
            c = self.c(nxt)
            if not c:
                break
            previous = Cleaned(self.t, a, b).text
            if layout().prefix_re.match(c) or (_is_title(c) and not previous.endswith(",")):
                break
            b = content_span(self.t, nxt.start, nxt.end)[1]
            k += 1
            if nxt.text.count("**") % 2 == 1:
                break
        return a, b, k

    def _signature_from(self, i: int, stop_line: int, finder: PeopleFinder) -> dict[str, Any] | None:
        lay = layout()
        authority: list[list[int]] = []
        position: tuple[int, int] | None = None
        j = i
        stop = min(stop_line, len(self.lines))
        while j < stop and j < i + 10:
            if not self.c(self.lines[j]):
                j += 1
                continue
            a, b, nxt = self._logical_line(j)
            c = Cleaned(self.t, a, b).text
            letters = [ch for ch in c if ch.isalpha()]
            upper = bool(letters) and all(ch.isupper() for ch in letters)
            if lay.prefix_re.match(c):
                authority.append([a, b])
            elif authority and Cleaned(self.t, *authority[-1]).text.endswith(",") and upper and position is None:
                authority[-1][1] = b
            elif upper and position is None and len(c) <= 60 and not (authority and not _is_title(c) and finder.is_name(title_case(c))):
                position = (a, b)
            elif position is not None or authority:
                if _NAME_SKIP.match(c):
                    j = nxt
                    continue
                got = finder.name_at(a, allow_newline=True, limit=b, ner_window=(a, b))
                if got is None and c.isupper():
                    got = self._upper_name(a, b, finder)
                if got is None:
                    return None
                return {"authority": authority, "position": position, "signer": got, "line": nxt - 1}
            else:
                return None
            j = nxt
        if position is not None or authority:
            return {"authority": authority, "position": position, "signer": None, "line": j - 1}
        return None

    def _upper_name(self, a: int, b: int, finder: PeopleFinder):
        name = title_case(self.t[a:b])
        if finder.is_name(name):
            return a, b, name
        return None

    # --- the whole analysis ----------------------------------------------------------------

    def run(self) -> Structure:
        first = self.read_chrome()
        head = self.read_header(first)
        own = head.get("own")
        national = head.get("national")
        type_line = head.get("type_line")
        party = "party_line" in head or (own is not None and own[2].value.get("family") == "party")

        # Kind of document.
        if party:
            kind = "party"
        elif own is not None and own[2].value.get("family") in ("normative", "joint"):
            kind = "normative"
        elif own is not None or national is not None or type_line is not None:
            kind = "state_administrative"
        else:
            kind = "news_article"
        self.set("kind", kind)

        header_end = head.get("first", 0)
        # Number.
        if own is not None:
            s, e, f = own
            v = f.value
            self.set("doc_type", v.get("doc_type"))
            self.set("number", v.get("number"), s, e)
            self.set("code", v.get("code"))
            self.set("canonical", v.get("canonical"))
            self.set("partial", bool(v.get("partial")))
            line = self.line_at(s)
            header_end = max(header_end, line.end)
            self.skip.append((line.start, line.end))
            if v.get("partial"):
                ls, le = content_span(self.t, line.start, line.end)
                self.problem("unnumbered_draft", ls, le, ref_code=v.get("code"))
        if type_line is not None:
            line, name = type_line
            ls, le = content_span(self.t, line.start, line.end)
            self.set("doc_type", name, ls, le)
            header_end = max(header_end, self.read_title(line))
        vv = head.get("vv")
        if vv is not None and "title" not in self.doc:
            header_end = max(header_end, self.read_subject(vv[0]))

        # Place and date.
        place_date = head.get("place_date")
        place_match: PlaceMatch | None = None
        if place_date is not None:
            line, m = place_date
            ps, pe = m.start("place"), m.end("place")
            written = self.t[ps:pe].strip()
            place_match = resolve_place(written)
            self.set("place_as_written", written, ps, pe)
            self.set("place", place_match.corrected, ps, pe)
            if place_match.misspelt:
                self.problem("place_spelling", ps, pe, corrected=place_match.corrected)
            self.read_date(m.start("date"))
            date_line = self.line_at(m.start("date"))
            header_end = max(header_end, date_line.end)
            self.skip.append((line.start, date_line.end))

        for key in ("urgency", "secrecy"):
            if key in head:
                line = head[key]
                ls, le = content_span(self.t, line.start, line.end)
                self.set(key, self.c(line), ls, le)
        if "draft" in head:
            line = head["draft"]
            ls, le = content_span(self.t, line.start, line.end)
            self.set("draft_mark", self.c(line), ls, le)
            self.problem("draft_mark", ls, le)

        # Issuer and parent body.
        units = self.issuer_units(head.get("issuer_block", [])) if kind != "news_article" else []
        described = [self.describe_unit(a, b) for a, b in units]
        # The issuer is the last unit that names a body; the units above it are parent bodies.
        last = max((i for i, d in enumerate(described) if d["mentions"]), default=len(described) - 1)
        described = described[:last + 1]
        for line in head.get("issuer_block", []):
            self.skip.append((line.start, line.end))
        issuer_body: Body | None = None
        issuer_short: str | None = None
        context_kind: str | None = None
        province: str | None = None
        province_span = None
        if described:
            main = described[-1]
            parents = described[:-1]
            mentions = main["mentions"]
            issuer_body = mentions[-1].body if mentions else None
            context_kind = mentions[0].body.kind if mentions else None
            for d in [main] + parents[::-1]:
                if d["province"] is not None:
                    province = _place_name(d["province"])
                    province_span = d["province_span"]
                    if d["province"].misspelt:
                        a, b = d["province_span"]
                        self.problem("place_spelling", a, b, corrected=d["province"].corrected)
                    break
            issuer_short = _short_name(main, mentions)
            if parents:
                self.set("parent_body", "; ".join(p["name"] for p in parents), parents[0]["start"], parents[-1]["end"])
            issuer_name = main["name"]
            self._issuer_span = (main["start"], main["end"])
        else:
            issuer_name = None
            self._issuer_span = None
        if issuer_body is None and own is not None:
            issuer_body = issuer_from_code(own[2].value.get("code"))
            if issuer_body is not None:
                issuer_name = issuer_body.name
                issuer_short = _short_from_body(issuer_body, None)
                context_kind = issuer_body.kind
        central = issuer_body is not None and not issuer_body.provincial
        if province is None and not central and place_match is not None and place_match.province is not None:
            province = place_match.province.name
        # Header-less pages (news): the body that publishes the page.
        if kind == "news_article":
            publisher = self.read_news(first)
            if publisher is not None:
                issuer_body, issuer_name, issuer_short, context_kind = publisher
                central = not issuer_body.provincial
                province = province or self._publisher_province
        if province is None and not central and issuer_body is not None:
            province = self.most_mentioned_province()
        if issuer_name and issuer_body is not None and issuer_body.provincial and province \
                and not _names_place(issuer_name):
            unit = places().get(province).unit if places().get(province) else "tỉnh"
            issuer_name = f"{issuer_name} {unit} {province}"
        if issuer_name:
            if self._issuer_span:
                self.set("issuer", issuer_name, *self._issuer_span)
            else:
                self.set("issuer", issuer_name)
            if issuer_body is not None:
                self.doc["issuer_body"] = issuer_body.id
        if province is not None:
            if province_span:
                self.set("province", province, *province_span)
            else:
                self.set("province", province)
        context = Context(province, issuer_body, issuer_short)
        if issuer_body is not None:
            known = places().get(province) if province else None
            chain = successors(issuer_body, known.name if known else province)
            if chain:
                self.doc["issuer_successor"] = {"name": chain[-1]["name"], "date": chain[-1]["date"],
                                                "steps": chain}

        # Recipients (Kính gửi), after the header.
        self.read_recipients(head.get("first", 0), header_end)

        # Signature and distribution.
        context_head = issuer_body.head if issuer_body is not None else None
        finder = PeopleFinder(self.t, self.folded, context_head, context_kind)
        body_start = self.lines[self.line_at(header_end).index].end if header_end else 0
        dist = self.read_distribution(body_start) if kind != "news_article" else None
        signature = None
        body_end = len(self.t)
        if dist is not None:
            items, dstart, dend = dist
            values = self.distribution_values(items)
            self.doc["distribution"] = [v for v, _, _ in values]
            self.spans["distribution"] = [self.span(a, b) for _, a, b in values]
            self.skip.append((dstart, dend))
            body_end = dstart
            after = self.line_at(dend).index + 1
            signature = self.read_signature(after, after + 14, finder)
            if signature is None:
                before = self.line_at(dstart).index
                signature = self.read_signature(max(0, before - 14), before, finder)
        elif kind != "news_article":
            end_mark = None
            for m in _END_MARK.finditer(self.t, body_start):
                end_mark = m
                break
            if end_mark is not None:
                start_line = self.line_at(end_mark.end()).index + 1
                signature = self.read_signature(start_line, start_line + 14, finder)
                if signature is not None:
                    body_end = self.lines[start_line - 1].end
        signer_fact = None
        self._after_signature = None
        if signature is not None:
            self._after_signature = self.lines[min(signature["line"], len(self.lines) - 1)].end + 1
            if dist is not None:
                self._after_signature = max(self._after_signature, dist[2] + 1)
        elif dist is not None:
            self._after_signature = dist[2] + 1
        if signature is not None:
            signer_fact = self.record_signature(signature, finder, context, context_kind, issuer_short, context_head)

        # Period covered: the period named in the title.
        self.read_period()

        # Organisations and people.
        self.find_organizations(context)
        self.find_people(finder, context_kind, issuer_short, context_head, signer_fact)

        # Outline and sentences.
        sections = build_outline(self.t, [ln for ln in self.lines if body_start <= ln.start < body_end],
                                 self.skip, body_end)
        if self._after_signature is not None and self._after_signature < len(self.t):
            # Appendices after the signature.
            sections += build_outline(self.t, [ln for ln in self.lines if ln.start >= self._after_signature],
                                      self.skip, len(self.t))
        sentences = split_sentences(self.t, self.lines)
        sections = self._to_source_sections(sections)
        sentences = [type(s)(s.index, *self.src(s.start, s.end)) for s in sentences]

        self.doc["spans"] = self.spans
        self.new_facts.sort(key=lambda f: (f.start, f.end))
        self.problems.sort(key=lambda p: p.start)
        return Structure(self.source, self.doc, self.new_facts, sections, sentences, list(self.problems))

    # --- pieces ----------------------------------------------------------------------------

    def read_title(self, type_line: Line) -> int:
        """The trích yếu under the type line; returns where the header ends."""
        lines: list[Line] = []
        upper_title = None
        i = type_line.index + 1
        while i < len(self.lines) and len(lines) < 8:
            ln = self.lines[i]
            raw = ln.text.strip()
            c = self.c(ln)
            if not c:
                if lines or raw not in ("", "|"):
                    break
                i += 1
                continue
            if _RULE.fullmatch(c) or raw.startswith("(") or c.startswith("("):
                break
            if raw.startswith("**") and raw.endswith("**") and lines:
                break
            if _BODY_OPENERS.match(c) or _PLACE_DATE.match(self.t, ln.start) or c.startswith("Ngày "):
                break
            letters = [ch for ch in c if ch.isalpha()]
            is_upper = bool(letters) and all(ch.isupper() for ch in letters)
            if upper_title is None:
                upper_title = is_upper
            elif upper_title and not is_upper:
                break
            elif not upper_title and is_upper and len(c) > 12:
                break
            if raw.startswith("**") and raw.endswith("**") and not lines and is_upper and len(c) > 25 \
                    and _issuer_like(c):
                break
            lines.append(ln)
            i += 1
        if not lines:
            return type_line.end
        a = content_span(self.t, lines[0].start, lines[0].end)[0]
        b = content_span(self.t, lines[-1].start, lines[-1].end)[1]
        self.set("title", Cleaned(self.t, a, b).text, a, b)
        self.skip.append((type_line.start, lines[-1].end))
        return lines[-1].end

    def read_subject(self, line: Line) -> int:
        """A công văn's "V/v ..." (trích yếu), possibly wrapped."""
        lines = [line]
        i = line.index + 1
        while i < len(self.lines) and len(lines) < 5:
            c = self.c(self.lines[i])
            if not c or not c[0].islower():
                break
            lines.append(self.lines[i])
            i += 1
        a = content_span(self.t, lines[0].start, lines[0].end)[0]
        b = content_span(self.t, lines[-1].start, lines[-1].end)[1]
        self.set("title", Cleaned(self.t, a, b).text, a, b)
        self.skip.append((lines[0].start, lines[-1].end))
        return lines[-1].end

    def read_date(self, at: int) -> None:
        for s, e, f in self.facts_between(at, at + 80):
            if s != at:
                continue
            if f.kind == "date":
                self.set("date", f.value["iso"], s, e)
                self.set("date_as_written", self.t[s:e])
                return
            if f.kind == "period" and f.value.get("blank_day"):
                self.set("date", None)
                self.set("date_as_written", self.t[s:e], s, e)
                if f.value.get("granularity") == "month":
                    self.doc["month"] = f.value["start"][:7]
                else:
                    self.doc["year"] = int(f.value["start"][:4])
                self.problem("blank_day_draft", s, e)
                return

    def read_recipients(self, start: int, header_end: int) -> None:
        m = _KINH_GUI.search(self.t, start)
        if not m or m.start() > max(header_end, start) + 3000:
            return
        line = self.line_at(m.start())
        rest = clean(self.t[m.end():line.end])
        items: list[tuple[int, int]] = []
        if rest and not rest.startswith("-"):
            items.append(content_span(self.t, m.end(), line.end))
            end_line = line
        else:
            if rest.startswith("-"):
                items.append(content_span(self.t, m.end(), line.end))
            i = line.index + 1
            end_line = line
            while i < len(self.lines):
                ln = self.lines[i]
                c = self.c(ln)
                if not c:
                    if items:
                        break
                    i += 1
                    continue
                if c.startswith("-"):
                    items.append(content_span(self.t, ln.start, ln.end))
                elif items and c[0].islower():
                    a, _ = items[-1]
                    items[-1] = (a, content_span(self.t, ln.start, ln.end)[1])
                else:
                    break
                end_line = ln
                i += 1
        values = self.distribution_values(items)
        if values:
            self.doc["recipients"] = [v for v, _, _ in values]
            self.spans["recipients"] = [self.span(a, b) for _, a, b in values]
            self.skip.append((line.start, end_line.end))

    def read_period(self) -> None:
        if "title" not in self.spans:
            return
        # The title's span is in source offsets; periods inside it, in the source too.
        ts, te = self.spans["title"]["start"], self.spans["title"]["end"]
        for f in self.facts:
            if f.kind == "period" and ts <= f.start and f.end <= te and not f.value.get("blank_day"):
                period = {"text": f.text, "start": f.value.get("start"), "end": f.value.get("end")}
                if f.value.get("reporting_window"):
                    period["reporting_window"] = list(f.value["reporting_window"])
                # A stated window right under the title overrides the conventional one.
                for g in self.facts:
                    if g.kind == "period" and g.value.get("granularity") == "range" and te <= g.start <= te + 80:
                        period["reporting_window"] = [g.value["start"], g.value["end"]]
                        period["stated_window"] = g.text
                        break
                self.doc["period"] = period
                self.spans["period"] = {"text": f.text, "start": f.start, "end": f.end}
                return

    def record_signature(self, signature: dict, finder: PeopleFinder, context: Context,
                         context_kind: str | None, issuer_short: str | None,
                         context_head: str | None) -> Fact | None:
        authority = signature["authority"]
        sig: dict[str, Any] = {"authority": None, "position": None, "signer": None}
        spans: dict[str, Any] = {}
        if authority:
            a, b = authority[0]
            sig["authority"] = Cleaned(self.t, a, b).text
            spans["authority"] = self.span(a, b)
            if len(authority) > 1:
                a, b = authority[1]
                sig["deputy"] = Cleaned(self.t, a, b).text
                spans["deputy"] = self.span(a, b)
        if signature["position"] is not None:
            a, b = signature["position"]
            sig["position"] = Cleaned(self.t, a, b).text
            spans["position"] = self.span(a, b)
        fact = None
        start_line = self.line_at((authority[0] if authority else signature["position"])[0])
        if signature["signer"] is not None:
            s, e, name = signature["signer"]
            sig["signer"] = name
            spans["signer"] = self.span(s, e)
            shown = sig["position"] or (sig.get("deputy") or sig["authority"] or "")
            shown = layout().prefix_re.sub("", shown)
            title = signature_title(shown) if shown else None
            positions = [title] if title else []
            value = {"name": name, "positions": positions,
                     "qualified_positions": [qualified(p, context_kind, issuer_short, context_head) for p in positions],
                     "role": "signer"}
            fact = self.fact("person", s, e, "person.signature", value)
            self.skip.append((start_line.start, self.line_at(e).end))
        else:
            a = (authority[0] if authority else signature["position"])[0]
            self.problem("unsigned", a, (signature["position"] or authority[-1])[1])
            self.skip.append((start_line.start, self.lines[min(signature["line"], len(self.lines) - 1)].end))
        self.doc["signature"] = sig
        self.spans["signature"] = spans
        return fact

    def find_organizations(self, context: Context) -> None:
        for m in find_mentions(self.t, self.folded):
            if m.generic:
                continue
            value = resolve(m, context)
            value["written"] = m.written
            self.fact("organization", m.start, m.end, "organization.gazetteer", value)
            if m.misspelt:
                form = bodies().form_of[fold(" ".join(m.written.split()))][1]
                self.problem("body_spelling", m.start, m.form_end, corrected=form)
            if m.place is not None and m.place.misspelt and m.place_span:
                self.problem("place_spelling", *m.place_span, corrected=m.place.corrected)

    def find_people(self, finder: PeopleFinder, context_kind: str | None, issuer_short: str | None,
                    context_head: str | None, signer: Fact | None) -> None:
        taken = {(signer.start, signer.end)} if signer else set()
        for p in finder.find():
            s, e = self.src(p.start, p.end)
            if (s, e) in taken:
                continue
            positions = [pos.text for pos in p.positions]
            value = {"name": p.name, "positions": positions,
                     "qualified_positions": [qualified(x, context_kind, issuer_short, context_head) for x in positions],
                     "position_spans": [[*self.src(pos.start, pos.end)] for pos in p.positions]}
            if p.cue:
                value["cue"] = p.cue
            self.fact("person", p.start, p.end, f"person.{p.how}", value)

    def most_mentioned_province(self) -> str | None:
        counts: Counter[str] = Counter()
        for mention in find_place_mentions(self.t):
            if mention.match.province is not None:
                counts[mention.match.province.name] += 1
        if not counts:
            return None
        return counts.most_common(1)[0][0]

    def read_news(self, first: int) -> tuple[Body, str, str | None, str] | None:
        """Headline, publication date, event date and the publishing body of a web page."""
        lay = layout()
        self._publisher_province = None
        lines = [ln for ln in self.lines[first:] if self.c(ln)]
        headline = None
        for ln in lines[:40]:
            m = _HEADING.match(ln.text)
            if m:
                headline = ln
                self.set("headline", clean(m.group(1)), ln.start + m.start(1), ln.start + m.end(1))
                break
        labels = "|".join(regex.escape(lab) for lab in lay.published_labels)
        published_line = None
        for ln in lines[:60]:
            c = self.c(ln)
            if regex.match(r"(?i:" + labels + r")\s*:", c):
                for s, e, f in self.facts_between(ln.start, ln.end + 1, "date"):
                    self.set("published", f.value["iso"], s, e)
                    published_line = ln
                    break
                if published_line:
                    break
        start = (published_line or headline or (lines[0] if lines else None))
        start_at = start.end if start is not None else 0
        for s, e, f in self.facts_between(start_at, start_at + 3000, "date"):
            line = self.line_at(s)
            if line.index in self.chrome_ids:
                continue
            if _EVENT_CUE.search(self.t, max(line.start, s - 20), s) or s == line.start:
                self.set("event_date", f.value["iso"], s, e)
                break
        # The publisher: the body the page's chrome names.
        footer = [ln for ln in lines[-6:] if ln.index not in self.chrome_ids
                  and (ln.text.strip().startswith("**") or self.c(ln).isupper())]
        for ln in self.chrome + footer:
            text = Cleaned(self.t, ln.start, ln.end).text
            mentions = [m for m in find_mentions(text, fold(text)) if not m.generic]
            if not mentions:
                continue
            m = mentions[0]
            if m.place is not None and m.unit in ("tỉnh", "thành phố"):
                self._publisher_province = _place_name(m.place)
            body = m.body
            self.doc["publisher"] = body.name
            self.spans["publisher"] = self.span(ln.start, ln.end)
            return body, body.name, _short_from_body(body, m.unit), body.kind
        return None

    def _to_source_sections(self, sections):
        for node in sections:
            node.start, node.end = self.src(node.start, node.end)
            node.heading_end = self.src(node.heading_end, node.heading_end)[0]
            self._to_source_sections(node.children)
        return sections


def _is_title(line: str) -> bool:
    key = fold(line.strip(" ,"))
    return key in positions().by_folded


def _issuer_like(line: str) -> bool:
    """An upper-case bold line that names the enacting authority ("CHỦ TỊCH ỦY BAN NHÂN DÂN ...")."""
    return bool(bodies().mention_re.search(fold(line))) and bool(
        _ENACTING.match(line))


def _sentence_case(text: str, first: bool) -> str:
    words = text.split()
    if not words:
        return ""
    out = [w.lower() for w in words]
    if first:
        out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out)


def _place_name(place: PlaceMatch) -> str:
    if place.province is not None:
        return place.province.name
    return title_case(place.written) if place.written.isupper() else place.written


def _names_place(name: str) -> bool:
    return bool(_NAMES_PLACE.search(name))


def _short_from_body(body: Body, unit: str | None) -> str:
    if body.short:
        return body.short.format(unit=unit or "tỉnh").strip()
    return body.name


def _short_name(unit: dict, mentions: list[OrgMention]) -> str | None:
    """The issuer's name as positions use it: "Sở Y tế", "UBND tỉnh", "Đảng ủy Sở ..."."""
    if not mentions:
        return unit["name"]
    if len(mentions) == 1:
        return _short_from_body(mentions[0].body, mentions[0].unit)
    name = unit["name"]
    if unit["province"] is not None:
        name = regex.sub(r"\s+(?:tỉnh|thành phố)\s+" + regex.escape(_place_name(unit["province"])) + r"$", "", name)
    return name


def analyse(text: str, facts: Sequence[Fact] = (), pages: Sequence[tuple[int, int, int]] = (), *,
            norm: NormalizedText | None = None) -> Structure:
    """The structure of a document: metadata, sections, sentences, people and organisations.

    ``facts`` are the document's facts from :func:`extractor.extract_facts` (the header's own
    number, dates and periods are read from them); ``pages`` the ``(number, start, end)`` page
    ranges. All offsets index ``text``.
    """
    return _Analysis(text, facts, pages, norm).run()
