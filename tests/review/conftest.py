"""What the review tests share: a student of a cohort who took a quiz, with the marks they
got on each question."""

from __future__ import annotations

import pytest

from camp.accounts.models import Role
from camp.db import utcnow
from camp.extensions import db
from camp.quizzes import attempts, services
from camp.quizzes.models import Attempt, ReviewWhen


def took(student, quiz, fractions, now=None):
    """A submitted attempt at `quiz` whose questions got these marks (0 to 1), in order."""
    now = now or utcnow()
    attempt = db.session.get(Attempt, services.start_attempt(student, quiz, now))
    rows = sorted(attempt.questions, key=lambda q: q.position)
    for row in rows:
        row.response, row.answered = {"chosen": []}, True
    attempts.submit_attempt(attempt, now)
    for row, fraction in zip(rows, fractions, strict=True):
        row.fraction = fraction
    db.session.commit()
    return attempt


@pytest.fixture
def camp_day(make):
    """A cohort with a student, and a quiz of three single-choice questions they took:
    the first right, the second wrong, the third half right."""
    organiser = make.user(Role.ORGANISER)
    cohort = make.cohort("Cohort A", organiser=organiser)
    student = make.user(name="Ann")
    make.member(cohort, student)
    questions = [make.choice_question(right=f"Right {n}") for n in range(3)]
    # Its answers are shown at once: its questions may be reviewed (camp.review.holding).
    quiz = make.quiz(questions, title="Module quiz", review_answers=ReviewWhen.IMMEDIATELY)
    took(student, quiz, [1.0, 0.0, 0.5])
    return organiser, cohort, student, questions, quiz
