"""Builder for document references, and the links a reference has to nearby dates.

Builders read groups by index, ``m[g["name"]]`` with ``g = m.re.groupindex``: the regex
module looks group names up several times slower.
"""
from __future__ import annotations

import functools

import regex

from ..normalize import fold_tone_placement
from ..patterns import tables
from .dates import parse_date_text


@functools.lru_cache(maxsize=1)
def _type_index() -> dict[str, dict]:
    """Lookups from abbreviations and type words to type names and families."""
    doc_types = tables()["doc_types"]
    index = {
        "administrative": {t["abbr"]: t for t in doc_types["administrative"] + doc_types["copies"] if t["abbr"]},
        "normative": {t["abbr"]: t for t in doc_types["normative"]},
        "party": {t["abbr"]: t for t in doc_types["party"]},
        "words": {},
    }
    for group in ("administrative", "normative", "party"):
        for t in doc_types[group]:
            index["words"].setdefault(_word_key(t["name"]), t["name"])
    for t in doc_types["type_words"]:
        index["words"][_word_key(t["word"])] = t["doc_type"]
    return index


@functools.lru_cache(maxsize=4096)
def _word_key(text: str) -> str:
    return fold_tone_placement(" ".join(text.split())).lower()


def _compact(code: str) -> str:
    return "".join(code.split())


@functools.lru_cache(maxsize=1)
def _official_case() -> dict[str, str]:
    return {seg.upper(): seg for seg in tables()["lexicon"]["official_case"]}


@functools.lru_cache(maxsize=4096)
def _official_code(code: str) -> str:
    """'QĐ-TTG' → 'QĐ-TTg': segments with an official mixed-case spelling get it back."""
    official = _official_case()
    return "-".join(official.get(seg, seg) if seg.isupper() else seg for seg in code.split("-"))


def _canonical_number(number: str) -> str:
    integer, dot, rest = number.partition(".")
    return str(int(integer)) + (dot + rest if dot else "")


def _type_from_word(lead: regex.Match | None) -> tuple[bool, str | None]:
    """(whether a type word names the type, that type) for the word before the number."""
    lg = lead.re.groupindex if lead else {}
    word = lead[lg["type_word"]] if lead else None
    if not word:
        return False, None
    key = _word_key(word)
    if lead[lg["joint_word"]] and "liên tịch" not in key:
        key += " liên tịch"
    doc_type = _type_index()["words"].get(key)
    return doc_type is not None, doc_type


def _issuer(m: regex.Match) -> str | None:
    g = m.re.groupindex
    if not m[g["issuer"]]:
        return None
    return " ".join(m[g["issuer"]].split())


def build_reference(m: regex.Match, ctx, family: str, lead=None) -> dict | None:
    g = m.re.groupindex
    index = _type_index()
    number = _compact(m[g["number"]])
    named, word_type = _type_from_word(lead)
    year = None
    if family == "party":
        type_abbr = m[g["party_type"]]
        code = f"{type_abbr}/{_official_code(_compact(m['code_issuer']))}"
        canonical = f"{_canonical_number(number)}-{code}"
        implied = index["party"][type_abbr]["name"]
    else:
        code = _official_code(_compact(m[g["code"]]))
        type_abbr = code.split("-")[0]
        if family == "normative":
            year = int(m[g["year"]])
            canonical = f"{_canonical_number(number)}/{year}/{code}"
            entry = index["normative"].get(type_abbr)
            implied = entry["name"] if entry else None
            if entry and entry.get("family"):
                family = entry["family"]
        else:
            canonical = f"{_canonical_number(number)}/{code}"
            entry = index["administrative"].get(type_abbr) if family == "administrative" else None
            implied = entry["name"] if entry else "Công văn"
            if family == "official_letter":
                normative = index["normative"].get(type_abbr)
                if normative and type_abbr not in index["administrative"] and word_type == normative["name"]:
                    # "Nghị định số 88/NĐ-CP": a normative number written without its year.
                    family = "normative"
                    implied = index["normative"][type_abbr]["name"]
                elif named and word_type not in (None, "Công văn"):
                    family = "administrative"
    written_date = m[g["date"]] or (m[g["late_date"]] if "late_date" in g else None)
    date = parse_date_text(written_date) if written_date else None
    return {
        "canonical": canonical,
        "doc_type": word_type if named else implied,
        "number": number,
        "year": year,
        "code": code,
        "family": family,
        "date": date.isoformat() if date else None,
        "issuer": _issuer(m),
        "own": bool(lead and lead[lead.re.groupindex["own"]]),
    }


def build_blank_reference(m: regex.Match, ctx, lead=None) -> dict:
    g = m.re.groupindex
    code = _compact(m[g["code"]])
    entry = _type_index()["administrative"].get(code.split("-")[0])
    return {
        "canonical": None,
        "partial": True,
        "doc_type": entry["name"] if entry else "Công văn",
        "number": None,
        "year": None,
        "code": code,
        "family": "administrative" if entry else "official_letter",
        "date": None,
        "issuer": None,
        "own": True,
    }


# "Ngày 29/12/2022 Sở Giao thông vận tải đã ban hành Kế hoạch số 3122/KH-SGTVT": a date that
# opens the clause in which the reference is issued belongs to the reference.
_ISSUED_BETWEEN = regex.compile(r"[ \t]*,?[^\n;.!?]{0,160}?(?i:ban[ \t]+hành|ký|phê[ \t]+duyệt)[^\n;.!?]{0,40}$")
_DAY_WORD_BEFORE = regex.compile(r"(?i:ngày)[ \t]*$")


def attach_preceding_dates(text: str, refs: list, dates: list) -> None:
    """Give a reference without a date the date that opens its clause, when there is one.

    ``refs`` and ``dates`` are candidates sorted by start, each with ``start``, ``end`` and
    ``value``; reference values are updated in place.
    """
    date_index = 0
    last_date = None
    for ref in refs:
        while date_index < len(dates) and dates[date_index].end <= ref.start:
            last_date = dates[date_index]
            date_index += 1
        if ref.value.get("date") or ref.value.get("canonical") is None or last_date is None:
            continue
        if ref.start - last_date.end > 200:
            continue
        if not _DAY_WORD_BEFORE.search(text, max(0, last_date.start - 8), last_date.start) \
                and not text[last_date.start:last_date.start + 4].lower().startswith("ngày"):
            continue
        if _ISSUED_BETWEEN.match(text, last_date.end, ref.start):
            ref.value["date"] = last_date.value["iso"]
            ref.value["date_position"] = "before"


_HEADER_DATE = regex.compile(r"[^\n,]{2,40},[ \t]*$")


def attach_header_dates(text: str, refs: list, dates: list) -> None:
    """The header's own number takes the date of the place-and-date line that follows it."""
    for ref in refs:
        if not ref.value.get("own") or ref.value.get("date"):
            continue
        for date in dates:
            if date.start < ref.end:
                continue
            if date.start - ref.end > 400:
                break
            if _HEADER_DATE.search(text, max(0, date.start - 45), date.start):
                ref.value["date"] = date.value["iso"]
                break
