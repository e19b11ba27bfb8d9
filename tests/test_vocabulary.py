"""metrics.yaml: every cue list and unit group is checked against its examples and
counter-examples, and a file that does not hold together fails at load with one line."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from extractor import extract_facts
from extractor.patterns import patterns_dir
from extractor.reconcile.crossdoc import is_local
from extractor.reconcile.vocabulary import METRICS_FILE, VocabularyError, load, vocabulary, words_regex

VOCABULARY = vocabulary()
CUES = list(VOCABULARY.all_cues())
CUE_EXAMPLES = [(where, cue, text) for where, cue in CUES for text in cue.examples]
CUE_COUNTER_EXAMPLES = [(where, cue, text) for where, cue in CUES for text in cue.counter_examples]


@pytest.mark.parametrize("where,cue,text", CUE_EXAMPLES, ids=[f"{w}:{t[:30]}" for w, _, t in CUE_EXAMPLES])
def test_cue_examples_are_found(where, cue, text):
    assert words_regex(cue.words).search(text), f"{where}: no cue word in {text!r}"


@pytest.mark.parametrize("where,cue,text", CUE_COUNTER_EXAMPLES,
                         ids=[f"{w}:{t[:30]}" for w, _, t in CUE_COUNTER_EXAMPLES])
def test_cue_counter_examples_are_not_found(where, cue, text):
    found = words_regex(cue.words).search(text)
    assert not found, f"{where}: {found.group()!r} found in {text!r}"


def _counted_units(text: str) -> list[str]:
    """The units of the counts and amounts extraction finds in ``text``."""
    units = []
    for fact in extract_facts(text).facts:
        if fact.kind == "quantity":
            units.append(fact.value["unit"])
        elif fact.kind == "money":
            units.append(fact.value["currency"])
        elif fact.kind == "ratio" and fact.value.get("unit"):
            units.append(fact.value["unit"])
    return units


UNIT_ROWS = [(g, text, True) for g in VOCABULARY.unit_groups for text in g.examples] + [
    (g, text, False) for g in VOCABULARY.unit_groups for text in g.counter_examples]


@pytest.mark.parametrize("group,text,member", UNIT_ROWS, ids=[f"{g.group}:{t[:30]}" for g, t, _ in UNIT_ROWS])
def test_unit_group_examples(group, text, member):
    units = _counted_units(text)
    assert units, text
    assert any(VOCABULARY.group_of(u) == group.group for u in units) == member, units


LOCAL_ROWS = [(text, True) for text in VOCABULARY.local_issuers.examples] + [
    (text, False) for text in VOCABULARY.local_issuers.counter_examples]


@pytest.mark.parametrize("text,local", LOCAL_ROWS, ids=[t[:30] for t, _ in LOCAL_ROWS])
def test_local_issuer_examples(text, local):
    references = [f for f in extract_facts(text).facts if f.kind == "doc_ref"]
    assert references, text
    assert all(is_local(r) == local for r in references)


def test_every_metric_id_named_in_the_file_is_a_metric():
    ids = {m.id for m in VOCABULARY.metrics}
    assert all(whole in ids and parts <= ids for whole, parts in VOCABULARY.partitions)
    assert set(VOCABULARY.share_bases) | set(VOCABULARY.share_bases.values()) <= ids


# ---------------------------------------------------------------- validation at load

def _broken(tmp_path: Path, edit) -> Path:
    """metrics.yaml with one change made by ``edit`` on its parsed form."""
    document = yaml.safe_load((patterns_dir() / METRICS_FILE).read_text(encoding="utf-8"))
    edit(document)
    path = tmp_path / METRICS_FILE
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _load_error(path: Path) -> str:
    with pytest.raises(VocabularyError) as caught:
        load(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path) + ": ")
    return message


def test_the_shipped_file_loads():
    assert load(patterns_dir() / METRICS_FILE).metrics == VOCABULARY.metrics


def test_an_unknown_metric_id_is_named(tmp_path):
    path = _broken(tmp_path, lambda d: d["partitions"][0]["parts"].append("dossiers.recieved"))
    assert _load_error(path).endswith("partitions[0]: unknown metric id 'dossiers.recieved'")


def test_an_unknown_share_base_is_named(tmp_path):
    path = _broken(tmp_path, lambda d: d["share_bases"].update({"dossiers.resolved_in_time": "dossiers.done"}))
    assert _load_error(path).endswith("share_bases.dossiers.resolved_in_time: unknown metric id 'dossiers.done'")


def test_a_cue_list_without_counter_examples_is_named(tmp_path):
    path = _broken(tmp_path, lambda d: d["cues"]["share_cues"].pop("counter_examples"))
    assert _load_error(path).endswith("cues.share_cues: missing field 'counter_examples'")


def test_a_unit_group_without_examples_is_named(tmp_path):
    path = _broken(tmp_path, lambda d: d["unit_groups"][1].update({"examples": []}))
    assert _load_error(path).endswith("unit_groups[1]: 'examples' must be a non-empty list of strings")


def test_a_metric_without_a_required_field_is_named(tmp_path):
    path = _broken(tmp_path, lambda d: d["metrics"][2].pop("unit_group"))
    assert _load_error(path).endswith("metrics[2] (dossiers.received_online): missing field 'unit_group'")


def test_a_state_without_examples_is_named(tmp_path):
    path = _broken(tmp_path, lambda d: d["state_families"][0]["states"]["done"].pop("examples"))
    assert _load_error(path).endswith("state_families.task_status.done: missing field 'examples'")


def test_an_unknown_section_is_named(tmp_path):
    path = _broken(tmp_path, lambda d: d.update({"share_base": {}}))
    assert _load_error(path).endswith("share_base: unknown section")


def test_a_repeated_key_is_named(tmp_path):
    path = tmp_path / METRICS_FILE
    text = (patterns_dir() / METRICS_FILE).read_text(encoding="utf-8")
    path.write_text(text + "\nshare_bases:\n  dossiers.resolved_in_time: dossiers.resolved\n", encoding="utf-8")
    message = _load_error(path)
    assert "repeated key 'share_bases'" in message and ": line " in message


def test_an_unknown_cumulative_metric_is_named(tmp_path):
    path = _broken(tmp_path, lambda d: d["cumulative_metrics"].append("dossiers.recieved"))
    assert _load_error(path).endswith("cumulative_metrics: unknown metric id 'dossiers.recieved'")


def test_an_unknown_carry_over_metric_is_named(tmp_path):
    path = _broken(tmp_path, lambda d: d["carry_over"].update({"pending": "dossiers.open"}))
    assert _load_error(path).endswith("carry_over.pending: unknown metric id 'dossiers.open'")
