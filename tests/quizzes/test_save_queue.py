"""Group commit of answer saves on SQLite: many saves at once, each one stored or refused
on its own, none acknowledged before it is written."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from camp.extensions import db
from camp.quizzes import attempts, save_queue
from camp.quizzes.errors import AttemptFinished
from camp.quizzes.models import AttemptQuestion, ResponseLog

NOW = datetime(2026, 8, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def crowd(make):
    quiz = make.quiz([make.choice_question(right=f"Right {i}") for i in range(2)])
    started = [attempts.start_attempt(make.user(), quiz, NOW) for _ in range(30)]
    db.session.commit()
    return [a.id for a in started]


def _prepared(attempt_id):
    paper = attempts.paper_rows(attempt_id)
    attempt = db.session.get(attempts.Attempt, attempt_id)
    return attempts.prepare_responses(attempt, {1: {"selected": 1}}, NOW, paper=paper[:1])


def test_thirty_saves_at_once_are_all_stored_and_logged(app, crowd):
    errors: list[BaseException] = []
    gate = threading.Barrier(len(crowd), timeout=20)

    def save(attempt_id: int) -> None:
        with app.app_context():
            prepared = _prepared(attempt_id)
            db.session.commit()  # hand the connection back: the pool is smaller than the crowd
            gate.wait()  # every thread queues its save at the same moment
            try:
                saved = save_queue.save_answers(attempt_id, prepared, NOW)
                assert [s.position for s in saved] == [1]
            except BaseException as error:
                errors.append(error)

    threads = [threading.Thread(target=save, args=(i,)) for i in crowd]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    db.session.rollback()  # a fresh snapshot: the fixture's reads began one before the saves
    answered = db.session.scalar(
        select(func.count(AttemptQuestion.id)).where(AttemptQuestion.answered.is_(True))
    )
    assert answered == len(crowd)
    assert db.session.scalar(select(func.count(ResponseLog.id))) == len(crowd)


def test_a_save_for_a_submitted_attempt_is_refused_and_changes_nothing(app, crowd):
    first, second = crowd[:2]
    prepared_first, prepared_second = _prepared(first), _prepared(second)
    attempts.submit_attempt(db.session.get(attempts.Attempt, first), NOW)
    db.session.commit()
    with pytest.raises(AttemptFinished):
        save_queue.save_answers(first, prepared_first, NOW)
    assert save_queue.save_answers(second, prepared_second, NOW)[0].answered
    db.session.rollback()
    assert not attempts.paper_rows(first)[0].slot.answered
    assert attempts.paper_rows(second)[0].slot.answered
