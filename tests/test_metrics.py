"""Every metric's examples are read as that metric, and its counter-examples are not."""
from __future__ import annotations

import pytest

from extractor import extract_facts
from extractor.reconcile.metrics import metric_of, metric_table
from extractor.structure.layout import Layout
from extractor.reconcile.vocabulary import vocabulary

EXAMPLES = [(m.id, e) for m in vocabulary().metrics for e in m.examples]
COUNTER_EXAMPLES = [(m.id, e) for m in vocabulary().metrics for e in m.counter_examples]


def test_every_metric_has_examples_and_counter_examples():
    assert all(m.examples and m.counter_examples for m in vocabulary().metrics)
    assert len(metric_table()) == len(vocabulary().metrics)


@pytest.mark.parametrize("metric,text", EXAMPLES, ids=[f"{m}:{t[:30]}" for m, t in EXAMPLES])
def test_metric_examples(metric, text):
    quantities = [f for f in extract_facts(text).facts if f.kind == "quantity"]
    assert quantities, text
    assert metric_of(text, Layout(text), quantities[-1]) == metric


@pytest.mark.parametrize("metric,text", COUNTER_EXAMPLES, ids=[f"{m}:{t[:30]}" for m, t in COUNTER_EXAMPLES])
def test_metric_counter_examples(metric, text):
    quantities = [f for f in extract_facts(text).facts if f.kind == "quantity"]
    assert quantities, text
    assert metric_of(text, Layout(text), quantities[-1]) != metric


def test_seed_dossier_figures_get_their_metrics():
    text = ("Số lượng TTHC tiếp nhận trong kỳ: 14.911 hồ sơ, trong đó 4.532 hồ sơ tiếp nhận qua mạng; "
            "9.881 hồ sơ tiếp nhận trực tiếp; 498 hồ sơ từ kỳ trước chuyển qua; Đã giải quyết 14.202 hồ sơ "
            "(398 hồ sơ đã giải quyết và trả đúng hạn, 13.798 hồ sơ trước hạn), 06 hồ sơ trễ hạn; "
            "Hồ sơ đang giải quyết, chưa đến hạn: 709 hồ sơ.")
    layout = Layout(text)
    got = {f.text: metric_of(text, layout, f) for f in extract_facts(text).facts if f.kind == "quantity"}
    assert got == {
        "14.911 hồ sơ": "dossiers.received", "4.532 hồ sơ": "dossiers.received_online",
        "9.881 hồ sơ": "dossiers.received_in_person", "498 hồ sơ": "dossiers.carried_over",
        "14.202 hồ sơ": "dossiers.resolved", "398 hồ sơ": "dossiers.resolved_on_time",
        "13.798 hồ sơ": "dossiers.resolved_early", "06 hồ sơ": "dossiers.late", "709 hồ sơ": "dossiers.pending",
    }
