"""What a student reviews next, and how much is waiting.

- "Today" is the camp's day (CAMP_TIMEZONE): a card is due today when its due moment is
  before the camp's next midnight, as Anki counts a day.
- Due cards come first, the longest overdue first, leaving out the questions held back
  (camp.review.holding).
- Then, if fewer than the day's allowance of new questions (the cohort's setting, 5 by
  default) were introduced today, a new one: a question the student has met in a
  submitted quiz attempt, auto-graded and not retired, never carded before; the ones they
  got most wrong first, then the most recently met.
- When every question they met is carded: a question they have not met, of a learning
  objective of a module they started (read, or took its quiz) where their mastery is low
  (under LOW_MASTERY of the credit on its graded questions), the weakest objective first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from flask import g, has_request_context
from sqlalchemy import Integer, bindparam, func, select

from camp.accounts.identity import CampUser
from camp.bank.models import Question, QuestionTag, QuestionVersion
from camp.bank.question_types import get_type
from camp.extensions import db
from camp.i18n import camp_zone
from camp.lessons.models import LessonRead
from camp.quizzes.models import Attempt, AttemptQuestion, AttemptState, Quiz
from camp.reports.queries import course_modules, mastery_by_objective
from camp.review.holding import held_questions
from camp.review.models import ReviewCard
from camp.review.scheduling import new_card
from camp.review.settings import Settings
from camp.snapshot_reads import SnapshotRead
from camp.transactions import write_transaction

LOW_MASTERY = 0.6

# Built once and read outside the session (camp.snapshot_reads): the review page and the
# navigation's count read them on every request.
_DUE_CARDS = SnapshotRead(
    select(
        ReviewCard.id,
        ReviewCard.question_id,
        ReviewCard.due,
        select(func.max(QuestionVersion.id))
        .where(QuestionVersion.question_id == ReviewCard.question_id)
        .scalar_subquery(),
        func.count().over(),  # all the cards due today: the navigation's figure
    )
    .where(ReviewCard.user_id == bindparam("user_id"), ReviewCard.due < bindparam("end"))
    .order_by(ReviewCard.due, ReviewCard.id)
    .limit(bindparam("n", type_=Integer))
)
# What next_card counted, kept for due_count in the same request.
_COUNTED = "_camp_review_due_today"
_DUE_COUNT = SnapshotRead(
    select(func.count(ReviewCard.id)).where(
        ReviewCard.user_id == bindparam("user_id"), ReviewCard.due < bindparam("end")
    )
)


def day_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The camp's day around `now`: its first moment and the next day's, in UTC."""
    zone = camp_zone()
    day = now.astimezone(zone).date()
    start = datetime.combine(day, time(), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


@dataclass(frozen=True)
class NextCard:
    """The card to ask: which question, and its current version when already known."""

    id: int
    question_id: int
    due: datetime
    version_id: int | None = None


@dataclass(frozen=True)
class Waiting:
    due_today: int  # cards due before the camp's next midnight
    next_due: datetime | None  # the earliest due moment after today, when nothing is due


def due_count(user_id: int, now: datetime) -> int:
    """Cards due today (one COUNT; held-back questions included: this is the navigation's
    figure, and a held question is rare and soon released). Read outside the session
    unless this request has begun writing, whose answer it must count."""
    _start, end = day_bounds(now)
    params = {"user_id": user_id, "end": end}
    if db.session.registry.has() and db.session().in_transaction():
        return db.session.scalar(_DUE_COUNT.statement, params) or 0
    counted = g.get(_COUNTED)
    if counted is not None and counted[:2] == (user_id, end):
        return int(counted[2])
    return _DUE_COUNT.rows(params)[0][0] or 0


def waiting(user_id: int, now: datetime, held: frozenset[int]) -> Waiting:
    _start, end = day_bounds(now)
    visible = ReviewCard.question_id.not_in(held) if held else ReviewCard.id.is_not(None)
    due = db.session.scalar(
        select(func.count(ReviewCard.id)).where(
            ReviewCard.user_id == user_id, ReviewCard.due < end, visible
        )
    )
    later = db.session.scalar(
        select(func.min(ReviewCard.due)).where(
            ReviewCard.user_id == user_id, ReviewCard.due >= end, visible
        )
    )
    return Waiting(due or 0, later)


def next_card(
    student: CampUser, now: datetime, settings: Settings, held: frozenset[int] | None = None
) -> NextCard | None:
    """The card to ask now: a due one, else a newly introduced one (written at once); None
    when nothing is due and today's new questions are used up (or there are none)."""
    held = held_questions(student, now) if held is None else held
    start, end = day_bounds(now)
    # The first due cards in order, enough of them that one is not held back if any is.
    params = {"user_id": student.id, "end": end, "n": len(held) + 1}
    rows = _DUE_CARDS.rows(params)
    if rows and has_request_context():  # nothing written: the count holds for its header
        g.setdefault(_COUNTED, (student.id, end, rows[0][4]))
    for card_id, question_id, due, version_id, _due_today in rows:
        if question_id not in held:
            return NextCard(card_id, question_id, due, version_id)
    introduced = db.session.scalar(
        select(func.count(ReviewCard.id)).where(
            ReviewCard.user_id == student.id, ReviewCard.introduced_at >= start
        )
    )
    if (introduced or 0) >= settings.new_per_day:
        return None
    question_id = _next_new_question(student.id, held)
    if question_id is None:
        return None
    with write_transaction():  # a GET that writes: camp.transactions
        card = new_card(student.id, question_id, now)
        db.session.add(card)
        db.session.flush()
    return NextCard(card.id, card.question_id, card.due)


def _next_new_question(user_id: int, held: frozenset[int]) -> int | None:
    carded = select(ReviewCard.question_id).where(ReviewCard.user_id == user_id)
    rows = db.session.execute(
        select(
            QuestionVersion.question_id,
            func.min(AttemptQuestion.fraction),
            func.max(Attempt.submitted_at),
        )
        .join(AttemptQuestion, AttemptQuestion.question_version_id == QuestionVersion.id)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .where(
            Attempt.user_id == user_id,
            Attempt.state == AttemptState.SUBMITTED,
            AttemptQuestion.fraction.is_not(None),
            Question.retired.is_(False),
            QuestionVersion.question_id.not_in(carded),
        )
        .group_by(QuestionVersion.question_id)
        .order_by(
            func.min(AttemptQuestion.fraction),
            func.max(Attempt.submitted_at).desc(),
            QuestionVersion.question_id,
        )
    ).all()
    candidates = [question_id for question_id, _worst, _last in rows if question_id not in held]
    return _first_auto_graded(candidates) or _weak_objective_question(user_id, held)


def _weak_objective_question(user_id: int, held: frozenset[int]) -> int | None:
    """A question not met yet, of the student's weakest started objective under LOW_MASTERY."""
    read = select(LessonRead.module_id).where(LessonRead.user_id == user_id)
    taken = (
        select(Quiz.module_id)
        .join(Attempt, Attempt.quiz_id == Quiz.id)
        .where(Attempt.user_id == user_id, Attempt.state == AttemptState.SUBMITTED)
    )
    started = set(db.session.scalars(read)) | set(db.session.scalars(taken))
    objectives = [o for m in course_modules() if m.id in started for o in m.objectives]
    weak = sorted(
        (m.share, m.objective.tag)
        for m in mastery_by_objective(objectives, [Attempt.user_id == user_id])
        if m.share is not None and m.share < LOW_MASTERY
    )
    if not weak:
        return None
    carded = select(ReviewCard.question_id).where(ReviewCard.user_id == user_id)
    for _share, tag in weak:
        found = db.session.scalars(
            select(QuestionTag.question_id)
            .join(Question, Question.id == QuestionTag.question_id)
            .where(
                QuestionTag.tag == tag,
                Question.retired.is_(False),
                QuestionTag.question_id.not_in(carded),
            )
            .order_by(QuestionTag.question_id)
        ).all()
        question_id = _first_auto_graded([q for q in found if q not in held])
        if question_id is not None:
            return question_id
    return None


def _first_auto_graded(candidates: list[int]) -> int | None:
    """The first of these questions whose current version is auto-graded."""
    if not candidates:
        return None
    kinds = dict(
        db.session.execute(
            select(QuestionVersion.question_id, QuestionVersion.type)
            .where(QuestionVersion.question_id.in_(candidates))
            .order_by(QuestionVersion.number)  # the last one read is the current version
        ).all()
    )
    for question_id in candidates:
        kind = get_type(kinds[question_id])
        if kind.gradable and kind.auto_graded:
            return question_id
    return None
