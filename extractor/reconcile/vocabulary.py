"""The reconciler's vocabulary: ``patterns/metrics.yaml`` loaded once, validated, with typed access.

Every cue word, unit group, metric and split of a whole that the claim readers, the metrics
and the cross-document checks use comes from here; no other module reads the file. A file
that does not hold together (a repeated key, a missing field, an entry without examples or
counter-examples, a metric id that names no metric) fails at load with one line naming the
file, the entry and the problem.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

import regex

from .. import cache
from ..patterns import patterns_dir

METRICS_FILE = "metrics.yaml"


class VocabularyError(ValueError):
    """metrics.yaml does not hold together: the message names the file, the entry and the problem."""


def words_pattern(words: Sequence[str]) -> str:
    """Any of ``words``, longest first, blanks matching any run of blanks; no word boundaries,
    for cue words set inside a larger regex."""
    return "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def words_regex(words: Sequence[str], anchored: str = "") -> regex.Pattern:
    """Any of ``words`` as whole words, longest first, blanks matching any run of blanks, case
    ignored; ``anchored`` goes before (e.g. ``^\\s*``)."""
    return regex.compile(anchored + r"(?:(?<!\p{L})(?:" + words_pattern(words) + r")(?!\p{L}))", regex.IGNORECASE)


@dataclass(frozen=True)
class Cue:
    """A list of cue words, with phrases it must find and near misses it must not."""

    name: str
    words: tuple[str, ...]
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]


@dataclass(frozen=True)
class UnitGroup:
    """Units that count the same kind of thing."""

    group: str
    units: tuple[str, ...]
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]


@dataclass(frozen=True)
class Metric:
    """What a figure measures, and the words that say so (and those that rule it out)."""

    id: str
    label: dict[str, str]
    unit_group: str
    words: tuple[str, ...]
    excluded: tuple[str, ...]
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]


@dataclass(frozen=True)
class StateFamily:
    """Mutually exclusive states (done, ongoing, overdue), each with its words."""

    name: str
    states: dict[str, Cue]


@dataclass(frozen=True)
class DossierFlow:
    """The words of the dossier flow, received = resolved + pending (+ overdue), by role."""

    unit_group: str
    cues: dict[str, Cue]


@dataclass(frozen=True)
class LocalIssuers:
    """Codes of local bodies, whose numbers are unique only within one place."""

    codes: frozenset[str]
    pattern: regex.Pattern
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]


@dataclass(frozen=True)
class Vocabulary:
    document: dict[str, Any]
    unit_groups: tuple[UnitGroup, ...]
    cues: dict[str, Cue]
    metrics: tuple[Metric, ...]
    partitions: tuple[tuple[str, frozenset[str]], ...]  # (whole, its parts), one per split
    share_bases: dict[str, str]  # a share's metric -> the metric of its whole
    state_families: tuple[StateFamily, ...]
    dossier_flow: DossierFlow
    local_issuers: LocalIssuers
    cumulative_metrics: tuple[str, ...]  # metrics that only grow over a reporting window
    carry_over: tuple[str, str]  # (carried over, pending): a period's first is the previous one's second

    @functools.cached_property
    def _group_of_unit(self) -> dict[str, str]:
        return {unit: g.group for g in self.unit_groups for unit in g.units}

    @functools.cached_property
    def _metric_by_id(self) -> dict[str, Metric]:
        return {m.id: m for m in self.metrics}

    def metric(self, metric_id: str) -> Metric | None:
        """The metric of an id (``dossiers.received``); ``None`` for an unknown id."""
        return self._metric_by_id.get(metric_id)

    def group_of(self, unit: str) -> str:
        """The unit group of a canonical unit; a unit in no group is a group of its own."""
        return self._group_of_unit.get(unit, unit)

    def all_cues(self) -> Iterator[tuple[str, Cue]]:
        """Every cue list of the file, with where it stands in it."""
        yield from ((f"cues.{name}", cue) for name, cue in self.cues.items())
        for family in self.state_families:
            yield from ((f"state_families.{family.name}.{name}", cue) for name, cue in family.states.items())
        yield from ((f"dossier_flow.{role}", cue) for role, cue in self.dossier_flow.cues.items())


# The roles of the dossier flow that the flow reader needs words for.
DOSSIER_FLOW_ROLES = ("received", "received_part", "resolved", "pending", "overdue", "not_yet", "unresolved")
TOP_LEVEL_KEYS = {"unit_groups", "cues", "state_families", "dossier_flow", "metrics", "local_issuers",
                  "share_bases", "partitions", "cumulative_metrics", "carry_over"}


def _strict_load(stream: Any) -> Any:
    """The YAML of ``stream``; YAML keeps the last of two equal keys silently, a repeated key
    is an error here. (PyYAML is imported only when the file is not in the cache.)"""
    import yaml

    class StrictLoader(yaml.SafeLoader):
        pass

    def construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen = set()
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            if key in seen:
                raise VocabularyError(f"{loader.name}: line {key_node.start_mark.line + 1}: repeated key {key!r}")
            seen.add(key)
        return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)

    StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    loader = StrictLoader(stream)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


class _Reader:
    """Field access that fails with the file and the entry named."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, entry: str, problem: str) -> VocabularyError:
        return VocabularyError(f"{self.path}: {entry}: {problem}")

    def mapping(self, value: Any, entry: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(entry, "must be a mapping")
        return value

    def field(self, item: dict, key: str, entry: str) -> Any:
        if key not in item:
            raise self.fail(entry, f"missing field {key!r}")
        return item[key]

    def strings(self, item: dict, key: str, entry: str, required: bool = True) -> tuple[str, ...]:
        """A non-empty list of strings (an absent optional one is empty)."""
        if key not in item and not required:
            return ()
        value = self.field(item, key, entry)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            raise self.fail(entry, f"{key!r} must be a non-empty list of strings")
        return tuple(value)

    def cue(self, item: Any, name: str, entry: str) -> Cue:
        item = self.mapping(item, entry)
        return Cue(name, self.strings(item, "words", entry), self.strings(item, "examples", entry),
                   self.strings(item, "counter_examples", entry))


def load(path: Path) -> Vocabulary:
    """Read and validate one metrics file."""
    document = cache.parsed_yaml(path, _strict_load, variant="strict")
    r = _Reader(path)
    document = r.mapping(document, "the file")
    unknown = sorted(set(document) - TOP_LEVEL_KEYS)
    if unknown:
        raise r.fail(unknown[0], "unknown section")
    unit_groups = []
    for i, item in enumerate(r.field(document, "unit_groups", "the file")):
        entry = f"unit_groups[{i}]"
        item = r.mapping(item, entry)
        unit_groups.append(UnitGroup(r.field(item, "group", entry), r.strings(item, "units", entry),
                                     r.strings(item, "examples", entry), r.strings(item, "counter_examples", entry)))
    cues = {name: r.cue(item, name, f"cues.{name}")
            for name, item in r.mapping(r.field(document, "cues", "the file"), "cues").items()}
    metrics = []
    for i, item in enumerate(r.field(document, "metrics", "the file")):
        entry = f"metrics[{i}]"
        item = r.mapping(item, entry)
        entry = f"metrics[{i}] ({r.field(item, 'id', entry)})"
        label = r.mapping(r.field(item, "label", entry), entry + ".label")
        for lang in ("vi", "en"):
            r.field(label, lang, entry + ".label")
        metrics.append(Metric(item["id"], label, r.field(item, "unit_group", entry), r.strings(item, "words", entry),
                              r.strings(item, "not", entry, required=False), r.strings(item, "examples", entry),
                              r.strings(item, "counter_examples", entry)))
    ids = [m.id for m in metrics]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise r.fail("metrics", f"repeated metric id {repeated[0]!r}")
    known = set(ids)

    def metric_id(value: Any, entry: str) -> str:
        if value not in known:
            raise r.fail(entry, f"unknown metric id {value!r}")
        return value

    partitions = []
    for i, item in enumerate(document.get("partitions") or []):
        entry = f"partitions[{i}]"
        item = r.mapping(item, entry)
        whole = metric_id(r.field(item, "whole", entry), entry)
        partitions.append((whole, frozenset(metric_id(p, entry) for p in r.strings(item, "parts", entry))))
    share_bases = {metric_id(share, f"share_bases.{share}"): metric_id(base, f"share_bases.{share}")
                   for share, base in r.mapping(document.get("share_bases") or {}, "share_bases").items()}
    families = []
    for i, item in enumerate(document.get("state_families") or []):
        entry = f"state_families[{i}]"
        item = r.mapping(item, entry)
        name = r.field(item, "name", entry)
        states = r.mapping(r.field(item, "states", entry), f"state_families.{name}.states")
        r.strings(item, "examples", f"state_families.{name}")
        families.append(StateFamily(name, {state: r.cue(words, state, f"state_families.{name}.{state}")
                                           for state, words in states.items()}))
    flow = r.mapping(r.field(document, "dossier_flow", "the file"), "dossier_flow")
    for role in DOSSIER_FLOW_ROLES:
        r.field(flow, role, "dossier_flow")
    dossier_flow = DossierFlow(r.field(flow, "unit_group", "dossier_flow"),
                               {role: r.cue(item, role, f"dossier_flow.{role}")
                                for role, item in flow.items() if role != "unit_group"})
    local = r.mapping(r.field(document, "local_issuers", "the file"), "local_issuers")
    try:
        pattern = regex.compile(r.field(local, "pattern", "local_issuers"))
    except regex.error as exc:
        raise r.fail("local_issuers.pattern", f"not a regex ({exc})") from None
    local_issuers = LocalIssuers(frozenset(r.strings(local, "codes", "local_issuers")), pattern,
                                 r.strings(local, "examples", "local_issuers"),
                                 r.strings(local, "counter_examples", "local_issuers"))
    cumulative = tuple(metric_id(m, "cumulative_metrics")
                       for m in r.strings(document, "cumulative_metrics", "the file"))
    carry = r.mapping(r.field(document, "carry_over", "the file"), "carry_over")
    carry_over = tuple(metric_id(r.field(carry, key, "carry_over"), f"carry_over.{key}") for key in ("carried", "pending"))
    return Vocabulary(document, tuple(unit_groups), cues, tuple(metrics), tuple(partitions), share_bases,
                      tuple(families), dossier_flow, local_issuers, cumulative, carry_over)


@functools.lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    return load(patterns_dir() / METRICS_FILE)


def document() -> dict[str, Any]:
    """The file as loaded, for readers of fields with no typed accessor."""
    return vocabulary().document


def _cue(name: str) -> Cue:
    cues = vocabulary().cues
    if name not in cues:
        raise VocabularyError(f"{patterns_dir() / METRICS_FILE}: cues.{name}: missing cue list")
    return cues[name]


@functools.lru_cache(maxsize=None)
def cue_regex(name: str, anchored: str = "") -> regex.Pattern:
    """The cue words ``name`` of metrics.yaml as a whole-word regex."""
    return words_regex(_cue(name).words, anchored)


def cue_words(name: str) -> tuple[str, ...]:
    """The cue words ``name`` as written."""
    return _cue(name).words


def cue_pattern(name: str) -> str:
    """The cue words ``name`` as an alternation to set inside a larger regex."""
    return words_pattern(_cue(name).words)
