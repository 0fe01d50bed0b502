"""A cohort's pre/post pair: the quiz it takes at the start of the camp and the one it takes
at the end, to measure the gain per learning objective. One pair per cohort. `same_questions`
records that the organiser chose the same questions for both on purpose; otherwise the two
forms share no question (camp.gain.pairs checks it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from camp.db import UTCDateTime, utcnow
from camp.extensions import Model


class PrePostPair(Model):
    __tablename__ = "prepost_pairs"
    __table_args__ = (CheckConstraint("pre_quiz_id <> post_quiz_id", name="two_quizzes"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), unique=True
    )
    pre_quiz_id: Mapped[int] = mapped_column(
        ForeignKey("quizzes.id", ondelete="RESTRICT"), index=True
    )
    post_quiz_id: Mapped[int] = mapped_column(
        ForeignKey("quizzes.id", ondelete="RESTRICT"), index=True
    )
    same_questions: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<PrePostPair cohort {self.cohort_id}: {self.pre_quiz_id} -> {self.post_quiz_id}>"
