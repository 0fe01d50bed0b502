"""An attempt and its quiz's header as one plain row, for the hot attempt views.

Why: a question page and an answer save are what a whole room requests at once. Loading
the attempt as an ORM object with its quiz joined was ~15% of either request; these views
only read a few columns, so one prebuilt Core statement gives a frozen row instead. Views
that change an attempt (submitting, closing an overdue one) still load the ORM object.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select

from camp.extensions import db
from camp.quizzes.models import Attempt, AttemptState, Quiz

_attempts = Attempt.__table__
_quizzes = Quiz.__table__

# Built once: a constant statement keeps its cache key, so each request only binds the id.
_ATTEMPT_WITH_QUIZ = (
    select(
        _attempts.c.id,
        _attempts.c.user_id,
        _attempts.c.number,
        _attempts.c.state,
        _attempts.c.seed,
        _attempts.c.deadline,
        _quizzes.c.id,
        _quizzes.c.title,
        _quizzes.c.layout,
    )
    .join_from(_attempts, _quizzes, _quizzes.c.id == _attempts.c.quiz_id)
    .where(_attempts.c.id == bindparam("attempt_id"))
)


@dataclass(frozen=True)
class QuizHeader:
    """What the attempt pages show of the quiz, and how they lay it out."""

    id: int
    title: str
    layout: str


@dataclass(frozen=True)
class AttemptRow:
    id: int
    user_id: int
    number: int
    state: str
    seed: str
    deadline: datetime | None
    quiz: QuizHeader

    @property
    def finished(self) -> bool:
        return self.state == AttemptState.SUBMITTED


def attempt_row(attempt_id: int) -> AttemptRow | None:
    row = db.session.execute(_ATTEMPT_WITH_QUIZ, {"attempt_id": attempt_id}).first()
    if row is None:
        return None
    attempt_id, user_id, number, state, seed, deadline, quiz_id, title, layout = row
    return AttemptRow(
        attempt_id, user_id, number, state, seed, deadline, QuizHeader(quiz_id, title, layout)
    )
