"""FSRS through its maintained package (`fsrs`): how an answer becomes a rating, and a card's
state moved on by the package's own scheduler. Nothing here reimplements FSRS.

- Ratings: a wrong answer (less than full marks) is Again; a right one is Hard when the
  student ticked "this was hard" or took longer than SLOW_MS, else Good. Easy is never
  given: a quiz question answered right is not a promise of remembering it for months.
- The scheduler works in days: no learning or relearning steps (the questions were met in
  the camp's quizzes already, and a missed one comes back tomorrow, not in ten minutes),
  and no fuzz, so the same history always gives the same schedule.
- The desired retention is the cohort's target retention (0.9 by default).
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any, cast

from fsrs import Card, Rating, Scheduler

from camp import caches
from camp.review.models import ReviewCard, ReviewLog

SLOW_MS = 60_000  # a right answer that took longer than a minute was hard


@functools.lru_cache(maxsize=16)
def scheduler(target_retention: float) -> Scheduler:
    return Scheduler(
        desired_retention=target_retention,
        learning_steps=(),
        relearning_steps=(),
        enable_fuzzing=False,
    )


def rating_for(*, correct: bool, hard: bool, duration_ms: int | None) -> Rating:
    if not correct:
        return Rating.Again
    if hard or (duration_ms is not None and duration_ms > SLOW_MS):
        return Rating.Hard
    return Rating.Good


def new_card(user_id: int, question_id: int, now: datetime) -> ReviewCard:
    """A card for a question the student has not reviewed yet, due now."""
    card = Card(due=now)
    return ReviewCard(
        user_id=user_id,
        question_id=question_id,
        card=dict(card.to_dict()),
        due=now,
        state=int(card.state),
        reviews=0,
        lapses=0,
        introduced_at=now,
    )


def record_review(
    row: ReviewCard,
    *,
    correct: bool,
    hard: bool,
    duration_ms: int | None,
    now: datetime,
    target_retention: float,
    version_id: int | None,
) -> ReviewLog:
    """Move the card on by one review (the package's scheduler) and return the log row to
    add; the card row is updated in place."""
    rating = rating_for(correct=correct, hard=hard, duration_ms=duration_ms)
    was_due = row.reviews > 0  # a card met before: a review, not an introduction
    card, _log = scheduler(target_retention).review_card(
        Card.from_dict(cast(Any, row.card)),
        rating,
        review_datetime=now,
        review_duration=duration_ms,
    )
    row.card = dict(card.to_dict())
    row.due, row.state = card.due, int(card.state)
    row.reviews += 1
    row.lapses += 0 if correct else 1
    row.last_review_at = now
    return ReviewLog(
        card_id=row.id,
        user_id=row.user_id,
        question_id=row.question_id,
        question_version_id=version_id,
        rating=int(rating),
        correct=correct,
        was_due=was_due,
        duration_ms=duration_ms,
        reviewed_at=now,
    )


caches.register_function("FSRS schedulers", scheduler)
