"""gunicorn's settings for Camp on a server, one host of several behind a load balancer:

    gunicorn -c python:camp.gunicorn_conf -b 0.0.0.0:8000 'camp:create_app()'

Workers and threads as `camp up` runs them (camp.server): two worker processes per core,
at most 8, each with 8 request threads (gunicorn's threaded worker). The command line or
GUNICORN_CMD_ARGS override any of them (`-w 8 --threads 4`). Each worker builds the app
itself (no preloading), so it opens its own database connections and a HUP reloads
Camp's code. Before a worker starts, the threads are checked against the database pool,
as `camp up` checks them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from camp.config import DEFAULT_POOL_SIZE
from camp.server import DEFAULT_THREADS, default_workers
from camp.server import bind as _bind_socket  # not `bind`: that name is a gunicorn setting

worker_class = "gthread"
workers = default_workers()
threads = DEFAULT_THREADS
# As waitress under `camp up`: a whole room pressing Start in the same minute must queue,
# not be refused, and a slow request (a cohort's certificates) is not a hung worker.
backlog = 2048
# Each worker listens on a socket of its own on the shared port (SO_REUSEPORT; gunicorn 24
# and later), and the kernel spreads new connections evenly over them, as `camp up` does.
# With one shared socket, whichever worker woke first took the connection: a room logging
# in at once left the four workers of two hosts with 82 to 140 connections each, and the
# students of the busiest one waited longest (save p99 over 700 ms in two runs of seven).
reuse_port = True
timeout = 120
graceful_timeout = 30
# Longer than a load balancer's idle timeout for the connections it keeps open to a host
# (60 s is common): the balancer, not gunicorn, closes an idle one, and never sends a
# request on a connection gunicorn is closing.
keepalive = 75
# The workers' heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None  # noqa: S108


def on_starting(server: Any) -> None:
    """Refuse to start with more threads than the database pool keeps connections for, or
    on a port something else holds."""
    pool = int(os.environ.get("CAMP_DB_POOL_SIZE", str(DEFAULT_POOL_SIZE)))
    if server.cfg.threads + 2 > pool:
        raise SystemExit(
            f"--threads {server.cfg.threads} needs CAMP_DB_POOL_SIZE of at least "
            f"{server.cfg.threads + 2} (it is {pool}): set it higher, or use fewer threads."
        )
    # With reuse_port the master binds nothing, and workers that cannot bind are started
    # again and again; a plain bind here fails at once when anything, another Camp
    # included, holds the port. Not when gunicorn replaces itself (USR2, systemd's
    # sockets): the old workers hold the port then, as they should.
    if server.cfg.reuse_port and not (server.master_pid or os.environ.get("LISTEN_FDS")):
        for address in server.cfg.address:
            _refuse_if_taken(address)


def _refuse_if_taken(address: Any) -> None:
    if not (isinstance(address, tuple) and len(address) == 2):
        return  # a unix socket or an inherited file descriptor
    host, port = address
    try:
        _bind_socket(host, port, share=False).close()  # as `camp up` checks its port
    except OSError as error:
        raise SystemExit(
            f"{host}:{port} is in use ({error.strerror}): stop what holds it, or bind "
            "another port (-b)."
        ) from None
