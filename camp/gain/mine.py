"""A student's own pre-test and post-test per learning objective, shown on `/progress` once
their cohort's post-test has closed (before then the pre-test holds back its marks, and a
comparison would tell the post-test's answers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from camp.accounts.models import Membership
from camp.extensions import db
from camp.gain.models import PrePostPair
from camp.gain.scores import counted_scores
from camp.locales import DEFAULT_LOCALE
from camp.quizzes.models import QuizWindow
from camp.reports.queries import course_modules, objectives_of


@dataclass(frozen=True)
class ObjectiveRow:
    text: str
    pre: float | None  # share 0..1; None: no question of this objective answered
    post: float | None


@dataclass(frozen=True)
class MyPrePost:
    pre: float | None  # overall share 0..1
    post: float | None
    objectives: tuple[ObjectiveRow, ...]


def my_pre_post(user_id: int, now: datetime, locale: str = DEFAULT_LOCALE) -> MyPrePost | None:
    """The student's pre/post comparison, or None (no pair, the post-test still open, or
    neither test taken)."""
    pair = db.session.scalar(
        select(PrePostPair)
        .join(Membership, Membership.cohort_id == PrePostPair.cohort_id)
        .join(
            QuizWindow,
            (QuizWindow.quiz_id == PrePostPair.post_quiz_id)
            & (QuizWindow.cohort_id == PrePostPair.cohort_id),
        )
        .where(
            Membership.user_id == user_id,
            QuizWindow.closes_at.is_not(None),
            QuizWindow.closes_at <= now,
        )
        .order_by(PrePostPair.id.desc())
        .limit(1)
    )
    if pair is None:
        return None
    pre = counted_scores(pair.pre_quiz_id, [user_id]).get(user_id)
    post = counted_scores(pair.post_quiz_id, [user_id]).get(user_id)
    if pre is None and post is None:
        return None
    tags = set(pre.by_objective if pre else {}) | set(post.by_objective if post else {})
    rows = tuple(
        ObjectiveRow(
            objective.text,
            _share(pre.by_objective.get(objective.tag) if pre else None),
            _share(post.by_objective.get(objective.tag) if post else None),
        )
        for objective in objectives_of(course_modules(locale))
        if objective.tag in tags
    )
    return MyPrePost(
        _share(pre.overall if pre else None), _share(post.overall if post else None), rows
    )


def _share(percent: float | None) -> float | None:
    return None if percent is None else percent / 100
