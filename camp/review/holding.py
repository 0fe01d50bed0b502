"""The questions a student's review must not show yet, because showing their answer key
would give away a quiz that is still open for them:

- every question of an attempt of theirs still in progress;
- every question a quiz may ask (its fixed questions, and those its random slots draw
  from) when the student may not see that quiz's right answers now: the quiz's review
  policy (answers "after the last attempt" or "after it closes", or never), their
  windows, attempts and accommodations, and the hold on a pre-test until the cohort's
  post-test closes (camp.gain.hold) decide, exactly as on the quiz's own review page.

Quizzes the student may not take at all ask them nothing and hold nothing back.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from camp.accounts.identity import CampUser
from camp.bank.models import QuestionVersion
from camp.extensions import db
from camp.gain.hold import held_pre_tests
from camp.gain.pairs import questions_it_may_ask
from camp.quizzes import attempts, policy
from camp.quizzes.models import REVIEW_ITEMS, Attempt, AttemptQuestion, AttemptState, Quiz


def held_questions(student: CampUser, now: datetime) -> frozenset[int]:
    """The ids of the questions the student's review holds back now."""
    held: set[int] = set(
        db.session.scalars(
            select(QuestionVersion.question_id)
            .join(AttemptQuestion, AttemptQuestion.question_version_id == QuestionVersion.id)
            .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
            .where(Attempt.user_id == student.id, Attempt.state == AttemptState.IN_PROGRESS)
        )
    )
    pre_tests = held_pre_tests(student.id, now)
    for quiz in db.session.scalars(select(Quiz).options(selectinload(Quiz.slots))):
        if not _answers_shown(quiz, student, now, pre_tests):
            held |= questions_it_may_ask(quiz)
    return frozenset(held)


def _answers_shown(quiz: Quiz, student: CampUser, now: datetime, pre_tests: frozenset[int]) -> bool:
    limits = attempts.limits_for_user(quiz, student)
    if not limits.eligible:
        return True  # not for them: nothing to give away
    past = attempts.attempts_of(student, quiz)
    in_progress = any(not attempt.finished for attempt in past)
    seen = policy.review_visibility(
        {item: getattr(quiz, f"review_{item}") for item in REVIEW_ITEMS},
        attempts_left=1 if in_progress else limits.attempts_left(len(past)),
        closed=limits.is_closed(now),
        held=quiz.id in pre_tests,
    )
    return seen.answers
