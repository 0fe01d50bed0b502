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

worker_class = "gthread"
workers = default_workers()
threads = DEFAULT_THREADS
# As waitress under `camp up`: a whole room pressing Start in the same minute must queue,
# not be refused, and a slow request (a cohort's certificates) is not a hung worker.
backlog = 2048
timeout = 120
graceful_timeout = 30
# Longer than a load balancer's idle timeout for the connections it keeps open to a host
# (60 s is common): the balancer, not gunicorn, closes an idle one, and never sends a
# request on a connection gunicorn is closing.
keepalive = 75
# The workers' heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None  # noqa: S108


def on_starting(server: Any) -> None:
    """Refuse to start with more threads than the database pool keeps connections for."""
    pool = int(os.environ.get("CAMP_DB_POOL_SIZE", str(DEFAULT_POOL_SIZE)))
    if server.cfg.threads + 2 > pool:
        raise SystemExit(
            f"--threads {server.cfg.threads} needs CAMP_DB_POOL_SIZE of at least "
            f"{server.cfg.threads + 2} (it is {pool}): set it higher, or use fewer threads."
        )
