"""An attempt, its quiz's header and its paper as plain rows, for the hot attempt views.

Why: a question page and an answer save are what a whole room requests at once. Loading
the attempt as an ORM object with its quiz joined was ~15% of either request; these views
only read a few columns, so one prebuilt Core statement gives frozen rows instead, the
paper included (one query where there were three). Views
that change an attempt (submitting, closing an overdue one) still load the ORM object.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select

from camp.extensions import db
from camp.quizzes.models import Attempt, AttemptQuestion, AttemptState, Quiz
from camp.quizzes.paper import SLOT_COLUMNS, PaperRow, SlotRow, paper_from_slots

_attempts = Attempt.__table__
_quizzes = Quiz.__table__
_slots = AttemptQuestion.__table__

# Built once: a constant statement keeps its cache key, so each request only binds the id.
# One row per question of the paper, each carrying the attempt and quiz columns.
_ATTEMPT_WITH_PAPER = (
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
        *SLOT_COLUMNS,
    )
    .join_from(_attempts, _quizzes, _quizzes.c.id == _attempts.c.quiz_id)
    .outerjoin(_slots, _slots.c.attempt_id == _attempts.c.id)
    .where(_attempts.c.id == bindparam("attempt_id"))
    .order_by(_slots.c.position)
)
_ATTEMPT_COLUMNS = 9


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


def attempt_with_paper(attempt_id: int) -> tuple[AttemptRow, list[PaperRow]] | None:
    """The attempt and its paper in position order, or None when there is no such attempt."""
    rows = db.session.execute(_ATTEMPT_WITH_PAPER, {"attempt_id": attempt_id}).all()
    if not rows:
        return None
    first = rows[0]
    attempt = AttemptRow(*first[:6], QuizHeader(*first[6:_ATTEMPT_COLUMNS]))  # type: ignore[arg-type]
    slots = [SlotRow(*row[_ATTEMPT_COLUMNS:]) for row in rows if row[_ATTEMPT_COLUMNS] is not None]
    return attempt, paper_from_slots(slots)
