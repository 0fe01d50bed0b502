"""A start's write on PostgreSQL, one statement committed alone (camp.quizzes.pg_start): the
attempt and its paper read back as the session's path wrote them, and a second attempt in
progress is refused without writing anything."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from camp.bank.services import QuestionDraft
from camp.extensions import db
from camp.quizzes import attempts, group_commit
from camp.quizzes.models import Attempt, AttemptQuestion
from camp.quizzes.pg_start import start_in_one_statement
from camp.transactions import write_transaction

NOW = datetime(2026, 8, 20, 9, 0, 30, 123456, tzinfo=UTC)


@pytest.fixture
def quiz(make):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's starts are group-committed (test_group_commit)")
    short = make.question(
        QuestionDraft(
            type="short_answer",
            text="Name the organisation",
            spec={"answers": [{"text": "WIPO", "weight": 100, "feedback": ""}]},
        )
    )
    questions = [make.choice_question(right=f"Right {i}") for i in range(2)] + [short]
    return make.quiz(questions, shuffle_options=True, time_limit_minutes=15)


def _new(quiz, user, locale: str = "zh_Hans") -> attempts.NewAttempt:
    plan = attempts.plan_attempt(user, quiz, NOW)
    assert isinstance(plan, attempts.AttemptPlan)
    return attempts.NewAttempt(user.id, quiz.id, plan, NOW, locale)


def _as_read(attempt_id: int) -> tuple:
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt is not None
    paper = db.session.scalars(
        select(AttemptQuestion)
        .where(AttemptQuestion.attempt_id == attempt_id)
        .order_by(AttemptQuestion.position)
    ).all()
    return (
        attempt.quiz_id,
        attempt.number,
        attempt.state,
        attempt.started_at,
        attempt.deadline,
        attempt.submitted_at,
        attempt.auto_submitted,
        attempt.score,
        attempt.needs_grading,
        attempt.locale,
        [
            (s.position, s.question_version_id, s.option_order, s.response, s.answered)
            for s in paper
        ],
    )


def test_an_attempt_written_in_one_statement_reads_back_as_the_sessions_path_wrote_it(quiz, make):
    ours, theirs = make.user(), make.user()
    new_ours, new_theirs = _new(quiz, ours), _new(quiz, theirs)
    one_statement = start_in_one_statement(new_ours)
    with write_transaction():
        session_path = attempts.write_attempt(new_theirs)
    db.session.expire_all()
    assert one_statement is not None
    written, expected = _as_read(one_statement), _as_read(session_path)
    # The same plan but for the seed and the drawn option orders, which are random.
    assert written[:-1] == expected[:-1]
    assert [(p, v, a) for p, v, _o, _r, a in written[-1]] == [
        (p, v, a) for p, v, _o, _r, a in expected[-1]
    ]
    orders = [order for _p, _v, order, _r, _a in written[-1]]
    assert orders == [d.option_order for d in new_ours.plan.paper]
    assert sorted(orders[0]) == [0, 1, 2] and orders[2] is None  # JSON null reads as None
    assert [r for *_x, r, _a in written[-1]] == [None, None, None]
    assert written[3] == NOW and written[4] is not None


def test_a_second_attempt_in_progress_is_refused_and_nothing_is_written(quiz, make):
    student = make.user()
    first = _new(quiz, student)
    second = _new(quiz, student)  # planned before the first was written: a race
    first_id = start_in_one_statement(first)
    assert first_id is not None
    assert start_in_one_statement(second) is None
    assert group_commit.write_planned_attempt(second) == first_id  # the one in progress
    db.session.rollback()
    assert db.session.scalar(select(func.count(Attempt.id))) == 1
    assert db.session.scalar(select(func.count(AttemptQuestion.id))) == 3
