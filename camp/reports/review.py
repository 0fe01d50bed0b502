"""The spaced review on the cohort report, never as a student's score: which of the
cohort's students reviewed in the last 7 days, and per learning objective the share of due
reviews answered right in those days (the cohort's retention). A due review is a
`ReviewLog` with `was_due`: a question asked again when FSRS scheduled it, not its first
introduction. One query each, whatever the number of students or reviews.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, case, func, select

from camp.bank.models import QuestionTag
from camp.extensions import db
from camp.reports.queries import Objective
from camp.review.models import ReviewLog

REVIEW_DAYS = 7


def review_window(now: datetime) -> datetime:
    """When the report's review window starts: `REVIEW_DAYS` days before `now`."""
    return now - timedelta(days=REVIEW_DAYS)


@dataclass(frozen=True)
class Retention:
    """Due reviews of questions carrying the objective's tag, and how many were right."""

    objective: Objective
    right: int
    reviews: int

    @property
    def share(self) -> float | None:
        return self.right / self.reviews if self.reviews else None


def reviewers(students: Select[int], since: datetime) -> set[int]:
    """The students (ids from `students`) with at least one review since `since`."""
    return set(
        db.session.scalars(
            select(ReviewLog.user_id)
            .where(ReviewLog.user_id.in_(students), ReviewLog.reviewed_at >= since)
            .distinct()
        )
    )


def retention_by_objective(
    objectives: list[Objective], students: Select[int], since: datetime
) -> list[Retention]:
    """Per objective (in the order given), the students' due reviews since `since` of
    questions tagged with it, and how many of them were right: one GROUP BY over the tags."""
    if not objectives:
        return []
    rows = db.session.execute(
        select(
            QuestionTag.tag,
            func.count(ReviewLog.id),
            func.sum(case((ReviewLog.correct.is_(True), 1), else_=0)),
        )
        .select_from(ReviewLog)
        .join(QuestionTag, QuestionTag.question_id == ReviewLog.question_id)
        .where(
            ReviewLog.user_id.in_(students),
            ReviewLog.was_due.is_(True),
            ReviewLog.reviewed_at >= since,
            QuestionTag.tag.in_([o.tag for o in objectives]),
        )
        .group_by(QuestionTag.tag)
    ).all()
    totals = {tag: (int(right or 0), int(reviews)) for tag, reviews, right in rows}
    return [Retention(o, *totals.get(o.tag, (0, 0))) for o in objectives]
