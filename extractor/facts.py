"""The fact model: what was found, where, by which pattern, and its typed value."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True, slots=True)
class Fact:
    """One extracted fact.

    ``start``/``end`` index the document text, and ``text`` is always exactly
    ``document.text[start:end]``. ``value`` holds the typed value: money amounts and
    percentages stay :class:`~decimal.Decimal` with their written number of decimals.
    """

    kind: str
    text: str
    start: int
    end: int
    pattern: str
    value: dict[str, Any]
    page: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "page": self.page,
            "pattern": self.pattern,
            "value": to_jsonable(self.value),
        }


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with the document itself, found while extracting (e.g. 31/02/2023)."""

    code: str
    text: str
    start: int
    end: int
    detail: dict[str, Any] = field(default_factory=dict)
    page: int | None = None

    def message(self, lang: str = "vi") -> str:
        from .messages import message

        return message(self.code, lang, text=self.text, **self.detail)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message(lang),
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "page": self.page,
        }


def to_jsonable(value: Any) -> Any:
    """Turn Decimals into JSON numbers: integers stay exact, others keep their written digits."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value
