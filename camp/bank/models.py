"""Question bank rows: a category tree, questions with stable ids and tags, immutable versions.

A question's content lives only in its versions. Editing adds a version; a version is
never updated or deleted once written (an attempt may have shown it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from camp.bank.question_types import TYPE_NAMES
from camp.db import UTCDateTime, utcnow
from camp.extensions import Model

# The registry's names; a new type also needs a revision that widens `type_known` (Alembic's
# autogenerate cannot see CHECK constraints; tests/test_migrations.py notices a missing one).
TYPE_NAMES_SQL = ", ".join(f"'{name}'" for name in TYPE_NAMES)
TEXT_FORMATS_SQL = "'moodle', 'html', 'markdown', 'plain'"


class Category(Model):
    """A node of the category tree; `path` is the full GIFT `$CATEGORY:` path. `info` (in
    `info_format`) and `idnumber` are a Moodle question category's description and id
    number, kept from a Moodle XML import and written back by its export."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    path: Mapped[str] = mapped_column(String(1000), unique=True)
    info: Mapped[str] = mapped_column(Text, default="", server_default="")
    info_format: Mapped[str] = mapped_column(String(16), default="moodle", server_default="moodle")
    idnumber: Mapped[str | None] = mapped_column(String(100), unique=True)

    parent: Mapped[Category | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Category {self.path}>"


class Question(Model):
    """A question's identity: stable uid, category, tags, retired flag, how many versions."""

    __tablename__ = "questions"
    __table_args__ = (CheckConstraint("version_count >= 1", name="has_a_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(100), unique=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="RESTRICT"), index=True
    )
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    version_count: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    category: Mapped[Category] = relationship()
    tags: Mapped[list[QuestionTag]] = relationship(
        cascade="all, delete-orphan", order_by="QuestionTag.tag"
    )
    versions: Mapped[list[QuestionVersion]] = relationship(
        back_populates="question", order_by="QuestionVersion.number"
    )

    @property
    def tag_names(self) -> list[str]:
        return [t.tag for t in self.tags]

    def __repr__(self) -> str:
        return f"<Question {self.uid} v{self.version_count}>"


class QuestionTag(Model):
    __tablename__ = "question_tags"
    __table_args__ = (UniqueConstraint("question_id", "tag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    tag: Mapped[str] = mapped_column(String(100), index=True)


class QuestionVersion(Model):
    """One immutable version of a question's content. `extras` holds what a question keeps
    beyond its type's spec (feedback by outcome, hints, grades; see `camp.bank.extras`)."""

    __tablename__ = "question_versions"
    __table_args__ = (
        UniqueConstraint("question_id", "number"),
        CheckConstraint(f"type IN ({TYPE_NAMES_SQL})", name="type_known"),
        CheckConstraint(f"text_format IN ({TEXT_FORMATS_SQL})", name="format_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="RESTRICT"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(255), default="")
    text: Mapped[str] = mapped_column(Text)
    text_format: Mapped[str] = mapped_column(String(16), default="moodle")
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    general_feedback: Mapped[str] = mapped_column(Text, default="")
    extras: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[Question] = relationship(back_populates="versions")

    def __repr__(self) -> str:
        return f"<QuestionVersion {self.question_id} #{self.number} {self.type}>"


class ImmutableVersionError(RuntimeError):
    """Something tried to change or delete a written question version."""


@event.listens_for(Session, "before_flush")
def _versions_are_immutable(session: Session, _context: Any, _instances: Any) -> None:
    for obj in session.dirty:
        if isinstance(obj, QuestionVersion) and session.is_modified(obj):
            raise ImmutableVersionError("question versions are never changed; add a new version")
    for obj in session.deleted:
        if isinstance(obj, QuestionVersion):
            raise ImmutableVersionError("question versions are never deleted")
