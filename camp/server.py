"""`camp up`'s server: waitress, a production WSGI server (never the Werkzeug dev server).

With several workers, the parent checks the port is free and forks processes that each
run waitress, so a laptop's cores all serve (Python runs one thread at a time per
process). On Linux each worker listens on a socket of its own on the shared port, and the
kernel spreads new connections evenly over them; elsewhere they share one socket. Workers
die with the parent, even when the parent is killed outright.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import click
import waitress
from flask import Flask

# Why two workers per core with 8 threads each: a worker's writer thread holds SQLite's
# write lock while it waits for the GIL after each SQLite call, and the more request
# threads a process runs, the longer that wait. With 200 students on 2 cores, four
# alternating runs each of 2 workers x 16 threads and 4 x 8 (benchmarks/load.py) gave:
#   save p99 482-753 ms against 354-447 ms, saves/s ratio 0.16-0.18 against 0.20-0.25,
#   start p99 323-448 ms against 325-426 ms, page ratio 0.28-0.31 against 0.27-0.34.
DEFAULT_THREADS = 8
BACKLOG = 2048


def default_workers() -> int:
    """Two worker processes per CPU core, at most 8."""
    return max(1, min(2 * (os.cpu_count() or 1), 8))


def _waitress(app: Flask, threads: int, **where: Any) -> None:
    waitress.serve(
        app,
        threads=threads,
        ident="camp",
        # A whole room pressing Start in the same minute must queue, not be refused.
        backlog=BACKLOG,
        connection_limit=1000,
        channel_timeout=120,
        _quiet=True,
        **where,
    )


def serve(
    app: Flask,
    host: str,
    port: int,
    threads: int = DEFAULT_THREADS,
    workers: int = 1,
    before_fork: Callable[[], None] | None = None,
) -> None:
    """Serve until interrupted; print the URL people should open."""
    # A full queue is expected when a whole room presses Start at once; it is not a fault.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{port}/"
    if workers <= 1:
        click.echo(f"Camp is running at {url}  (press Ctrl+C to stop)")
        _waitress(app, threads, host=host, port=port)
        return
    listener = _Listener(host, port)
    if before_fork is not None:
        before_fork()
    click.echo(f"Camp is running at {url} with {workers} workers  (press Ctrl+C to stop)")
    _supervise(app, listener, threads, workers)


def _balanced() -> bool:
    """Whether the kernel spreads connections over sockets sharing a port (Linux's
    SO_REUSEPORT; on macOS and the BSDs one socket would get them all)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def bind(host: str, port: int, *, share: bool) -> socket.socket:
    """A TCP socket bound to host:port (not listening yet); `share` joins the port's
    SO_REUSEPORT group, else the bind fails when anything holds the port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if share:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


class _Listener:
    """Where the workers accept connections.

    Why a socket per worker: with one shared socket, whichever worker wins the accept race
    keeps the connection for good (browsers keep it open). With 200 students the four
    workers held 82, 52, 33 and 33 connections: two fifths of the room waited on one
    worker, with two and a half times the share of two others, and the slowest percent of
    saves took up to 740 ms. Linux hashes each new connection to one of the
    sockets of a SO_REUSEPORT group instead.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.balanced = _balanced()
        # A plain bind fails at once when anything, another Camp included, holds the port.
        self.socket = bind(self.host, port, share=False)
        self.port = self.socket.getsockname()[1]
        if self.balanced:
            # Keep the port reserved between worker restarts; this one never listens, so
            # no connection is ever routed to it.
            self.socket.close()
            self.socket = bind(self.host, self.port, share=True)
        else:
            self.socket.listen(BACKLOG)

    def for_worker(self) -> socket.socket:
        """The socket a newly forked worker accepts on."""
        if not self.balanced:
            return self.socket
        sock = bind(self.host, self.port, share=True)
        sock.listen(BACKLOG)
        return sock

    def close(self) -> None:
        self.socket.close()


def _die_with_parent(parent: int) -> None:
    """Ask Linux to stop this worker when the parent dies; elsewhere, watch for it."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, signal.SIGTERM) == 0:  # PR_SET_PDEATHSIG
            if os.getppid() != parent:  # the parent died before prctl took effect
                os._exit(0)
            return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _start_worker(app: Flask, listener: _Listener, threads: int) -> int:
    parent = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
        signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
        _die_with_parent(parent)
        _waitress(app, threads, sockets=[listener.for_worker()])
    finally:
        os._exit(0)


def _supervise(app: Flask, listener: _Listener, threads: int, workers: int) -> None:
    children = {_start_worker(app, listener, threads) for _ in range(workers)}
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while children:
        try:
            pid, _status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        children.discard(pid)
        if not stopping:  # a worker died on its own: replace it, keep serving
            click.echo("A worker stopped unexpectedly; starting a new one.", err=True)
            children.add(_start_worker(app, listener, threads))
    listener.close()
    sys.exit(0)
