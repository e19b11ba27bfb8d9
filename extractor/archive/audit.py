"""The audit of an archive in bounded memory: document by document, then group by group.

:func:`extractor.audit.audit_archive` holds every document's text, facts and checks at once
(about 0.4 MB each on real documents). Here the documents are read from the archive a chunk at
a time, in path order; each is checked within itself from its stored facts (nothing is
extracted again), its report entry and findings are written to a scratch folder, and its
cross-document view is cut into small partial views by blocking key
(:mod:`extractor.reconcile.blocks`), spilled to a scratch SQLite file with the sentence each of
their facts stands in. The cross-document checks then run one group at a time, read back in
key order (SQLite sorts them), so memory is bounded by the largest group and the cost is a
sort, not pairs of documents. The findings, their evidence and keys, the stored rows and the
JSON report are the same, in the same order, as those of the whole-archive audit.
"""
from __future__ import annotations

import bisect
import collections
import datetime as dt
import hashlib
import itertools
import json
import os
import pickle
import re
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import sqlalchemy as sa

from . import db
from .models import TABLES
from .store import finding_key
from ..audit import _decimals
from ..document import Document
from ..facts import Fact
from ..normalize import normalize
from ..pipeline import Processed, process
from ..reconcile.blocks import BY_DOCUMENT, CHECKS, FIRST_MENTION, block_findings, parts, series_key
from ..reconcile.checks import Finding, evidence, relation_counts
from ..reconcile.crossdoc import DocumentView
from ..structure.layout import Layout

# Documents read from the archive per query.
CHUNK = 100
# Chunks given to each worker process ahead of the one written.
CHUNKS_AHEAD = 2
# Cross-document findings stored per statement.
STORE_BATCH = 500
# Report items in a scratch file end with this (JSON escapes every control character, so it
# never stands inside an item).
ITEM_END = "\x1e\n"
CROSS = "*"  # the scope of the keys of findings across documents
# The JSON report is indented by two spaces; its items stand two levels deep.
INDENT = 2
ITEM_INDENT = " " * (2 * INDENT)
# The checks whose findings come from one group kind: both citation checks read the "graph" parts.
GRAPH_CHECKS = ("report_plan", "articles")
PEOPLE = ("person", "organization")


def _item(record: dict) -> str:
    """One report item as ``json.dumps`` indents it inside the report."""
    text = json.dumps(record, ensure_ascii=False, indent=INDENT)
    return ITEM_INDENT + text.replace("\n", "\n" + ITEM_INDENT) + ITEM_END


@dataclass
class ArchiveAudit:
    """A finished streaming audit: its report, kept in a scratch folder until :meth:`close`."""

    folder: tempfile.TemporaryDirectory
    documents: int = 0
    findings: int = 0
    cross_findings: int = 0
    # Seconds spent on each part: the documents' own checks, the groups' checks, the
    # cross-document findings quoted and stored.
    seconds: dict[str, float] = field(default_factory=dict)

    def _file(self, name: str) -> str:
        return os.path.join(self.folder.name, name)

    def _items(self, name: str) -> Iterator[str]:
        with open(self._file(name), encoding="utf-8") as fh:
            item: list[str] = []
            for line in fh:
                if line.endswith(ITEM_END):
                    item.append(line[: -len(ITEM_END)])
                    yield "".join(item)
                    item = []
                else:
                    item.append(line)

    def write_json(self, write: Callable[[str], None]) -> None:
        """The report as ``json.dumps(record, ensure_ascii=False, indent=2)`` and a newline
        give it, handed to ``write`` one item at a time."""
        write("{\n" + " " * INDENT + '"documents": ')
        self._write_list(write, "documents", self.documents)
        write(",\n" + " " * INDENT + '"findings": ')
        self._write_list(write, "findings", self.findings)
        write("\n}\n")

    def _write_list(self, write: Callable[[str], None], name: str, count: int) -> None:
        if not count:
            write("[]")
            return
        write("[\n")
        for n, item in enumerate(self._items(name)):
            write(item if n == 0 else ",\n" + item)
        write("\n" + " " * INDENT + "]")

    def record(self) -> dict[str, Any]:
        """The whole report as one dict (for the HTML report and the table)."""
        return {"documents": [json.loads(i) for i in self._items("documents")],
                "findings": [json.loads(i) for i in self._items("findings")]}

    def close(self) -> None:
        self.folder.cleanup()

    def __enter__(self) -> "ArchiveAudit":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Spill:
    """The scratch SQLite file: the documents in audit order, the partial views by group, and
    the cross-document findings in report order."""

    def __init__(self, path: str) -> None:
        self.conn = sqlite3.connect(path)
        self.conn.executescript("""
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
            CREATE TABLE docs (seq INTEGER PRIMARY KEY, id INTEGER, path TEXT, sha256 TEXT);
            CREATE TABLE parts (kind TEXT, key TEXT, seq INTEGER, position INTEGER, payload BLOB);
            CREATE TABLE series (kind TEXT, key TEXT, seq INTEGER, position INTEGER, payload BLOB);
            CREATE TABLE found (check_no INTEGER, key TEXT, seq INTEGER, position INTEGER, n INTEGER,
                                payload BLOB);
        """)

    def index(self) -> None:
        self.conn.executescript("""
            CREATE INDEX ix_docs_path ON docs (path);
            CREATE INDEX ix_parts ON parts (kind, key, seq, position);
        """)

    def groups(self, kind: str, table: str = "parts") -> Iterator[tuple[str, list[tuple[int, Any]]]]:
        """Each group of a kind of part, in key order, its parts in document order."""
        rows = self.conn.execute(f"SELECT key, seq, payload FROM {table} WHERE kind = ? "
                                 "ORDER BY key, seq, position", (kind,))
        key, members = None, []
        for k, seq, payload in rows:
            if k != key and members:
                yield key, members
                members = []
            key = k
            members.append((seq, pickle.loads(payload)))
        if members:
            yield key, members

    def path_seq(self, path: str) -> int | None:
        row = self.conn.execute("SELECT seq FROM docs WHERE path = ?", (path,)).fetchone()
        return row[0] if row else None

    def doc(self, seq: int) -> tuple[int, str, str]:
        return self.conn.execute("SELECT id, path, sha256 FROM docs WHERE seq = ?", (seq,)).fetchone()


def _stored_documents(conn, after: str | None, chunk: int) -> list:
    documents_t, texts_t = TABLES["documents"], TABLES["document_texts"]
    query = (sa.select(documents_t.c.id, documents_t.c.path, documents_t.c.sha256, documents_t.c.format,
                       documents_t.c.metadata, texts_t.c.text)
             .join(texts_t, texts_t.c.document_id == documents_t.c.id)
             .where(documents_t.c.status == "ok").order_by(documents_t.c.path).limit(chunk))
    if after is not None:
        query = query.where(documents_t.c.path > after)
    return conn.execute(query).all()


def _stored_facts(conn, ids: list[int]) -> dict[int, list[tuple[Fact, int]]]:
    facts_t = TABLES["facts"]
    out: dict[int, list[tuple[Fact, int]]] = {i: [] for i in ids}
    rows = conn.execute(sa.select(facts_t).where(facts_t.c.document_id.in_(ids))
                        .order_by(facts_t.c.document_id, facts_t.c.start_offset, facts_t.c.end_offset))
    for row in rows:
        if row.kind in PEOPLE:
            continue
        fact = Fact(row.kind, row.text, row.start_offset, row.end_offset, row.pattern or "",
                    _decimals(row.value or {}), row.page)
        out[row.document_id].append((fact, row.id))
    return out


def _reachable(view: DocumentView) -> list[Fact]:
    """Every fact a partial view holds."""
    found = list(view.facts) + ([view.own] if view.own is not None else [])
    for figures in view.figures.values():
        found += [f for f, _ in figures]
    for cited, _, named in view.quoted_titles:
        found += [cited, *named]
    return found


class _Quoter:
    """The sentences of one document's facts, and their line numbers, as the report quotes them."""

    def __init__(self, text: str, layout: Layout) -> None:
        self.text, self.layout = text, layout
        self._lines: list[int] | None = None

    def line(self, offset: int) -> int:
        if self._lines is None:
            self._lines = [m.start() for m in re.finditer("\n", self.text)]
        return bisect.bisect_left(self._lines, offset) + 1

    def sentence(self, start: int, end: int) -> tuple[str, int, int]:
        """(the sentence, stripped; where it starts; its line) of a fact at ``start:end`` (a long
        sentence is quoted around the fact, so the quote depends on both ends)."""
        quoted = evidence(self.text, Fact("", "", start, end, "", {}), self.layout)
        return quoted["sentence"], quoted["sentence_start"], self.line(start)

    def quote(self, fact: Fact, path: str) -> dict:
        return dict(evidence(self.text, fact, self.layout), document=path, line=self.line(fact.start))


def _quoted(fact: Fact, path: str, sentence: tuple[str, int, int]) -> dict:
    """The evidence of ``fact`` from its sentence (as :func:`evidence` quotes it)."""
    text, start, line = sentence
    return {"kind": fact.kind, "text": fact.text, "start": fact.start, "end": fact.end, "page": fact.page,
            "sentence": text, "sentence_start": start, "document": path, "line": line}


def _document_record(d: Processed, lang: str) -> dict:
    relations = relation_counts(d.results)
    return {"path": d.path, "facts": len(d.facts), "claims": relations["checked"],
            "claims_holding": relations["holding"], "claims_unchecked": relations["unchecked"],
            "relations": relations["by_kind"], "findings": len(d.findings),
            "error": d.error.message(lang) if d.error is not None else None}


def _own_findings(d: Processed, lang: str, quoter: _Quoter) -> Iterator[dict]:
    seen: set[str] = set()
    for finding in d.findings:
        record = finding.to_dict("", lang, with_evidence=False)
        record["documents"] = [d.path]
        record["evidence"] = [quoter.quote(fact, d.path) for fact in finding.facts]
        record["key"] = finding_key(d.document.sha256, record, seen)
        yield record


def _parts(d: Processed, quoter: _Quoter, rows: dict[int, int]) -> list[tuple]:
    """The document's partial views as spill rows (but its place in the audit order), each with
    the stored rows and the sentences of its facts."""
    digest = hashlib.sha256(d.view.text.encode("utf-8", "surrogatepass")).hexdigest()
    out = []
    for part in parts(d.view, digest):
        facts = _reachable(part.view)
        sentences = {(f.start, f.end): quoter.sentence(f.start, f.end) for f in facts}
        if part.view.place_written:
            _, start, end = part.view.place_written
            sentences[start, end] = quoter.sentence(start, end)
        ids = [(f, rows.get(id(f))) for f in facts]
        out.append((part.check, part.key, part.position,
                    pickle.dumps((part.view, ids, sentences), pickle.HIGHEST_PROTOCOL)))
    return out


@dataclass
class _Checked:
    """One document checked within itself: its report entries and its spill rows."""

    document: str
    findings: list[str]
    parts: list[tuple]


def check_chunk(documents: list[tuple], lang: str) -> list[_Checked]:
    """Documents as stored ((path, sha256, format, metadata, text, [(fact, row id)])) checked
    within themselves (in a worker process with ``--jobs``)."""
    out = []
    for path, sha256, fmt, meta, text, facts in documents:
        d = process(Document(path, sha256 or "", fmt or "", text), facts=[f for f, _ in facts], metadata=meta)
        quoter = _Quoter(d.text, d.layout)
        out.append(_Checked(_item(_document_record(d, lang)), [_item(r) for r in _own_findings(d, lang, quoter)],
                            _parts(d, quoter, {id(f): i for f, i in facts}) if d.view is not None else []))
    return out


def _chunks(archive, chunk: int) -> Iterator[tuple[list[int], list[tuple]]]:
    """The documents in path order, a chunk at a time: their ids, and what :func:`check_chunk`
    reads of them."""
    with archive.engine.connect() as conn:
        after = None
        while True:
            rows = _stored_documents(conn, after, chunk)
            if not rows:
                return
            after = rows[-1].path
            stored_facts = _stored_facts(conn, [r.id for r in rows])
            yield [r.id for r in rows], [(r.path, r.sha256, r.format, r.metadata, r.text, stored_facts[r.id])
                                         for r in rows]


def _checked_chunks(archive, lang: str, jobs: int, chunk: int) -> Iterator[tuple[list[int], list[tuple], list[_Checked]]]:
    """Each chunk with its documents checked, in order; with ``jobs`` ≥ 2 in that many worker
    processes, a few chunks ahead (no more: memory stays that of a few chunks). An archive of
    one chunk is checked here: starting workers would take longer."""
    chunks = _chunks(archive, chunk)
    first = next(chunks, None)
    if first is None:
        return
    if jobs < 2 or len(first[0]) < chunk:
        for ids, documents in itertools.chain([first], chunks):
            yield ids, documents, check_chunk(documents, lang)
        return
    from .ingest import _executor

    executor = _executor(jobs)
    pending: collections.deque = collections.deque()
    try:
        for ids, documents in itertools.chain([first], chunks):
            pending.append((ids, documents, executor.submit(check_chunk, documents, lang)))
            if len(pending) > jobs * CHUNKS_AHEAD:
                ids, documents, future = pending.popleft()
                yield ids, documents, future.result()
        while pending:
            ids, documents, future = pending.popleft()
            yield ids, documents, future.result()
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


def _document_pass(archive, spill: _Spill, report: ArchiveAudit, lang: str, jobs: int, chunk: int) -> None:
    """Every document checked within itself, its report entries written, its parts spilled."""
    documents_out = open(report._file("documents"), "w", encoding="utf-8")
    findings_out = open(report._file("findings"), "w", encoding="utf-8")
    with documents_out, findings_out:
        seq = 0
        for ids, documents, checked in _checked_chunks(archive, lang, jobs, chunk):
            for document_id, (path, sha256, *_), done in zip(ids, documents, checked):
                documents_out.write(done.document)
                report.documents += 1
                findings_out.writelines(done.findings)
                report.findings += len(done.findings)
                spill.conn.execute("INSERT INTO docs VALUES (?, ?, ?, ?)", (seq, document_id, path, sha256))
                spill.conn.executemany("INSERT INTO parts VALUES (?, ?, ?, ?, ?)",
                                       [(check, key, seq, position, payload) for check, key, position, payload in done.parts])
                seq += 1
            spill.conn.commit()
    spill.index()


def _first_mentions(spill: _Spill) -> None:
    """Each place's references at their first mention, put in their agency's yearly series."""
    for _, members in spill.groups(FIRST_MENTION):
        seq, payload = members[0]
        key = series_key(payload[0])
        if key is not None:
            spill.conn.execute("INSERT INTO series VALUES (?, ?, ?, ?, ?)",
                               ("numbering", key, seq, payload[0].facts[0].start,
                                pickle.dumps(payload, pickle.HIGHEST_PROTOCOL)))
    spill.conn.execute("CREATE INDEX ix_series ON series (kind, key, seq, position)")
    spill.conn.commit()


class _Texts:
    """A document's normalised text (the text its view was made from), read again from the
    archive for the few checks that compare texts or read an outline."""

    def __init__(self, archive, spill: _Spill) -> None:
        self.archive, self.spill = archive, spill

    def __call__(self, view: DocumentView) -> str:
        texts_t = TABLES["document_texts"]
        document_id = self.spill.doc(self.spill.path_seq(view.path))[0]
        with self.archive.engine.connect() as conn:
            text = conn.execute(sa.select(texts_t.c.text).where(texts_t.c.document_id == document_id)).scalar_one()
        return normalize(text).text


def _block_pass(archive, spill: _Spill) -> None:
    """Every check over every group, its findings spilled in report order with their evidence."""
    text_of = _Texts(archive, spill)
    for number, check in enumerate(CHECKS):
        kind = "graph" if check in GRAPH_CHECKS else check
        n = 0
        for key, members in spill.groups(kind, "series" if check == "numbering" else "parts"):
            owner: dict[int, tuple[int, int | None]] = {}
            sentences: dict[tuple[int, int, int], tuple] = {}
            for seq, (_, ids, said) in members:
                for fact, row in ids:
                    owner[id(fact)] = (seq, row)
                sentences.update({(seq, *span): s for span, s in said.items()})
            found = block_findings(check, [payload[0] for _, payload in members], text_of)
            out = []
            for finding in found:
                facts = []
                for fact in finding.facts:
                    seq, row = owner.get(id(fact), (None, None))
                    if seq is None:
                        seq = spill.path_seq(finding.detail.get("document", "?"))
                    facts.append((seq, row, sentences.get((seq, fact.start, fact.end))))
                first = facts[0][0] if check in BY_DOCUMENT else 0
                position = finding.facts[0].start if check in BY_DOCUMENT else 0
                out.append((number, "" if check in BY_DOCUMENT else key, first, position, n,
                            pickle.dumps((finding, facts), pickle.HIGHEST_PROTOCOL)))
                n += 1
            spill.conn.executemany("INSERT INTO found VALUES (?, ?, ?, ?, ?, ?)", out)
    spill.conn.commit()


def _cross_records(archive, spill: _Spill, lang: str) -> Iterator[tuple[Finding, dict, dict, list]]:
    """Each cross-document finding in report order: the finding, its report record (in
    ``lang``), the record stored (Vietnamese) and its facts' stored rows."""
    seen: set[str] = set()
    held: tuple[int | None, _Quoter | None] = (None, None)  # one document read again at a time
    rows = spill.conn.execute("SELECT payload FROM found ORDER BY check_no, key, seq, position, n")
    for (payload,) in rows:
        finding, facts = pickle.loads(payload)
        docs = {seq: spill.doc(seq) for seq in {s for s, _, _ in facts if s is not None}}
        owners = [docs[seq][1] if seq is not None else finding.detail.get("document", "?") for seq, _, _ in facts]
        paths = sorted(set(owners))
        quoted = []
        for fact, path, (seq, _, sentence) in zip(finding.facts, owners, facts):
            if sentence is None:  # a fact a check made (rare): its document is read again
                if held[0] != seq:
                    held = (seq, _reader(archive, docs[seq][0]))
                quoted.append(held[1].quote(fact, path))
            else:
                quoted.append(_quoted(fact, path, sentence))
        record = finding.to_dict("", lang, with_evidence=False)
        record["documents"], record["evidence"] = paths, quoted
        record["key"] = finding_key(CROSS, record, seen, {docs[s][1]: docs[s][2] for s in docs})
        stored = record if lang == "vi" else {**record, "message": finding.to_dict("", "vi", with_evidence=False)["message"]}
        yield finding, record, stored, [row for _, row, _ in facts]


def _reader(archive, document_id: int) -> _Quoter:
    texts_t = TABLES["document_texts"]
    with archive.engine.connect() as conn:
        text = conn.execute(sa.select(texts_t.c.text).where(texts_t.c.document_id == document_id)).scalar_one()
    norm = normalize(text)
    return _Quoter(text, Layout(norm.text).in_source(norm))


def _store(conn, batch: list[tuple[dict, list]], now: dt.datetime) -> None:
    findings_t, links_t = TABLES["findings"], TABLES["finding_facts"]
    ids = conn.execute(findings_t.insert().returning(findings_t.c.id, sort_by_parameter_order=True), [
        {"key": r["key"], "document_id": None, "kind": r["kind"], "severity": r["severity"], "rule": r["rule"],
         "message": r["message"], "stated": r["stated"], "expected": r["expected"], "tolerance": r["tolerance"],
         "detail": {"evidence": r["evidence"], "documents": r["documents"]}, "created_at": now}
        for r, _ in batch]).scalars().all()
    links = []
    for finding_id, (_, rows) in zip(ids, batch):
        unique = {row: {"finding_id": finding_id, "fact_id": row, "seq": i} for i, row in enumerate(rows) if row is not None}
        links += unique.values()
    if links:
        conn.execute(links_t.insert(), links)


def stream_audit(archive, lang: str = "vi", jobs: int = 1, chunk: int = CHUNK) -> ArchiveAudit:
    """Every check over every document of an archive, in bounded memory (each document's own
    checks in ``jobs`` processes); the cross-document findings are stored in it (replacing
    those of the previous audit; decisions on them are kept by their key). Documents are read
    ``chunk`` at a time. The report waits in the returned audit's scratch folder."""
    report = ArchiveAudit(tempfile.TemporaryDirectory(prefix="cchc-audit-"))
    try:
        spill = _Spill(report._file("spill.sqlite"))
        try:
            started = time.perf_counter()
            _document_pass(archive, spill, report, lang, jobs, chunk)
            report.seconds["documents"] = time.perf_counter() - started
            _first_mentions(spill)
            _block_pass(archive, spill)
            report.seconds["groups"] = time.perf_counter() - started - report.seconds["documents"]
            now = dt.datetime.now(dt.timezone.utc)
            with open(report._file("findings"), "a", encoding="utf-8") as out, \
                    db.writer(archive.engine).begin() as conn:
                findings_t = TABLES["findings"]
                conn.execute(findings_t.delete().where(findings_t.c.document_id.is_(None)))
                batch: list[tuple[dict, list]] = []
                for _, record, stored, rows in _cross_records(archive, spill, lang):
                    out.write(_item(record))
                    report.findings += 1
                    report.cross_findings += 1
                    batch.append((stored, rows))
                    if len(batch) == STORE_BATCH:
                        _store(conn, batch, now)
                        batch = []
                if batch:
                    _store(conn, batch, now)
            report.seconds["findings"] = time.perf_counter() - started - sum(report.seconds.values())
        finally:
            spill.conn.close()
    except BaseException:
        report.close()
        raise
    return report
