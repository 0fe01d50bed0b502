"""Quizzes, their slots and per-cohort windows, accommodations, attempts and their questions.

Invariants live in the database: one attempt number per student and quiz, at most one
attempt in progress per student and quiz, one row per question position in an attempt.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from camp.db import UTCDateTime, utcnow
from camp.extensions import Model


class GradingMethod(StrEnum):
    HIGHEST = "highest"
    AVERAGE = "average"
    FIRST = "first"
    LAST = "last"


class ReviewWhen(StrEnum):
    IMMEDIATELY = "immediately"
    AFTER_LAST_ATTEMPT = "after_last_attempt"
    AFTER_CLOSE = "after_close"
    NEVER = "never"


class Layout(StrEnum):
    ONE_PER_PAGE = "one_per_page"
    ALL_ON_ONE = "all_on_one"


class AttemptState(StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


REVIEW_ITEMS = ("score", "responses", "marks", "feedback", "answers")


def _enum_check(column: str, enum: type[StrEnum], name: str) -> CheckConstraint:
    values = ", ".join(f"'{e.value}'" for e in enum)
    return CheckConstraint(f"{column} IN ({values})", name=name)


class Quiz(Model):
    __tablename__ = "quizzes"
    __table_args__ = (
        _enum_check("grading_method", GradingMethod, "grading_known"),
        _enum_check("layout", Layout, "layout_known"),
        *(
            _enum_check(f"review_{item}", ReviewWhen, f"review_{item}_known")
            for item in REVIEW_ITEMS
        ),
        CheckConstraint("pass_mark >= 0 AND pass_mark <= 100", name="pass_mark_percent"),
        CheckConstraint("time_limit_minutes IS NULL OR time_limit_minutes > 0", name="time_limit"),
        CheckConstraint("attempts_allowed IS NULL OR attempts_allowed > 0", name="attempts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # A module's own quiz (from its front matter) has module_id set and is unique per module.
    module_id: Mapped[int | None] = mapped_column(
        ForeignKey("modules.id", ondelete="RESTRICT"), unique=True
    )
    time_limit_minutes: Mapped[int | None] = mapped_column(Integer)
    attempts_allowed: Mapped[int | None] = mapped_column(Integer)
    grading_method: Mapped[str] = mapped_column(String(16), default=GradingMethod.HIGHEST)
    pass_mark: Mapped[int] = mapped_column(Integer, default=70)
    shuffle_questions: Mapped[bool] = mapped_column(Boolean, default=True)
    shuffle_options: Mapped[bool] = mapped_column(Boolean, default=True)
    layout: Mapped[str] = mapped_column(String(16), default=Layout.ONE_PER_PAGE)
    # What a student sees after an attempt, and when. The defaults keep the key back
    # until no attempt is left, so answers cannot leak into the next try.
    review_score: Mapped[str] = mapped_column(String(24), default=ReviewWhen.IMMEDIATELY)
    review_responses: Mapped[str] = mapped_column(String(24), default=ReviewWhen.IMMEDIATELY)
    review_marks: Mapped[str] = mapped_column(String(24), default=ReviewWhen.IMMEDIATELY)
    review_feedback: Mapped[str] = mapped_column(String(24), default=ReviewWhen.AFTER_LAST_ATTEMPT)
    review_answers: Mapped[str] = mapped_column(String(24), default=ReviewWhen.AFTER_LAST_ATTEMPT)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    slots: Mapped[list[QuizSlot]] = relationship(
        back_populates="quiz", cascade="all, delete-orphan", order_by="QuizSlot.position"
    )

    def __repr__(self) -> str:
        return f"<Quiz {self.id} {self.title}>"


class QuizSlot(Model):
    """A fixed question, or `count` random questions from a category and/or with a tag."""

    __tablename__ = "quiz_slots"
    __table_args__ = (
        UniqueConstraint("quiz_id", "position"),
        CheckConstraint("kind IN ('fixed', 'random')", name="kind_known"),
        CheckConstraint(
            "(kind = 'fixed' AND question_id IS NOT NULL) OR "
            "(kind = 'random' AND count >= 1 AND (category_id IS NOT NULL OR tag IS NOT NULL))",
            name="complete",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8))
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("questions.id", ondelete="RESTRICT"), index=True
    )
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="RESTRICT"), index=True
    )
    include_subcategories: Mapped[bool] = mapped_column(Boolean, default=True)
    tag: Mapped[str | None] = mapped_column(String(100))
    count: Mapped[int] = mapped_column(Integer, default=1)

    quiz: Mapped[Quiz] = relationship(back_populates="slots")


class QuizWindow(Model):
    """When a cohort may take a quiz; a None time leaves that side open, so both None means
    "at any time". The rows are also who may take it (policy.may_take): a quiz with no row
    is for every logged-in user; once it has any, only members of cohorts with a row may."""

    __tablename__ = "quiz_windows"
    __table_args__ = (
        UniqueConstraint("quiz_id", "cohort_id"),
        CheckConstraint(
            "opens_at IS NULL OR closes_at IS NULL OR opens_at < closes_at", name="ordered"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class QuizOverride(Model):
    """Accommodations for one student: extra minutes and extra attempts."""

    __tablename__ = "quiz_overrides"
    __table_args__ = (
        UniqueConstraint("quiz_id", "user_id"),
        CheckConstraint("extra_minutes >= 0 AND extra_attempts >= 0", name="non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    extra_minutes: Mapped[int] = mapped_column(Integer, default=0)
    extra_attempts: Mapped[int] = mapped_column(Integer, default=0)


class Attempt(Model):
    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("quiz_id", "user_id", "number"),
        _enum_check("state", AttemptState, "state_known"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 1)", name="score_fraction"),
        # At most one attempt in progress per student and quiz, whatever the app does.
        Index(
            "uq_attempts_one_in_progress",
            "quiz_id",
            "user_id",
            unique=True,
            sqlite_where=text("state = 'in_progress'"),
            postgresql_where=text("state = 'in_progress'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="RESTRICT"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default=AttemptState.IN_PROGRESS)
    seed: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    auto_submitted: Mapped[bool] = mapped_column(Boolean, default=False)
    # Stored when graded (fraction of the marks, 0..1); None while essays wait for a grader.
    score: Mapped[float | None] = mapped_column(Float)
    needs_grading: Mapped[bool] = mapped_column(Boolean, default=False)
    # The language the questions were shown in (camp.locales); its review uses it too.
    locale: Mapped[str] = mapped_column(String(16), default="en", server_default="en")

    quiz: Mapped[Quiz] = relationship()
    questions: Mapped[list[AttemptQuestion]] = relationship(
        back_populates="attempt", order_by="AttemptQuestion.position"
    )

    @property
    def finished(self) -> bool:
        return self.state == AttemptState.SUBMITTED


class AttemptQuestion(Model):
    """One question on an attempt's paper: the exact version shown, the option order, the
    student's current response, and its grade."""

    __tablename__ = "attempt_questions"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position"),
        CheckConstraint(
            "fraction IS NULL OR (fraction >= 0 AND fraction <= 1)", name="fraction_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    question_version_id: Mapped[int] = mapped_column(
        ForeignKey("question_versions.id", ondelete="RESTRICT"), index=True
    )
    option_order: Mapped[list[int] | None] = mapped_column(JSON)
    response: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    answered: Mapped[bool] = mapped_column(Boolean, default=False)
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fraction: Mapped[float | None] = mapped_column(Float)
    # Set when an organiser graded or overrode this question by hand.
    manual_comment: Mapped[str | None] = mapped_column(Text)
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    attempt: Mapped[Attempt] = relationship(back_populates="questions")


class ResponseLog(Model):
    """Every save of every answer, appended and never rewritten: nothing typed is lost."""

    __tablename__ = "response_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_question_id: Mapped[int] = mapped_column(
        ForeignKey("attempt_questions.id", ondelete="RESTRICT"), index=True
    )
    response: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted: Mapped[bool] = mapped_column(Boolean, default=True)


class GradeChange(Model):
    """A deliberate regrade or override, recorded with who, when and why."""

    __tablename__ = "grade_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
