"""A save on PostgreSQL, one statement committed alone (camp.quizzes.pg_save): the answer
and its log row are what the session's path wrote, and only the attempt's own slots."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from camp.extensions import db
from camp.quizzes import answers, attempts, group_commit, services
from camp.quizzes.models import AttemptQuestion, ResponseLog

NOW = datetime(2026, 8, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def two_attempts(make):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's saves are group-committed (test_group_commit)")
    quiz = make.quiz([make.choice_question(right=f"Right {i}") for i in range(2)])
    started = [services.start_attempt(make.user(), quiz, NOW) for _ in range(2)]
    db.session.commit()
    return started


def _prepared(attempt_id: int, position: int = 1, response=None) -> list:
    paper = attempts.paper_rows(attempt_id)
    attempt = db.session.get(attempts.Attempt, attempt_id)
    chosen = {position: response if response is not None else {"selected": 1}}
    return answers.prepare_responses(attempt, chosen, NOW, paper=paper)


def test_a_saved_answer_and_its_log_read_back_as_the_session_wrote_them(two_attempts):
    first, _second = two_attempts
    saved = group_commit.save_answers(first, _prepared(first), NOW)
    assert [(s.position, s.answered) for s in saved] == [(1, True)]
    db.session.rollback()
    slot = attempts.paper_rows(first)[0].slot
    assert slot.response == {"selected": 1} and slot.answered
    log = db.session.scalars(select(ResponseLog)).all()
    assert [(entry.response, entry.saved_at, entry.accepted) for entry in log] == [
        ({"selected": 1}, NOW, True)
    ]


def test_a_slot_of_another_attempt_is_not_written(two_attempts):
    first, second = two_attempts
    theirs = _prepared(second)
    group_commit.save_answers(
        first, theirs, NOW
    )  # the second attempt's slots, posted as the first's
    db.session.rollback()
    assert not db.session.scalar(
        select(AttemptQuestion.answered).where(AttemptQuestion.attempt_id == second).limit(1)
    )
    assert db.session.scalars(select(ResponseLog)).all() == []
