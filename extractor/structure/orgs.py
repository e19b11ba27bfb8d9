"""Organisation mentions resolved to bodies of the gazetteer, each body in its province.

"Sở GTVT" in a Hưng Yên report and in a Quảng Trị article are two bodies: a provincial body's
province is the one its mention names ("Sở Nội vụ tỉnh Thái Bình") or else the document's own
(from its header). Each body also gets its successors after the 2025 reorganisation.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

import regex
from rapidfuzz import fuzz, process

from .data import Body, bodies, casefold_vi, fold, places, positions, slug, surnames, title_case
from .places import PlaceMatch, read_place_name

_SPACE = regex.compile(r"[ \t]*")
_UNIT_WORDS = {"tinh": "tỉnh", "thanh pho": "thành phố", "tp.": "thành phố", "tp": "thành phố",
               "huyen": "huyện", "quan": "quận", "thi xa": "thị xã", "xa": "xã", "phuong": "phường",
               "thi tran": "thị trấn", "dac khu": "đặc khu"}
_UNIT_RE = regex.compile(r"(?P<unit>thành[ \t]+phố|thị[ \t]+xã|thị[ \t]+trấn|đặc[ \t]+khu|tỉnh|huyện|quận|xã|phường|TP\.?|Tp\.)(?![\p{L}])",
                         regex.IGNORECASE)
_PROVINCE_UNITS = ("tỉnh", "thành phố")
_NEXT_WORD = regex.compile(r"[ \t]+(\p{L}+)")


@dataclass
class Context:
    """What a mention without a place of its own is taken to belong to."""

    province: str | None = None          # name as the document gives it (gazetteer name when known)
    body: Body | None = None             # the document's issuer (for positions)
    body_short: str | None = None        # "Sở Y tế", "UBND tỉnh", "Đảng ủy Sở ..."


@dataclass
class OrgMention:
    start: int
    end: int                 # end of the whole mention, qualifier included
    form_end: int            # end of the body's own name
    body: Body
    written: str             # the body's name as written
    unit: str | None = None  # unit word of the qualifier (tỉnh, thành phố, huyện ...)
    place: PlaceMatch | None = None
    place_span: tuple[int, int] | None = None
    generic: bool = False
    misspelt: bool = False
    value: dict = field(default_factory=dict)


def _capitals_after_head(name: str) -> bool:
    words = name.split()
    return any(ch.isupper() for w in words[1:] for ch in w)


def _generic_after(text: str, pos: int) -> bool:
    m = _NEXT_WORD.match(text, pos, pos + 12)
    return bool(m) and m.group(1).lower() in bodies().generic_words


def _looks_like_person(name: str) -> bool:
    words = name.split()
    return len(words) >= 2 and words[0] in surnames()["surnames"]


def read_qualifier(text: str, pos: int) -> tuple[str, int, tuple[int, int] | None, PlaceMatch | None] | None:
    """A unit word after ``pos`` and the name of the unit, if written: (unit, end, name span, place)."""
    start = pos + len(_SPACE.match(text, pos).group())
    if start == pos:
        return None
    m = _UNIT_RE.match(text, start)
    if not m:
        return None
    unit = _UNIT_WORDS[" ".join(fold(m["unit"]).split())]
    end = m.end()
    name_start = end + len(_SPACE.match(text, end).group())
    if name_start < len(text) and text[name_start].isupper():
        line_end = text.find("\n", name_start)
        got = read_place_name(text, name_start, line_end if line_end >= 0 else len(text))
        if got is not None:
            stop, match = got
            if match.province is not None or not _looks_like_person(match.written):
                return unit, stop, (name_start, stop), match
    return unit, end, None, None


def find_mentions(text: str, folded: str) -> list[OrgMention]:
    """Every mention of a gazetteer body in ``text`` (``folded`` is ``fold(text)``)."""
    data = bodies()
    titles = positions().title_re
    found: list[OrgMention] = []
    for m in data.mention_re.finditer(folded):
        # "Tỉnh ủy" inside the title "Tỉnh ủy viên" is not the body.
        t = titles.match(folded, m.start())
        if t is not None and t.end() > m.end() or folded.endswith("pho ", 0, m.start()):
            continue
        body, form = data.form_of[" ".join(m.group().split())]
        written = " ".join(text[m.start():m.end()].split())
        # Tone marks differ from the form: a spelling problem, unless only case differs. Acronym
        # forms must keep their capitals ("UBND", not "ubnd").
        if form.isupper() and written.upper() != written:
            continue
        # "kiểm toán nhà nước" in lower case is an activity, not the body; "Sở xây dựng kế hoạch"
        # is the department building a plan: a name's capitals after its head word must be there.
        if written.lower() == written or (_capitals_after_head(form) and not _capitals_after_head(written)):
            continue
        mention = OrgMention(m.start(), m.end(), m.end(), body, written)
        mention.misspelt = casefold_vi(written) != casefold_vi(form)
        if _generic_after(text, m.end()):
            mention.generic = True
        elif body.provincial:
            qualifier = read_qualifier(text, m.end())
            if qualifier is not None:
                mention.unit, mention.end, mention.place_span, mention.place = qualifier
        found.append(mention)
    return found


def _province_name(place: PlaceMatch) -> str:
    return place.province.name if place.province else title_case(place.written) if place.written.isupper() else place.written


def _full_name(name: str, unit: str | None, province: str | None, locality: str | None = None) -> str:
    if locality:
        return f"{name} {locality}" + (f", {_province_unit(province)} {province}" if province else "")
    if province:
        return f"{name} {unit or _province_unit(province)} {province}"
    return name


def _province_unit(province: str | None) -> str:
    known = places().get(province) if province else None
    return known.unit if known else "tỉnh"


def resolve(mention: OrgMention, context: Context) -> dict:
    """The body a mention stands for: id, canonical name, province and successors."""
    value = _resolve(mention.body.id, mention.unit, mention.place, context.province)
    return {**value, "successors": [dict(step) for step in value["successors"]]}


@functools.lru_cache(maxsize=8192)
def _resolve(body_id: str, unit: str | None, place: PlaceMatch | None, context_province: str | None) -> dict:
    body = bodies().by_id[body_id]
    mention = OrgMention(0, 0, 0, body, "", unit, place)
    context = Context(context_province)
    province = None
    source = None
    locality = None
    unit = mention.unit
    if body.provincial:
        if mention.place is not None and unit in _PROVINCE_UNITS:
            province, source = _province_name(mention.place), "mention"
        elif mention.place is not None:
            locality = f"{unit} {_province_name(mention.place)}"
            province, source = context.province, "document" if context.province else None
        elif context.province:
            province, source = context.province, "document"
        if unit in _PROVINCE_UNITS and province:
            unit = _province_unit(province) if places().get(province) else unit
    name = body.name
    full = _full_name(name, unit if unit in _PROVINCE_UNITS else None, province, locality)
    ident = body.id + (f"@{slug(province)}" if province else "") + (f"/{slug(locality)}" if locality else "")
    value = {"body": body.id, "name": name, "kind": body.kind, "level": body.level,
             "canonical": full, "id": ident, "province": province, "province_source": source}
    if locality:
        value["locality"] = locality
    chain = successors(body, province, locality)
    value["successors"] = chain
    value["successor"] = chain[-1]["name"] if chain else None
    value["successor_date"] = chain[-1]["date"] if chain else None
    return value


def successors(body: Body, province: str | None, locality: str | None = None) -> list[dict]:
    """The bodies that took this one over in the 2025 reorganisation, in order, with dates."""
    return [dict(step) for step in _successors(body.id, province, locality)]


@functools.lru_cache(maxsize=4096)
def _successors(body_id: str, province: str | None, locality: str | None) -> tuple[dict, ...]:
    body = bodies().by_id[body_id]
    data = bodies()
    chain = []
    current, current_province = body, province
    step = data.successions.get(body.id)
    if step is not None:
        current = data.by_id[step.target_id]
        chain.append({"body": current.id, "name": _full_name(current.name, None, current_province, locality),
                      "date": step.date, "basis": step.basis})
    known = places().get(province) if province and body.provincial and not locality else None
    if known is not None and known.successor:
        gaz = places()
        current_province = known.successor
        chain.append({"body": current.id, "name": _full_name(current.name, None, current_province),
                      "date": gaz.date, "basis": gaz.basis})
    return tuple(chain)


def issuer_from_code(code: str | None) -> Body | None:
    """The body a ký hiệu names ("BC-SGTVT" → Sở Giao thông vận tải; "KH/ĐU" → Đảng ủy)."""
    if not code:
        return None
    data = bodies()
    segments = regex.split(r"[-/]", code)
    for seg in segments[1:] + segments[:1]:
        body = data.by_code.get(seg)
        if body is not None:
            return body
    return None


_FUZZY_BODY_SCORE = 90


def fuzzy_mention(text: str) -> OrgMention | None:
    """A body name with a typo beyond tone marks ("SỞ GIAO THÔNG VẬN TẢl"): the gazetteer form
    closest to the start of ``text`` (a header line), when it is close enough to be that form."""
    data = bodies()
    words = text.split()
    if not words:
        return None
    folded_forms = _folded_forms()
    best = None
    # Try the first 2..8 words: the name may be followed by a place ("... TỈNH AN HÒA").
    for n in range(min(len(words), 8), 1, -1):
        candidate = fold(" ".join(words[:n]))
        got = process.extractOne(candidate, folded_forms, scorer=fuzz.ratio, score_cutoff=_FUZZY_BODY_SCORE)
        if got is not None and (best is None or got[1] > best[1]):
            best = (n, got[1], got[0])
    if best is None:
        return None
    n, _, key = best
    body, form = data.form_of[key]
    end = len(" ".join(words[:n]))
    start = len(text) - len(text.lstrip())
    mention = OrgMention(start, start + end, start + end, body, " ".join(words[:n]))
    mention.misspelt = True
    qualifier = read_qualifier(text, start + end)
    if qualifier is not None and body.provincial:
        mention.unit, mention.end, mention.place_span, mention.place = qualifier
    return mention


@functools.lru_cache(maxsize=1)
def _folded_forms() -> list[str]:
    return [k for k in bodies().form_of if len(k) >= 8]
