"""The score that counts on a pre-test or post-test: the first submitted attempt, overall
and per objective tag, essays awaiting grading left out and counted, with a fixed number
of queries whatever the number of students."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from camp.bank.services import QuestionDraft
from camp.db import utcnow
from camp.extensions import db
from camp.gain.scores import counted_scores
from camp.quizzes import attempts, services
from camp.quizzes.models import Attempt


def _take(quiz, user, fractions):
    """A submitted attempt whose questions earned `fractions`, in order (None: ungraded)."""
    attempt = db.session.get(Attempt, services.start_attempt(user, quiz, utcnow()))
    attempts.submit_attempt(attempt, utcnow())
    for question, fraction in zip(attempt.questions, fractions, strict=True):
        question.fraction = fraction
    db.session.commit()
    return attempt


@pytest.fixture
def quiz(make):
    wipo = make.choice_question(tags=("wipo",))
    wipo2 = make.choice_question(tags=("wipo", "treaties"))
    essay = make.question(QuestionDraft(type="essay", text="Explain.", spec={}, tags=["treaties"]))
    return make.quiz([wipo, wipo2, essay], attempts_allowed=3)


def test_the_first_submitted_attempt_counts_per_objective(make, quiz):
    ann, ben, cat = make.user(name="Ann"), make.user(name="Ben"), make.user(name="Cat")
    _take(quiz, ann, [1.0, 0.5, None])  # the essay waits for a grader
    _take(quiz, ann, [1.0, 1.0, 1.0])  # a retake: not counted
    _take(quiz, ben, [0.0, 1.0, 0.5])
    scores = counted_scores(quiz.id, [ann.id, ben.id, cat.id])
    assert set(scores) == {ann.id, ben.id}  # Cat has not taken it
    a, b = scores[ann.id], scores[ben.id]
    assert a.overall == pytest.approx(75.0) and a.awaiting_grading == 1  # (1 + .5) / 2
    assert a.by_objective == pytest.approx({"wipo": 75.0, "treaties": 50.0})
    assert b.overall == pytest.approx(50.0) and b.awaiting_grading == 0  # 1.5 / 3
    assert b.by_objective == pytest.approx({"wipo": 50.0, "treaties": 75.0})  # (1 + .5) / 2
    assert a.pending_objectives == {"treaties"} and b.pending_objectives == set()


def test_the_number_of_queries_does_not_grow_with_students(make, quiz):
    def queries(count):
        users = [make.user() for _ in range(count)]
        for user in users:
            _take(quiz, user, [1.0, 0.0, 0.5])
        ids = [user.id for user in users]
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            counted_scores(quiz.id, ids)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    few, many = queries(2), queries(6)
    assert few == many <= 3  # two SELECTs (and a BEGIN)
