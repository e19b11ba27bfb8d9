"""The web app's words, in Vietnamese (default) and English, all from the message catalogue
(``extractor/locale/*.yaml``): a template's ``t("label")`` is the code ``web_<label>``,
``sev(severity)`` is ``severity_<severity>``, ``kind(kind)`` is ``finding_kind_<kind>``, and
metric names come from the vocabulary of ``patterns/metrics.yaml``
(:func:`extractor.reconcile.wording.metric_label`)."""
from __future__ import annotations

from ..messages import LANGS, catalogue, message
from ..reconcile import wording

__all__ = ["LANGS", "kind_label", "metric_label", "severity_label", "translate"]


def _named(prefix: str, lang: str, value: str, **fields: object) -> str:
    """The catalogue's ``prefix + value``; ``value`` itself when the catalogue has no such code
    (a label built from data, say a new finding kind, still shows something)."""
    code = prefix + value
    if code not in catalogue(lang if lang in LANGS else "vi"):
        return value
    return message(code, lang, **fields)


def translate(lang: str, label: str, /, **fields: object) -> str:
    """A template's word: the catalogue's ``web_<label>``."""
    return _named("web_", lang, label, **fields)


def severity_label(lang: str, severity: str | None) -> str:
    return _named("severity_", lang, severity) if severity else ""


def kind_label(lang: str, kind: str | None) -> str:
    """What a kind of finding is (``tổng không khớp``); its id when unnamed."""
    return _named("finding_kind_", lang, kind) if kind else ""


def metric_label(lang: str, metric: str | None) -> str:
    """What a metric measures, in words (``hồ sơ tiếp nhận mới``); its id when unnamed."""
    return wording.metric_label(metric, lang) if metric else ""
