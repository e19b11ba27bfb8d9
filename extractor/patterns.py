"""Load, validate and compile the pattern data in ``patterns/``.

A pattern file declares one fact kind::

    kind: date
    fragments: {name: regex, ...}        # local named fragments
    patterns:
      - id: date.numeric
        doc: what it matches and why
        builder: date                    # the function that turns groups into a value
        regex: |                         # verbose regex; $name inserts a fragment
          ...
        examples: [{text, match?, value?}]
        counter_examples: [text, ...]

Fragments are shared across files through ``fragments.yaml``; tables (``doc_types.yaml``,
``lexicon.yaml``) generate fragments too (``$type_word``, ``$unit``, ...), each alternation
ordered longest first so a longer name is never cut short by a shorter one.
"""
from __future__ import annotations

import functools
import importlib.resources
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from . import cache

FLAGS = regex.VERBOSE | regex.MULTILINE | regex.V0

_FRAGMENT_REF = regex.compile(r"\$([a-z][a-z0-9_]*)")


class PatternError(ValueError):
    """A pattern file is malformed: the message names the file and the entry."""


def patterns_dir() -> Path:
    """The pattern data: shipped inside the package, or the source tree's ``patterns/``."""
    shipped = importlib.resources.files("extractor") / "patterns"
    if shipped.is_dir():
        return Path(str(shipped))
    return Path(__file__).resolve().parent.parent / "patterns"


@dataclass(frozen=True)
class Example:
    text: str
    match: str
    value: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Pattern:
    id: str
    kind: str
    doc: str
    builder: str
    source: str
    compiled: regex.Pattern
    options: dict[str, Any]
    # Text that, when it ends right where a match starts, belongs to the fact's span. Compiled
    # right-to-left, so ``lead.match(text, lo, start)`` tries the one position ending at start.
    lead: regex.Pattern | None
    # Patterns that share a scan name are searched in one pass (see scan_groups()).
    scan: str | None
    examples: tuple[Example, ...]
    counter_examples: tuple[str, ...]
    # Groups captured inside a lookbehind, which may start before the match itself.
    behind_groups: tuple[str, ...] = ()
    # A Hyperscan expression starting where this pattern's match starts and matching wherever
    # it can (see extractor/extract/prefilter.py).
    prefilter: str | None = None


def _load_yaml(path: Path) -> Any:
    def parse(stream: Any) -> Any:
        import yaml

        try:
            return safe_load(stream)
        except yaml.YAMLError as exc:
            raise PatternError(f"{path.name}: invalid YAML: {exc}") from exc

    return cache.parsed_yaml(path, parse)


def safe_load(stream: Any) -> Any:
    """``yaml.safe_load`` with libyaml's parser where PyYAML was built with it (the same data,
    about ten times faster). PyYAML is imported only here: a start whose pattern files are
    all in the cache never loads it."""
    import yaml

    return yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@functools.lru_cache(maxsize=1)
def data_digest() -> str:
    """A digest of every file of ``patterns/``: the key of the compiled regexes kept between
    runs (:class:`extractor.cache.RegexStore`), so two versions of the patterns keep two."""
    return cache.key(*(part for path in sorted(patterns_dir().glob("*.yaml"))
                       for part in (path.name, path.read_bytes())))


def _alternation(words: list[str], *, ignore_case: bool, from_end: bool = False) -> str:
    """Regex matching any of ``words``, longest first, blanks matching blanks or one line break.

    The words are laid out as a trie (``k(?:ế hoạch|ết luận)``) so a failed attempt costs one
    character test instead of one per word; optional tails are greedy, so a longer word is
    never cut short by a shorter one.

    ``from_end`` lays the trie out from the last character (``(?:k|kh)ế hoạch``) for
    patterns matched right to left (leads), where a prefix trie would try every word.
    """
    root: dict = {}
    for word in set(words):
        node = root
        spelled = " ".join(word.split())
        for ch in reversed(spelled) if from_end else spelled:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = []
        for ch, child in sorted(node.items()):
            if ch:
                # A blank between words may be a line break too (a PDF or a crawl wrapped it).
                piece = r"(?:[ \t]+|[ \t]*\n[ \t]*)" if ch == " " else regex.escape(ch)
                branches.append(emit(child) + piece if from_end else piece + emit(child))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    body = emit(root) or "(?!)"
    return f"(?i:{body})" if ignore_case else f"(?:{body})"


@functools.lru_cache(maxsize=1)
def tables() -> dict[str, Any]:
    """The data tables: document types and the lexicon."""
    base = patterns_dir()
    return {
        "doc_types": _load_yaml(base / "doc_types.yaml"),
        "lexicon": _load_yaml(base / "lexicon.yaml"),
    }


def _table_fragments(from_end: bool = False) -> dict[str, str]:
    doc_types = tables()["doc_types"]
    lexicon = tables()["lexicon"]
    type_words = [t["name"] for group in ("administrative", "normative", "party") for t in doc_types[group]]
    type_words += [t["word"] for t in doc_types["type_words"]]
    admin_abbrs = [t["abbr"] for t in doc_types["administrative"] + doc_types["copies"] if t["abbr"]]
    party_abbrs = [t["abbr"] for t in doc_types["party"]]
    unit_forms = [form for unit in lexicon["units"] for form in unit.get("forms", [unit["unit"]])]
    acronym_units = [f for f in unit_forms if f.upper() == f]
    word_units = [f for f in unit_forms if f.upper() != f]
    def alternation(words: list[str], ignore_case: bool) -> str:
        return _alternation(words, ignore_case=ignore_case, from_end=from_end)

    return {
        "type_word": alternation(type_words, True),
        "admin_abbr": alternation(admin_abbrs, False),
        "party_abbr": alternation(party_abbrs, False),
        "issuer_head": alternation(lexicon["issuer_heads"], False),
        "issuer_stop": alternation(lexicon["issuer_stop_words"], False),
        "scale": alternation([w for s in lexicon["scales"] for w in s["words"]], True),
        "currency": alternation([w for c in lexicon["currencies"] for w in c["words"]], False),
        "unit": "(?:" + alternation(acronym_units, False) + "|" + alternation(word_units, True) + ")",
    }


@functools.lru_cache(maxsize=1)
def _prefilter_fragments() -> dict[str, str]:
    """Lexicon alternations for prefilters, in the syntax Hyperscan shares with regex.

    A unit is represented by its first word only: enough to skip most numbers that count
    nothing, and small enough for Hyperscan to report where each match starts.
    """
    lexicon = tables()["lexicon"]
    unit_forms = [form for unit in lexicon["units"] for form in unit.get("forms", [unit["unit"]])]
    heads = {form.split()[0].split(",")[0] for form in unit_forms}
    scales = {w for s in lexicon["scales"] for w in s["words"]}

    def words(items: set[str]) -> str:
        return "(?i:" + "|".join(r"\s+".join(regex.escape(part) for part in item.split())
                                 for item in sorted(items, key=lambda w: (-len(w), w))) + ")"

    return {"pf_unit_head": words(heads), "pf_scale": words(scales)}


def _expand(source: str, fragments: dict[str, str], where: str, seen: tuple[str, ...] = ()) -> str:
    def replace(m: regex.Match) -> str:
        name = m.group(1)
        if name in seen:
            raise PatternError(f"{where}: fragment ${name} refers to itself")
        if name not in fragments:
            raise PatternError(f"{where}: unknown fragment ${name}")
        return "(?:" + _expand(fragments[name], fragments, where, seen + (name,)) + ")"

    return _FRAGMENT_REF.sub(replace, source)


def _example(raw: Any, where: str) -> Example:
    if isinstance(raw, str):
        return Example(text=raw, match=raw)
    if not isinstance(raw, dict) or "text" not in raw:
        raise PatternError(f"{where}: an example needs 'text'")
    return Example(text=raw["text"], match=raw.get("match", raw["text"]), value=raw.get("value") or {})


@functools.lru_cache(maxsize=1)
def load_patterns() -> dict[str, list[Pattern]]:
    """All patterns by kind, in file order (earlier patterns win ties on the same span)."""
    base = patterns_dir()
    shared = _load_yaml(base / "fragments.yaml") or {}
    fragments = {**_table_fragments(), **shared}
    backward = _table_fragments(from_end=True)  # for leads, matched right to left
    by_kind: dict[str, list[Pattern]] = {}
    seen_ids: set[str] = set()
    with cache.RegexStore("patterns", data_digest()) as store:
        for path in sorted(base.glob("*.yaml")):
            data = _load_yaml(path)
            if not isinstance(data, dict) or "patterns" not in data:
                continue
            kind = data.get("kind")
            if not kind:
                raise PatternError(f"{path.name}: missing 'kind'")
            local = {**fragments, **(data.get("fragments") or {})}
            for entry in data["patterns"]:
                pid = entry.get("id")
                where = f"{path.name}: {pid or '<no id>'}"
                for key in ("id", "doc", "builder", "regex"):
                    if not entry.get(key):
                        raise PatternError(f"{where}: missing '{key}'")
                if pid in seen_ids:
                    raise PatternError(f"{where}: duplicate id")
                seen_ids.add(pid)
                expanded = _expand(entry["regex"], local, where)
                try:
                    compiled = store.compile(expanded, FLAGS)
                except regex.error as exc:
                    raise PatternError(f"{where}: regex does not compile: {exc}") from exc
                by_kind.setdefault(entry.get("kind", kind), []).append(
                    Pattern(
                        id=pid,
                        kind=entry.get("kind", kind),
                        doc=entry["doc"],
                        builder=entry["builder"],
                        source=expanded,
                        compiled=compiled,
                        options=entry.get("options") or {},
                        lead=_compile_lead(entry.get("lead"), {**local, **backward}, where, store),
                        scan=entry.get("scan"),
                        examples=tuple(_example(e, where) for e in entry.get("examples") or ()),
                        counter_examples=tuple(entry.get("counter_examples") or ()),
                        behind_groups=groups_in_lookbehinds(expanded),
                        prefilter=_expand(entry["prefilter"], _prefilter_fragments(), where)
                        if entry.get("prefilter") else None,
                    )
                )
    return by_kind


_LOOK_OPEN = regex.compile(r"\(\?(?:<[=!]|[=!])|\(\?P<(\w+)>|\(")


def groups_in_lookbehinds(source: str) -> tuple[str, ...]:
    """Names of the capture groups that sit inside a lookbehind of the regex ``source``."""
    names: list[str] = []
    stack: list[bool] = []  # per open parenthesis: is it (inside) a lookbehind?
    i, in_class = 0, False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if source.startswith("[]", i) or source.startswith("[^]", i):
                i += 2 if source[i + 1] == "]" else 3
                continue
        elif ch == "(":
            m = _LOOK_OPEN.match(source, i)
            inside = bool(stack and stack[-1]) or m.group().startswith("(?<")
            if m.group(1) and stack and stack[-1]:
                names.append(m.group(1))
            stack.append(inside)
            i = m.end()
            continue
        elif ch == ")" and stack:
            stack.pop()
        i += 1
    return tuple(names)


@dataclass(frozen=True)
class ScanGroup:
    """Patterns searched in one pass: their regexes joined as alternatives, in file order.

    Patterns that start at the same rare character ("/" of a reference or a ratio) are cheaper
    scanned together. At any position the first alternative that matches wins, so a group only
    holds patterns that cannot both be right at one position.
    """

    patterns: tuple[Pattern, ...]
    compiled: regex.Pattern
    # The group index of each branch, with the pattern it holds.
    branches: tuple[tuple[int, Pattern], ...] = ()

    def pattern_of(self, m: regex.Match) -> Pattern:
        if len(self.patterns) == 1:
            return self.patterns[0]
        for index, pattern in self.branches:
            if m.start(index) >= 0:
                return pattern
        raise AssertionError("no branch matched")


@functools.lru_cache(maxsize=1)
def scan_groups() -> tuple[ScanGroup, ...]:
    groups: dict[str, list[Pattern]] = {}
    singles: list[ScanGroup] = []
    for kind_patterns in load_patterns().values():
        for pattern in kind_patterns:
            if pattern.scan:
                groups.setdefault(pattern.scan, []).append(pattern)
            else:
                singles.append(ScanGroup((pattern,), pattern.compiled))
    joined = []
    with cache.RegexStore("scan-groups", data_digest()) as store:
        for name, members in groups.items():
            source = "|".join(f"(?P<scan_branch_{i}>{p.source})" for i, p in enumerate(members))
            try:
                compiled = store.compile(source, FLAGS)
            except regex.error as exc:
                raise PatternError(f"scan group {name}: patterns do not combine: {exc}") from exc
            branches = tuple((compiled.groupindex[f"scan_branch_{i}"], p) for i, p in enumerate(members))
            joined.append(ScanGroup(tuple(members), compiled, branches))
    return tuple(joined + singles)


def _compile_lead(source: str | None, fragments: dict[str, str], where: str,
                  store: cache.RegexStore) -> regex.Pattern | None:
    if not source:
        return None
    try:
        return store.compile("(?:" + _expand(source, fragments, where) + ")", FLAGS | regex.REVERSE)
    except regex.error as exc:
        raise PatternError(f"{where}: lead does not compile: {exc}") from exc
