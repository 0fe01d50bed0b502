"""The attempt lifecycle: plan a new attempt (paper drawn once) and write it, submit, close
overdue. camp.quizzes.services starts an attempt with these; saving answers lives in
camp.quizzes.answers.

Functions take the user and the clock, flush but never commit. Invariants that must hold
under concurrent requests are enforced by the database: a unique index allows one attempt
in progress per student and quiz, and submitting is a conditional UPDATE that only one
request can win.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]
from sqlalchemy import ColumnElement, bindparam, exists, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from camp.accounts.identity import CampUser
from camp.accounts.models import Membership
from camp.extensions import db
from camp.locales import DEFAULT_LOCALE
from camp.quizzes import grading, policy
from camp.quizzes.errors import (
    NoQuestions,
    NotInCohort,
)
from camp.quizzes.models import (
    Attempt,
    AttemptQuestion,
    AttemptState,
    Quiz,
    QuizOverride,
    QuizWindow,
)
from camp.quizzes.paper import (  # reading the paper lives there; re-exported for callers
    DrawnQuestion,
    draw_paper,
)
from camp.quizzes.paper import PaperQuestion as PaperQuestion
from camp.quizzes.paper import PaperRow as PaperRow
from camp.quizzes.paper import SlotRow as SlotRow
from camp.quizzes.paper import paper_of as paper_of
from camp.quizzes.paper import paper_rows as paper_rows
from camp.quizzes.paper import question_count as question_count

_attempts = Attempt.__table__
_overrides = QuizOverride.__table__
_windows = QuizWindow.__table__
_memberships = Membership.__table__
# Built once (constant statements keep their cache keys): a whole room starts at once.
_OVERRIDE = select(_overrides.c.extra_minutes, _overrides.c.extra_attempts).where(
    _overrides.c.quiz_id == bindparam("quiz_id"), _overrides.c.user_id == bindparam("user_id")
)
# Every window of the quiz, each saying whether the user is a member of its cohort: "has
# the quiz windows at all" and "which windows are theirs" in one statement.
_WINDOWS = select(
    _windows.c.opens_at,
    _windows.c.closes_at,
    exists()
    .where(
        _memberships.c.cohort_id == _windows.c.cohort_id,
        _memberships.c.user_id == bindparam("user_id"),
    )
    .label("theirs"),
).where(_windows.c.quiz_id == bindparam("quiz_id"))


def limits_for_user(quiz: Quiz, user: CampUser) -> policy.Limits:
    """The quiz's limits for this student: accommodations, whether the quiz is for them at
    all (policy.may_take) and their cohorts' windows."""
    ids = {"quiz_id": quiz.id, "user_id": user.id}
    override = db.session.execute(_OVERRIDE, ids).first()
    windows = db.session.execute(_WINDOWS, ids).all()
    return policy.student_limits(
        time_limit_minutes=quiz.time_limit_minutes,
        attempts_allowed=quiz.attempts_allowed,
        extra_minutes=override.extra_minutes if override else 0,
        extra_attempts=override.extra_attempts if override else 0,
        windows=[(w.opens_at, w.closes_at, bool(w.theirs)) for w in windows],
    )


def _attempt_may_be_taken() -> ColumnElement[bool]:
    """policy.may_take for the student of the attempt bound as `attempt_id`, as a column
    for reads that must not add a query for it: the attempt's quiz has no window, or one
    for a cohort its student is a member of.

    It reads the attempt through an alias of its own, so it does not depend on the row
    around it: SQLite runs each EXISTS once per statement, not once per row (the attempt
    pages read one row per question; correlated, this cost them ~10 us a read).
    """
    taken = _attempts.alias("taken")
    quiz_windows = (taken.c.id == bindparam("attempt_id"), _windows.c.quiz_id == taken.c.quiz_id)
    quiz_has_windows = exists().where(*quiz_windows)
    in_windowed_cohort = exists().where(
        *quiz_windows,
        _memberships.c.cohort_id == _windows.c.cohort_id,
        _memberships.c.user_id == taken.c.user_id,
    )
    return or_(~quiz_has_windows, in_windowed_cohort)


# In a select binding `attempt_id`: whether that attempt's student may take its quiz at all.
ATTEMPT_MAY_BE_TAKEN = _attempt_may_be_taken().label("may_take")
# Built once: an attempt with its quiz, and whether its student may take that quiz.
_ATTEMPT_FOR_VIEW = (
    select(Attempt, ATTEMPT_MAY_BE_TAKEN)
    .options(joinedload(Attempt.quiz))
    .where(Attempt.id == bindparam("attempt_id"))
)


def attempt_for_view(attempt_id: int) -> tuple[Attempt, bool] | None:
    """The attempt with its quiz, and whether its student may take that quiz
    (policy.may_take), in one query; None when there is no such attempt."""
    row = db.session.execute(_ATTEMPT_FOR_VIEW, {"attempt_id": attempt_id}).first()
    return None if row is None else (row[0], bool(row[1]))


def attempts_of(user: CampUser, quiz: Quiz) -> list[Attempt]:
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.quiz_id == quiz.id, Attempt.user_id == user.id)
            .order_by(Attempt.number)
        )
    )


def _in_progress(user_id: int, quiz_id: int) -> tuple[ColumnElement[bool], ...]:
    """The student's attempt in progress at this quiz (at most one: a unique index)."""
    return (
        Attempt.quiz_id == quiz_id,
        Attempt.user_id == user_id,
        Attempt.state == AttemptState.IN_PROGRESS,
    )


def in_progress_attempt(user: CampUser, quiz: Quiz) -> Attempt | None:
    return db.session.scalar(select(Attempt).where(*_in_progress(user.id, quiz.id)))


@dataclass(frozen=True)
class AttemptPlan:
    """Everything a new attempt needs, decided before anything is written."""

    number: int
    seed: str
    deadline: datetime | None
    paper: list[DrawnQuestion]


class OverdueAttempt(Exception):
    """The student's attempt in progress is overdue: submit it, then plan again."""

    def __init__(self, attempt: Attempt) -> None:
        super().__init__("overdue attempt")
        self.attempt = attempt


_ATTEMPT_STATES = select(_attempts.c.id, _attempts.c.state).where(
    _attempts.c.quiz_id == bindparam("quiz_id"), _attempts.c.user_id == bindparam("user_id")
)


def plan_attempt(user: CampUser, quiz: Quiz, now: datetime) -> Attempt | AttemptPlan:
    """The attempt to continue, or the plan of a new one (checks rules, draws the paper,
    writes nothing). Raises OverdueAttempt when the one in progress must be closed first,
    NotInCohort when the quiz is not for this student (even to continue an attempt)."""
    limits = limits_for_user(quiz, user)
    if not limits.eligible:
        # Before anything else: an attempt of theirs may predate the rule or their leaving
        # the cohort, and continuing it is taking the quiz too.
        raise NotInCohort()
    # The student's attempts at this quiz in one query: how many, and the one in progress.
    mine = db.session.execute(_ATTEMPT_STATES, {"quiz_id": quiz.id, "user_id": user.id}).all()
    in_progress = next((a for a in mine if a.state == AttemptState.IN_PROGRESS), None)
    if in_progress is not None:
        current = db.session.get(Attempt, in_progress.id)
        assert current is not None
        if not policy.is_overdue(current.deadline, now):
            return current
        raise OverdueAttempt(current)
    used = len(mine)
    if refusal := policy.start_refusal(limits, used or 0, now):
        raise refusal
    seed = secrets.token_hex(16)
    paper = draw_paper(quiz, seed)
    if not paper:
        raise NoQuestions(_l("This quiz has no questions yet. Tell your organiser."))
    return AttemptPlan((used or 0) + 1, seed, limits.deadline(now), paper)


@dataclass(frozen=True)
class NewAttempt:
    """A planned attempt of one student, ready to be written."""

    user_id: int
    quiz_id: int
    plan: AttemptPlan
    now: datetime
    locale: str = DEFAULT_LOCALE  # the language the questions are shown in


# Built once (constant statements keep their cache keys).
_INSERT_ATTEMPTS = insert(_attempts).returning(_attempts.c.id, sort_by_parameter_order=True)
_INSERT_PAPER = insert(AttemptQuestion.__table__)


def write_attempt_batch(new: Sequence[NewAttempt]) -> list[int]:
    """Write planned attempts and their papers with one statement of each kind; returns
    their ids in order. Raises IntegrityError when any of them conflicts with an attempt
    already started (the database allows one in progress per student and quiz): the
    caller then writes them one by one with write_attempt."""
    ids = list(
        db.session.execute(
            _INSERT_ATTEMPTS,
            [
                {
                    "quiz_id": n.quiz_id,
                    "user_id": n.user_id,
                    "number": n.plan.number,
                    "state": AttemptState.IN_PROGRESS,
                    "seed": n.plan.seed,
                    "started_at": n.now,
                    "deadline": n.plan.deadline,
                    "auto_submitted": False,
                    "needs_grading": False,
                    "locale": n.locale,
                }
                for n in new
            ],
        ).scalars()
    )
    db.session.execute(
        _INSERT_PAPER,
        [
            {
                "attempt_id": attempt_id,
                "position": position,
                "question_version_id": drawn.version.id,
                "option_order": drawn.option_order,
                "answered": False,
            }
            for n, attempt_id in zip(new, ids, strict=True)
            for position, drawn in enumerate(n.plan.paper, start=1)
        ],
    )
    return ids


def write_attempt(new: NewAttempt) -> int:
    """Write one planned attempt and its paper; returns its id.

    If another request started this student's attempt meanwhile, the database refuses the
    second (unique attempt number, one attempt in progress) and that attempt's id is
    returned.
    """
    try:
        with db.session.begin_nested():
            return write_attempt_batch([new])[0]
    except IntegrityError:
        existing = in_progress_attempt_id(new.user_id, new.quiz_id)
        if existing is None:
            raise
        return existing


def in_progress_attempt_id(user_id: int, quiz_id: int) -> int | None:
    """The id of the student's attempt in progress at this quiz, if any."""
    return db.session.scalar(select(Attempt.id).where(*_in_progress(user_id, quiz_id)))


def lock_attempt(attempt_id: int) -> Attempt | None:
    """Load an attempt and lock its row until commit (PostgreSQL; SQLite has one writer)."""
    return db.session.scalar(
        select(Attempt)
        .where(Attempt.id == attempt_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def submit_attempt(attempt: Attempt, now: datetime, *, automatic: bool = False) -> bool:
    """Submit and grade; True if this call submitted it, False if it already was.

    The state change is one conditional UPDATE, so of many simultaneous submits exactly
    one wins and grades; the others see a finished attempt.
    """
    submitted_at = now
    if automatic and attempt.deadline is not None and attempt.deadline < now:
        submitted_at = attempt.deadline
    result = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.state == AttemptState.IN_PROGRESS)
        .values(state=AttemptState.SUBMITTED, submitted_at=submitted_at, auto_submitted=automatic)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(attempt)
    if result.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE gives a CursorResult
        return False
    grading.grade_attempt(attempt)
    return True


def _overdue(now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        Attempt.state == AttemptState.IN_PROGRESS,
        Attempt.deadline.is_not(None),
        Attempt.deadline < now - policy.GRACE,
    )


def overdue_exist(now: datetime) -> bool:
    """Whether any attempt is past its deadline and still open (a read, no lock)."""
    return db.session.scalar(select(Attempt.id).where(*_overdue(now)).limit(1)) is not None


def close_overdue(now: datetime) -> int:
    """Submit every attempt past its deadline (for `camp attempts close-overdue`)."""
    overdue = db.session.scalars(select(Attempt).where(*_overdue(now))).all()
    return sum(submit_attempt(attempt, now, automatic=True) for attempt in overdue)
