"""An attempt, its quiz's header and its paper as plain rows, for the hot attempt views.

Why: a question page and an answer save are what a whole room requests at once. Loading
the attempt as an ORM object with its quiz joined was ~15% of either request; these views
only read a few columns, so one prebuilt Core statement gives frozen rows instead, the
paper included (one query where there were three). On those views the logged-in user is
read in the same statement (`read_user_and_attempt`), so a request makes one query, and
on SQLite that query runs on its own, outside the session (`camp.snapshot_reads`). Whether
the student may take the quiz at all (a cohort window of theirs, `policy.may_take`) is a
column of the same statement, not a query of its own. Views that change an attempt
(submitting, closing an overdue one) still load the ORM object.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from flask import request
from sqlalchemy import bindparam, select

from camp.accounts.models import User
from camp.accounts.session_user import ROW_USER_COLUMNS, RowUser, load_row_user
from camp.quizzes.attempts import ATTEMPT_MAY_BE_TAKEN
from camp.quizzes.models import Attempt, AttemptQuestion, AttemptState, Quiz
from camp.quizzes.paper import SLOT_COLUMNS, PaperRow, SlotRow, paper_from_slots
from camp.snapshot_reads import SnapshotRead

_users = User.__table__
_attempts = Attempt.__table__
_quizzes = Quiz.__table__
_slots = AttemptQuestion.__table__


@dataclass(frozen=True)
class QuizHeader:
    """What the attempt pages show of the quiz, and how they lay it out (a `QuizLike`)."""

    id: int
    title: str
    layout: str


@dataclass(frozen=True)
class AttemptRow:
    """An attempt as the hot views read it (an `AttemptLike`, as the ORM `Attempt` is)."""

    id: int
    user_id: int
    number: int
    state: str
    seed: str
    deadline: datetime | None
    locale: str  # the language its questions are shown in
    quiz: QuizHeader
    # False: the quiz has cohort windows and none is for a cohort of this student.
    may_take: bool

    @property
    def finished(self) -> bool:
        return self.state == AttemptState.SUBMITTED


AttemptWithPaper = tuple[AttemptRow, list[PaperRow]]

# The columns are named by the row classes' fields, in their order, so that a row is read
# into them by position (as fast as it gets; on SQLite the rows are plain tuples, see
# camp.snapshot_reads) and no column can land in the wrong field.
_ATTEMPT_FIELDS = tuple(f.name for f in fields(AttemptRow) if f.name not in ("quiz", "may_take"))
_ATTEMPT_COLUMNS = tuple(_attempts.c[name] for name in _ATTEMPT_FIELDS)
_QUIZ_COLUMNS = tuple(_quizzes.c[f.name] for f in fields(QuizHeader))
# Where each part starts in a row, from the attempt's first column.
_QUIZ_AT = len(_ATTEMPT_COLUMNS)
_MAY_TAKE_AT = _QUIZ_AT + len(_QUIZ_COLUMNS)
_SLOT_AT = _MAY_TAKE_AT + 1

# Built once and read as one statement outside the session (camp.snapshot_reads): each
# request only binds the ids.
# One row per question of the paper, each carrying the attempt and quiz columns, and
# whether the attempt's student may take the quiz (two EXISTS on the bound attempt id,
# run once per statement; see attempts.ATTEMPT_MAY_BE_TAKEN).
_COLUMNS = (*_ATTEMPT_COLUMNS, *_QUIZ_COLUMNS, ATTEMPT_MAY_BE_TAKEN, *SLOT_COLUMNS)
_ATTEMPT_WITH_PAPER = SnapshotRead(
    select(*_COLUMNS)
    .join_from(_attempts, _quizzes, _quizzes.c.id == _attempts.c.quiz_id)
    .outerjoin(_slots, _slots.c.attempt_id == _attempts.c.id)
    .where(_attempts.c.id == bindparam("attempt_id"))
    .order_by(_slots.c.position)
)
# The user, and their attempt with its paper when the attempt is theirs (else no attempt).
_USER_WITH_ATTEMPT = SnapshotRead(
    select(*ROW_USER_COLUMNS, *_COLUMNS)
    .select_from(_users)
    .outerjoin(
        _attempts,
        (_attempts.c.id == bindparam("attempt_id")) & (_attempts.c.user_id == _users.c.id),
    )
    .outerjoin(_quizzes, _quizzes.c.id == _attempts.c.quiz_id)
    .outerjoin(_slots, _slots.c.attempt_id == _attempts.c.id)
    .where(_users.c.id == bindparam("user_id"))
    .order_by(_slots.c.position)
)
_USER_COLUMNS = len(ROW_USER_COLUMNS)
# Where this request keeps the attempt read with its user (the WSGI environ is the
# request's own, so no other request can meet it).
_READ_WITH_USER = "camp.attempt_read_with_user"


def _from_rows(rows: Sequence[Sequence[Any]], at: int = 0) -> AttemptWithPaper:
    """The attempt and its paper from rows whose attempt columns start at index `at`."""
    first, slot_at = rows[0], at + _SLOT_AT
    quiz = QuizHeader(*first[at + _QUIZ_AT : at + _MAY_TAKE_AT])
    may_take = bool(first[at + _MAY_TAKE_AT])
    own = dict(zip(_ATTEMPT_FIELDS, first[at : at + _QUIZ_AT], strict=True))
    attempt = AttemptRow(**own, quiz=quiz, may_take=may_take)
    slots = [SlotRow(*row[slot_at:]) for row in rows if row[slot_at] is not None]
    return attempt, paper_from_slots(slots, attempt.locale)


def attempt_with_paper(attempt_id: int) -> AttemptWithPaper | None:
    """The attempt and its paper in position order, or None when there is no such attempt.

    When this request's user was read with this attempt (`read_user_and_attempt`), that
    read is used, once, instead of a second query."""
    read_with_user = request.environ.pop(_READ_WITH_USER, None)
    if read_with_user is not None and read_with_user[0] == attempt_id:
        return read_with_user[1]
    rows = _ATTEMPT_WITH_PAPER.rows({"attempt_id": attempt_id})
    return _from_rows(rows) if rows else None


def read_user_and_attempt(user_id: int) -> RowUser | None:
    """The logged-in user of an attempt view, read together with the attempt of the URL
    when it is theirs (kept for `attempt_with_paper` in this request only)."""
    attempt_id = (request.view_args or {}).get("attempt_id")
    if not isinstance(attempt_id, int):
        return load_row_user(user_id)
    params = {"user_id": user_id, "attempt_id": attempt_id}
    rows = _USER_WITH_ATTEMPT.rows(params)
    if not rows:
        return None
    if rows[0][_USER_COLUMNS] is not None:  # the attempt exists and is theirs
        request.environ[_READ_WITH_USER] = (attempt_id, _from_rows(rows, _USER_COLUMNS))
    return RowUser(*rows[0][:_USER_COLUMNS])
