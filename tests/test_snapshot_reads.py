"""One-statement reads outside the session (camp.snapshot_reads): the rows are the ones
the session would return, and each read sees what was committed before it."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import Boolean, bindparam, case, insert, null, select, type_coerce, update

from camp import snapshot_reads
from camp.accounts.models import User
from camp.bank.file_models import StoredFile
from camp.extensions import db
from camp.quizzes import services
from camp.quizzes.attempt_rows import _USER_WITH_ATTEMPT
from camp.quizzes.models import Attempt, AttemptQuestion
from camp.snapshot_reads import SnapshotRead

NOW = datetime(2026, 8, 20, 9, 0, tzinfo=UTC)


def started(make):
    student = make.user(name="Ada")
    quiz = make.quiz(
        [make.choice_question(right=f"Right {i}") for i in range(3)], time_limit_minutes=10
    )
    attempt = db.session.get(Attempt, services.start_attempt(student, quiz, NOW))
    services.save_responses(attempt, {2: {"selected": 1}}, NOW + timedelta(seconds=30))
    db.session.commit()
    return student.id, attempt.id


def test_rows_are_what_the_session_returns_typed_the_same_way(app, make):
    user_id, attempt_id = started(make)
    params = {"user_id": user_id, "attempt_id": attempt_id}

    read = [list(row) for row in _USER_WITH_ATTEMPT.rows(params)]
    through_session = [
        list(row) for row in db.session.execute(_USER_WITH_ATTEMPT.statement, params)
    ]

    assert read == through_session and len(read) == 3
    values = [value for row in read for value in row]
    assert {"selected": 1} in values  # JSON comes back decoded
    assert any(isinstance(v, datetime) and v.tzinfo is not None for v in values)  # the deadline
    assert read[0][4] is True and read[0][5] is False  # active, must change password


def test_each_read_sees_what_was_committed_before_it(app, make):
    user_id, attempt_id = started(make)
    params = {"user_id": user_id, "attempt_id": attempt_id}
    assert _USER_WITH_ATTEMPT.rows(params)[0][2] == "Ada"

    db.session.execute(update(User).where(User.id == user_id).values(display_name="Grace"))
    db.session.execute(update(Attempt).where(Attempt.id == attempt_id).values(state="submitted"))
    db.session.commit()

    row = _USER_WITH_ATTEMPT.rows(params)[0]
    assert row[2] == "Grace" and "submitted" in row


def test_threads_read_side_by_side(app: Flask, make):
    user_id, attempt_id = started(make)
    params = {"user_id": user_id, "attempt_id": attempt_id}
    expected = [list(row) for row in _USER_WITH_ATTEMPT.rows(params)]
    results: list[object] = []
    barrier = threading.Barrier(6)

    def read() -> None:
        with app.app_context():
            barrier.wait(10)
            for _ in range(20):
                results.append([list(row) for row in _USER_WITH_ATTEMPT.rows(params)])

    threads = [threading.Thread(target=read) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert results == [expected] * 120


def test_a_timestamp_parameter_is_compared_as_the_session_would(app, make):
    """A UTC moment bound to the statement is written as the database stores it, so a
    comparison with a deadline gives the session's answer on both sides of it."""
    from sqlalchemy import bindparam, select

    from camp.snapshot_reads import SnapshotRead

    _user_id, attempt_id = started(make)
    deadline = db.session.get(Attempt, attempt_id).deadline
    before_deadline = SnapshotRead(
        select(Attempt.id).where(Attempt.id == attempt_id, Attempt.deadline > bindparam("now"))
    )

    for moment, expected in ((deadline - timedelta(seconds=1), 1), (deadline, 0)):
        rows = before_deadline.rows({"now": moment})
        through_session = db.session.execute(before_deadline.statement, {"now": moment}).all()
        assert len(rows) == len(through_session) == expected


def test_on_postgresql_a_read_outlives_its_connection_being_cut(app, make):
    """PostgreSQL restarted, or a proxy dropped the connection: the next read opens a new
    one and answers, as the pool's ping did for the session."""
    from sqlalchemy import text

    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL reads on a connection of their own; SQLite reads a file")
    user_id, attempt_id = started(make)
    params = {"user_id": user_id, "attempt_id": attempt_id}
    assert _USER_WITH_ATTEMPT.rows(params)[0][2] == "Ada"
    db.session.execute(
        text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    )
    db.session.commit()

    assert _USER_WITH_ATTEMPT.rows(params)[0][2] == "Ada"


def test_many_rows_come_back_in_order_with_exact_reals_text_and_json(app, make):
    """On SQLite the rows travel as one JSON array (one step for the driver, not one per
    row): REALs must come back exact (SQLite writes them in JSON to 15 digits), text and
    JSON as they were, NULLs as None, and the rows in the statement's order."""
    _user_id, attempt_id = started(make)
    awkward = [1 / 3, 0.1 + 0.2, None]
    comments = ['He said "no" \\ 不 — 🙂', None, "line\nbreak"]
    for position, (fraction, comment) in enumerate(zip(awkward, comments, strict=True), 1):
        db.session.execute(
            update(AttemptQuestion)
            .where(AttemptQuestion.attempt_id == attempt_id, AttemptQuestion.position == position)
            .values(fraction=fraction, manual_comment=comment)
        )
    db.session.commit()
    slots = AttemptQuestion.__table__
    statement = (
        select(slots.c.position, slots.c.fraction, slots.c.manual_comment, slots.c.response)
        .where(slots.c.attempt_id == bindparam("attempt_id"))
        .order_by(slots.c.position.desc())
    )

    read = [list(row) for row in SnapshotRead(statement).rows({"attempt_id": attempt_id})]

    assert read == [list(row) for row in db.session.execute(statement, {"attempt_id": attempt_id})]
    assert read == [
        [3, None, "line\nbreak", None],
        [2, 0.1 + 0.2, None, {"selected": 1}],
        [1, 1 / 3, 'He said "no" \\ 不 — 🙂', None],
    ]


def test_json_and_booleans_of_every_shape_come_back_as_the_session_reads_them(app, make):
    """On SQLite a JSON column travels inside the array as the JSON it holds and a BOOLEAN
    as true or false: nested values, exact floats in JSON, a JSON string, JSON's null and
    SQL's NULL, and true, false and NULL must all read as the session reads them."""
    _user_id, attempt_id = started(make)
    slots = AttemptQuestion.__table__
    shapes = {
        1: ({"selected": [2, 0], "why": 'a "quoted" 不 🙂', "score": 0.1 + 0.2}, True),
        2: ("just text", False),
        3: (None, True),  # SQLAlchemy writes None as JSON's null
    }
    for position, (response, answered) in shapes.items():
        db.session.execute(
            update(slots)
            .where(slots.c.attempt_id == attempt_id, slots.c.position == position)
            .values(
                response=response,
                answered=answered,
                option_order=null() if position == 3 else [3, 1],
            )
        )
    db.session.commit()
    maybe = type_coerce(case((slots.c.position == 3, null()), else_=slots.c.answered), Boolean)
    statement = (
        select(slots.c.position, slots.c.response, slots.c.option_order, slots.c.answered, maybe)
        .where(slots.c.attempt_id == bindparam("attempt_id"))
        .order_by(slots.c.position)
    )

    read = [list(row) for row in SnapshotRead(statement).rows({"attempt_id": attempt_id})]

    assert read == [list(row) for row in db.session.execute(statement, {"attempt_id": attempt_id})]
    assert read == [
        [1, shapes[1][0], [3, 1], True, True],
        [2, "just text", [3, 1], False, False],
        [3, None, None, True, None],
    ]
    assert all(type(row[3]) is bool for row in read)


def test_a_read_of_bytes_comes_back_as_bytes(app):
    files = StoredFile.__table__
    db.session.execute(
        insert(files).values(
            sha256="a" * 64, content_type="image/png", size=3, data=b"\x00\xff\x01", created_at=NOW
        )
    )
    db.session.commit()
    statement = select(files.c.data, files.c.size).where(files.c.sha256 == bindparam("sha"))
    read = SnapshotRead(statement).rows({"sha": "a" * 64})
    assert [list(row) for row in read] == [[b"\x00\xff\x01", 3]]


def test_without_sqlites_json_functions_the_rows_come_as_rows(app, make, monkeypatch):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's JSON functions")
    monkeypatch.setattr(snapshot_reads, "sqlite_has_json", lambda: False)
    user_id, attempt_id = started(make)
    params = {"user_id": user_id, "attempt_id": attempt_id}
    fresh = SnapshotRead(_USER_WITH_ATTEMPT.statement)  # compiled anew, without them

    assert [list(row) for row in fresh.rows(params)] == [
        list(row) for row in db.session.execute(_USER_WITH_ATTEMPT.statement, params)
    ]
    assert "json_group_array" not in fresh._compiled["sqlite"].sql
