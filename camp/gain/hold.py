"""What a pre-test may show before the post-test closes: its score and the student's own
responses, but no right/wrong marks, no feedback and no right answers, whatever the quiz's
review options say, so that the post-test is not taught by the pre-test (the gain would
measure the review, not the camp). The hold ends when the cohort's post-test window closes;
a post-test without a closing time holds the pre-test until one is set."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select

from camp.accounts.models import Membership
from camp.extensions import db
from camp.gain.models import PrePostPair
from camp.quizzes.models import QuizWindow


def held_pre_tests(user_id: int, now: datetime) -> frozenset[int]:
    """The quizzes that are this user's pre-tests while their cohort's post-test is open
    (one query)."""
    window = and_(
        QuizWindow.quiz_id == PrePostPair.post_quiz_id,
        QuizWindow.cohort_id == PrePostPair.cohort_id,
    )
    rows = db.session.scalars(
        select(PrePostPair.pre_quiz_id)
        .join(Membership, Membership.cohort_id == PrePostPair.cohort_id)
        .outerjoin(QuizWindow, window)
        .where(
            Membership.user_id == user_id,
            or_(QuizWindow.closes_at.is_(None), QuizWindow.closes_at > now),
        )
    )
    return frozenset(rows)
