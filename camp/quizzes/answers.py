"""Saving answers: posted responses checked and cleaned against the paper, then stored as
rows (one statement of each kind, for one attempt or a batch of them), every save logged.

Functions flush but never commit; camp.quizzes.group_commit decides where the write runs,
and camp.quizzes.services.save_responses is the way in (check, then write).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]

from camp.bank.question_types import InvalidResponse, get_type
from camp.extensions import db
from camp.quizzes import policy
from camp.quizzes.errors import AttemptFinished, BadResponse, DeadlinePassed
from camp.quizzes.interfaces import AttemptLike
from camp.quizzes.models import AttemptQuestion, AttemptState
from camp.quizzes.paper import PaperRow, paper_rows


@dataclass(frozen=True)
class SavedAnswer:
    position: int
    answered: bool


@dataclass(frozen=True)
class PreparedAnswer:
    slot_id: int
    position: int
    response: dict[str, Any]
    answered: bool


def prepare_responses(
    attempt: AttemptLike,
    responses: dict[int, Any],
    now: datetime,
    paper: list[PaperRow] | None = None,
) -> list[PreparedAnswer]:
    """Check and clean answers by position, writing nothing (refused once submitted or
    past the deadline plus grace)."""
    if attempt.state != AttemptState.IN_PROGRESS:
        raise AttemptFinished()
    if not policy.accepts_responses(attempt.deadline, now):
        raise DeadlinePassed(_l("Time is up: the attempt was submitted with the answers saved."))
    rows = paper if paper is not None else paper_rows(attempt.id, responses.keys(), attempt.locale)
    by_position = {pq.slot.position: pq for pq in rows}
    prepared = []
    for position, raw in responses.items():
        question = by_position.get(position)
        if question is None:
            raise BadResponse(_l("That question is not part of this attempt."))
        try:
            response = get_type(question.version.type).normalise_response(
                question.version.spec, raw
            )
        except InvalidResponse as error:
            raise BadResponse(
                _l("Question %(number)s: %(problem)s", number=position, problem=str(error))
            ) from None
        prepared.append(PreparedAnswer(question.slot.id, position, response, is_answered(response)))
    return prepared


# SQLite only: PostgreSQL stores a page of answers in one statement (camp.quizzes.pg_save).
# Run on the write transaction's own sqlite3 connection, not through SQLAlchemy: the
# group-commit writer holds the database's write lock while it writes, and through the
# session the three statements of a batch took ~300 µs of Python; this way ~55 µs.
_OPEN_ATTEMPTS = "SELECT id FROM attempts WHERE state = ? AND id IN ({marks})"
_STORE_ANSWER = "UPDATE attempt_questions SET response = ?, answered = ?, saved_at = ? WHERE id = ?"
_LOG_ANSWER = (
    "INSERT INTO response_log (attempt_question_id, response, saved_at, accepted)"
    " VALUES (?, ?, ?, 1)"
)
_slots = AttemptQuestion.__table__


def write_answer_batch(
    batch: Sequence[tuple[int, Sequence[PreparedAnswer]]], now: datetime
) -> set[int]:
    """Store prepared answers of one or more attempts on SQLite, in the caller's write
    transaction, with one statement of each kind; every stored answer is logged. Returns
    the ids of attempts that are no longer in progress; their answers are not stored (the
    write lock is held, so no submit can slip in between)."""
    connection = db.session.connection()
    dialect = connection.dialect
    if dialect.name != "sqlite":
        raise RuntimeError("write_answer_batch is SQLite's; PostgreSQL saves with pg_save")
    driver = connection.connection.driver_connection
    assert driver is not None
    ids = sorted({attempt_id for attempt_id, _ in batch})
    found = driver.execute(
        _OPEN_ATTEMPTS.format(marks=", ".join("?" * len(ids))),
        (AttemptState.IN_PROGRESS.value, *ids),
    )
    open_ids = {row[0] for row in found}
    stored = [a for attempt_id, prepared in batch if attempt_id in open_ids for a in prepared]
    if stored:
        # Each value as its column's type writes it (JSON text, the UTC timestamp's text).
        as_json = _slots.c.response.type.dialect_impl(dialect).bind_processor(dialect)
        as_time = _slots.c.saved_at.type.dialect_impl(dialect).bind_processor(dialect)
        assert as_json is not None and as_time is not None
        saved_at = as_time(now)
        rows = [(as_json(a.response), a.answered, saved_at, a.slot_id) for a in stored]
        driver.executemany(_STORE_ANSWER, rows)
        logged = [(slot_id, response, at) for response, _answered, at, slot_id in rows]
        driver.executemany(_LOG_ANSWER, logged)
    return set(ids) - open_ids


def write_responses(
    attempt_id: int, prepared: Sequence[PreparedAnswer], now: datetime
) -> list[SavedAnswer]:
    """Store one attempt's prepared answers (raises AttemptFinished once submitted)."""
    if write_answer_batch([(attempt_id, prepared)], now):
        raise AttemptFinished()
    return saved_answers(prepared)


def saved_answers(prepared: Sequence[PreparedAnswer]) -> list[SavedAnswer]:
    return [SavedAnswer(position=a.position, answered=a.answered) for a in prepared]


def is_answered(response: dict[str, Any] | None) -> bool:
    if not response:
        return False
    value = next(iter(response.values()), None)
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict):
        return bool(value)
    return value is not None
