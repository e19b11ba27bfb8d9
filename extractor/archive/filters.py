"""What a search asks of the documents besides its words: the filters (type, issuer, province,
dates, citations), as SQL clauses over the archive's tables, and how a typed date, type name or
reference is understood."""
from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass

import regex
import sqlalchemy as sa

from . import fold
from .models import Citation, Document, Ref

DOCS = Document.__table__
REFS = Ref.__table__
CITATIONS = Citation.__table__


class SearchError(ValueError):
    """A query or filter that cannot be used; ``code`` and ``fields`` make the message."""

    def __init__(self, code: str, **fields: object):
        self.code = code
        self.fields = fields
        super().__init__(code)


@dataclass
class Filters:
    doc_type: str | None = None
    issuer: str | None = None
    province: str | None = None
    year: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    cites: str | None = None
    kinds: tuple[str, ...] = ()
    # The citation graph: documents the one numbered so cites, and documents replacing it.
    cited_by: str | None = None
    replaces: str | None = None

    def any(self) -> bool:
        return any((self.doc_type, self.issuer, self.province, self.year, self.date_from,
                    self.date_to, self.cites, self.cited_by, self.replaces))


# ---------------------------------------------------------------------------------------------
# Filters


def parse_day(value: str, end: bool = False) -> dt.date:
    """``2024``, ``2024-03`` or ``2024-03-19``: the first (or with ``end``, last) day meant."""
    text = value.strip()
    try:
        if regex.fullmatch(r"\d{4}", text):
            return dt.date(int(text), 12 if end else 1, 31 if end else 1)
        if m := regex.fullmatch(r"(\d{4})-(\d{1,2})", text):
            year, month = int(m[1]), int(m[2])
            return dt.date(year, month, calendar.monthrange(year, month)[1] if end else 1)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise SearchError("bad_date", value=value) from None


@functools.lru_cache(maxsize=1)
def _type_entries() -> list[dict]:
    from ..patterns import tables

    t = tables()["doc_types"]
    return [e for group in ("administrative", "copies", "normative", "party") for e in t[group]]


def resolve_types(value: str) -> list[str]:
    """Type names meant by ``value``: a name (``Kế hoạch``, ``ke hoach``) or an abbreviation
    (``KH``; ``HD`` is Hướng dẫn, ``hd`` both Hướng dẫn and Hợp đồng)."""
    entries = _type_entries()
    exact = sorted({e["name"] for e in entries if e.get("abbr") == value.strip()})
    if exact:
        return exact
    k = fold.key(value)
    found = sorted({e["name"] for e in entries
                    if fold.key(e["name"]) == k or (e.get("abbr") and fold.key(e["abbr"]) == k)})
    return found or [value.strip()]


_LEADING_ZEROS = regex.compile(r"^0+(?=\d)")


def reference_key(value: str) -> str:
    """The folded lookup key of a reference as typed (``130/2005/NĐ-CP``, ``01/2018/tt-vpcp``)."""
    from ..extract import extract_facts

    text = value.strip()
    for f in extract_facts(text).facts:
        if f.kind == "doc_ref" and f.value.get("canonical"):
            return fold.key(f.value["canonical"]).replace(" ", "")
    return _LEADING_ZEROS.sub("", fold.key(text).replace(" ", ""))


def _has_words(column: sa.ColumnElement, words: str) -> sa.ColumnElement:
    """The folded ``column`` contains these words, in a row (whole words)."""
    return (sa.literal(" ") + column + sa.literal(" ")).like(_like(f" {words} "), escape="\\")


def heading_terms(f: Filters) -> list[list[tuple[str, ...]]]:
    """What the filters require of a document's heading (type, number, title, issuer,
    province), as phrases the search index can check first: the SQL filters then only see
    documents that can pass."""
    groups: list[list[tuple[str, ...]]] = []
    if f.doc_type:
        groups.append([tuple(fold.words(name)) for name in resolve_types(f.doc_type)])
    for value in (f.issuer, f.province):
        if value and fold.words(value):
            groups.append([tuple(fold.words(value))])
    return [g for g in groups if all(g)]


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def filter_clauses(f: Filters, d: sa.Table = DOCS) -> list[sa.ColumnElement]:
    clauses: list[sa.ColumnElement] = []
    if f.doc_type:
        clauses.append(d.c.doc_type.in_(resolve_types(f.doc_type)))
    if f.issuer:
        words = " ".join(fold.words(f.issuer))
        clauses.append(sa.or_(_has_words(d.c.issuer_key, words),
                              d.c.code_key.like(_like("-" + words.replace(" ", "") + "-"), escape="\\")))
    if f.province:
        clauses.append(_has_words(d.c.province_key, " ".join(fold.words(f.province))))
    if f.year:
        clauses.append(d.c.year == f.year)
    if f.date_from:
        clauses.append(d.c.doc_date >= f.date_from)
    if f.date_to:
        clauses.append(d.c.doc_date <= f.date_to)
    if f.cites:
        clauses.append(d.c.id.in_(_citing(reference_key(f.cites))))
        clauses.append(d.c.id.not_in(_owning(reference_key(f.cites))))
    if f.replaces:
        clauses.append(d.c.id.in_(_citing(reference_key(f.replaces), "replaces")))
        clauses.append(d.c.id.not_in(_owning(reference_key(f.replaces))))
    if f.cited_by:
        key = reference_key(f.cited_by)
        cited_refs = sa.select(CITATIONS.c.ref_id).where(CITATIONS.c.document_id.in_(_owning(key)),
                                                         CITATIONS.c.own.is_(False))
        clauses.append(d.c.id.in_(sa.select(CITATIONS.c.document_id).where(
            CITATIONS.c.own.is_(True), CITATIONS.c.ref_id.in_(cited_refs))))
        clauses.append(d.c.id.not_in(_owning(key)))
    return clauses


def _ref_ids(key: str):
    return sa.select(REFS.c.id).where(REFS.c.key == key)


def _citing(key: str, relation: str | None = None):
    """Documents citing the reference of ``key`` (with ``relation`` when given), not as their
    own number."""
    query = sa.select(CITATIONS.c.document_id).where(CITATIONS.c.ref_id.in_(_ref_ids(key)),
                                                     CITATIONS.c.own.is_(False))
    return query.where(CITATIONS.c.relation == relation) if relation else query


def _owning(key: str):
    """Documents whose own number is the reference of ``key``: never among those citing it."""
    return sa.select(CITATIONS.c.document_id).where(CITATIONS.c.ref_id.in_(_ref_ids(key)),
                                                    CITATIONS.c.own.is_(True))
