"""`camp up`'s server: waitress, a production WSGI server (never the Werkzeug dev server)."""

from __future__ import annotations

import click
import waitress
from flask import Flask

DEFAULT_THREADS = 8


def serve(app: Flask, host: str, port: int, threads: int = DEFAULT_THREADS) -> None:
    """Serve until interrupted; print the URL people should open."""
    shown_host = f"[{host}]" if ":" in host else host
    click.echo(f"Camp is running at http://{shown_host}:{port}/  (press Ctrl+C to stop)")
    waitress.serve(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="camp",
        # A whole room pressing Start in the same minute must queue, not be refused.
        backlog=2048,
        connection_limit=1000,
        channel_timeout=120,
        _quiet=True,
    )
