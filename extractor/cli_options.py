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

