"""FSRS through its package: the ratings an answer gives, and a card moved on exactly as the
package's own scheduler moves it for the same inputs (called, never reimplemented); right
answers push the next review out, wrong ones bring it in; a card read back from the
database carries on where it stopped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fsrs import Card, Rating, Scheduler

from camp.extensions import db
from camp.review.models import ReviewCard
from camp.review.scheduling import SLOW_MS, new_card, rating_for, record_review

NOW = datetime(2026, 7, 6, 9, 0, tzinfo=UTC)


def test_ratings():
    assert rating_for(correct=False, hard=False, duration_ms=1000) == Rating.Again
    assert rating_for(correct=False, hard=True, duration_ms=1000) == Rating.Again
    assert rating_for(correct=True, hard=False, duration_ms=5000) == Rating.Good
    assert rating_for(correct=True, hard=True, duration_ms=5000) == Rating.Hard
    assert rating_for(correct=True, hard=False, duration_ms=SLOW_MS + 1) == Rating.Hard
    assert rating_for(correct=True, hard=False, duration_ms=None) == Rating.Good


def _review(row, correct, now, hard=False):
    return record_review(
        row,
        correct=correct,
        hard=hard,
        duration_ms=4000,
        now=now,
        target_retention=0.9,
        version_id=None,
    )


def test_the_card_moves_as_the_packages_scheduler_moves_it(app, make):
    question = make.choice_question()
    student = make.user()
    row = new_card(student.id, question.id, NOW)
    db.session.add(row)
    db.session.flush()
    reference = Scheduler(
        desired_retention=0.9, learning_steps=(), relearning_steps=(), enable_fuzzing=False
    )
    card = Card.from_dict(dict(row.card))
    now = NOW
    for correct, rating in ((True, Rating.Good), (True, Rating.Good), (False, Rating.Again)):
        log = _review(row, correct, now)
        card, _log = reference.review_card(card, rating, review_datetime=now, review_duration=4000)
        assert row.due == card.due and row.card["stability"] == card.stability
        assert log.rating == int(rating)
        now = card.due
    assert (row.reviews, row.lapses) == (3, 1)


def test_right_pushes_out_and_wrong_brings_in(app, make):
    question, student = make.choice_question(), make.user()
    right, wrong = new_card(student.id, question.id, NOW), new_card(student.id, question.id, NOW)
    for row in (right, wrong):
        _review(row, True, NOW)  # both met once, right
    later = right.due
    _review(right, True, later)
    _review(wrong, False, later)
    assert right.due - later > timedelta(days=3)
    assert wrong.due - later <= timedelta(days=2)
    assert wrong.due < right.due


def test_a_card_survives_a_restart(app, make):
    question, student = make.choice_question(), make.user()
    row = new_card(student.id, question.id, NOW)
    db.session.add(row)
    db.session.commit()
    _review(row, True, NOW)
    db.session.commit()
    due, state = row.due, dict(row.card)
    db.session.expunge_all()  # as after a restart: read back from the database
    again = db.session.get(ReviewCard, row.id)
    assert again.due == due and again.card == state
    _review(again, True, due)
    assert again.due > due
