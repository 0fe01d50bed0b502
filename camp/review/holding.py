"""The questions a student's review must not show yet, because showing their answer key
would give away a quiz that is still open for them:

- every question of an attempt of theirs still in progress;
- every question a quiz may ask (its fixed questions, and those its random slots draw
  from) when the student may not see that quiz's right answers now: the quiz's review
  policy (answers "after the last attempt" or "after it closes", or never), their
  windows, attempts and accommodations, and the hold on a pre-test until the cohort's
  post-test closes (camp.gain.hold) decide, exactly as on the quiz's own review page
  (camp.quizzes.policy: the same functions, fed in bulk).

Quizzes the student may not take at all ask them nothing and hold nothing back. A fixed
number of queries whatever the number of quizzes (plus one per random slot of a quiz that
holds its answers back).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import Integer, bindparam, exists, select

from camp.accounts.identity import CampUser
from camp.accounts.models import Membership
from camp.bank.models import QuestionVersion
from camp.extensions import db
from camp.gain.hold import HELD_PRE_TESTS
from camp.quizzes import policy
from camp.quizzes.models import (
    REVIEW_ITEMS,
    Attempt,
    AttemptQuestion,
    AttemptState,
    Quiz,
    QuizOverride,
    QuizSlot,
    QuizWindow,
    ReviewWhen,
)
from camp.quizzes.paper import candidates_for
from camp.snapshot_reads import SnapshotRead

_REVIEW_COLUMNS = [getattr(Quiz, f"review_{item}") for item in REVIEW_ITEMS]
_STUDENT = bindparam("user_id", type_=Integer)

# Built once and read outside the session (camp.snapshot_reads): a review page reads them
# all, and none needs to see the request's own writes.
# Each attempt of the student, with the questions of those still in progress (one row per
# question; one row with none for a finished attempt).
_ATTEMPTS = SnapshotRead(
    select(Attempt.id, Attempt.quiz_id, Attempt.state, QuestionVersion.question_id)
    .outerjoin(
        AttemptQuestion,
        (AttemptQuestion.attempt_id == Attempt.id)
        & (Attempt.state == AttemptState.IN_PROGRESS.value),
    )
    .outerjoin(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
    .where(Attempt.user_id == _STUDENT)
)
# Every quiz with what decides whether the student may see its answers now: one row per
# window (or one with none), with the student's accommodation, and whether it is their
# pre-test held until the post-test closes (camp.gain.hold).
_QUIZ_RULES = SnapshotRead(
    select(
        Quiz.id,
        Quiz.time_limit_minutes,
        Quiz.attempts_allowed,
        QuizWindow.id,
        QuizWindow.opens_at,
        QuizWindow.closes_at,
        exists()
        .where(Membership.cohort_id == QuizWindow.cohort_id, Membership.user_id == _STUDENT)
        .label("theirs"),
        QuizOverride.extra_minutes,
        QuizOverride.extra_attempts,
        Quiz.id.in_(HELD_PRE_TESTS).label("held"),
        *_REVIEW_COLUMNS,
    )
    .outerjoin(QuizWindow, QuizWindow.quiz_id == Quiz.id)
    .outerjoin(QuizOverride, (QuizOverride.quiz_id == Quiz.id) & (QuizOverride.user_id == _STUDENT))
    # A quiz that shows its answers at once hides them only as a held pre-test (its
    # attempts in progress are held by _ATTEMPTS): the others need no rules read.
    .where((Quiz.review_answers != ReviewWhen.IMMEDIATELY.value) | Quiz.id.in_(HELD_PRE_TESTS))
    .order_by(Quiz.id)
)


def held_questions(student: CampUser, now: datetime) -> frozenset[int]:
    """The ids of the questions the student's review holds back now."""
    attempts = _ATTEMPTS.rows({"user_id": student.id})
    held = {question_id for *_attempt, question_id in attempts if question_id is not None}
    hiding = _quizzes_hiding_answers(student, now, attempts)
    if hiding:
        for slot in db.session.scalars(select(QuizSlot).where(QuizSlot.quiz_id.in_(hiding))):
            if slot.kind == "fixed":
                if slot.question_id is not None:
                    held.add(slot.question_id)
            else:
                held.update(candidates_for(slot))
    return frozenset(held)


def _quizzes_hiding_answers(
    student: CampUser, now: datetime, attempts: Sequence[Sequence[Any]]
) -> list[int]:
    """The quizzes whose right answers the student may not see now (`attempts`: as
    _ATTEMPTS reads them)."""
    used: dict[int, int] = defaultdict(int)
    in_progress: set[int] = set()
    for _attempt_id, quiz_id, state in {tuple(row[:3]) for row in attempts}:
        used[quiz_id] += 1
        if state != AttemptState.SUBMITTED:
            in_progress.add(quiz_id)
    rules = _QUIZ_RULES.rows({"user_id": student.id, "now": now})
    hiding = []
    for quiz_id, grouped in groupby(rules, key=itemgetter(0)):
        rows = list(grouped)  # one per window of the quiz; the quiz's columns are in each
        _id, minutes, allowed, *_window, more_minutes, more, held = rows[0][:10]
        review = rows[0][10:]
        windows = [
            (opens_at, closes_at, bool(theirs))
            for _id, _m, _a, window, opens_at, closes_at, theirs, *_rest in rows
            if window is not None
        ]
        limits = policy.student_limits(
            time_limit_minutes=minutes,
            attempts_allowed=allowed,
            extra_minutes=more_minutes or 0,
            extra_attempts=more or 0,
            windows=windows,
        )
        if not limits.eligible:
            continue  # not for them: nothing to give away
        seen = policy.visibility_now(
            dict(zip(REVIEW_ITEMS, review, strict=True)),
            limits,
            used=used[quiz_id],
            in_progress=quiz_id in in_progress,
            now=now,
            held=bool(held),
        )
        if not seen.answers:
            hiding.append(quiz_id)
    return hiding
