"""Options shared by several ``cchc`` commands, defined once so their help cannot drift apart."""
from __future__ import annotations

import click

from .read.options import OCR_MODES, ReadOptions

lang_option = click.option(
    "--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
    help="Language of messages, tables and reports; the archive always stores Vietnamese.",
)
ocr_option = click.option(
    "--ocr", type=click.Choice(OCR_MODES), default=ReadOptions.ocr, show_default=True,
    help="auto: OCR images and the PDF pages whose text layer is empty, only a signature stamp "
         "or garbled; always: every PDF page too; never: no OCR (a scan with no text layer fails).",
)
ocr_timeout_option = click.option(
    "--ocr-timeout", type=click.FloatRange(min=1), default=ReadOptions.ocr_timeout, show_default=True,
    metavar="SECONDS",
    help="Seconds of OCR allowed per file; pages not done by then are left out with a warning, "
         "and a file left with no text fails.",
)



def _budget_seconds(ctx, param, value):
    return None if not value else value


def _budget_megabytes(ctx, param, value):
    return None if not value else value * 1024 * 1024


timeout_option = click.option(
    "--timeout", type=click.FloatRange(min=0), default=ReadOptions.timeout, show_default=True,
    metavar="SECONDS", callback=_budget_seconds,
    help="Hard limit of wall-clock seconds per document (read and extracted in a process of its "
         "own, killed past it); the document then fails with a one-line error and the batch goes "
         "on. 0: no limit.",
)
max_memory_option = click.option(
    "--max-memory", type=click.IntRange(min=0), default=(ReadOptions.max_memory or 0) // (1024 * 1024),
    show_default=True, metavar="MB", callback=_budget_megabytes,
    help="Memory limit per document in MB (the data segment of the process reading it); a "
         "document needing more fails with a one-line error and the batch goes on. 0: no limit.",
)


def budget_options(command):
    """``--timeout`` and ``--max-memory``: the hard budget of each document."""
    return timeout_option(max_memory_option(command))


follow_links_option = click.option(
    "--follow-links", is_flag=True,
    help="Follow symbolic links that lead out of the folders given (by default they are skipped "
         "with a warning: a link to /etc/passwd in a corpus folder is not read).",
)


def walking_options(command):
    """``--follow-links``: how folders are walked."""
    return follow_links_option(command)
