"""Finding messages: Vietnamese by default, English on request."""
from __future__ import annotations

from decimal import Decimal
from typing import Any


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
    from .claims import _metrics

    for entry in _metrics().get("metrics", []):
        if entry["id"] == metric and entry.get("label"):
            return entry["label"].get(lang, metric)
    return metric


def finding_message(finding, lang: str = "vi") -> str:
    n = vn_number if lang == "vi" else en_number
    d = finding.detail
    if finding.kind == "sum_mismatch":
        parts = " + ".join(n(p) for p in d["parts"])
        if lang == "vi":
            return f"Tổng không khớp: {parts} = {n(finding.expected)}, nhưng văn bản ghi tổng là {n(finding.stated)}"
        return f"Total does not add up: {parts} = {n(finding.expected)}, but the document states {n(finding.stated)}"
    if finding.kind == "percent_mismatch":
        if lang == "vi":
            return (f"Tỷ lệ không khớp: {n(d['part'])}/{n(d['whole'])} = {n(finding.expected)}%, "
                    f"nhưng văn bản ghi {n(finding.stated)}%")
        return (f"Percentage does not match: {n(d['part'])}/{n(d['whole'])} = {n(finding.expected)}%, "
                f"but the document states {n(finding.stated)}%")
    if finding.kind == "percent_impossible" and d.get("over_whole"):
        if lang == "vi":
            return (f"Tỷ lệ vượt 100%: phần {n(d['part'])} lớn hơn tổng {n(d['whole'])} "
                    f"(văn bản ghi {n(finding.stated)}%)")
        return (f"Share over 100%: the part {n(d['part'])} exceeds its whole {n(d['whole'])} "
                f"(the document states {n(finding.stated)}%)")
    if finding.kind == "percent_impossible":
        if lang == "vi":
            return f"Không có tổng số nguyên nào để {n(d['part'])} chiếm {n(finding.stated)}%"
        return f"No whole number makes {n(d['part'])} equal to {n(finding.stated)}%"
    if finding.kind == "difference_mismatch":
        if lang == "vi":
            return (f"Chênh lệch không khớp: {n(d['current'])} so với {n(d['previous'])} chênh "
                    f"{n(abs(finding.expected))}, nhưng văn bản ghi {n(finding.stated)}")
        return (f"Difference does not match: {n(d['current'])} against {n(d['previous'])} differs by "
                f"{n(abs(finding.expected))}, but the document states {n(finding.stated)}")
    if finding.kind == "numbering_order":
        earlier = ", ".join(f"{c} ({_date(day, lang)})" for c, day in d["earlier"])
        if lang == "vi":
            hedge = "" if finding.severity == "error" else " (nếu cơ quan đánh số chung mọi loại văn bản)"
            return (f"Số văn bản ngược thứ tự ngày: {d['document']} ngày {_date(d['date'], lang)} có số nhỏ hơn "
                    f"văn bản ban hành trước đó trong cùng năm: {earlier}{hedge}")
        hedge = "" if finding.severity == "error" else " (if the agency numbers all its types in one series)"
        return (f"Numbering runs against dates: {d['document']} of {_date(d['date'], lang)} has a lower number "
                f"than documents issued earlier the same year: {earlier}{hedge}")
    if finding.kind == "unnumbered_draft":
        signs_vi = [s for s, on in (("chưa có số", d["blank_number"]), ("chưa có ngày", d["blank_day"])) if on]
        signs_en = [s for s, on in (("no number", d["blank_number"]), ("no day", d["blank_day"])) if on]
        if lang == "vi":
            return f"Văn bản là bản dự thảo chưa ký: {' và '.join(signs_vi)}"
        return f"The document is an unsigned draft: {' and '.join(signs_en)}"
    if finding.kind == "ref_date_conflict":
        dates = ", ".join(_date(x, lang) for x in d["dates"])
        if lang == "vi":
            return f"Văn bản {d['reference']} được trích dẫn với các ngày khác nhau: {dates}"
        return f"{d['reference']} is cited with different dates: {dates}"
    if finding.kind == "ref_type_conflict":
        if lang == "vi":
            return f"Văn bản {d['reference']} được gọi bằng các loại khác nhau: {', '.join(d['types'])}"
        return f"{d['reference']} is cited as different document types: {', '.join(d['types'])}"
    if finding.kind == "ref_dated_after_citing":
        if lang == "vi":
            return (f"Văn bản {d['reference']} ngày {_date(d['date'], lang)} được trích dẫn trong văn bản "
                    f"ban hành trước đó ({_date(d['document_date'], lang)})")
        return (f"{d['reference']} of {_date(d['date'], lang)} is cited by a document issued earlier "
                f"({_date(d['document_date'], lang)})")
    if finding.kind == "period_total_mismatch":
        if lang == "vi":
            return (f"Số liệu lũy kế giảm: {metric_label(d['metric'], lang)} kỳ {d['longer'][1]} là {n(finding.stated)}, "
                    f"nhỏ hơn kỳ {d['shorter'][1]} ({finding.expected[3:]})")
        return (f"Cumulative figure shrinks: {metric_label(d['metric'], lang)} for {d['longer'][1]} is {n(finding.stated)}, "
                f"less than for {d['shorter'][1]} ({finding.expected[3:]})")
    if finding.kind == "carry_over_mismatch":
        if lang == "vi":
            return (f"Hồ sơ từ kỳ trước chuyển sang của kỳ {d['following'][1]} là {n(finding.stated)}, "
                    f"khác số hồ sơ đang giải quyết cuối kỳ {d['previous'][1]} ({n(finding.expected)})")
        return (f"Dossiers carried into {d['following'][1]} are {n(finding.stated)}, not the "
                f"{n(finding.expected)} pending at the end of {d['previous'][1]}")
    if finding.kind == "figure_restated_differently":
        values = ", ".join(n(x) for x in [finding.stated] + list(finding.expected))
        if lang == "vi":
            return (f"Cùng một số liệu ({metric_label(d['metric'], lang)}, {_date(d['period'][0], lang)}–"
                    f"{_date(d['period'][1], lang)}) được nêu khác nhau: {values}")
        return (f"The same figure ({metric_label(d['metric'], lang)}, {_date(d['period'][0], lang)}–"
                f"{_date(d['period'][1], lang)}) is stated differently: {values}")
    if finding.kind in ("place_spelling", "body_spelling") and d.get("problem") is not None:
        return d["problem"].to_dict(lang)["message"]
    if finding.kind == "duplicate_differs":
        pairs = "; ".join(f"{x} / {y}" for x, y in d["figures"])
        if lang == "vi":
            return f"Hai bản của cùng một văn bản có số liệu khác nhau: {pairs}"
        return f"Two versions of one document state different figures: {pairs}"
    if finding.kind == "table_total_mismatch":
        parts = " + ".join(n(p) for p in d["parts"])
        if lang == "vi":
            return (f"Dòng '{d['label']}' của bảng không khớp ở cột '{d['column']}': {parts} = "
                    f"{n(finding.expected)}, nhưng bảng ghi {n(finding.stated)}")
        return (f"Table row '{d['label']}' does not add up in column '{d['column']}': {parts} = "
                f"{n(finding.expected)}, but the table states {n(finding.stated)}")
    if finding.kind == "place_spelling":
        if lang == "vi":
            return f"Địa danh viết sai: '{d['text']}', các văn bản khác viết '{d['corrected']}'"
        return f"Place misspelt: '{d['text']}', other documents write '{d['corrected']}'"
    return finding.kind


def _date(iso: str, lang: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"
