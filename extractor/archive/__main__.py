"""``python -m extractor.archive ingest|search|export``: the archive commands on their own."""
from __future__ import annotations

import click

from .commands import COMMANDS


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """The cchc archive: ingest documents, search them, export their facts.

    Example: python -m extractor.archive ingest corpus/ --archive cchc-archive.sqlite
    """


for _command in COMMANDS:
    main.add_command(_command)

if __name__ == "__main__":
    main(prog_name="python -m extractor.archive")
