"""The figures page: every stated value of a metric for a body, period by period across
documents, and the geometry of its chart."""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from .common import DOCS, FACTS, FINDING_FACTS, FINDINGS, iso, json_number


def series(engine, body: str | None, metric: str | None, shown_per_value: int | None = None) -> dict[str, Any]:
    """Every stated value of ``metric`` for ``body``, by period, across documents; a period
    stated with different values is a contradiction, linked to the findings on its facts.
    With ``shown_per_value``, a value stated for one period by many documents lists the first
    that many of them, the last one shown saying how many more (``more``)."""
    metric_of, body_of = FACTS.c.metric, FACTS.c.body
    with engine.connect() as conn:
        # The choices, counted in SQL from the indexes on body and metric: every body, and the
        # metrics of the body chosen.
        bodies = Counter(dict(conn.execute(sa.select(body_of, sa.func.count()).where(
            body_of.is_not(None)).group_by(body_of)).all()))
        statement = sa.select(metric_of, sa.func.count()).where(
            body_of == body if body else sa.true(), metric_of.is_not(None))
        metrics = Counter(dict(conn.execute(statement.group_by(metric_of)).all()))
        chosen = []
        if metric:
            chosen = _stated(conn, metric, body, shown_per_value)
        links = defaultdict(list)
        if chosen:
            for fact_id, key, severity, kind in conn.execute(
                    sa.select(FINDING_FACTS.c.fact_id, FINDINGS.c.key, FINDINGS.c.severity, FINDINGS.c.kind)
                    .join(FINDINGS, FINDINGS.c.id == FINDING_FACTS.c.finding_id)
                    .where(FINDING_FACTS.c.fact_id.in_([r.id for r in chosen]))):
                links[fact_id].append({"key": key, "severity": severity, "kind": kind})
    periods: dict[tuple, dict[str, Any]] = {}
    for r in chosen:
        period = r.meaning.get("period") or {}
        key = (period.get("start"), period.get("end"), r.meaning.get("body"))
        p = periods.setdefault(key, {"start": period.get("start"), "end": period.get("end"),
                                     "label": period.get("label") or f"{period.get('start')}–{period.get('end')}",
                                     "body": r.meaning.get("body"), "values": []})
        if period.get("label") and len(period["label"]) < len(p["label"]):
            p["label"] = period["label"]  # the name a document gives it (quý I/2024), if any
        p["values"].append({"fact_id": r.id, "document_id": r.document_id, "name": Path(r.path).name,
                            "number": r.number, "date": iso(r.doc_date), "text": r.text,
                            "value": json_number(r.numeric_value), "unit": r.unit, "findings": links.get(r.id, []),
                            "more": r.more})
    series = sorted(periods.values(), key=lambda p: (p["end"] or "", p["start"] or ""))
    for p in series:
        distinct = sorted({v["value"] for v in p["values"]})
        p["distinct"] = distinct
        p["contradiction"] = len(distinct) > 1
        p["findings"] = list({f["key"]: f for v in p["values"] for f in v["findings"]}.values())
    return {"body": body, "metric": metric, "bodies": [{"value": v, "count": c} for v, c in bodies.most_common()],
            "metrics": [{"value": v, "count": c} for v, c in sorted(metrics.items())],
            "periods": series, "unit": next((v["unit"] for p in series for v in p["values"] if v["unit"]), None)}


def _stated(conn, metric: str, body: str | None, shown_per_value: int | None) -> list:
    """The facts stating ``metric`` (for ``body``) with their documents, in date order; with
    ``shown_per_value``, only the first documents of each value of a period and body, numbered
    in SQL so that the others are neither read nor sent."""
    period = [FACTS.c.meaning[("period", "start")].as_string(), FACTS.c.meaning[("period", "end")].as_string()]
    columns = [FACTS.c.id, FACTS.c.document_id, FACTS.c.text, FACTS.c.numeric_value, FACTS.c.unit,
               FACTS.c.meaning, DOCS.c.path, DOCS.c.number, DOCS.c.doc_date]
    where = [FACTS.c.metric == metric, FACTS.c.numeric_value.is_not(None)] + ([FACTS.c.body == body] if body else [])
    if shown_per_value is None:
        statement = sa.select(*columns, sa.literal(0).label("more")).join(DOCS, DOCS.c.id == FACTS.c.document_id)
        return conn.execute(statement.where(*where).order_by(DOCS.c.doc_date, FACTS.c.id)).all()
    group = [*period, FACTS.c.body, FACTS.c.numeric_value]
    numbered = (sa.select(*columns,
                          sa.func.row_number().over(partition_by=group, order_by=(DOCS.c.doc_date, FACTS.c.id)).label("rank"),
                          sa.func.count().over(partition_by=group).label("stated"))
                .join(DOCS, DOCS.c.id == FACTS.c.document_id).where(*where).subquery())
    last_shown = sa.func.min(numbered.c.stated, shown_per_value)
    if conn.dialect.name == "postgresql":
        last_shown = sa.func.least(numbered.c.stated, shown_per_value)
    more = sa.case((numbered.c.rank == last_shown, numbered.c.stated - last_shown), else_=0)
    statement = (sa.select(*[numbered.c[c.name] for c in columns], more.label("more"))
                 .where(numbered.c.rank <= shown_per_value).order_by(numbered.c.doc_date, numbered.c.id))
    return conn.execute(statement).all()


def chart(series: list[dict[str, Any]], width: int = 720, height: int = 300) -> dict[str, Any] | None:
    """The geometry of the figures chart (the template draws it as SVG): one column per period,
    a point per stated value, the points of a contradicted period flagged."""
    points = [(i, v) for i, p in enumerate(series) for v in p["values"]]
    if not points:
        return None
    left, right, top, bottom = 70, 20, 20, 64
    values = [v["value"] for _, v in points]
    low, step_y = min(0, min(values)), _nice_step(max(values) - min(0, min(values)))
    high = low + step_y * max(1, -(-(max(values) - low) // step_y))
    span = high - low
    columns = len(series)
    step = (width - left - right) / max(1, columns)

    def x(i: int) -> float:
        return round(left + step * (i + 0.5), 1)

    def y(value: float) -> float:
        return round(top + (height - top - bottom) * (1 - (value - low) / span), 1)

    ticks = [low + step_y * k for k in range(int(round(span / step_y)) + 1)]
    out_points = []
    for i, v in points:
        p = series[i]
        out_points.append({"x": x(i), "y": y(v["value"]), "value": v["value"], "name": v["name"],
                           "document_id": v["document_id"], "fact_id": v["fact_id"],
                           "contradiction": p["contradiction"], "label": p["label"],
                           "finding": (v["findings"] or p["findings"] or [None])[0]})
    # Periods of one length (quarters, half-years, years…) are joined by a line of their own:
    # a year's figure and a quarter's are not one series.
    lines: dict[int, list[str]] = {}
    for i, p in enumerate(series):
        if p["values"]:
            lines.setdefault(_length_class(p), []).append(
                f"{x(i)},{y(sorted(p['distinct'])[len(p['distinct']) // 2])}")
    return {"width": width, "height": height, "left": left, "right": width - right, "top": top,
            "bottom": height - bottom,
            "ticks": [{"y": y(t), "label": _tick(t)} for t in ticks],
            # Labels alternate between two rows, so that long ones do not overlap.
            "columns": [{"x": x(i), "label": p["label"], "contradiction": p["contradiction"],
                         "y": height - bottom + (16 if i % 2 == 0 or columns < 5 else 30)}
                        for i, p in enumerate(series)],
            "points": out_points,
            "lines": [" ".join(v) for v in lines.values() if len(v) > 1]}


def _nice_step(span: float, ticks: int = 5) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about ``ticks`` intervals."""
    import math

    if span <= 0:
        return 1
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power


def _length_class(period: dict[str, Any]) -> int:
    """A period's length in months, roughly (0 when its dates are unknown)."""
    try:
        days = (dt.date.fromisoformat(period["end"]) - dt.date.fromisoformat(period["start"])).days
    except (TypeError, ValueError):
        return 0
    return round(days / 30.4)


def _tick(value: float) -> str:
    if abs(value - round(value)) < 1e-9:
        return f"{int(round(value)):,}".replace(",", ".")
    return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
