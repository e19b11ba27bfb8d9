"""``cchc serve``: a thin click command starting the web app with uvicorn."""
from __future__ import annotations

import click

from ..archive.commands import _open, archive_option, lang_option

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def allowed_hosts(host: str) -> list[str] | None:
    """The Host headers answered when listening on ``host`` (a page of another site cannot
    reach the app through a DNS name of its own pointing at 127.0.0.1); ``None``: any, when
    listening on every address."""
    if host in ("0.0.0.0", "::"):
        return None
    if host in LOCAL_HOSTS:
        return [*LOCAL_HOSTS, "[::1]"]
    return [host, *LOCAL_HOSTS]


@click.command()
@archive_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default answers this machine only.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True,
              help="Port to listen on.")
@click.option("--review", is_flag=True,
              help="Allow confirming and dismissing findings from the browser (read-only without it).")
@lang_option
def serve(archive_url: str | None, host: str, port: int, review: bool, lang: str) -> None:
    """Browse the archive in a web browser: search, documents, findings, figures, overview.

    Every page has a JSON twin (add .json or ?format=json) and a language switch (?lang=en).
    Read-only unless --review, which lets reviewers confirm or dismiss findings exactly as
    cchc review does. Listens on 127.0.0.1 unless --host says otherwise.

    Example: cchc serve --archive cchc-archive.sqlite --review --port 8000
    """
    import uvicorn

    from .app import create_app

    archive = _open(archive_url, lang, create=False)
    app = create_app(archive, review=review, lang=lang, allowed_hosts=allowed_hosts(host))
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"cchc serve: {archive.name} → http://{shown}:{port}/"
               + (" (review)" if review else " (read-only)"), err=True)
    with archive:
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


COMMANDS = (serve,)
