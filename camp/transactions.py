"""Short write transactions for hot paths.

By default every transaction of a POST takes SQLite's write lock at BEGIN (see
`camp.extensions`), which is safe but holds the lock for the whole request. A view marked
`@short_writes` instead reads in an ordinary transaction and does its writes inside
`write_transaction()`: one short BEGIN IMMEDIATE block, committed at once. In one process,
threads queue on a mutex for that block rather than in SQLite's sleeping busy handler;
across worker processes they queue on an exclusive lock of a file beside the database.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from flask import current_app, g, has_app_context, has_request_context, request

from camp.db import sqlite_file
from camp.extensions import db

P = ParamSpec("P")
R = TypeVar("R")


_SQLITE_WRITER = threading.Lock()

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
    view._camp_short_writes = True  # type: ignore[attr-defined]
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
        lock_fd = None
        if sqlite:
            _SQLITE_WRITER.acquire()
            lock_fd = _writer_lock_fd()
            if lock_fd is not None:
                fcntl.flock(lock_fd, fcntl.LOCK_EX)
        g._camp_writing = True
        try:
            yield
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            g._camp_writing = False
            if lock_fd is not None:
                fcntl.flock(lock_fd, fcntl.LOCK_UN)
            if sqlite:
                _SQLITE_WRITER.release()
    finally:
        session.expire_on_commit = expire
