"""Questions in another language: a translation belongs to one question version (loaded
from a module's `questions.<locale>.gift` or imported by `camp bank import --lang`, checked
against the English by camp.bank.translation_check, stored by camp.bank.translation_io)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from camp.extensions import Model


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
