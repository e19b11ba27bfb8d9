"""The ``cchc`` command line: a thin layer over the library."""
from __future__ import annotations

import contextlib
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Callable

import click

from . import __version__, extract_document
from .cli_options import budget_options, lang_option, ocr_option, ocr_timeout_option, walking_options
from .messages import message
from .read import ReadError, iter_inputs, read_document, reading_options, shown_path
from .terminal import cell, echo

FACT_KINDS = ("doc_ref", "date", "period", "ratio", "percent", "money", "quantity", "person", "organization")

# The archive's commands, loaded (with SQLAlchemy and its drivers) only when one is run or listed.
ARCHIVE_COMMANDS = ("ingest", "search", "export", "review", "serve", "graph")


class _Cli(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *ARCHIVE_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in ARCHIVE_COMMANDS and name not in self.commands:
            from .archive.commands import COMMANDS
            from .web.commands import COMMANDS as WEB_COMMANDS

            for command in (*COMMANDS, *WEB_COMMANDS):
                self.add_command(command)
        return super().get_command(ctx, name)


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cchc")
def cli() -> None:
    """Extract facts from Vietnamese administrative-reform (CCHC) documents.

    Example: cchc extract corpus/ --format table
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json", "table"]), default="jsonl",
              show_default=True, help="One JSON object per line, one JSON array, or a summary table.")
@lang_option
@ocr_option
@ocr_timeout_option
@budget_options
@walking_options
def extract(paths: tuple[str, ...], fmt: str, lang: str, ocr: str, ocr_timeout: float, timeout: float | None,
            max_memory: int | None, follow_links: bool) -> None:
    """Extract references, dates, periods and figures from documents.

    PATHS are files or folders (walked recursively for .txt, .md, .html, .pdf, .docx, .doc and
    image files; the format is recognised by content). Each document gives one JSON object:
    {"source", "document", "facts", "sections", "problems", "warnings", "errors"} (the file,
    its header metadata, the facts with their offsets, the outline, what is wrong in the
    document, what could not be fully read, why it could not be read). A file that cannot be
    read is reported on stderr in one line; the others are still processed, and the exit code
    is 1.

    Example: cchc extract corpus/ --format jsonl > facts.jsonl
    """
    inputs = list(iter_inputs(paths, follow_links=follow_links, on_skip=_warn(lang)))
    if not inputs:
        raise click.ClickException(message("no_input", lang, paths=", ".join(paths)))
    records = []
    failed = False
    for path in inputs:
        with reading_options(ocr=ocr, ocr_timeout=ocr_timeout, timeout=timeout, max_memory=max_memory):
            record = extract_document(path, lang)
        for warning in record["warnings"]:
            echo(warning, err=True)
        for error in record["errors"]:
            failed = True
            echo(error, err=True)
        if fmt == "jsonl":
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            records.append(record)
    if fmt == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    elif fmt == "table":
        _print_table(records, lang)
    if failed:
        sys.exit(1)


def _warn(lang: str):
    """Print a walking warning (a file skipped) on stderr."""
    return lambda warning: echo(warning.message(lang), err=True)


def _print_table(records: list[dict], lang: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=message("summary_title", lang))
    table.add_column(message("col_document", lang))
    for kind in FACT_KINDS:
        table.add_column(kind, justify="right")
    table.add_column(message("col_total", lang), justify="right")
    table.add_column(message("col_errors", lang), justify="right")
    totals: Counter = Counter()
    for record in records:
        counts = Counter(f["kind"] for f in record["facts"])
        totals.update(counts)
        errors = len(record["errors"]) + len(record["problems"])
        totals["errors"] += errors
        table.add_row(cell(Path(record["source"]["path"]).name), *(str(counts[k]) for k in FACT_KINDS),
                      str(sum(counts.values())), str(errors))
    table.add_section()
    table.add_row(message("all_documents", lang, count=len(records)),
                  *(str(totals[k]) for k in FACT_KINDS),
                  str(sum(totals[k] for k in FACT_KINDS)), str(totals["errors"]))
    Console(width=160).print(table)


@cli.command()
@click.argument("path")
@lang_option
@ocr_option
@ocr_timeout_option
@budget_options
def text(path: str, lang: str, ocr: str, ocr_timeout: float, timeout: float | None, max_memory: int | None) -> None:
    """Print the document text that fact offsets index into.

    Example: cchc text corpus/bc_quy1_so_tai_chinh.txt
    """
    try:
        from .budget import read_bounded

        with reading_options(ocr=ocr, ocr_timeout=ocr_timeout, timeout=timeout, max_memory=max_memory):
            document = read_bounded(path) if timeout or max_memory else read_document(path)
    except ReadError as exc:
        raise click.ClickException(exc.message(lang)) from exc
    click.echo(document.text, nl=False)


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "html"]), default="table",
              show_default=True, help="A summary table, the findings as JSON, or the HTML report.")
@click.option("--output", "output", metavar="FILE",
              help="Write the report, in the --format chosen, to this file (checked before the "
                   "audit starts, written whole or not at all; default audit-report.html for "
                   "--format html, standard output otherwise).")
@click.option("--archive", "archive_url", metavar="URL",
              help="Ingest PATHS into this archive (SQLite file or SQLAlchemy URL), then audit every "
                   "document it holds and store the cross-document findings in it.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=os.cpu_count() or 1,
              show_default=True, help="Documents read and checked at once, each in its own process.")
@click.option("--cluster", metavar="ADDRESS",
              help="With --archive: ingest PATHS on a Dask cluster (local[:N] or tcp://HOST:8786).")
@lang_option
@ocr_option
@ocr_timeout_option
@budget_options
@walking_options
def audit(paths: tuple[str, ...], fmt: str, output: str | None, archive_url: str | None, jobs: int,
          cluster: str | None, lang: str, ocr: str, ocr_timeout: float, timeout: float | None,
          max_memory: int | None, follow_links: bool) -> None:
    """Check the figures of documents, within each and across them all.

    Sums against their totals, percentages against their ratios, differences, numbering of an
    agency's documents against their dates, one reference cited with two dates, carry-over
    between reporting periods, figures restated differently, and unsigned drafts. Every finding
    quotes its evidence (document, page, offsets, sentence).

    With --archive, PATHS are ingested into the archive first, every document of the archive is
    audited, and the cross-document findings are stored there for `cchc review`.

    Example: cchc audit corpus/ --format html --output bao-cao-kiem-tra.html
    """
    from .archive.audit import stream_audit
    from .audit import audit_paths, severity_rank
    from .web.report import decision_history, render_html

    target = _output_target(output, fmt, lang)
    inputs = list(iter_inputs(paths, follow_links=follow_links, on_skip=_warn(lang)))
    ingest_errors: list[tuple[str, str]] = []
    history = None  # the reviewers' decisions, from an archive
    streamed = None  # an archive's audit, its report in scratch files
    if archive_url:
        from .archive.commands import _cluster, _database_errors, _open

        archive = _open(archive_url, lang, create=True)
        with archive, _database_errors(archive, lang):
            if inputs:
                with (reading_options(ocr=ocr, ocr_timeout=ocr_timeout, timeout=timeout, max_memory=max_memory),
                      _cluster(cluster, lang) as dask_cluster):
                    ingest_errors = archive.ingest(inputs, jobs=jobs, lang=lang, cluster=dask_cluster).errors
            streamed = stream_audit(archive, lang, jobs=jobs)
            history = decision_history(archive)
    else:
        if not inputs:
            raise click.ClickException(message("no_input", lang, paths=", ".join(paths) or "-"))
        with reading_options(ocr=ocr, ocr_timeout=ocr_timeout, timeout=timeout, max_memory=max_memory):
            record = audit_paths(inputs, jobs=jobs).to_dict(lang)
    failed = bool(ingest_errors)
    for _, error in ingest_errors:
        echo(error, err=True)
    with streamed or contextlib.nullcontext():
        if streamed is not None and fmt == "json":
            # Every document of an archive was read (only those are audited): the report is
            # written from its scratch files, never held whole.
            report = streamed.write_json
        else:
            if streamed is not None:
                record = streamed.record()
            for document in record["documents"]:
                if document["error"]:
                    failed = True
                    echo(document["error"], err=True)
            if fmt == "json":
                payload = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
            elif fmt == "html":
                payload = render_html(record, lang, history)
            else:
                payload = _findings_table(record, lang, severity_rank, plain=target is not None)

            def report(write: Callable[[str], None]) -> None:
                write(payload)
        if target is None:
            report(lambda text: click.echo(text, nl=False))
        else:
            _write_atomically(target, report, lang)
            echo(message("report_written", lang, path=shown_path(target)), err=True)
    if failed:
        sys.exit(1)


def _output_target(output: str | None, fmt: str, lang: str) -> Path | None:
    """Where the report goes (``None``: standard output), checked before any work is done: a
    missing folder or one not writable is a one-line error at once, not after the audit."""
    if output is None and fmt != "html":
        return None
    target = Path(output or "audit-report.html")
    folder = target.parent if str(target.parent) else Path(".")
    reason = None
    if target.is_dir():
        reason = message("is_a_folder", lang)
    elif not folder.is_dir():
        reason = message("no_such_folder", lang, folder=shown_path(folder))
    elif not os.access(folder, os.W_OK | os.X_OK):
        reason = message("folder_not_writable", lang, folder=shown_path(folder))
    if reason:
        raise click.ClickException(message("cannot_write", lang, path=shown_path(target), reason=reason))
    return target


def _write_atomically(target: Path, report: Callable[[Callable[[str], None]], None], lang: str) -> None:
    """Write the ``report`` (given a function that writes text) to a temporary file beside
    ``target``, then rename it into place: a killed or failed run leaves the previous report or
    none, never half of one."""
    import tempfile

    if target.exists() and not target.is_file():
        # A device or a pipe ("--output /dev/null"): written to as it is, never replaced.
        try:
            with open(target, "w", encoding="utf-8") as fh:
                report(fh.write)
        except OSError as exc:
            raise click.ClickException(message("cannot_write", lang, path=shown_path(target),
                                               reason=exc.strerror or type(exc).__name__)) from None
        return
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            report(fh.write)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as exc:
        _unlink(temporary)
        raise click.ClickException(message("cannot_write", lang, path=shown_path(target),
                                           reason=exc.strerror or type(exc).__name__)) from None
    except BaseException:
        _unlink(temporary)
        raise


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _findings_table(record: dict, lang: str, severity_rank, *, plain: bool) -> str:
    """The findings as a table, rendered (with colours only for a terminal)."""
    import io

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    documents = [d for d in record["documents"] if not d["error"]]
    table = Table(title=message("audit_title", lang, documents=len(record["documents"]),
                                findings=len(record["findings"])),
                  caption=message("audit_relations", lang, checked=sum(d["claims"] for d in documents),
                                  holding=sum(d["claims_holding"] for d in documents),
                                  broken=sum(d["claims"] - d["claims_holding"] for d in documents),
                                  unchecked=sum(d["claims_unchecked"] for d in documents)))
    table.add_column(message("col_severity", lang))
    table.add_column(message("col_document", lang))
    table.add_column(message("col_finding", lang))
    for finding in sorted(record["findings"], key=lambda f: severity_rank(f["severity"])):
        table.add_row(finding["severity"], Text("\n").join(cell(Path(p).name) for p in finding["documents"]),
                      cell(finding["message"]))
    terminal = Console()
    buffer = io.StringIO()
    color = None if plain or not terminal.is_terminal else terminal.color_system
    console = Console(file=buffer, width=160, color_system=color, force_terminal=bool(color),
                      legacy_windows=False)
    console.print(table)
    return buffer.getvalue()


def main() -> None:
    cli(prog_name="cchc")
