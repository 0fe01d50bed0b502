"""The review's tables: each student's card per question (its FSRS state, as the `fsrs`
package writes it, and when it is due), every review made (for the organiser's retention
figure, and to re-optimise FSRS's parameters later), and each cohort's review settings.

A card belongs to a student and a question (not a version): a corrected question keeps its
schedule. `card` holds `fsrs.Card.to_dict()`; `due`, `state` and the counters are copied
out of it so that queries can filter and sort without reading JSON.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from camp.db import UTCDateTime, utcnow
from camp.extensions import Model

DEFAULT_NEW_PER_DAY = 5
DEFAULT_TARGET_RETENTION = 0.9
DEFAULT_SESSION_LENGTH = 20


class ReviewSettings(Model):
    """A cohort's review settings; a cohort without a row has the defaults (review on)."""

    __tablename__ = "review_settings"
    __table_args__ = (
        CheckConstraint("new_per_day >= 0 AND new_per_day <= 100", name="new_per_day_range"),
        CheckConstraint(
            "target_retention >= 0.7 AND target_retention <= 0.99", name="retention_range"
        ),
        CheckConstraint(
            "session_length >= 1 AND session_length <= 200", name="session_length_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), unique=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    new_per_day: Mapped[int] = mapped_column(Integer, default=DEFAULT_NEW_PER_DAY)
    target_retention: Mapped[float] = mapped_column(Float, default=DEFAULT_TARGET_RETENTION)
    session_length: Mapped[int] = mapped_column(Integer, default=DEFAULT_SESSION_LENGTH)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ReviewCard(Model):
    __tablename__ = "review_cards"
    __table_args__ = (
        UniqueConstraint("user_id", "question_id"),
        Index("ix_review_cards_user_due", "user_id", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    card: Mapped[dict[str, Any]] = mapped_column(JSON)  # fsrs.Card.to_dict()
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[int] = mapped_column(Integer)  # fsrs.State: 1 learning, 2 review, 3 relearning
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    introduced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_review_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReviewLog(Model):
    """One review: what FSRS was told (the rating) and what happened (right or wrong, how
    long it took), as `fsrs.ReviewLog` records it, plus the version that was asked."""

    __tablename__ = "review_logs"
    __table_args__ = (Index("ix_review_logs_user_reviewed", "user_id", "reviewed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(
        ForeignKey("review_cards.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    question_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_versions.id", ondelete="SET NULL")
    )
    rating: Mapped[int] = mapped_column(Integer)  # fsrs.Rating: 1 again, 2 hard, 3 good, 4 easy
    correct: Mapped[bool] = mapped_column(Boolean)
    was_due: Mapped[bool] = mapped_column(Boolean)  # due when answered (not a new card)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
