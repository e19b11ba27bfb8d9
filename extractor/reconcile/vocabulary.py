"""The reconciler's vocabulary: ``patterns/metrics.yaml`` loaded once, with typed access.

Every cue word, unit group, metric and split of a whole that the claim readers, the metrics
and the cross-document checks use comes from here; no other module reads the file.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Sequence

import regex
import yaml

from ..patterns import patterns_dir

METRICS_FILE = "metrics.yaml"


def words_pattern(words: Sequence[str]) -> str:
    """Any of ``words``, longest first, blanks matching any run of blanks; no word boundaries,
    for cue words set inside a larger regex."""
    return "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def words_regex(words: Sequence[str], anchored: str = "") -> regex.Pattern:
    """Any of ``words`` as whole words, longest first, blanks matching any run of blanks, case
    ignored; ``anchored`` goes before (e.g. ``^\\s*``)."""
    return regex.compile(anchored + r"(?:(?<!\p{L})(?:" + words_pattern(words) + r")(?!\p{L}))", regex.IGNORECASE)


@dataclass(frozen=True)
class Metric:
    """What a figure measures, and the words that say so."""

    id: str
    label: dict[str, str]
    unit_group: str
    words: tuple[str, ...]
    excluded: tuple[str, ...]
    examples: tuple[str, ...]


@dataclass(frozen=True)
class DossierFlow:
    """The words of the dossier flow: received = resolved + pending (+ overdue)."""

    unit_group: str
    words: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Vocabulary:
    document: dict[str, Any]
    unit_groups: dict[str, str]  # unit -> the group of units that count the same things
    metrics: tuple[Metric, ...]
    partitions: tuple[tuple[str, frozenset[str]], ...]  # (whole, its parts), one per split
    share_bases: dict[str, str]  # a share's metric -> the metric of its whole
    state_families: tuple[dict[str, tuple[str, ...]], ...]  # state name -> its words, per family
    dossier_flow: DossierFlow | None
    local_issuer_codes: frozenset[str]
    local_issuer_pattern: regex.Pattern

    def group_of(self, unit: str) -> str:
        """The unit group of a canonical unit; a unit in no group is a group of its own."""
        return self.unit_groups.get(unit, unit)


def _load(path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@functools.lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    document = _load(patterns_dir() / METRICS_FILE)
    flow = document.get("dossier_flow")
    return Vocabulary(
        document=document,
        unit_groups={unit: g["group"] for g in document["unit_groups"] for unit in g["units"]},
        metrics=tuple(Metric(m["id"], m.get("label", {}), m["unit_group"], tuple(m["words"]),
                             tuple(m.get("not") or ()), tuple(m["examples"]))
                      for m in document.get("metrics", [])),
        partitions=tuple((p["whole"], frozenset(p["parts"])) for p in document.get("partitions", [])),
        share_bases=dict(document.get("share_bases") or {}),
        state_families=tuple({name: tuple(words) for name, words in family["states"].items()}
                             for family in document.get("state_families", [])),
        dossier_flow=DossierFlow(flow["unit_group"], {k: tuple(v) for k, v in flow.items() if k != "unit_group"})
        if flow else None,
        local_issuer_codes=frozenset(document.get("local_issuer_codes", [])),
        local_issuer_pattern=regex.compile(document.get("local_issuer_pattern", "(?!)")),
    )


def document() -> dict[str, Any]:
    """The file as loaded, for readers of fields with no typed accessor (metric labels)."""
    return vocabulary().document


@functools.lru_cache(maxsize=None)
def cue_regex(name: str, anchored: str = "") -> regex.Pattern:
    """The cue words ``name`` of metrics.yaml as a whole-word regex."""
    return words_regex(vocabulary().document[name], anchored)
