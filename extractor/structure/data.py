"""The gazetteers and word lists of ``patterns/``: places, bodies, successions, positions,
surnames and layout marks, loaded once and indexed for matching.

Matching ignores case and tone marks through :func:`fold`, which maps every character to one
character (so offsets found in folded text are offsets in the original) and leaves characters
it does not know as they are.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

import regex

from .. import cache
from ..normalize import fold, fold_tone_placement
from ..patterns import _alternation as _trie_alternation
from ..patterns import patterns_dir, safe_load


class DataError(ValueError):
    """A data file of patterns/ is malformed: the message names the file and the entry."""


def _load(name: str) -> Any:
    def parse(stream: Any) -> Any:
        import yaml

        try:
            return safe_load(stream)
        except yaml.YAMLError as exc:
            raise DataError(f"{name}: {exc}") from exc

    try:
        return cache.parsed_yaml(patterns_dir() / name, parse)
    except OSError as exc:
        raise DataError(f"{name}: {exc}") from exc


@functools.lru_cache(maxsize=16384)
def casefold_vi(text: str) -> str:
    """Lowercase with tone marks kept, tone placement unified ('Hoà' and 'hòa' compare equal)."""
    return fold_tone_placement(" ".join(text.split())).lower()


@functools.lru_cache(maxsize=4096)
def slug(text: str) -> str:
    return regex.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def title_case(text: str) -> str:
    """'AN HÒA' → 'An Hòa' (each syllable capitalised), for names written in capitals."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in text.split())


def alternation(words: list[str]) -> str:
    """A regex alternative of ``words`` laid out as a trie (a longer word is never cut short by a
    shorter one; a blank matches blanks or one line break), shared with the fact patterns."""
    return _trie_alternation([w for w in words if w.strip()], ignore_case=False)


# --- places -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Province:
    name: str
    unit: str
    aliases: tuple[str, ...]
    successor: str | None
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]

    @property
    def full_name(self) -> str:
        return f"{self.unit} {self.name}"

    @property
    def slug(self) -> str:
        return slug(self.name)


@dataclass
class Places:
    provinces: list[Province]
    date: str
    basis: str
    source: str
    unit_words: list[dict]
    by_name: dict[str, Province] = field(default_factory=dict)    # casefold → province
    by_folded: dict[str, Province] = field(default_factory=dict)  # fold → province

    def get(self, name: str) -> Province | None:
        return self.by_name.get(casefold_vi(name))


@functools.lru_cache(maxsize=1)
def places() -> Places:
    data = _load("places.yaml")
    provinces = []
    for raw in data["provinces"]:
        try:
            provinces.append(Province(
                name=raw["name"], unit=raw["unit"], aliases=tuple(raw.get("aliases") or ()),
                successor=raw.get("successor"), examples=tuple(raw.get("examples") or ()),
                counter_examples=tuple(raw.get("counter_examples") or ())))
        except KeyError as exc:
            raise DataError(f"places.yaml: {raw}: missing {exc}") from exc
    reorg = data["reorganisation"]
    result = Places(provinces, str(reorg["date"]), reorg["basis"], reorg["source"], data["unit_words"])
    for p in provinces:
        for name in (p.name, *p.aliases):
            result.by_name[casefold_vi(name)] = p
            result.by_folded.setdefault(fold(" ".join(name.split())), p)
    for p in provinces:
        if p.successor and casefold_vi(p.successor) not in result.by_name:
            raise DataError(f"places.yaml: {p.name}: unknown successor {p.successor}")
    return result


# --- bodies -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Body:
    id: str
    name: str
    kind: str
    level: str
    head: str
    short: str | None
    forms: tuple[str, ...]
    codes: tuple[str, ...]
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]

    @property
    def provincial(self) -> bool:
        return self.level in ("province", "local")


@dataclass(frozen=True)
class Succession:
    source_id: str
    target_id: str
    date: str
    basis: str
    source: str
    examples: tuple[dict, ...]


@dataclass
class Bodies:
    bodies: list[Body]
    by_id: dict[str, Body]
    by_code: dict[str, Body]
    form_of: dict[str, tuple[Body, str]]   # folded form → (body, form as written in the data)
    generic_words: list[str]
    local_units: list[str]
    successions: dict[str, Succession]
    succession_sources: dict[str, str]
    mention_re: re.Pattern = None          # type: ignore[assignment]  (folded text)


@functools.lru_cache(maxsize=1)
def bodies() -> Bodies:
    data = _load("bodies.yaml")
    items: list[Body] = []
    for raw in data["bodies"]:
        try:
            items.append(Body(
                id=raw["id"], name=raw["name"], kind=raw["kind"], level=raw["level"],
                head=raw["head"], short=raw.get("short"), forms=tuple(raw["forms"]),
                codes=tuple(raw.get("codes") or ()), examples=tuple(raw.get("examples") or ()),
                counter_examples=tuple(raw.get("counter_examples") or ())))
        except KeyError as exc:
            raise DataError(f"bodies.yaml: {raw.get('id', raw)}: missing {exc}") from exc
    by_id = {b.id: b for b in items}
    if len(by_id) != len(items):
        raise DataError("bodies.yaml: duplicate id")
    by_code: dict[str, Body] = {}
    form_of: dict[str, tuple[Body, str]] = {}
    for b in items:
        for code in b.codes:
            by_code.setdefault(code, b)
        for form in b.forms:
            key = fold(" ".join(form.split()))
            if key in form_of:
                if form_of[key][0].id != b.id:
                    raise DataError(f"bodies.yaml: form {form!r} of {b.id} is also a form of {form_of[key][0].id}")
                continue  # the first spelling (the official name) stands for its variants
            form_of[key] = (b, form)
    succ_data = _load("successions.yaml")
    successions: dict[str, Succession] = {}
    for raw in succ_data["successions"]:
        s = Succession(raw["from"], raw["to"], str(raw["date"]), raw["basis"], raw["source"],
                       tuple(raw.get("examples") or ()))
        for end in (s.source_id, s.target_id):
            if end not in by_id:
                raise DataError(f"successions.yaml: unknown body {end}")
        successions[s.source_id] = s
    result = Bodies(items, by_id, by_code, form_of, list(data["generic_words"]),
                    list(data["local_units"]), successions, dict(succ_data["sources"]))
    # Forms are matched in folded text: a form ends where letters end ("Sở Y tế" not in "Sở Y tếp").
    # The standard library's engine scans this large alternation an order of magnitude faster.
    result.mention_re = re.compile(r"\b" + alternation(list(form_of)) + r"(?![^\W_]|&)")
    return result


# --- positions and names ------------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    title: str
    heads: tuple[str, ...]
    unit_phrase: bool
    examples: tuple[dict, ...]
    counter_examples: tuple[str, ...]


@dataclass
class Positions:
    titles: list[Title]
    abbreviations: list[dict]
    cues: list[str]
    by_folded: dict[str, Title]           # folded title → title
    abbr: dict[str, str]                  # abbreviation → title
    title_re: re.Pattern = None           # type: ignore[assignment]  (folded text)
    abbr_re: re.Pattern = None            # type: ignore[assignment]  (original text)
    cue_re: re.Pattern = None             # type: ignore[assignment]  (original text)


@functools.lru_cache(maxsize=1)
def positions() -> Positions:
    data = _load("positions.yaml")
    titles = [Title(t["title"], tuple(t.get("heads") or ()), bool(t.get("unit_phrase")),
                    tuple(t.get("examples") or ()), tuple(t.get("counter_examples") or ()))
              for t in data["titles"]]
    by_folded = {fold(t.title): t for t in titles}
    abbr = {a["abbr"]: a["title"] for a in data["abbreviations"]}
    for a, title in abbr.items():
        if fold(title) not in by_folded:
            raise DataError(f"positions.yaml: abbreviation {a}: unknown title {title}")
    result = Positions(titles, list(data["abbreviations"]), list(data["cues"]), by_folded, abbr)
    result.title_re = re.compile(r"\b" + alternation(list(by_folded)) + r"(?![^\W_])")
    result.abbr_re = re.compile(r"(?<![\w/])" + alternation(list(abbr)) + r"(?![^\W_])")
    result.cue_re = re.compile(r"(?<![\w/])" + alternation(result.cues) + r"(?![^\W_])")
    return result


@functools.lru_cache(maxsize=1)
def surnames() -> dict[str, Any]:
    data = _load("surnames.yaml")
    return {"surnames": frozenset(data["surnames"]), "examples": list(data["examples"]),
            "counter_examples": list(data["counter_examples"])}


# --- layout -------------------------------------------------------------------------------

LINE_FLAGS = regex.VERBOSE | regex.V0
RULE_USES = ("match", "search", "fullmatch")     # the Pattern methods a rule may be applied with


@dataclass(frozen=True)
class LineRule:
    id: str
    regex: regex.Pattern
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]
    rank: int | None = None
    path: str | None = None
    how: str = "match"         # how the code applies it: match, search or fullmatch


@dataclass
class Layout:
    national: list[LineRule]
    prefixes: list[dict]
    prefix_re: regex.Pattern
    urgency: list[str]
    secrecy: list[str]
    draft_marks: list[str]
    outline: list[LineRule]
    boilerplate: list[LineRule]
    navigation: list[LineRule]
    site_block_labels: list[str]
    published_labels: list[str]
    header: dict[str, LineRule]
    site_block_fields: dict[str, str]      # label -> page metadata key
    site_block_placeholders: list[str]
    page_chrome: dict[str, list[LineRule]]  # captions, datelines, page_heads, ... (layout.yaml)
    front_matter_keys: dict[str, str]

    def pattern(self, rule_id: str) -> regex.Pattern:
        """The compiled regex of an entry of the header grammar."""
        return self.header[rule_id].regex


def _rules(entries: list[dict], where: str) -> list[LineRule]:
    rules = []
    for e in entries:
        try:
            compiled = regex.compile(e["regex"], LINE_FLAGS)
        except (KeyError, regex.error) as exc:
            raise DataError(f"layout.yaml: {where}: {e.get('id')}: {exc}") from exc
        if e.get("how", "match") not in RULE_USES:
            raise DataError(f"layout.yaml: {where}: {e.get('id')}: how must be one of {', '.join(RULE_USES)}")
        rules.append(LineRule(e["id"], compiled, tuple(e.get("examples") or ()),
                              tuple(e.get("counter_examples") or ()), e.get("rank"), e.get("path"),
                              e.get("how", "match")))
    return rules


@functools.lru_cache(maxsize=1)
def layout() -> Layout:
    data = _load("layout.yaml")
    prefixes = list(data["signing_prefixes"])
    prefix_re = regex.compile(
        r"^(?P<prefix>" + "|".join(regex.escape(p["prefix"]) for p in sorted(prefixes, key=lambda p: -len(p["prefix"])))
        + r")(?:[ \t]+|(?<=\.))(?=\p{Lu})")
    return Layout(
        national=_rules(data["national_lines"], "national_lines"),
        prefixes=prefixes, prefix_re=prefix_re,
        urgency=list(data["urgency"]), secrecy=list(data["secrecy"]),
        draft_marks=list(data["draft_marks"]),
        outline=_rules(data["outline"], "outline"),
        boilerplate=_rules(data["boilerplate"], "boilerplate"),
        navigation=_rules(data["navigation"], "navigation"),
        site_block_labels=list(data["site_block_fields"]),
        published_labels=list(data["published_labels"]),
        header={rule.id: rule for rule in _rules(data["header"], "header")},
        site_block_fields=dict(data["site_block_fields"]),
        site_block_placeholders=list(data["site_block_placeholders"]),
        page_chrome={group: _rules(entries, f"page_chrome.{group}") for group, entries in data["page_chrome"].items()},
        front_matter_keys=dict(data["front_matter_keys"]),
    )
