"""The attempt lifecycle: start (paper drawn once), save a response, submit, close overdue.

Functions take the user and the clock, flush but never commit. Invariants that must hold
under concurrent requests are enforced by the database: a unique index allows one attempt
in progress per student and quiz, and submitting is a conditional UPDATE that only one
request can win.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from camp.accounts.models import Membership, User
from camp.bank.models import QuestionVersion
from camp.bank.question_types import InvalidResponse, get_type
from camp.extensions import db
from camp.quizzes import grading, policy
from camp.quizzes.errors import (
    AttemptFinished,
    BadResponse,
    DeadlinePassed,
    NoAttemptsLeft,
    NoQuestions,
    QuizClosed,
    QuizNotOpen,
)
from camp.quizzes.models import (
    Attempt,
    AttemptQuestion,
    AttemptState,
    Quiz,
    QuizOverride,
    QuizWindow,
    ResponseLog,
)
from camp.quizzes.paper import draw_paper


def limits_for_user(quiz: Quiz, user: User) -> policy.Limits:
    """The quiz's limits for this student: accommodations and their cohorts' windows."""
    override = db.session.scalar(
        select(QuizOverride).where(QuizOverride.quiz_id == quiz.id, QuizOverride.user_id == user.id)
    )
    windows = db.session.execute(
        select(QuizWindow.opens_at, QuizWindow.closes_at).where(
            QuizWindow.quiz_id == quiz.id,
            QuizWindow.cohort_id.in_(
                select(Membership.cohort_id).where(Membership.user_id == user.id)
            ),
        )
    ).all()
    opens_at = closes_at = None
    if windows:
        # In several cohorts, the most generous window applies.
        opens = [o for o, _ in windows]
        closes = [c for _, c in windows]
        opens_at = None if None in opens else min(o for o in opens if o is not None)
        closes_at = None if None in closes else max(c for c in closes if c is not None)
    return policy.limits_for(
        time_limit_minutes=quiz.time_limit_minutes,
        attempts_allowed=quiz.attempts_allowed,
        extra_minutes=override.extra_minutes if override else 0,
        extra_attempts=override.extra_attempts if override else 0,
        opens_at=opens_at,
        closes_at=closes_at,
    )


def attempts_of(user: User, quiz: Quiz) -> list[Attempt]:
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.quiz_id == quiz.id, Attempt.user_id == user.id)
            .order_by(Attempt.number)
        )
    )


def in_progress_attempt(user: User, quiz: Quiz) -> Attempt | None:
    return db.session.scalar(
        select(Attempt).where(
            Attempt.quiz_id == quiz.id,
            Attempt.user_id == user.id,
            Attempt.state == AttemptState.IN_PROGRESS,
        )
    )


def start_attempt(user: User, quiz: Quiz, now: datetime) -> Attempt:
    """Start an attempt, or return the one already in progress (a second Start continues)."""
    current = in_progress_attempt(user, quiz)
    if current is not None:
        if not policy.is_overdue(current.deadline, now):
            return current
        submit_attempt(current, now, automatic=True)
    limits = limits_for_user(quiz, user)
    if limits.is_closed(now):
        raise QuizClosed("This quiz is closed: no new attempts can be started.")
    if not limits.is_open(now):
        raise QuizNotOpen("This quiz is not open yet.")
    used = db.session.scalar(
        select(func.count(Attempt.id)).where(Attempt.quiz_id == quiz.id, Attempt.user_id == user.id)
    )
    if limits.attempts_left(used or 0) == 0:
        raise NoAttemptsLeft("You have used all your attempts at this quiz.")
    seed = secrets.token_hex(16)
    paper = draw_paper(quiz, seed)
    if not paper:
        raise NoQuestions("This quiz has no questions yet. Tell your organiser.")
    attempt = Attempt(
        quiz_id=quiz.id,
        user_id=user.id,
        number=(used or 0) + 1,
        state=AttemptState.IN_PROGRESS,
        seed=seed,
        started_at=now,
        deadline=limits.deadline(now),
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
            db.session.flush()
            for position, drawn in enumerate(paper, start=1):
                db.session.add(
                    AttemptQuestion(
                        attempt_id=attempt.id,
                        position=position,
                        question_version_id=drawn.version.id,
                        option_order=drawn.option_order,
                        answered=False,
                    )
                )
            db.session.flush()
    except IntegrityError:
        # Another request started this student's attempt first: continue that one.
        existing = in_progress_attempt(user, quiz)
        if existing is None:
            raise
        return existing
    return attempt


def lock_attempt(attempt_id: int) -> Attempt | None:
    """Load an attempt and lock its row until commit (PostgreSQL; SQLite has one writer)."""
    return db.session.scalar(
        select(Attempt)
        .where(Attempt.id == attempt_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def touch(attempt: Attempt, now: datetime) -> Attempt:
    """Anyone who looks at an overdue attempt submits it, with the answers given."""
    if attempt.state == AttemptState.IN_PROGRESS and policy.is_overdue(attempt.deadline, now):
        submit_attempt(attempt, now, automatic=True)
    return attempt


@dataclass(frozen=True)
class PaperQuestion:
    """One question of an attempt with the version it shows (one query for the paper)."""

    slot: AttemptQuestion
    version: QuestionVersion


def paper_of(attempt: Attempt) -> list[PaperQuestion]:
    rows = db.session.execute(
        select(AttemptQuestion, QuestionVersion)
        .join(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
        .where(AttemptQuestion.attempt_id == attempt.id)
        .order_by(AttemptQuestion.position)
    ).all()
    return [PaperQuestion(slot=aq, version=v) for aq, v in rows]


def save_responses(
    attempt: Attempt, responses: dict[int, Any], now: datetime
) -> list[AttemptQuestion]:
    """Save answers by position. Refused once submitted or past the deadline (plus grace)."""
    if attempt.state != AttemptState.IN_PROGRESS:
        raise AttemptFinished("This attempt is already submitted; your answers were kept.")
    if not policy.accepts_responses(attempt.deadline, now):
        touch(attempt, now)
        raise DeadlinePassed("Time is up: the attempt was submitted with the answers saved.")
    paper = {pq.slot.position: pq for pq in paper_of(attempt)}
    cleaned: dict[int, dict[str, Any]] = {}
    for position, raw in responses.items():
        question = paper.get(position)
        if question is None:
            raise BadResponse("That question is not part of this attempt.")
        try:
            cleaned[position] = get_type(question.version.type).normalise_response(
                question.version.spec, raw
            )
        except InvalidResponse as error:
            raise BadResponse(f"Question {position}: {error}") from None
    saved = []
    for position, response in cleaned.items():
        slot = paper[position].slot
        slot.response = response
        slot.answered = is_answered(response)
        slot.saved_at = now
        db.session.add(ResponseLog(attempt_question_id=slot.id, response=response, saved_at=now))
        saved.append(slot)
    db.session.flush()
    return saved


def is_answered(response: dict[str, Any] | None) -> bool:
    if not response:
        return False
    value = next(iter(response.values()), None)
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict):
        return bool(value)
    return value is not None


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
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    grading.grade_attempt(attempt)
    return True


def close_overdue(now: datetime) -> int:
    """Submit every attempt past its deadline (for `camp attempts close-overdue`)."""
    overdue = db.session.scalars(
        select(Attempt).where(
            Attempt.state == AttemptState.IN_PROGRESS,
            Attempt.deadline.is_not(None),
            Attempt.deadline < now - policy.GRACE,
        )
    ).all()
    return sum(submit_attempt(attempt, now, automatic=True) for attempt in overdue)
