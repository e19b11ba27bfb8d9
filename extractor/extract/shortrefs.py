"""Short references resolved within the document (eyecite's resolve step, for Vietnamese).

``Kế hoạch nêu trên``, ``Quyết định này``, ``Kế hoạch số 862``, ``Nghị định 61``, ``Nghị định
số 61/NĐ-CP`` (no year), ``Luật Tổ chức chính quyền địa phương``: each is a ``doc_ref`` with
``short: true``. It resolves to the one full reference of the document that fits
(``resolves_to``: its canonical and offsets), or stays ``resolved: false`` with the
``candidates`` when none or several fit; a short form is never resolved by a guess.

The forms and the laws table are data (``patterns/short_refs.yaml``). Runs in the extraction
stage on the normalised text, after the full references are found and before relations.
"""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from typing import Any, Sequence

import regex

from .. import cache
from ..patterns import FLAGS, _alternation, _expand, _load_yaml, _table_fragments, data_digest, patterns_dir, tables
from .dates import parse_date_text
from .prefilter import matches_at
from .refs import _word_key
from .relations import inside, quoted_provisions

# How many candidates an unresolved short reference lists, nearest first.
MAX_CANDIDATES = 5
# How far into a document its opening runs ("… ban hành Kế hoạch … như sau:").
OPENING_CHARS = 3000
# How far after a law's name the word that follows it is read.
FOLLOWER_CHARS = 40
# Where a header's own number stands, when the reader did not see it as the header's.
HEADER_CHARS = 1000
_OWN_NUMBER = regex.compile(r"Số[ \t]*:")
# How many first words of the document's own title an "own_titled" reference must repeat.
TITLE_WORDS = 3
_TITLE_WORD = regex.compile(r"\p{L}+")
_PARAGRAPH = regex.compile(r"\n[ \t]*\n|[;.:!?][ \t]*\n|\n[ \t]*[-+•*][ \t]")


@dataclass(frozen=True)
class ShortPattern:
    """Stands in for a fact pattern: short references are found by this module, not a builder."""

    id: str


@dataclass(frozen=True)
class Form:
    id: str
    compiled: regex.Pattern
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]
    anchor: regex.Pattern | None = None
    reach: int = 0
    # Hyperscan expression starting wherever a match can (extract/citescan.py), expanded.
    prefilter: str | None = None

    def finditer(self, text: str, starts: list[int] | None = None, anchor_starts: list[int] | None = None):
        """Every match; around the anchor's occurrences only, when the form has one.

        ``starts`` (sorted): every offset where the form's match can start (its prefilter's
        hits), and ``anchor_starts`` where its anchor can: the form is then only tried there,
        with the same result. None: search the plain way."""
        if self.anchor is None:
            if starts is None:
                yield from self.compiled.finditer(text)
            else:
                yield from matches_at(self.compiled, text, starts)
            return
        end = -1
        anchors = self.anchor.finditer(text) if anchor_starts is None else matches_at(self.anchor, text, anchor_starts)
        match = self.compiled.match
        for a in anchors:
            lo = max(0, a.start() - self.reach, end)
            if lo >= a.end():
                continue
            hi = min(len(text), a.end() + self.reach + 200)
            if starts is None:
                for m in self.compiled.finditer(text, lo, hi):
                    if m.start() >= lo and m.start() <= a.start():
                        end = max(end, m.end())
                        yield m
                        break
                continue
            # The leftmost match in [lo, hi), taken when it starts by the anchor's start.
            for i in range(bisect.bisect_left(starts, lo), len(starts)):
                s = starts[i]
                if s > a.start() or s >= hi:
                    break
                m = match(text, s, hi)
                if m is not None and m.end() > m.start():
                    end = max(end, m.end())
                    yield m
                    break


@functools.lru_cache(maxsize=1)
def short_data() -> dict[str, Any]:
    return _load_yaml(patterns_dir() / "short_refs.yaml")


@functools.lru_cache(maxsize=1)
def forms() -> tuple[Form, ...]:
    data = short_data()
    shared = _load_yaml(patterns_dir() / "fragments.yaml") or {}
    doc_types = tables()["doc_types"]
    names = {t["name"] for g in ("administrative", "normative", "party") for t in doc_types[g]}
    names |= {t["word"] for t in doc_types["type_words"]}
    fragments = {**_table_fragments(), **shared,
                 "doc_type": _alternation(sorted(names), ignore_case=False),
                 "doc_type_small": _alternation(data["small_types"]["words"], ignore_case=False),
                 # in any case: "Luật thuế thu nhập cá nhân", "Luật Tổ chức Chính quyền địa phương"
                 "law_name": _alternation([n for law in data["laws"] for n in law_names(law)], ignore_case=True)}
    out = []
    with cache.RegexStore("short-refs", data_digest()) as store:
        for entry in data["forms"]:
            source = _expand(entry["regex"], fragments, f"short_refs.yaml: {entry['id']}")
            prefilter = (_expand(entry["prefilter"], fragments, f"short_refs.yaml: {entry['id']} prefilter")
                         if entry.get("prefilter") else None)
            out.append(Form(entry["id"], store.compile(source, FLAGS), tuple(entry["examples"]),
                            tuple(entry["counter_examples"]),
                            store.compile(entry["anchor"]) if entry.get("anchor") else None, entry.get("reach", 0),
                            prefilter))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _laws() -> dict[str, list[dict]]:
    return {_word_key(name): law["versions"] for law in short_data()["laws"] for name in law_names(law)}


def law_names(law: dict) -> list[str]:
    """The names a law is written by: its own and its aliases, each also with "và" or nothing for
    a comma ("Luật Quản lý và sử dụng tài sản công", "Luật Sửa đổi bổ sung một số điều …")."""
    names = [law["name"], *law.get("aliases", [])]
    return names + [n.replace(", ", joint) for n in names if ", " in n for joint in (" và ", " ")]


@functools.lru_cache(maxsize=1)
def _law_types() -> dict[str, str]:
    return {_word_key(name): law.get("type", "Luật") for law in short_data()["laws"] for name in law_names(law)}


def _law_type(word: str) -> str:
    return "Pháp lệnh" if _word_key(word).startswith("pháp") else "Luật"


@functools.lru_cache(maxsize=1)
def _followers() -> regex.Pattern:
    words = short_data()["law_name_followers"]["words"]
    return regex.compile(r"(?>[ \t]*\n?[ \t]*)(?:(?!\p{Ll})|" + _alternation(words, ignore_case=True) + r"(?![\p{L}]))")


def name_may_continue(text: str, end: int) -> bool:
    """Whether a law's name ending at ``end`` may be the head of a longer name: a small word
    follows that is not one a full name is followed by."""
    return _followers().match(text, end, min(len(text), end + FOLLOWER_CHARS)) is None


@dataclass(frozen=True)
class Written:
    """When the document was written, as far as its text says: its date (the header's), else
    only that it was written on or after the latest date it gives (ISO strings)."""

    date: str | None = None
    after: str | None = None


# The header's date: "Hà Nội, ngày 20 tháng 01 năm 2025" (a place, a comma, the date).
_HEADER_DATE = regex.compile(r"(?<=\p{L}[ \t]*,[ \t]*)ngày[ \t]+(?:\d{1,2}[ \t]+tháng[ \t]+\d{1,2}[ \t]+năm[ \t]+\d{4}"
                             r"|\d{1,2}[ \t]*/[ \t]*\d{1,2}[ \t]*/[ \t]*\d{4})")
# How far into the document its header's date is looked for.
HEADER_DATE_CHARS = 3000


def written(text: str, refs: Sequence[Any], own: Any) -> Written:
    dates = [r.value["date"] for r in refs if r.value.get("date")]
    date = own.value.get("date") if own is not None else None
    if date is None:
        m = _HEADER_DATE.search(text, 0, HEADER_DATE_CHARS)
        day = parse_date_text(m.group()) if m else None
        date = day.isoformat() if day else None
    return Written(date, max(dates, default=None))


def _in_force(versions: Sequence[dict], when: Written) -> dict | None:
    """The version of a law in force when a document was written: on its date, the latest in
    force then (none while a newer one has passed and is not yet in force; before any was in
    force, the only one passed); knowing only that it was written on or
    after a date, the latest version when that was already in force then, or the only version
    when it had passed; the only version when the document gives no date."""
    if not versions:
        return None
    if when.date is not None:
        in_force = [v for v in versions if v["in_force"] <= when.date]
        if any(v["date"] <= when.date < v["in_force"] for v in versions) and in_force:
            return None  # a newer version passed and not yet in force: either may be meant
        if in_force:
            return max(in_force, key=lambda v: v["in_force"])
        passed = [v for v in versions if v["date"] <= when.date]
        return passed[0] if len(passed) == 1 else None
    if when.after is None:
        return versions[0] if len(versions) == 1 else None
    latest = max(versions, key=lambda v: v["in_force"])
    if latest["in_force"] <= when.after:
        return latest
    return versions[0] if len(versions) == 1 and versions[0]["date"] <= when.after else None


@functools.lru_cache(maxsize=1)
def _type_names() -> dict[str, str]:
    doc_types = tables()["doc_types"]
    out = {_word_key(t["name"]): t["name"] for g in ("administrative", "normative", "party") for t in doc_types[g]}
    for t in doc_types["type_words"]:
        out[_word_key(t["word"])] = t["doc_type"]
    return out


def _doc_type(word: str) -> str | None:
    return _type_names().get(_word_key(word))


def _number_key(number: str) -> str:
    integer, dot, rest = number.partition(".")
    return str(int(integer)) + (dot + rest if dot else "")


def _target(ref: Any) -> dict[str, Any]:
    return {"canonical": ref.value["canonical"], "start": ref.start, "end": ref.end}


def _paragraph_start(text: str, offset: int) -> int:
    start = 0
    for m in _PARAGRAPH.finditer(text, max(0, offset - 3000), offset):
        start = m.end()
    return start


def _of_type(text: str, ref: Any, doc_type: str | None) -> bool:
    """Whether a reference is of a type; a law cited by its name and number ("Luật Tổ chức
    chính quyền địa phương số 72/2025/QH15") has no type of its own: its name says it."""
    if ref.value.get("doc_type") == doc_type:
        return True
    return (doc_type in ("Luật", "Bộ luật") and ref.value.get("doc_type") is None
            and _LAW_BEFORE.search(text, max(0, ref.start - 100), ref.start) is not None)


def _in_paragraphs(text: str, offset: int, before: Sequence[Any]) -> list[Any]:
    """The references of ``before`` in the paragraph of ``offset``, else in the one before it."""
    paragraph = _paragraph_start(text, offset)
    near = [r for r in before if r.start >= paragraph]
    if not near:
        previous = _paragraph_start(text, max(0, paragraph - 1))
        near = [r for r in before if r.start >= previous]
    return near


def _distinct(refs: Sequence[Any]) -> list[Any]:
    """One reference per canonical, the last (nearest) mention of each, nearest first."""
    seen: dict[str, Any] = {}
    for r in refs:
        seen[r.value["canonical"]] = r
    return sorted(seen.values(), key=lambda r: -r.start)


def _resolution(value: dict, fitting: Sequence[Any]) -> dict:
    """Resolve ``value`` when exactly one canonical fits, else list the candidates."""
    distinct = _distinct(fitting)
    if len(distinct) == 1:
        value.update(resolved=True, resolves_to=_target(distinct[0]), candidates=[])
    else:
        value.update(resolved=False, resolves_to=None,
                     candidates=[r.value["canonical"] for r in distinct[:MAX_CANDIDATES]])
    return value


def _short_value(form: str, doc_type: str | None, **extra: Any) -> dict:
    value = {"canonical": None, "short": True, "form": form, "doc_type": doc_type, "number": None,
             "year": None, "code": None, "family": None, "date": None, "issuer": None, "own": False}
    value.update(extra)
    return value


def find_short_refs(text: str, refs: Sequence[Any], make: Any, relate: Any = None,
                    scan_starts: dict[int, list[int]] | None = None) -> list[Any]:
    """Short reference candidates of ``text`` (normalised), resolved against ``refs`` (the
    document's full reference candidates, sorted). ``make(start, end, pattern_id, value)``
    builds a candidate; ``relate()`` sets the full references' relations, when a short one
    needs them. Full references without a year that a full one completes ("Nghị định số
    61/NĐ-CP") are marked short in place. ``scan_starts``: ``citescan.citation_starts(text)``, where
    the forms can start (None: search them the plain way)."""
    full = [r for r in refs if r.value.get("canonical") and not r.value.get("own")]
    own = next((r for r in refs if r.value.get("own") and r.value.get("canonical")), None)
    if own is None:
        # A header laid out in a table row ("| CHÍNH PHỦ Số: 30/2020/NĐ-CP | …"): its "Số:".
        own = next((r for r in refs if r.start < HEADER_CHARS and r.value.get("canonical")
                    and _OWN_NUMBER.match(text, r.start)), None)
    spans = sorted((r.start, r.end) for r in refs)
    starts = [s for s, _ in spans]

    def overlaps(start: int, end: int) -> bool:
        i = bisect.bisect_right(starts, start)
        if i > 0 and spans[i - 1][1] > start:
            return True
        return i < len(starts) and starts[i] < end

    for ref in full:
        v = ref.value
        if v.get("family") == "normative" and v.get("year") is None and v.get("number"):
            fitting = [r for r in full if r.value.get("year") and r.value.get("code") == v["code"]
                       and _number_key(r.value["number"]) == _number_key(v["number"])]
            v["short"] = True
            v["form"] = "no_year"
            _resolution(v, fitting)
    full = [r for r in full if not r.value.get("short")]
    found = []
    short_starts: set[int] = set()
    named_laws: dict[str, Any] = {}
    when = written(text, refs, own)
    title = own_title(text, own)
    related = [relate is None]
    quotes = quoted_provisions(text)

    def relations_read() -> None:
        if not related[0]:
            relate()
            related[0] = True
    for k, form in enumerate(forms()):
        form_starts, anchor_starts = (None, None)
        if scan_starts is not None and 2 * k in scan_starts:
            form_starts, anchor_starts = scan_starts[2 * k], scan_starts.get(2 * k + 1)
        for m in form.finditer(text, form_starts, anchor_starts):
            if overlaps(m.start(), m.end()):
                continue
            value = _resolve(form.id, m, text, full, own, named_laws, relations_read, inside(m.start(), quotes),
                             when, title)
            if value is not None:
                # A date that is another law's (an amending law's, after its title) is left out.
                start, end = value.pop("span_start", m.start()), value.pop("span_end", m.end())
                if start in short_starts:
                    continue  # two forms reading one short reference ("ban hành Kế hoạch⏎…")
                short_starts.add(start)
                found.append(make(start, end, f"doc_ref.short.{form.id}", value))
                if form.id == "named_law" and value.get("resolved"):
                    named_laws.setdefault(_word_key(value["name"]), value["resolves_to"])
    names = _names_with_numbers(text, full)
    found += _laws_named_in_text(text, full, names, overlaps, [(c.start, c.end) for c in found], make)
    found += _laws_abbreviated(text, full, names, overlaps, [(c.start, c.end) for c in found], make, when)
    return found


# A law named with initials for some of its words ("Luật thuế TNCN", "Luật KH, CN&ĐMST", "Luật
# Ban hành văn bản QPPL"): up to four words written out, then capitals.
_ABBREVIATED_LAW = regex.compile(
    r"(?<![\p{L}])Luật[ \t]+(?P<name>(?:\p{L}\p{Ll}*[ \t]+){0,4}\p{Lu}{2,}(?:[ \t]*[,&][ \t]*\p{Lu}+)*)(?![\p{L}])"
    r"(?:[ \t]+(?:năm[ \t]+)?(?P<year>(?:19|20)\d\d)(?![\d/]))?")
_NAME_WORDS = regex.compile(r"\p{L}+")
# A word an abbreviation leaves out ("CN&ĐMST" for "công nghệ và đổi mới sáng tạo").
_UNABBREVIATED = frozenset({"và"})


def _spells(written: str, name: str) -> bool:
    """Whether an abbreviated name spells a full one: each word written out is the name's next
    word, each capital of an initialism the first letter of its next word ("và" skipped)."""
    words = [_word_key(w) for w in _NAME_WORDS.findall(name)]
    units: list[tuple[str, bool]] = []
    for token in _NAME_WORDS.findall(written):
        if len(token) > 1 and token.isupper():
            units += [(_word_key(letter), True) for letter in token]
        else:
            units.append((_word_key(token), False))
    i = 0
    for unit, initial in units:
        while initial and i < len(words) and words[i] in _UNABBREVIATED and not words[i].startswith(unit):
            i += 1
        if i >= len(words) or (words[i][0] != unit if initial else words[i] != unit):
            return False
        i += 1
    return i == len(words)


def _laws_abbreviated(text: str, full: Sequence[Any], names: dict[str, tuple[str, Any]], overlaps,
                      taken: list[tuple[int, int]], make, when: Written) -> list[Any]:
    """Laws named with initials, resolved when they spell exactly one law the document names
    with its number, else exactly one of the laws table."""
    out = []
    table = short_data()["laws"]
    for m in _ABBREVIATED_LAW.finditer(text):
        if overlaps(m.start(), m.end()) or any(s < m.end() and m.start() < e for s, e in taken):
            continue
        written = m["name"]
        value = _short_value("named_law", "Luật", name=" ".join(written.split()))
        in_text = {ref.value["canonical"]: ref for key, (name, ref) in names.items() if _spells(written, name)}
        in_table = [law for law in table if _spells(written, law["name"])]
        if _draft(text, m.start(), m.end()) or (not in_text and not in_table):
            if in_text or in_table:
                value.update(resolved=False, resolves_to=None, candidates=[])
                out.append(make(m.start(), m.end(), "doc_ref.short.named_law", value))
            continue
        if len(in_text) == 1:
            value.update(resolved=True, resolves_to=_target(next(iter(in_text.values()))), candidates=[])
        elif not in_text and len(in_table) == 1:
            _by_laws_table(value, in_table[0]["versions"], full, None, m["year"], when)
        else:
            value.update(resolved=False, resolves_to=None, candidates=sorted(in_text))
        out.append(make(m.start(), m.end(), "doc_ref.short.named_law", value))
    return out


# "Luật Thủ đô số 39/2024/QH15": the law's name is what stands between the last "Luật" and "số"
# ("Luật Phí và lệ phí", "Luật Quản lý⏎thuế", "Luật thuế thu nhập cá nhân"): no clause break,
# digit or paragraph break in it.
_LAW_WORD = r"(?<![\p{L}])(?:Bộ[ \t]+luật|Luật)(?![\p{L}])"
_LAW_BEFORE = regex.compile(_LAW_WORD + r"[ \t]+(\p{L}(?:(?!" + _LAW_WORD + r")[^;:.()\n\d]|\n(?![ \t]*\n)){1,80}?)"
                            r"[ \t]*\n?[ \t]*$")
# Words that make a name a title's part ("… của Luật A và Luật B số 47/2019/QH14": the number
# is the amending law's), in the name or right before it.
_NOT_A_NAME = regex.compile(r"[;]|(?<![\p{L}])(?:sửa|của)(?![\p{L}])")
_IN_A_TITLE = regex.compile(r"(?:(?<![\p{L}])(?:của|và|hoặc)|,)[ \t]*\n?[ \t]*$")
# A law still being drafted, or the one amending it ("dự thảo Luật …", "Luật … (sửa đổi)"): not
# the law in force of that name.
_DRAFT_BEFORE = regex.compile(r"(?<![\p{L}])dự[ \t]+thảo[ \t]*\n?[ \t]*$", regex.IGNORECASE)
_DRAFT_AFTER = regex.compile(r"[ \t]*\([ \t]*sửa[ \t]+đổi[ \t]*\)", regex.IGNORECASE)
# A law named in the title of the law amending it ("Luật sửa đổi, bổ sung một số điều của Luật A
# và Luật B ngày 22/11/2019"): its date is the amending law's, and the name is no citation.
_AMENDING_TITLE_BEFORE = regex.compile(
    r"sửa[ \t]+đổi[^;\n]{0,120}?của[ \t]+(?:(?:Bộ[ \t]+)?[Ll]uật[^;\n]{1,120}?(?:và|,)[ \t]*)?\n?[ \t]*$",
    regex.IGNORECASE)
# How far before a name the title of an amending law is looked for.
AMENDING_TITLE_CHARS = 300
# The date of an amending law, after the title that names the laws it amends.
_TITLE_DATE = regex.compile(r"[^;\n]{0,200}?ngày[ \t]+(?P<date>\d{1,2}[ \t]+tháng[ \t]+\d{1,2}[ \t]+năm[ \t]+\d{4}"
                            r"|\d{1,2}[ \t]*/[ \t]*\d{1,2}[ \t]*/[ \t]*\d{4})")
TITLE_DATE_CHARS = 260
# How far before a name its "dự thảo" may stand.
DRAFT_CHARS = 16


# Between a law's name and its number ("Luật … số⏎93/2025/QH15"), the citation starting at
# "số" or at the number.
_BLANK = regex.compile(r"[ \t]*\n?[ \t]*")
_OWN_NAME_GAP = regex.compile(r"[ \t]*\n?[ \t]*(?:số[ \t]*\n?[ \t]*)?")


def _draft(text: str, start: int, end: int) -> bool:
    return bool(_DRAFT_BEFORE.search(text, max(0, start - DRAFT_CHARS), start) or _DRAFT_AFTER.match(text, end))


def _names_with_numbers(text: str, full: Sequence[Any]) -> dict[str, tuple[str, Any]]:
    """The laws the document names with their number ("Luật Thủ đô số 39/2024/QH15"): each name
    (by its key) with the name as written and the citation (the first when cited twice)."""
    names: dict[str, tuple[str, Any]] = {}
    for ref in full:
        if ref.value.get("doc_type") not in ("Luật", "Bộ luật", None) or not ref.value.get("year"):
            continue
        m = _LAW_BEFORE.search(text, max(0, ref.start - 100), ref.start)
        if m and not _NOT_A_NAME.search(m.group(1)) and not _IN_A_TITLE.search(text, max(0, m.start() - 10), m.start()):
            names.setdefault(_word_key(m.group(1)), (" ".join(m.group(1).split()), ref))
    return names


def _laws_named_in_text(text: str, full: Sequence[Any], names: dict[str, tuple[str, Any]], overlaps,
                        taken: list[tuple[int, int]], make) -> list[Any]:
    """Mentions of a law by the name the document gives it with its number, anywhere in the
    document, resolved to that citation."""
    if not names:
        return []
    pattern = regex.compile(r"(?<![\p{L}])(?:Bộ[ \t]+luật|Luật)[ \t]*\n?[ \t]*(?P<name>"
                            + _alternation([n for n, _ in names.values()], ignore_case=True) + r")(?![\p{L}])")
    starts_of_full = {r.start for r in full}
    out = []
    for m in pattern.finditer(text):
        if overlaps(m.start(), m.end()) or any(s < m.end() and m.start() < e for s, e in taken):
            continue
        ref = names[_word_key(m["name"])][1]
        blank, gap = _BLANK.match(text, m.end()).end(), _OWN_NAME_GAP.match(text, m.end()).end()
        if blank in starts_of_full or gap in starts_of_full:
            continue  # the name of a citation itself
        value = _short_value("named_law", "Luật", name=" ".join(m["name"].split()), resolved=True,
                             resolves_to=_target(ref), candidates=[])
        if _draft(text, m.start(), m.end()) or name_may_continue(text, m.end()):
            value.update(resolved=False, resolves_to=None)
        out.append(make(m.start(), m.end(), "doc_ref.short.named_law", value))
    return out


@functools.lru_cache(maxsize=None)
def _type_heading(doc_type: str) -> regex.Pattern:
    """A document type's heading: its name in capitals on a line of its own ("**KẾ HOẠCH**")."""
    return regex.compile(r"(?m)^[ \t*#_]*" + r"[ \t]+".join(map(regex.escape, doc_type.upper().split()))
                         + r"[ \t*_]*$")


def own_title(text: str, own: Any) -> tuple[str, ...]:
    """The first words of the document's own title (folded): the text under its type heading
    ("KẾ HOẠCH", in capitals on a line of its own after its number), or () when there is none."""
    if own is None or not own.value.get("doc_type"):
        return ()
    m = _type_heading(own.value["doc_type"]).search(text, own.end, own.end + HEADER_CHARS)
    if m is None:
        return ()
    words = _TITLE_WORD.findall(text, m.end(), m.end() + HEADER_CHARS)[:TITLE_WORDS]
    return tuple(_word_key(w) for w in words) if len(words) == TITLE_WORDS else ()


def _resolve(form: str, m: regex.Match, text: str, full: Sequence[Any], own: Any,
             named_laws: dict[str, Any], relations_read: Any = lambda: None,
             quote: tuple[int, int] | None = None, when: Written = Written(),
             title: tuple[str, ...] = ()) -> dict | None:
    g = m.groupdict()
    doc_type = _doc_type(g["type"]) if form != "named_law" else _law_type(g["type"])
    if form in ("own_type", "own_titled", "closing_self", "opening_self"):
        if quote is not None or own is None or own.value.get("doc_type") != doc_type:
            return None
        if form == "own_titled" and tuple(_word_key(w) for w in _TITLE_WORD.findall(g["title"])) != title:
            return None
        if form == "opening_self" and m.start() > OPENING_CHARS:
            return None
        if form in ("opening_self", "own_titled") and _in_a_citations_title(text, m.start(), full):
            return None
        # The fact is the type word (an own title after it is the title's, not the reference's).
        return _short_value(form, doc_type, self=True, resolved=True, candidates=[], resolves_to=_target(own),
                            span_start=m.start("type"), span_end=m.end("type"))
    if form == "issued_part":
        return _short_value(form, doc_type, self=True, resolved=True, candidates=[], resolves_to=None,
                            span_start=m.start("type"))
    if form == "number_year":
        return _number_year(g, doc_type, full)
    if form == "self" and quote is not None:
        # "Luật này" in a quoted provision ("… Luật … số 93/2025/QH15 quy định:⏎“… Điều 62 của
        # Luật này …”"): the quoted document, cited where the quotation is introduced.
        before = [r for r in full if r.end <= quote[0] and _of_type(text, r, doc_type)]
        near = _in_paragraphs(text, quote[0], before)
        if not near:
            # The new wording of an article an amending document quotes ("Sửa đổi, bổ sung Điều
            # 1 như sau: “… Nghị định này …”"): the one document of that type it amends.
            relations_read()
            near = [r for r in full if r.value.get("doc_type") == doc_type and r.value.get("relation") == "amends"]
        return _resolution(_short_value("self", doc_type), near)
    if form == "self":
        value = _short_value("self", doc_type, self=True, resolved=True, candidates=[])
        if own is not None and own.value.get("doc_type") == doc_type:
            value["resolves_to"] = _target(own)
            return value
        relations_read()
        attached = _distinct([r for r in full if r.value.get("doc_type") == doc_type
                              and r.value.get("relation") == "attached_to"])
        value["resolves_to"] = _target(attached[0]) if len(attached) == 1 else None
        if not attached and own is not None and own.value.get("doc_type"):
            # "Luật này" in a công văn that has just named a law: that law, not the document.
            before = [r for r in full if r.end <= m.start() and _of_type(text, r, doc_type)]
            near = _in_paragraphs(text, m.start(), before)
            if near:
                return _resolution(_short_value("self", doc_type), near)
        if not attached and own is None and not _OWN_NUMBER.search(text, 0, HEADER_CHARS):
            # A page with no number of its own (a news article): "Quyết định này" is the
            # decision it reports on, the one of that type it has named (nearest first).
            before = [r for r in full if r.end <= m.start() and _of_type(text, r, doc_type)]
            if before:
                return _resolution(_short_value("self", doc_type), _in_paragraphs(text, m.start(), before) or before)
        return value
    if form == "anaphor":
        value = _short_value("anaphor", doc_type)
        before = [r for r in full if r.end <= m.start() and (doc_type is None or r.value.get("doc_type") == doc_type)]
        near = _in_paragraphs(text, m.start(), before)
        return _resolution(value, near if near else before)
    if form == "number":
        number = g.get("number") or g.get("bare")
        date = parse_date_text(g["date"]) if g.get("date") else None
        issuer = " ".join(g["issuer"].split()) if g.get("issuer") else None
        value = _short_value("number", doc_type, number=number, date=date.isoformat() if date else None,
                             issuer=issuer)
        fitting = [r for r in full if r.value.get("doc_type") == doc_type and r.value.get("number")
                   and _number_key(r.value["number"]) == _number_key(number)]
        if value["date"]:
            fitting = [r for r in fitting if r.value.get("date") in (None, value["date"])]
        return _resolution(value, fitting)
    # A named law: the number the document gives it, else the laws table by its date.
    name = _word_key(g["name"])
    if _law_types().get(name, "Luật") != doc_type:
        return None  # "Luật" with an ordinance's name, or the reverse: no law of the table
    date = parse_date_text(g["date"]) if g.get("date") else None
    following = next((r for r in full if 0 <= r.start - m.end() <= 3), None)
    if following is not None and following.value.get("doc_type") in ("Luật", "Bộ luật", None):
        # The name of a full citation, not a short one; the number is this law's unless the name
        # is part of another's title ("… của Luật A và Luật B số 47/2019/QH14").
        if not _IN_A_TITLE.search(text, max(0, m.start() - 10), m.start()):
            named_laws[name] = _target(following)
        return None
    value = _short_value("named_law", doc_type, name=" ".join(g["name"].split()),
                         date=date.isoformat() if date else None)
    if _AMENDING_TITLE_BEFORE.search(text, max(0, m.start() - AMENDING_TITLE_CHARS), m.start()):
        # A law named in the title of the one amending it: the version passed before the
        # amending law's date (written after the title), if any is written.
        if date is None:
            dated = _TITLE_DATE.match(text, m.end(), min(len(text), m.end() + TITLE_DATE_CHARS))
            date = parse_date_text(dated["date"]) if dated else None
        day = date.isoformat() if date is not None else None
        before = [v for v in _laws().get(name, []) if day is not None and v["date"] < day]
        if before:
            value.update(resolved=True, resolves_to={"canonical": before[-1]["canonical"], "start": None, "end": None},
                         resolved_by="laws_table", candidates=[], date=None, span_end=m.end("name"))
            return value
        date = None
    if _draft(text, m.start(), m.end()):
        value.update(resolved=False, resolves_to=None, candidates=[])
        return value
    if date is None and g.get("year") is None and name_may_continue(text, m.end()):
        value.update(resolved=False, resolves_to=None, candidates=[])
        return value
    if name in named_laws and (date is not None or g.get("year")):
        # The date or year written after the name picks the version, over the one named before.
        dated = _by_laws_table(dict(value), _laws().get(name, []), [], date, g.get("year"), Written())
        if dated.get("resolved"):
            return dated
    if name in named_laws:
        known = named_laws[name]
        value.update(resolved=True, candidates=[],
                     resolves_to=dict(known) if isinstance(known, dict) else _target(known))
        return value
    return _by_laws_table(value, _laws().get(name, []), full, date, g.get("year"), when)


# Between a citation and the "ban hành …" of its own title ("Quyết định số 2437/QĐ-TTg … của
# Thủ tướng Chính phủ ban hành Kế hoạch …"), no clause break: the plan is the cited one's.
_CLAUSE_BREAK = regex.compile(r"[,;.:\n]")
# How far back such a citation is looked for.
TITLE_CHARS = 300


def _in_a_citations_title(text: str, start: int, full: Sequence[Any]) -> bool:
    before = [r for r in full if start - TITLE_CHARS <= r.end <= start]
    return bool(before) and not _CLAUSE_BREAK.search(text, max(r.end for r in before), start)


def _number_year(g: dict, doc_type: str | None, full: Sequence[Any]) -> dict:
    """"Nghị định 98/2024", "Thông tư số 60/2023 của Bộ Tài chính": the full reference of that
    number and year in the document, else the one its type's code makes (a circular's from its
    issuer's code), else unresolved."""
    number, year = g["number"], g["year"]
    issuer = " ".join(g["issuer"].split()) if g.get("issuer") else None
    value = _short_value("number_year", doc_type, number=number, year=int(year), issuer=issuer)
    fitting = [r for r in full if r.value.get("doc_type") == doc_type and r.value.get("number")
               and _number_key(r.value["number"]) == _number_key(number) and str(r.value.get("year")) == year]
    if fitting:
        return _resolution(value, fitting)
    code = "NĐ-CP" if doc_type == "Nghị định" else _circular_code(issuer)
    if code is None:
        return _resolution(value, [])
    value.update(resolved=True, resolved_by="type_code", candidates=[],
                 resolves_to={"canonical": f"{_number_key(number)}/{year}/{code}", "start": None, "end": None})
    return value


def _circular_code(issuer: str | None) -> str | None:
    """A ministry's circulars' code ("TT-BTC"), from the issuer written after the number: the
    longest run of its first words that names a body with one code."""
    if not issuer:
        return None
    from ..normalize import fold
    from ..structure.data import bodies

    words = issuer.split()
    for n in range(len(words), 0, -1):
        found = bodies().form_of.get(fold(" ".join(words[:n])))
        if found is not None:
            body = found[0]
            return f"TT-{body.codes[0]}" if body.kind == "ministry" and len(body.codes) == 1 else None
    return None


def _by_laws_table(value: dict, versions: Sequence[dict], full: Sequence[Any], date: Any, year: str | None,
                   when: Written) -> dict:
    """A named law resolved against the laws table: the version of the date or year written after
    its name, else the one the document cites by number, else the one in force when it was
    written; else unresolved, its versions the candidates. A year after the name later than the
    document's own ("thực hiện Pháp lệnh ưu đãi người có công năm 2020" in a letter of 2019) is
    the period the document speaks of, not the year the law was passed."""
    if year is not None and when.date is not None and year > when.date[:4]:
        year = None
    if date is not None or year is not None:
        dated = [v for v in versions if (v["date"] == date.isoformat() if date is not None else v["date"][:4] == year)]
        if len(dated) == 1:
            value.update(resolved=True, resolves_to={"canonical": dated[0]["canonical"], "start": None, "end": None},
                         resolved_by="laws_table", candidates=[])
            return value
    in_text = [r for r in full if r.value.get("canonical") in {v["canonical"] for v in versions}]
    if len(_distinct(in_text)) == 1:
        return _resolution(value, in_text)
    if date is None and year is None and not in_text:
        in_force = _in_force(versions, when)
        if in_force is not None:
            value.update(resolved=True, resolves_to={"canonical": in_force["canonical"], "start": None, "end": None},
                         resolved_by="laws_table", candidates=[])
            return value
    value.update(resolved=False, resolves_to=None, candidates=[v["canonical"] for v in versions])
    return value
