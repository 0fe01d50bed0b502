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
from sqlalchemy import bindparam, insert, select, update

from camp.bank.question_types import InvalidResponse, get_type
from camp.extensions import db
from camp.quizzes import policy
from camp.quizzes.errors import AttemptFinished, BadResponse, DeadlinePassed
from camp.quizzes.interfaces import AttemptLike
from camp.quizzes.models import Attempt, AttemptQuestion, AttemptState, ResponseLog
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


_answers = AttemptQuestion.__table__
# Built once (constant statements keep their cache keys); run once per batch of answers.
_STORE_ANSWER = (
    update(_answers)
    .where(_answers.c.id == bindparam("slot_id"))
    .values(
        response=bindparam("new_response"),
        answered=bindparam("new_answered"),
        saved_at=bindparam("new_saved_at"),
    )
)
_LOG_ANSWER = insert(ResponseLog.__table__)


def write_answer_batch(
    batch: Sequence[tuple[int, Sequence[PreparedAnswer]]], now: datetime
) -> set[int]:
    """Store prepared answers of one or more attempts with one statement of each kind:
    rows, not objects, so the write is short. Returns the ids of attempts that are no
    longer in progress; their answers are not stored. The attempt rows are read with a
    share lock (PostgreSQL) so a concurrent submit cannot slip in between."""
    ids = {attempt_id for attempt_id, _ in batch}
    open_ids = set(
        db.session.scalars(
            select(Attempt.id)
            .where(Attempt.id.in_(ids), Attempt.state == AttemptState.IN_PROGRESS)
            .with_for_update(read=True)
        )
    )
    stored = [a for attempt_id, prepared in batch if attempt_id in open_ids for a in prepared]
    if stored:
        db.session.execute(
            _STORE_ANSWER,
            [
                {
                    "slot_id": a.slot_id,
                    "new_response": a.response,
                    "new_answered": a.answered,
                    "new_saved_at": now,
                }
                for a in stored
            ],
        )
        db.session.execute(
            _LOG_ANSWER,
            [
                {
                    "attempt_question_id": a.slot_id,
                    "response": a.response,
                    "saved_at": now,
                    "accepted": True,
                }
                for a in stored
            ],
        )
    return ids - open_ids


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
