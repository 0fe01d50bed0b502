"""Group commit of a room's hot writes on SQLite: answer saves, attempt starts and
submits that arrive together are written together.

Why: SQLite has one writer, so every save or start queues for the write lock, and a
thread holding it waits for Python's GIL after each SQLite call while the process's other
request threads run. Measured with 200 students, a save held the lock 1.5 ms at the
median and over 60 ms at the 99th percentile, which capped saves near 450 a second; the
room's starts queued the same way. Here one writer thread per process takes the writes
that queued while it was busy and stores each kind in one write transaction with one
statement per table: the lock is taken once per batch instead of once per request.

Nothing is acknowledged before its transaction commits: a request waits for its batch,
and a server killed mid-batch has answered none of its requests, so browsers resend.
PostgreSQL needs none of this (row locks let writes commit side by side): a save there is
one statement that commits alone (camp.quizzes.pg_save), and so is a start's write
(camp.quizzes.pg_start); submits are written in the request's own transaction, as
everything is on an in-memory database (one connection).
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from flask import Flask
from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]
from sqlalchemy.exc import IntegrityError

from camp.db import sqlite_file
from camp.extensions import current_app_object, db
from camp.quizzes.answers import (
    PreparedAnswer,
    SavedAnswer,
    saved_answers,
    write_answer_batch,
    write_responses,
)
from camp.quizzes.attempts import (
    NewAttempt,
    in_progress_attempt_id,
    lock_attempt,
    submit_attempt,
    write_attempt,
    write_attempt_batch,
)
from camp.quizzes.errors import AttemptFinished, SaveDelayed
from camp.quizzes.pg_save import save_in_one_statement
from camp.quizzes.pg_start import start_in_one_statement
from camp.transactions import write_transaction

# Enough to empty the queue a whole room fills; small enough that one batch stays short.
MAX_BATCH = 100
WAIT_SECONDS = 60.0


@dataclass(eq=False, kw_only=True)
class _Job:
    app: Flask
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


J = TypeVar("J", bound=_Job)


@dataclass(eq=False, kw_only=True)
class _Save(_Job):
    attempt_id: int
    prepared: Sequence[PreparedAnswer]
    now: datetime


@dataclass(eq=False, kw_only=True)
class _Start(_Job):
    new: NewAttempt
    attempt_id: int | None = None


@dataclass(eq=False, kw_only=True)
class _Submit(_Job):
    attempt_id: int
    now: datetime


def _submit_one(attempt_id: int, now: datetime) -> None:
    locked = lock_attempt(attempt_id)
    assert locked is not None
    submit_attempt(locked, now)  # a second submit changes nothing


def _one_at_a_time(jobs: Sequence[J], write_one: Callable[[J], None]) -> None:
    """Write each job in its own transaction, after its batch failed: only a request
    whose own write fails hears about it."""
    for job in jobs:
        try:
            with write_transaction():
                write_one(job)
        except BaseException as error:  # this request hears why
            job.error = error


def _submit_job(submit: _Submit) -> None:
    _submit_one(submit.attempt_id, submit.now)


def _write_submits(submits: list[_Submit]) -> None:
    try:
        with write_transaction():
            for submit in submits:
                _submit_job(submit)
    except Exception:
        _one_at_a_time(submits, _submit_job)


def _write_saves(saves: list[_Save]) -> None:
    with write_transaction():
        finished = write_answer_batch([(s.attempt_id, s.prepared) for s in saves], saves[0].now)
    for save in saves:
        if save.attempt_id in finished:
            save.error = AttemptFinished()


def _start_job(start: _Start) -> None:
    start.attempt_id = write_attempt(start.new)


def _write_starts(starts: list[_Start]) -> None:
    try:
        with write_transaction():
            ids = write_attempt_batch([s.new for s in starts])
    except IntegrityError:
        # Someone pressed Start twice (or two tabs did): one at a time, each request gets
        # its new attempt or the one that won.
        _one_at_a_time(starts, _start_job)
        return
    for start, attempt_id in zip(starts, ids, strict=True):
        start.attempt_id = attempt_id


def _write(app: Flask, jobs: list[J], write: Callable[[list[J]], None]) -> None:
    try:
        with app.app_context():
            write(jobs)
    except BaseException as error:  # the whole batch failed: every request hears why
        for job in jobs:
            job.error = error
    finally:
        for job in jobs:
            job.done.set()


_WRITERS: tuple[tuple[type[_Job], Callable[[list[Any]], None]], ...] = (
    (_Start, _write_starts),
    (_Save, _write_saves),
    (_Submit, _write_submits),
)


class _Writer:
    """One daemon thread and its queue, started in the process that first needs it (a
    forked server worker starts its own)."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.queue: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        threading.Thread(target=self._run, name="camp-group-commit", daemon=True).start()

    def _run(self) -> None:
        while True:
            batch = [self.queue.get()]
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self.queue.get_nowait())
                except queue.Empty:
                    break
            for app in {job.app for job in batch}:
                mine = [job for job in batch if job.app is app]
                # Submits last: a submit grades the answers saved in this same batch.
                for kind, write in _WRITERS:
                    jobs = [job for job in mine if isinstance(job, kind)]
                    if jobs:
                        _write(app, jobs, write)


_writer: _Writer | None = None
_writer_lock = threading.Lock()


def _current_writer() -> _Writer:
    global _writer
    with _writer_lock:
        if _writer is None or _writer.pid != os.getpid():
            _writer = _Writer()
        return _writer


def _batches_apply() -> bool:
    return sqlite_file(db.engine.url) is not None


def _run(job: _Job) -> None:
    """Queue the job for the writer and wait until its batch is committed (or failed)."""
    # The request's read transaction ends here: the writer's commit must not wait on it.
    db.session.commit()
    _current_writer().queue.put(job)
    if not job.done.wait(WAIT_SECONDS):
        raise SaveDelayed(_l("Saving took too long and may not have happened: please try again."))
    if job.error is not None:
        raise job.error


def save_answers(
    attempt_id: int, prepared: Sequence[PreparedAnswer], now: datetime
) -> list[SavedAnswer]:
    """Store one attempt's checked answers and return what was saved; raises
    AttemptFinished when the attempt was submitted first."""
    if db.engine.dialect.name == "postgresql":  # one statement, committed alone
        if db.session.registry.has():
            db.session.commit()  # the request's own transaction ends first, as it would
        if not save_in_one_statement(attempt_id, prepared, now):
            raise AttemptFinished()
        return saved_answers(prepared)
    if not _batches_apply():
        with write_transaction():
            return write_responses(attempt_id, prepared, now)
    app = current_app_object()
    _run(_Save(app=app, attempt_id=attempt_id, prepared=prepared, now=now))
    return saved_answers(prepared)


def write_planned_attempt(new: NewAttempt) -> int:
    """Write a planned attempt; returns its id, or the id of the attempt in progress when
    the student's other request started one first."""
    if db.engine.dialect.name == "postgresql":  # one statement, committed alone
        if db.session.registry.has():
            db.session.commit()  # the request's own transaction ends first, as it would
        written = start_in_one_statement(new)
        if written is None:  # refused: most often the student's other request started it
            written = in_progress_attempt_id(new.user_id, new.quiz_id)
        if written is not None:
            return written
        # Refused, and none in progress: the session's path writes it or says why not.
    if not _batches_apply():
        with write_transaction():
            return write_attempt(new)
    start = _Start(app=current_app_object(), new=new)
    _run(start)
    assert start.attempt_id is not None
    return start.attempt_id


def submit(attempt_id: int, now: datetime) -> None:
    """Submit and grade the attempt (a second submit changes nothing)."""
    if not _batches_apply():
        with write_transaction():
            _submit_one(attempt_id, now)
        return
    app = current_app_object()
    _run(_Submit(app=app, attempt_id=attempt_id, now=now))
