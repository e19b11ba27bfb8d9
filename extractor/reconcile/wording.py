"""The wording of findings: each finding kind's fields prepared for its message in the
catalogue (numbers in the language's locale, dates as dd/mm/yyyy, lists joined)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..messages import message


def vn_number(value: Any) -> str:
    """14911 → '14.911'; 4135.9 → '4.135,9' (the Vietnamese locale)."""
    if value is None:
        return "?"
    d = Decimal(value)
    sign = "-" if d < 0 else ""
    text = format(abs(d).normalize(), "f")
    integer, _, decimals = text.partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    return sign + ".".join(groups) + ("," + decimals if decimals else "")


def en_number(value: Any) -> str:
    return "?" if value is None else format(Decimal(value).normalize(), ",f")


def metric_label(metric: str, lang: str) -> str:
    """What a metric measures, in words (``hồ sơ tiếp nhận mới``), from ``metrics.yaml``; in
    Vietnamese for another language, and its id when no metric has it."""
    from .vocabulary import vocabulary

    found = vocabulary().metric(metric)
    return found.label.get(lang) or found.label["vi"] if found else metric


def finding_message(finding, lang: str = "vi") -> str:
    n = vn_number if lang == "vi" else en_number
    d = finding.detail
    if finding.kind == "sum_mismatch":
        return message("finding_sum_mismatch", lang, parts=" + ".join(n(p) for p in d["parts"]),
                       expected=n(finding.expected), stated=n(finding.stated))
    if finding.kind == "percent_mismatch":
        return message("finding_percent_mismatch", lang, part=n(d["part"]), whole=n(d["whole"]),
                       expected=n(finding.expected), stated=n(finding.stated))
    if finding.kind == "percent_impossible" and d.get("over_whole"):
        return message("finding_percent_over_whole", lang, part=n(d["part"]), whole=n(d["whole"]),
                       stated=n(finding.stated))
    if finding.kind == "percent_impossible":
        return message("finding_percent_impossible", lang, part=n(d["part"]), stated=n(finding.stated))
    if finding.kind == "difference_mismatch":
        return message("finding_difference_mismatch", lang, current=n(d["current"]),
                       previous=n(d["previous"]), expected=n(abs(finding.expected)), stated=n(finding.stated))
    if finding.kind == "numbering_order":
        fields = {"document": d["document"], "date": _date(d["date"]),
                  "earlier": ", ".join(f"{c} ({_date(day)})" for c, day in d["earlier"])}
        if finding.severity == "error":
            return message("finding_numbering_order", lang, **fields)
        # Numbers out of order only across document types: the agency may number them apart.
        return message("finding_numbering_order_possible", lang, **fields)
    if finding.kind == "unnumbered_draft":
        signs = [message(code, lang) for code, on in (("draft_sign_no_number", d["blank_number"]),
                                                      ("draft_sign_no_day", d["blank_day"])) if on]
        return message("finding_unnumbered_draft", lang, signs=message("list_and", lang).join(signs))
    if finding.kind == "ref_date_conflict":
        return message("finding_ref_date_conflict", lang, reference=d["reference"],
                       dates=", ".join(_date(x) for x in d["dates"]))
    if finding.kind == "ref_type_conflict":
        return message("finding_ref_type_conflict", lang, reference=d["reference"],
                       types=", ".join(d["types"]))
    if finding.kind == "ref_dated_after_citing":
        return message("finding_ref_dated_after_citing", lang, reference=d["reference"],
                       date=_date(d["date"]), document_date=_date(d["document_date"]))
    if finding.kind == "period_total_mismatch":
        return message("finding_period_total_mismatch", lang, metric=metric_label(d["metric"], lang),
                       longer=d["longer"][1], shorter=d["shorter"][1], stated=n(finding.stated),
                       expected=finding.expected[3:])
    if finding.kind == "carry_over_mismatch":
        return message("finding_carry_over_mismatch", lang, following=d["following"][1],
                       previous=d["previous"][1], stated=n(finding.stated), expected=n(finding.expected))
    if finding.kind == "figure_restated_differently":
        return message("finding_figure_restated_differently", lang, metric=metric_label(d["metric"], lang),
                       start=_date(d["period"][0]), end=_date(d["period"][1]),
                       values=", ".join(n(x) for x in [finding.stated] + list(finding.expected)))
    if finding.kind == "restatement_mismatch":
        return message("finding_restatement_mismatch", lang, values=" / ".join(f.text for f in finding.facts))
    if finding.kind == "percent_change_mismatch":
        return message("finding_percent_change_mismatch", lang, previous=n(d["previous"]), current=n(d["current"]),
                       expected=n(finding.expected), stated=n(finding.stated))
    if finding.kind == "multiple_mismatch":
        return message("finding_multiple_mismatch", lang, current=n(d["current"]), base=n(d["base"]),
                       expected=n(finding.expected), stated=n(finding.stated))
    if finding.kind == "complement_mismatch":
        return message("finding_complement_mismatch", lang, parts=" − ".join(f"{n(p)}%" for p in d["parts"]),
                       expected=n(finding.expected), stated=n(finding.stated))
    if finding.kind == "formula_mismatch":
        return message("finding_formula_mismatch", lang, expression=d["expression"], expected=n(finding.expected),
                       stated=n(finding.stated))
    if finding.kind == "rounding_mismatch":
        return message("finding_rounding_mismatch", lang, value=n(d["computed"]), expected=n(finding.expected),
                       stated=n(finding.stated))
    if finding.kind in ("place_spelling", "body_spelling") and d.get("problem") is not None:
        return d["problem"].to_dict(lang)["message"]
    if finding.kind == "duplicate_differs":
        return message("finding_duplicate_differs", lang,
                       pairs="; ".join(f"{x} / {y}" for x, y in d["figures"]))
    if finding.kind == "table_count_mismatch":
        return message("finding_table_count_mismatch", lang, label=d["label"], expected=n(finding.expected),
                       stated=n(finding.stated))
    if finding.kind == "table_total_mismatch":
        return message("finding_table_total_mismatch", lang, label=d["label"], column=d["column"],
                       parts=" + ".join(n(p) for p in d["parts"]), expected=n(finding.expected), stated=n(finding.stated))
    if finding.kind == "place_spelling":
        return message("finding_place_spelling", lang, text=d["text"], corrected=d["corrected"])
    if d.get("message_code"):
        # Checks that prepare their own fields (reconcile/citations.py).
        return message(d["message_code"], lang, **d["message_fields"])
    return finding.kind


def _date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"
