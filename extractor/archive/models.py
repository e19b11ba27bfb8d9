"""The archive schema (current version), as SQLAlchemy 2 models.

Migrations in ``migrations/versions`` build exactly this schema on SQLite and PostgreSQL
(``tests/test_archive.py`` checks they agree); docs/archive.md describes every table. The
search index is not a model: it is an FTS5 table on SQLite and a tsvector table on PostgreSQL,
created by the migrations (see :mod:`extractor.archive.search`).
"""
from __future__ import annotations

import datetime as dt
import zlib
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# JSON is JSONB on PostgreSQL (indexable, queryable); plain JSON text on SQLite.
JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
# Absent values stay SQL NULL rather than the JSON text "null".
OptionalJSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
# Exact NUMERIC on PostgreSQL; REAL on SQLite, which has no exact decimals (the exact value
# is always in the fact's ``value`` JSON).
NumericType = sa.Numeric().with_variant(sa.Float(), "sqlite")
# 64-bit ids on PostgreSQL; SQLite's INTEGER PRIMARY KEY is already 64-bit (and must be spelt so).
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Timestamp = sa.DateTime(timezone=True)
# zlib's default trade of speed for size: a 28 KB real document in about 7 KB, read back in a
# fraction of a millisecond.
TEXT_COMPRESSION = 6


class StoredText(sa.types.TypeDecorator):
    """A document's text, stored zlib-compressed on SQLite (about a quarter of its size; the
    column stays TEXT, and texts written plain by earlier versions read as they are).
    PostgreSQL compresses long values by itself (TOAST), so they are stored plain there."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect) -> str | bytes | None:
        if value is None or dialect.name != "sqlite":
            return value
        return zlib.compress(value.encode("utf-8"), TEXT_COMPRESSION)

    def process_result_value(self, value: str | bytes | None, dialect) -> str | None:
        if isinstance(value, bytes):
            return zlib.decompress(value).decode("utf-8")
        return value


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })


class Document(Base):
    """One source file: where it is, its content hash, text, pages, metadata and status."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    path: Mapped[str] = mapped_column(sa.Text, unique=True)
    sha256: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    size: Mapped[int | None] = mapped_column(sa.BigInteger)
    format: Mapped[str | None] = mapped_column(sa.String(32))
    status: Mapped[str] = mapped_column(sa.String(16), index=True)
    error: Mapped[str | None] = mapped_column(sa.Text)
    extractor_version: Mapped[str | None] = mapped_column(sa.String(64))
    pages: Mapped[Any] = mapped_column(JSONType, nullable=True)
    page_count: Mapped[int | None] = mapped_column(sa.Integer)
    ocr: Mapped[bool | None] = mapped_column(sa.Boolean)
    ocr_pages: Mapped[int | None] = mapped_column(sa.Integer)
    notes: Mapped[Any] = mapped_column(JSONType, nullable=True)
    warnings: Mapped[Any] = mapped_column(JSONType, nullable=True)
    problems: Mapped[Any] = mapped_column(JSONType, nullable=True)
    meta: Mapped[Any] = mapped_column("metadata", JSONType, nullable=True)
    fact_count: Mapped[int | None] = mapped_column(sa.Integer)
    # Key in the search index (see store.search_key); unique by construction.
    search_key: Mapped[int | None] = mapped_column(sa.BigInteger)
    first_seen_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    ingested_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    status_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    # Revision 0002: typed metadata, and folded keys for the search filters.
    doc_type: Mapped[str | None] = mapped_column(sa.String(64))
    number: Mapped[str | None] = mapped_column(sa.String(256))
    code: Mapped[str | None] = mapped_column(sa.String(256))
    issuer: Mapped[str | None] = mapped_column(sa.Text)
    province: Mapped[str | None] = mapped_column(sa.Text)
    doc_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    year: Mapped[int | None] = mapped_column(sa.Integer)
    title: Mapped[str | None] = mapped_column(sa.Text)
    issuer_key: Mapped[str | None] = mapped_column(sa.Text)
    province_key: Mapped[str | None] = mapped_column(sa.Text)
    code_key: Mapped[str | None] = mapped_column(sa.Text)

    __table_args__ = (
        # Search joins its index to documents by search_key and filters on these columns:
        # all in one index, so no document row (with its long text) is read.
        sa.Index("ix_documents_search", "search_key", "doc_date", "year", "doc_type",
                 "issuer_key", "province_key", "code_key"),
        # Revision 0006: the overview counts documents by these, reading an index each, not
        # every document row (with its metadata) once per count.
        sa.Index("ix_documents_status_facts", "status", "fact_count"),
        sa.Index("ix_documents_doc_type", "doc_type"),
        sa.Index("ix_documents_issuer", "issuer"),
        sa.Index("ix_documents_year", "year"),
    )


class DocumentText(Base):
    """A document's full text, that fact offsets index into (kept apart from ``documents`` so
    that reading and filtering documents never reads their texts)."""

    __tablename__ = "document_texts"

    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id", ondelete="CASCADE"),
                                             primary_key=True)
    text: Mapped[str] = mapped_column(StoredText)


class Fact(Base):
    """One extracted fact with its provenance (offsets into ``document_texts.text``, page)."""

    __tablename__ = "facts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(sa.Integer)
    kind: Mapped[str] = mapped_column(sa.String(32), index=True)
    pattern: Mapped[str | None] = mapped_column(sa.String(128))
    text: Mapped[str] = mapped_column(sa.Text)
    start_offset: Mapped[int] = mapped_column(sa.Integer)
    end_offset: Mapped[int] = mapped_column(sa.Integer)
    page: Mapped[int | None] = mapped_column(sa.Integer)
    value: Mapped[Any] = mapped_column(JSONType, nullable=True)
    # Revision 0002: typed columns read from ``value``.
    section: Mapped[str | None] = mapped_column(sa.Text)
    ref_canonical: Mapped[str | None] = mapped_column(sa.String(256), index=True)
    iso_date: Mapped[dt.date | None] = mapped_column(sa.Date, index=True)
    iso_date_end: Mapped[dt.date | None] = mapped_column(sa.Date)
    numeric_value: Mapped[Any] = mapped_column(NumericType, nullable=True)
    denominator: Mapped[Any] = mapped_column(NumericType, nullable=True)
    unit: Mapped[str | None] = mapped_column(sa.String(128))
    # Revision 0003: what a counted figure measures, and the OCR reading of the fact's page.
    meaning: Mapped[Any] = mapped_column(OptionalJSON, nullable=True)
    ocr: Mapped[Any] = mapped_column(OptionalJSON, nullable=True)
    # Revision 0007: the metric and body of ``meaning``, which the figures page counts and
    # filters by from an index.
    metric: Mapped[str | None] = mapped_column(sa.String(256))
    body: Mapped[str | None] = mapped_column(sa.String(256))

    __table_args__ = (
        # Revision 0006: the few facts with a meaning (one in three hundred on real documents).
        sa.Index("ix_facts_meaning", "document_id", sqlite_where=sa.text("meaning IS NOT NULL"),
                 postgresql_where=sa.text("meaning IS NOT NULL")),
        sa.Index("ix_facts_metric_body", "metric", "body", sqlite_where=sa.text("metric IS NOT NULL"),
                 postgresql_where=sa.text("metric IS NOT NULL")),
        sa.Index("ix_facts_body_metric", "body", "metric", sqlite_where=sa.text("body IS NOT NULL"),
                 postgresql_where=sa.text("body IS NOT NULL")),
    )


class Ref(Base):
    """A distinct canonical document reference (``862/KH-SGTVT``), cited or owned."""

    __tablename__ = "refs"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    canonical: Mapped[str] = mapped_column(sa.String(256), unique=True)
    key: Mapped[str] = mapped_column(sa.String(256), index=True)
    doc_type: Mapped[str | None] = mapped_column(sa.String(64))
    family: Mapped[str | None] = mapped_column(sa.String(32))
    code: Mapped[str | None] = mapped_column(sa.String(256))
    year: Mapped[int | None] = mapped_column(sa.Integer)


class Citation(Base):
    """A document's mention of a reference (``own``: the document's own number)."""

    __tablename__ = "citations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ref_id: Mapped[int] = mapped_column(sa.ForeignKey("refs.id"), index=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    fact_id: Mapped[int] = mapped_column(sa.ForeignKey("facts.id", ondelete="CASCADE"), index=True)
    own: Mapped[bool] = mapped_column(sa.Boolean)
    # Revision 0004: what the citation does (basis, replaces, amends, …) and the articles it
    # names, and whether it was a short reference resolved to this one.
    relation: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    articles: Mapped[Any] = mapped_column(OptionalJSON, nullable=True)
    short: Mapped[bool | None] = mapped_column(sa.Boolean)


class IngestRun(Base):
    """One ``cchc ingest`` run: when, what, and how many documents of each outcome."""

    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(Timestamp)
    finished_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    extractor_version: Mapped[str | None] = mapped_column(sa.String(64))
    jobs: Mapped[int | None] = mapped_column(sa.Integer)
    paths: Mapped[Any] = mapped_column(JSONType, nullable=True)
    counts: Mapped[Any] = mapped_column(JSONType, nullable=True)


class Body(Base):
    """A canonical organisation (cơ quan, đơn vị): issuers and bodies named in documents."""

    __tablename__ = "bodies"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    key: Mapped[str] = mapped_column(sa.Text, unique=True)
    name: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)


class Person(Base):
    """A canonical person (signatories, officials named in documents)."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    key: Mapped[str] = mapped_column(sa.Text, unique=True)
    name: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)


class Mention(Base):
    """Where a body or a person is named: a fact, or the document's metadata (``role``)."""

    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    fact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("facts.id", ondelete="CASCADE"), index=True)
    body_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bodies.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"), index=True)
    role: Mapped[str | None] = mapped_column(sa.String(32))
    text: Mapped[str | None] = mapped_column(sa.Text)
    start_offset: Mapped[int | None] = mapped_column(sa.Integer)
    end_offset: Mapped[int | None] = mapped_column(sa.Integer)
    page: Mapped[int | None] = mapped_column(sa.Integer)


class Finding(Base):
    """Something that does not add up (reconciliation), with its evidence facts.

    Its ``key`` is computed from the document's content and the finding's evidence (see
    :func:`store.finding_key`), not from the path: byte-identical copies of a document, and a
    moved file's row marked missing, hold the same key (revision 0005).
    """

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), index=True)
    document_id: Mapped[int | None] = mapped_column(sa.ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(64), index=True)
    severity: Mapped[str | None] = mapped_column(sa.String(16))
    rule: Mapped[str | None] = mapped_column(sa.String(128))
    message: Mapped[str | None] = mapped_column(sa.Text)
    stated: Mapped[Any] = mapped_column(JSONType, nullable=True)
    expected: Mapped[Any] = mapped_column(JSONType, nullable=True)
    tolerance: Mapped[Any] = mapped_column(JSONType, nullable=True)
    detail: Mapped[Any] = mapped_column(JSONType, nullable=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)


class FindingFact(Base):
    """The facts a finding rests on, in order."""

    __tablename__ = "finding_facts"

    finding_id: Mapped[int] = mapped_column(sa.ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True)
    fact_id: Mapped[int] = mapped_column(sa.ForeignKey("facts.id", ondelete="CASCADE"), primary_key=True, index=True)
    seq: Mapped[int] = mapped_column(sa.Integer)


# The summaries below are kept by database triggers (revision 0008) on every insert and delete
# of findings and their evidence, whoever writes them; a missing severity is stored as ''.
NO_SEVERITY = ""


class FindingKey(Base):
    """Each distinct finding once (copies of a document share a key): its first row and how
    many rows hold it. The findings page counts its facets over these and pages them in order
    of severity, by index; the overview sums their copies by kind and severity."""

    __tablename__ = "finding_keys"
    __table_args__ = (sa.Index("ix_finding_keys_severity_first_id", "severity", "first_id"),
                      # A kind's findings in page order, and (with the copies, read from the index
                      # alone) the overview's findings by kind and severity.
                      sa.Index("ix_finding_keys_kind_severity_first_id_copies", "kind", "severity", "first_id",
                               "copies"))

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(64))
    severity: Mapped[str] = mapped_column(sa.String(16))
    first_id: Mapped[int] = mapped_column(sa.BigInteger)
    copies: Mapped[int] = mapped_column(sa.Integer)


class FindingDocument(Base):
    """The documents a finding is about: its own document, or for a cross-document finding each
    document its evidence was in when it was written."""

    __tablename__ = "finding_documents"

    finding_id: Mapped[int] = mapped_column(sa.ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id", ondelete="CASCADE"),
                                             primary_key=True, index=True)
    kind: Mapped[str] = mapped_column(sa.String(64))
    severity: Mapped[str] = mapped_column(sa.String(16))


class DocumentFindingCount(Base):
    """How many findings of each kind and severity are about each document: the search page's
    counts and facets by finding without reading the findings."""

    __tablename__ = "document_finding_counts"
    __table_args__ = (sa.Index("ix_document_finding_counts_kind_document_id", "kind", "document_id"),
                      sa.Index("ix_document_finding_counts_severity_document_id", "severity", "document_id"))

    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    severity: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    findings: Mapped[int] = mapped_column(sa.Integer)


class Judgement(Base):
    """A person's decision on a finding (confirm/dismiss) or on entities (merge/split).

    Judgements refer to findings and entities by their stable ``key``, never by id, and no
    ingest deletes or changes them: they are kept across re-runs.
    """

    __tablename__ = "judgements"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(sa.String(16))
    finding_key: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    entity_type: Mapped[str | None] = mapped_column(sa.String(16))
    entity_key: Mapped[str | None] = mapped_column(sa.Text)
    target_key: Mapped[str | None] = mapped_column(sa.Text)
    decision: Mapped[str] = mapped_column(sa.String(16))
    note: Mapped[str | None] = mapped_column(sa.Text)
    who: Mapped[str | None] = mapped_column(sa.String(128))
    decided_at: Mapped[dt.datetime] = mapped_column(Timestamp)


TABLES = Base.metadata.tables
