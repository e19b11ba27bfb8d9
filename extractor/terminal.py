"""Text from documents and file names on the way to a terminal: control characters escaped
(an escape sequence in a document must not drive the terminal, a line break must not split a
one-line message) and never read as Rich markup (``[/red]`` in a document is text)."""
from __future__ import annotations

from .read.paths import escape_text


def line(text: str) -> str:
    """``text`` with its control characters escaped: one printable line."""
    return escape_text(text) if not text.isprintable() else text


def cell(text: str, style: str = ""):
    """A Rich table cell holding ``text`` as it is: escaped, and no markup."""
    from rich.text import Text

    return Text(line(text or ""), style=style)


def echo(text: str, err: bool = False) -> None:
    """Print one message line (a file's error or warning) escaped."""
    import click

    click.echo(line(text), err=err)


__all__ = ["cell", "echo", "line"]
