"""Translated content as loaded from a module's `lesson.<locale>.md` and
`questions.<locale>.gift` (camp.lessons.translations checks them against the English)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from camp.extensions import Model


class ModuleTranslation(Model):
    """A module's lesson in one more language: the text fields of `Module`, rendered."""

    __tablename__ = "module_translations"
    __table_args__ = (UniqueConstraint("module_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    locale: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    toc: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # The objectives' texts by tag (the tags are the English lesson's).
    objectives: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    sources: Mapped[list[str]] = mapped_column(JSON)
    quiz_title: Mapped[str] = mapped_column(String(200), default="")


class QuestionTranslation(Model):
    """One question version in one more language: its text fields and its spec, whose
    structure equals the version's (same options, weights, numbers): only text differs."""

    __tablename__ = "question_translations"
    __table_args__ = (UniqueConstraint("question_version_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_version_id: Mapped[int] = mapped_column(
        ForeignKey("question_versions.id", ondelete="CASCADE"), index=True
    )
    locale: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(255), default="")
    text: Mapped[str] = mapped_column(Text)
    text_format: Mapped[str] = mapped_column(String(16), default="moodle")
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    general_feedback: Mapped[str] = mapped_column(Text, default="")
