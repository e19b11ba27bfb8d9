"""The Jinja2 templates of the web app and of the HTML audit report: one environment (every
value escaped, an undefined name an error) and the words every template uses."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from .i18n import kind_label, metric_label, severity_label, translate

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = format_number
    return env


def words(lang: str) -> dict[str, Any]:
    """What a template names in ``lang``: ``t("label")`` (the catalogue's ``web_<label>``),
    ``sev(severity)``, ``kind(finding kind)``, ``metric(metric id)``."""
    def t(label: str, /, **fields: Any) -> str:
        return translate(lang, label, **fields)

    return {"t": t, "lang": lang, "sev": lambda s: severity_label(lang, s),
            "kind": lambda k: kind_label(lang, k), "metric": lambda m: metric_label(lang, m)}


def format_number(value: Any, lang: str = "vi") -> str:
    """A figure as the language writes it: 14.911 and 72,42 in Vietnamese."""
    if isinstance(value, list):
        return ", ".join(format_number(v, lang) for v in value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "" if value is None else str(value)
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:,.4f}".rstrip("0").rstrip(".")
    else:
        text = f"{int(value):,}"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text
