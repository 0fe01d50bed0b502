"""Group commit on SQLite: many saves or starts at once, each one stored or refused on its
own, none acknowledged before it is written."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from camp.accounts.models import User
from camp.extensions import db
from camp.quizzes import answers, attempts, group_commit, services
from camp.quizzes.errors import AttemptFinished
from camp.quizzes.models import Attempt, AttemptQuestion, Quiz, ResponseLog

NOW = datetime(2026, 8, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def crowd(make):
    quiz = make.quiz([make.choice_question(right=f"Right {i}") for i in range(2)])
    started = [services.start_attempt(make.user(), quiz, NOW) for _ in range(30)]
    db.session.commit()
    return started


def _prepared(attempt_id):
    paper = attempts.paper_rows(attempt_id)
    attempt = db.session.get(attempts.Attempt, attempt_id)
    return answers.prepare_responses(attempt, {1: {"selected": 1}}, NOW, paper=paper[:1])


def _all_at_once(
    app, keys: list[int], act: Callable[[int, Any], object], prepare: Callable[[int], Any] = int
) -> list[BaseException]:
    """One thread per key, each in its own app context: `prepare(key)` first, then all are
    released at the same moment to `act(key, prepared)`; returns what they raised."""
    errors: list[BaseException] = []
    gate = threading.Barrier(len(keys), timeout=20)

    def request(key: int) -> None:
        with app.app_context():
            prepared = prepare(key)
            db.session.commit()  # hand the connection back: the pool is smaller than the crowd
            gate.wait()
            try:
                act(key, prepared)
            except BaseException as error:
                errors.append(error)

    threads = [threading.Thread(target=request, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return errors


def test_thirty_saves_at_once_are_all_stored_and_logged(app, crowd):
    def save(attempt_id: int, prepared: list) -> None:
        saved = group_commit.save_answers(attempt_id, prepared, NOW)
        assert [s.position for s in saved] == [1]

    assert _all_at_once(app, crowd, save, prepare=_prepared) == []
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
        group_commit.save_answers(first, prepared_first, NOW)
    assert group_commit.save_answers(second, prepared_second, NOW)[0].answered
    db.session.rollback()
    assert not attempts.paper_rows(first)[0].slot.answered
    assert attempts.paper_rows(second)[0].slot.answered


def test_a_room_pressing_start_twice_at_once_gets_one_attempt_each(app, make):
    """Thirty requests in one go, every student pressing Start twice: the batch conflicts,
    is written one start at a time, and both of a student's requests get the same attempt."""
    quiz = make.quiz([make.choice_question(right=f"Right {i}") for i in range(3)])
    students = [make.user() for _ in range(15)]
    db.session.commit()
    ids = [s.id for s in students]
    results: dict[int, list[int]] = {i: [] for i in ids}

    def plan(user_id: int) -> attempts.AttemptPlan:
        return attempts.plan_attempt(
            db.session.get(User, user_id), db.session.get(Quiz, quiz.id), NOW
        )

    def press_start(user_id: int, planned: attempts.AttemptPlan) -> None:
        new = attempts.NewAttempt(user_id, quiz.id, planned, NOW)
        results[user_id].append(group_commit.write_planned_attempt(new))

    assert _all_at_once(app, ids + ids, press_start, prepare=plan) == []
    db.session.rollback()
    assert all(len(set(got)) == 1 and len(got) == 2 for got in results.values())
    assert db.session.scalar(select(func.count(Attempt.id))) == len(ids)
    assert db.session.scalar(select(func.count(AttemptQuestion.id))) == 3 * len(ids)


def test_starts_written_together_each_get_their_own_paper(app, make):
    quiz = make.quiz([make.choice_question(right=f"Right {i}") for i in range(3)])
    students = [make.user() for _ in range(3)]
    db.session.commit()
    new = [
        attempts.NewAttempt(s.id, quiz.id, attempts.plan_attempt(s, quiz, NOW), NOW)
        for s in students
    ]
    ids = attempts.write_attempt_batch(new)
    db.session.commit()
    assert len(set(ids)) == 3
    for attempt_id, planned, student in zip(ids, new, students, strict=True):
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.user_id == student.id and attempt.seed == planned.plan.seed
        assert [p.version.id for p in attempts.paper_rows(attempt_id)] == [
            d.version.id for d in planned.plan.paper
        ]


def test_a_room_submitting_at_once_is_graded_once_each(app, crowd):
    """Thirty submits in one go (each student twice): every attempt is submitted and
    graded from its saved answer, and a second submit changes nothing."""
    for attempt_id in crowd:
        group_commit.save_answers(attempt_id, _prepared(attempt_id), NOW)
    db.session.commit()
    errors = _all_at_once(app, crowd + crowd, lambda i, _: group_commit.submit(i, NOW))
    assert errors == []
    db.session.rollback()
    done = db.session.scalars(select(Attempt).where(Attempt.id.in_(crowd))).all()
    assert {a.state for a in done} == {"submitted"}
    for attempt in done:  # graded once: every question marked, the score their mean
        fractions = [row.slot.fraction for row in attempts.paper_rows(attempt.id)]
        assert None not in fractions and fractions[1] == 0  # question 2 was not answered
        assert attempt.score == pytest.approx(sum(fractions) / len(fractions))
    assert db.session.scalar(select(func.count(ResponseLog.id))) == len(crowd)
