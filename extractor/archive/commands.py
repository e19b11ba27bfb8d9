"""``cchc ingest``, ``cchc search`` and ``cchc export``: thin click commands over the archive.

Register them on the main command group with ``cli.add_command(ingest)`` (and ``search``,
``export``); ``python -m extractor.archive`` runs them on their own.
"""
from __future__ import annotations

import contextlib
import csv
import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from ..cli_options import budget_options, lang_option, ocr_option, ocr_timeout_option, walking_options
from ..messages import message
from ..terminal import cell, echo, line
from .db import ArchiveError, DEFAULT_FILE

archive_option = click.option(
    "--archive", "archive_url", envvar="CCHC_ARCHIVE", default=None, metavar="URL",
    help=f"The archive: a SQLite file or a SQLAlchemy URL such as postgresql://user@host/db "
         f"(default: $CCHC_ARCHIVE, else {DEFAULT_FILE} in the working directory).")


def _open(url: str | None, lang: str, create: bool):
    from . import Archive

    try:
        return Archive.open(url, create=create)
    except ArchiveError as exc:
        raise click.ClickException(exc.message(lang)) from None


def _database_errors(archive, lang: str):
    """Turn a database failure in the middle of a command into one line naming the archive."""
    from contextlib import contextmanager

    from sqlalchemy.exc import SQLAlchemyError

    from .db import reason

    @contextmanager
    def guard():
        try:
            yield
        except ArchiveError as exc:
            raise click.ClickException(exc.message(lang)) from None
        except SQLAlchemyError as exc:
            raise click.ClickException(message("database_error", lang, url=archive.name,
                                               reason=reason(exc))) from None
    return guard()


# ---------------------------------------------------------------------------------------------
# ingest


@click.command()
@click.argument("paths", nargs=-1, required=True)
@archive_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=os.cpu_count() or 1,
              show_default=True, help="Extraction processes (1: extract in this process).")
@click.option("--cluster", metavar="ADDRESS",
              help="Read on a Dask cluster: local[:N] starts N workers on this machine, "
                   "tcp://HOST:8786 joins a running scheduler (--jobs is then not used).")
@click.option("--force", is_flag=True, help="Extract again files that have not changed.")
@click.option("--quiet", "-q", is_flag=True, help="No progress and no summary (errors are still shown).")
@ocr_option
@ocr_timeout_option
@budget_options
@walking_options
@lang_option
def ingest(paths: tuple[str, ...], archive_url: str | None, jobs: int, cluster: str | None,
           force: bool, quiet: bool, ocr: str, ocr_timeout: float, timeout: float | None, max_memory: int | None, follow_links: bool,
           lang: str) -> None:
    """Add documents and their facts to the archive, or bring it up to date.

    PATHS are files or folders (walked recursively like cchc extract). Unchanged files (same
    content hash) are skipped; changed files have their facts replaced; archived files that
    disappeared from the folders given are marked missing, never deleted. A file that fails is
    recorded with its error (one line on stderr) and the others go on; the exit code is then 1.
    Each document is written in its own transaction: an interrupted run leaves a consistent
    archive, and running it again finishes the job.

    Example: cchc ingest corpus/ --archive cchc-archive.sqlite --jobs 2
    Example: cchc ingest /data/vanban --archive postgresql://cchc@db/cchc --cluster tcp://10.0.0.5:8786
    """
    from ..read.options import current_options

    from . import Archive

    if not any(os.path.lexists(p) for p in paths):
        # Nothing to ingest: an existing archive still learns that the folders are gone (their
        # files are marked missing), but no archive is created for nothing.
        try:
            archive = Archive.open(archive_url, create=False)
        except ArchiveError:
            raise click.ClickException(message("ingest_no_input", lang, paths=", ".join(paths))) from None
    else:
        archive = _open(archive_url, lang, create=True)
    options = current_options().replace(ocr=ocr, ocr_timeout=ocr_timeout, timeout=timeout, max_memory=max_memory,
                                        follow_links=follow_links)
    with archive, _database_errors(archive, lang), _cluster(cluster, lang) as dask_cluster:
        report = _run_ingest(archive, paths, jobs, force, quiet, options, lang, dask_cluster)
        if report.total == 0 and not report.documents:
            raise click.ClickException(message("ingest_no_input", lang, paths=", ".join(paths)))
        if not quiet:
            _ingest_summary(archive, report, lang)
    if report.failed:
        sys.exit(1)


@contextlib.contextmanager
def _cluster(address: str | None, lang: str):
    """The Dask cluster ``--cluster`` names, closed (with the workers it started) at the end."""
    if address is None:
        yield None
        return
    from .cluster import Cluster, ClusterError

    try:
        cluster = Cluster(address)
    except ClusterError as exc:
        raise click.ClickException(exc.message(lang)) from None
    with cluster:
        yield cluster


def _run_ingest(archive, paths, jobs, force, quiet, options, lang, cluster=None):
    from rich.console import Console

    err = Console(stderr=True)
    if quiet:
        def on_event(event):
            if event.kind in ("file", "skipped") and event.error:
                click.echo(line(event.error), err=True)
        return archive.ingest(paths, jobs=jobs, force=force, options=options, lang=lang,
                              on_event=on_event, cluster=cluster)
    if not err.is_terminal:
        def on_event(event):
            if event.kind not in ("file", "skipped"):
                return
            if event.error:
                click.echo(line(event.error), err=True)
            else:
                click.echo(line(message("progress_line", lang, done=event.done, total=event.total,
                                        status=message("status_" + event.status, lang), path=event.path)),
                           err=True)
        return archive.ingest(paths, jobs=jobs, force=force, options=options, lang=lang,
                              on_event=on_event, cluster=cluster)
    return _ingest_with_bar(archive, paths, jobs, force, options, lang, err, cluster)


def _ingest_with_bar(archive, paths, jobs, force, options, lang, console, cluster):
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn,
                               SpinnerColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn)
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task) -> Text:
            return Text(f"{task.speed or 0:.1f} {message('rate_unit', lang)}", style="progress.data.speed")

    progress = Progress(
        SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        Rate(), TextColumn("[red]{task.fields[errors]} " + message("errors_count", lang)),
        TimeElapsedColumn(), TimeRemainingColumn(), TextColumn("{task.fields[current]}", markup=False),
        console=console, transient=False)
    task = progress.add_task(message("progress", lang), total=None, errors=0, current="")

    def on_event(event):
        if event.kind == "start":
            progress.update(task, total=event.total)
            return
        if event.error:
            progress.console.print(line(event.error),
                                   markup=False, highlight=False)
        if event.kind == "skipped":
            return
        name = Path(event.path).name
        progress.update(task, completed=event.done, errors=event.errors,
                        current=name if len(name) <= 40 else name[:37] + "...")

    with progress:
        return archive.ingest(paths, jobs=jobs, force=force, options=options, lang=lang,
                              on_event=on_event, cluster=cluster)


def _ingest_summary(archive, report, lang: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from .ingest import OUTCOMES

    table = Table(title=message("ingest_summary_title", lang, archive=archive.name))
    table.add_column(message("col_outcome", lang))
    table.add_column(message("col_documents", lang), justify="right")
    table.add_column(message("col_facts", lang), justify="right")
    for outcome in OUTCOMES:
        if report.documents[outcome]:
            table.add_row(message("status_" + outcome, lang), str(report.documents[outcome]),
                          str(report.facts[outcome]) if outcome not in ("unchanged", "missing", "failed") else "")
    table.add_section()
    handled = sum(report.documents.values())
    table.add_row(message("summary_total", lang), str(handled), str(sum(report.facts.values())))
    console = Console(width=max(100, Console().width))
    console.print(table)
    seconds = max(report.seconds, 1e-9)
    console.print(message("summary_time", lang, count=handled, seconds=report.seconds,
                          rate=handled / seconds))
    console.print(message("archive_totals", lang, **archive.totals()))


# ---------------------------------------------------------------------------------------------
# search


def _kinds() -> list[str]:
    return ["doc_ref", "date", "period", "ratio", "percent", "money", "quantity", "organization",
            "person"]


@click.command()
@click.argument("query", nargs=-1)
@archive_option
@click.option("--type", "doc_type", metavar="TYPE", help="Document type: name or abbreviation (Kế hoạch, KH, ke hoach).")
@click.option("--issuer", metavar="BODY", help="Issuing body: words of its name, or its code in the number (STC, Sở Tài chính).")
@click.option("--province", metavar="NAME", help="Province: words of its name (An Hòa, an hoa).")
@click.option("--year", type=click.IntRange(1, 9999), help="Year of the document's date.")
@click.option("--from", "date_from", metavar="DATE", help="Documents dated from (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--to", "date_to", metavar="DATE", help="Documents dated up to (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--cites", metavar="REF", help="Documents citing this reference (130/2005/NĐ-CP).")
@click.option("--cited-by", "cited_by", metavar="REF", help="Archived documents that the document numbered REF cites.")
@click.option("--replaces", metavar="REF", help="Documents that replace the one numbered REF.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(_kinds()),
              help="List facts of this kind (repeatable) instead of documents: those in the "
                   "sentences with the query's words, or all of them in the documents the "
                   "filters select.")
@click.option("--limit", type=click.IntRange(1, 1_000_000), default=20, show_default=True,
              help="Documents (or facts) to list.")
@click.option("--sort", type=click.Choice(["rank", "date"]), default="rank", show_default=True,
              help="Best matches first, or newest documents first.")
@click.option("--rank-all", is_flag=True, help="Rank every match, however many (slower).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="A table, one JSON object, or CSV with a header.")
@lang_option
def search(query: tuple[str, ...], archive_url: str | None, doc_type: str | None,
           issuer: str | None, province: str | None, year: int | None, date_from: str | None,
           date_to: str | None, cites: str | None, cited_by: str | None, replaces: str | None,
           kinds: tuple[str, ...], limit: int, sort: str, rank_all: bool, fmt: str, lang: str) -> None:
    """Search the archive: ranked full text, filters and fact queries.

    Search ignores tone marks, đ/d and case: "ke hoach giao thong" finds "Kế hoạch ... Giao
    thông". Words are all required; "..." is an exact phrase; a document number such as
    862/KH-SGTVT is searched as a unit; OR gives alternatives; word* matches prefixes. Hits are
    marked «» in the snippets. With --kind, the facts of that kind are listed instead, for
    example the figures of a body for a period:
    cchc search --issuer STC --from 2024-01 --to 2024-06 --kind quantity --kind percent

    Example: cchc search "ke hoach giao thong" --year 2023 --format table
    """
    from .filters import Filters, SearchError, parse_day

    text = " ".join(query)

    def day(option: str, value: str | None, end: bool):
        if value is None:
            return None
        try:
            return parse_day(value, end)
        except SearchError:
            raise click.ClickException(message("bad_date", lang, option=option, value=value)) from None

    filters = Filters(doc_type=doc_type, issuer=issuer, province=province, year=year,
                      date_from=day("--from", date_from, False), date_to=day("--to", date_to, True),
                      cites=cites, kinds=kinds, cited_by=cited_by, replaces=replaces)
    archive = _open(archive_url, lang, create=False)
    with archive, _database_errors(archive, lang):
        try:
            result = archive.search(text, filters, limit=limit, rank_all=rank_all, sort=sort)
        except SearchError as exc:
            raise click.ClickException(message(exc.code, lang, **exc.fields)) from None
    if result.facts is not None:
        rows = [f.to_dict() for f in result.facts]
        _output(rows, fmt, lang, facts=True, result=result)
    else:
        rows = [d.to_dict() for d in result.documents]
        _output(rows, fmt, lang, facts=False, result=result)


def _output(rows: list[dict], fmt: str, lang: str, facts: bool, result) -> None:
    if fmt == "json":
        body: dict[str, Any] = {"query": result.query}
        if not facts:
            body.update(total=result.total, more_than=result.more_than)
        body["facts" if facts else "documents"] = rows
        click.echo(json.dumps(body, ensure_ascii=False, indent=2, default=str))
        return
    if fmt == "csv":
        if rows:
            columns = [c for c in rows[0] if c not in ("hits",)]
            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow(columns)
            for row in rows:
                writer.writerow([json.dumps(row[c], ensure_ascii=False) if isinstance(row[c], (dict, list))
                                 else ("" if row[c] is None else row[c]) for c in columns])
        return
    _search_table(rows, lang, facts, result)


def _marked_text(snippet: str | None):
    """Rich text of a «»-marked snippet, hits highlighted."""
    from rich.text import Text

    out = Text()
    if not snippet:
        return out
    rest = snippet
    while "«" in rest and "»" in rest.split("«", 1)[1]:
        before, after = rest.split("«", 1)
        hit, rest = after.split("»", 1)
        out.append(line(before))
        out.append(line(hit), style="bold black on yellow")
    out.append(line(rest))
    return out


def _search_table(rows: list[dict], lang: str, facts: bool, result) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(120, Console().width))
    # Without a terminal there is no highlighting: keep the «» markers in the text.
    plain = not console.is_terminal
    if not rows:
        console.print(message("no_facts" if facts else "no_results", lang))
        return
    table = Table(title=cell(message("search_title", lang, query=result.query or "—")), show_lines=True)
    table.add_column(message("col_rank", lang), justify="right")
    table.add_column(message("col_document", lang), overflow="fold", max_width=34)
    table.add_column(message("col_type", lang), max_width=22)
    table.add_column(message("col_date", lang), no_wrap=True)
    if facts:
        table.add_column(message("col_kind", lang))
        table.add_column(message("col_fact", lang), max_width=30)
        table.add_column(message("col_where", lang), no_wrap=True)
    table.add_column(message("col_snippet", lang), ratio=1)
    for i, row in enumerate(rows, 1):
        name = Path(row["path"]).name
        if not facts and row.get("status") not in ("ok", None):
            name += f" ({message('status_' + row['status'], lang)})"
        kind_number = " ".join(filter(None, (row.get("doc_type"), row.get("number"))))
        snippet = row.get("context") if facts else row.get("snippet")
        shown = cell(snippet or "") if plain else _marked_text(snippet)
        cells = [str(i), cell(name), cell(kind_number), row.get("date") or ""]
        if facts:
            where = f"{row['start']}–{row['end']}" + (f" (tr. {row['page']})" if row.get("page") else "")
            cells += [row["kind"], cell(row["text"]), where]
        table.add_row(*cells, shown)
    console.print(table)
    if facts:
        console.print(message("facts_count", lang, count=len(rows)))
    elif result.more_than:
        window = f"{result.more_than:,}"
        console.print(message("results_window", lang, shown=len(rows),
                              window=window.replace(",", ".") if lang == "vi" else window))
    elif result.total is not None:
        console.print(message("results_count", lang, shown=len(rows), total=result.total))


# ---------------------------------------------------------------------------------------------
# export


@click.command()
@click.argument("tables", nargs=-1)
@archive_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "sql", "xlsx"]), default="jsonl",
              show_default=True, help="JSON lines, CSV with a header, an SQL script, or an Excel workbook.")
@click.option("--output", "-o", default="cchc-export", show_default=True, metavar="DIR",
              help="Folder to write the files into; - for standard output.")
@click.option("--dialect", type=click.Choice(["postgresql", "sqlite"]), default="postgresql",
              show_default=True, help="SQL flavour of --format sql.")
@click.option("--no-text", is_flag=True, help="Leave out the documents' full texts (document_texts).")
@click.option("--no-bom", is_flag=True,
              help="Start CSV files without the UTF-8 byte-order mark (which tells a spreadsheet the encoding).")
@lang_option
def export(tables: tuple[str, ...], archive_url: str | None, fmt: str, output: str, dialect: str,
           no_text: bool, no_bom: bool, lang: str) -> None:
    """Export the archive for another database or a spreadsheet.

    TABLES are groups (documents, facts, references, entities, findings, runs) or table names
    (document_texts, refs, citations, bodies, people, mentions, finding_facts, judgements); all
    groups by default. jsonl and csv write one file per table into the --output folder (CSV in
    UTF-8 with a byte-order mark unless --no-bom); sql writes one script (CREATE TABLE and
    INSERT, for PostgreSQL or SQLite) to load with psql or sqlite3; xlsx writes one workbook,
    cchc-archive.xlsx, a sheet per table, with typed cells, texts past Excel's cell limit cut
    with a note, and each finding's documents (number, title, path) beside its key.

    Example: cchc export findings --format xlsx --output export/
    """
    from .export import ExportError

    archive = _open(archive_url, lang, create=False)
    with archive, _database_errors(archive, lang):
        try:
            report = archive.export(output, list(tables), fmt, dialect=dialect,
                                    include_text=not no_text, bom=not no_bom, lang=lang)
        except ExportError as exc:
            raise click.ClickException(message(exc.code, lang, **exc.fields)) from None
    if output != "-":
        click.echo(message("export_done", lang, rows=sum(report.rows.values()),
                           tables=len(report.rows), path=output), err=True)


# ---------------------------------------------------------------------------------------------
# review


@click.command()
@click.argument("finding_key", required=False)
@archive_option
@click.option("--confirm", is_flag=True, help="The finding is right.")
@click.option("--dismiss", is_flag=True, help="The finding is not a problem.")
@click.option("--note", help="Why (kept with the decision).")
@click.option("--who", default=lambda: os.environ.get("USER"), help="Who decides (default: $USER).")
@click.option("--severity", type=click.Choice(["gross", "error", "minor", "possible"]),
              help="List only findings of this severity.")
@click.option("--kind", help="List only findings of this kind (sum_mismatch, percent_mismatch, …).")
@click.option("--decision", type=click.Choice(["confirm", "dismiss", "none"]),
              help="List only findings with this latest decision (none: not decided yet).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="A table, or JSON.")
@lang_option
def review(finding_key: str | None, archive_url: str | None, confirm: bool, dismiss: bool, note: str | None,
           who: str | None, severity: str | None, kind: str | None, decision: str | None, fmt: str,
           lang: str) -> None:
    """List the archive's findings with their decisions, show one, or confirm or dismiss it.

    Without FINDING_KEY, prints every finding (or those the filters keep) with its key and the
    latest decision on it. With a key, or the first characters of one, shows that finding and
    the history of decisions on it; with --confirm or --dismiss, records the decision.
    Decisions refer to the finding's stable key, computed from the document's content and the
    finding's evidence: they survive re-ingesting the documents, renaming or moving a file, and
    hold for every byte-identical copy of it.

    Example: cchc review 3f2a9c --dismiss --note "bản dự thảo, đã có bản ký"
    """
    from . import review as reviewing

    if confirm and dismiss:
        raise click.UsageError(message("review_both_decisions", lang))
    chosen = "confirm" if confirm else "dismiss" if dismiss else None
    archive = _open(archive_url, lang, create=False)
    with archive, _database_errors(archive, lang):
        if finding_key:
            keys = reviewing.keys_starting(archive.engine, finding_key)
            if not keys:
                raise click.ClickException(message("unknown_finding", lang, key=finding_key, url=archive.name))
            if len(keys) > 1:
                raise click.ClickException(message("ambiguous_finding", lang, key=finding_key, count=len(keys)))
            key = keys[0]
            if chosen is not None:
                archive.judge(decision=chosen, finding_key=key, note=note, who=who)
                click.echo(message("review_recorded", lang, key=key, decision=chosen))
                return
            # Copies of one document (or a moved file's old row) hold the same finding.
            rows = reviewing.findings(archive.engine, key=key)
            found = rows[0]
            record = {**found.to_dict(), "documents": [r.path for r in rows],
                      "history": reviewing.history(archive.engine, key)}
            if fmt == "json":
                click.echo(json.dumps(record, ensure_ascii=False, indent=2))
                return
            for label, value in (("key", key), ("severity", found.severity),
                                 *(("document", r.path) for r in rows), ("finding", found.message)):
                echo(f"{message(f'review_col_{label}', lang)}: {value or ''}")
            for entry in record["history"]:
                echo(f"{message('review_col_decision', lang)}: {entry['decision']} ({entry['who'] or '?'}, "
                     f"{entry['decided_at']}){': ' + entry['note'] if entry['note'] else ''}")
            return
        if chosen is not None:
            raise click.UsageError(message("review_needs_key", lang))
        rows = reviewing.findings(archive.engine, severity=severity, kind=kind, decision=decision)
        if fmt == "json":
            click.echo(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2))
            return
        from rich.console import Console
        from rich.table import Table

        table = Table(title=message("review_title", lang, count=len(rows)))
        for column in ("key", "severity", "document", "finding", "decision"):
            table.add_column(message(f"review_col_{column}", lang))
        for r in rows:
            table.add_row(cell(r.key), r.severity or "", cell(Path(r.path).name if r.path else ""), cell(r.message or ""),
                          cell((r.decision or "") + (f": {r.note}" if r.note else "")))
        Console(width=180).print(table)


# ---------------------------------------------------------------------------------------------
# graph (the walk itself is extractor/archive/graph.py)


@click.command()
@click.argument("reference", metavar="REF")
@archive_option
@click.option("--depth", type=click.IntRange(min=1, max=10), default=1, show_default=True,
              help="How many citations away from REF to follow, out of it and into it.")
@click.option("--format", "fmt", type=click.Choice(["json", "dot"]), default="json", show_default=True,
              help="One JSON object (nodes and edges) or a Graphviz digraph.")
@lang_option
def graph(reference: str, archive_url: str | None, depth: int, fmt: str, lang: str) -> None:
    """The citation graph around a reference: the documents it cites and that cite it, each
    edge labelled with what the citation does (basis, replaces, amends, repeals, guides,
    implements, attached_to, reports_on, proposed_by). A reference numbered by exactly one
    archived document is that document; others are shown by their number alone.

    Example: cchc graph 862/KH-SGTVT --depth 2 --format dot | dot -Tsvg > graph.svg
    """
    from .graph import graph as build

    archive = _open(archive_url, lang, create=False)
    with archive, _database_errors(archive, lang):
        result = build(archive.engine, reference, depth)
    click.echo(result.to_json() if fmt == "json" else result.to_dot(), nl=fmt == "json")


COMMANDS = (ingest, search, export, review, graph)
__all__ = ["ingest", "search", "export", "COMMANDS"]
