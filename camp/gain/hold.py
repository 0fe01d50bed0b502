"""What a pre-test may show before the post-test closes: its score and the student's own
responses, but no right/wrong marks, no feedback and no right answers, whatever the quiz's
review options say, so that the post-test is not taught by the pre-test (the gain would
measure the review, not the camp). The hold ends when the cohort's post-test window closes;
a post-test without a closing time holds the pre-test until one is set."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, bindparam, or_, select

from camp.accounts.models import Membership
from camp.gain.models import PrePostPair
from camp.quizzes.models import QuizWindow
from camp.snapshot_reads import SnapshotRead

# The pre-tests held for the bound user at the bound moment; other reads may embed it.
HELD_PRE_TESTS = (
    select(PrePostPair.pre_quiz_id)
    .join(Membership, Membership.cohort_id == PrePostPair.cohort_id)
    .outerjoin(
        QuizWindow,
        and_(
            QuizWindow.quiz_id == PrePostPair.post_quiz_id,
            QuizWindow.cohort_id == PrePostPair.cohort_id,
        ),
    )
    .where(
        Membership.user_id == bindparam("user_id"),
        or_(QuizWindow.closes_at.is_(None), QuizWindow.closes_at > bindparam("now")),
    )
)
# Built once, read outside the session (camp.snapshot_reads): every quiz page asks.
_HELD = SnapshotRead(HELD_PRE_TESTS)


def held_pre_tests(user_id: int, now: datetime) -> frozenset[int]:
    """The quizzes that are this user's pre-tests while their cohort's post-test is open
    (one query)."""
    return frozenset(row[0] for row in _HELD.rows({"user_id": user_id, "now": now}))
