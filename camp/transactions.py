"""The one write path: when a request's work is committed, and how a write takes the lock.

- **The request's commit point.** Views never commit or roll back. When a view returns,
  its response decides: below 400 the request's transaction is committed, from 400 on it
  is rolled back (`register_request_transactions`). An exception rolls it back too.
- **`atomic()`** is for a view that catches a domain error and still answers below 400
  (a flash and a redirect): what the failed service wrote is undone at once, the rest is
  committed with the request.
- **Writes and SQLite's one writer.** Every transaction of a POST takes SQLite's write lock
  at BEGIN (see `camp.extensions`), which is safe but holds the lock for the whole
  request. A view marked `@short_writes` instead reads in an ordinary transaction and does
  its writes inside `write_transaction()`: one short BEGIN IMMEDIATE block, committed at
  once. A GET that must change something (opening an overdue attempt closes it) writes in
  `write_transaction()` too: a read transaction that turned into a write would fail at
  once ("database is locked") whenever another writer had committed meanwhile. In one
  process, threads queue on a mutex for that block rather than in SQLite's sleeping busy
  handler; across worker processes they queue on an exclusive lock of a file beside the
  database.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any, ParamSpec, TypeVar

from flask import Flask, Response, current_app, g, has_app_context, has_request_context, request
from sqlalchemy import event

from camp.db import sqlite_file
from camp.extensions import db

P = ParamSpec("P")
R = TypeVar("R")


_SQLITE_WRITER = threading.Lock()

# Why: the thread that holds the write lock needs the GIL back after every SQLite call,
# and a busy request thread keeps it for up to the switch interval (5 ms by default)
# while every other writer queues behind. So the holder shortens the interval for as
# long as it holds the lock. It is not shortened for good: with 200 students reading
# question pages, 0.2 ms all the time cost a fifth of the pages served (benchmarks/load.py:
# about 1,330 against 1,620 pages a second).
WRITER_SWITCH_INTERVAL_S = 0.0002


@contextmanager
def _prompt_gil_handoff() -> Iterator[None]:
    """Hand the GIL back to the lock holder quickly while the block runs.

    Only the holder of `_SQLITE_WRITER` calls this, so one thread at a time changes the
    process's switch interval and puts back what it found.
    """
    resting = sys.getswitchinterval()
    sys.setswitchinterval(min(resting, WRITER_SWITCH_INTERVAL_S))
    try:
        yield
    finally:
        sys.setswitchinterval(resting)


try:
    import fcntl
except ImportError:  # not POSIX: the busy timeout alone orders the processes
    fcntl = None  # type: ignore[assignment]

_lock_files: dict[str, int] = {}


def _writer_lock_fd() -> int | None:
    """A descriptor of `<database>-writer.lock`, opened once per process (after fork).

    Why: with several `camp up` workers, SQLite's busy handler makes a waiting writer
    sleep in growing steps (up to 100 ms), so a room of saves queued on the write lock
    saw p99s of seconds. `flock` wakes the next process as soon as the lock is free.
    """
    database = sqlite_file(db.engine.url)
    if fcntl is None or database is None:
        return None
    key = f"{os.getpid()}:{database}"  # a forked worker opens its own description
    if key not in _lock_files:
        try:
            _lock_files[key] = os.open(f"{database}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:  # a read-only folder: fall back to the busy timeout
            return None
    return _lock_files[key]


def short_writes(view: Callable[P, R]) -> Callable[P, R]:
    """Mark a view whose writes all happen inside `write_transaction()`."""
    view._camp_short_writes = True  # type: ignore[attr-defined]  # a mark on a function
    return view


def in_short_writes_view() -> bool:
    if not has_request_context() or request.endpoint is None:
        return False
    view = current_app.view_functions.get(request.endpoint)
    while view is not None and not getattr(view, "_camp_short_writes", False):
        view = getattr(view, "__wrapped__", None)
    return view is not None


def writing() -> bool:
    """True inside `write_transaction()` (in a request, or in a thread's app context)."""
    return bool(has_app_context() and g.get("_camp_writing"))


@contextmanager
def write_transaction() -> Iterator[None]:
    """End the read transaction, run the block as one write transaction, commit.

    Objects loaded before the block are not expired by these commits: the block writes
    with Core statements, and reloading them would cost queries (some under the lock).
    """
    session = db.session()
    expire = session.expire_on_commit
    session.expire_on_commit = False
    sqlite = db.engine.dialect.name == "sqlite"
    try:
        session.commit()
        with _sqlite_write_lock() if sqlite else nullcontext():
            g._camp_writing = True
            try:
                yield
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                g._camp_writing = False
    finally:
        session.expire_on_commit = expire


@contextmanager
def _sqlite_write_lock() -> Iterator[None]:
    """This process's writer mutex, then the file lock that orders the worker processes."""
    with _SQLITE_WRITER, _prompt_gil_handoff():
        lock_fd = _writer_lock_fd()
        if lock_fd is None:
            yield
            return
        fcntl.flock(lock_fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_fd, fcntl.LOCK_UN)


def register_request_transactions(app: Flask) -> None:
    """Commit each request's work when its response is a success, else roll it back; on
    SQLite, take the write lock at BEGIN where a request writes (`configure_sqlite`)."""
    configure_sqlite(app)

    @app.after_request
    def end_request_transaction(response: Response) -> Response:
        # Why look first: the hot pages read outside the session (camp.snapshot_reads) and
        # never make one; making one here just to commit nothing cost them ~4%.
        if not db.session.registry.has():
            return response
        session = db.session()
        if not session.in_transaction():
            return response
        if response.status_code < 400:
            session.commit()
        else:
            session.rollback()
        return response


@contextmanager
def atomic() -> Iterator[None]:
    """Run the block in a savepoint: if it raises, what it wrote is undone and the error
    goes on to the caller; if not, its writes are committed with the request."""
    with db.session.begin_nested():
        yield


def configure_sqlite(app: Flask) -> None:
    """WAL, a busy timeout and foreign keys on every SQLite connection."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    busy_ms = app.config["SQLITE_BUSY_TIMEOUT_MS"]

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin so
        # BEGIN IMMEDIATE can be issued where a write must not be lost.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if sqlite_file(engine.url) is not None:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Straight to the driver: through exec_driver_sql this was a tenth of a small page.
        sql = "BEGIN IMMEDIATE" if _request_writes() else "BEGIN"
        connection.connection.driver_connection.execute(sql)


def _request_writes() -> bool:
    """True inside a state-changing request (POST and the like).

    SQLite has one writer. A deferred transaction that reads and then writes fails at once
    with "database is locked" when another writer committed in between (waiting could not
    help it), so every transaction of such a request takes the write lock at BEGIN and
    waits its turn within the busy timeout. Reads (GET) stay deferred and never wait: WAL
    lets them run beside the writer.
    """
    if writing():  # inside write_transaction(), also outside a request (a writer thread)
        return True
    if not has_request_context() or request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    # Views marked @short_writes read without the lock and write in write_transaction().
    return not in_short_writes_view()
