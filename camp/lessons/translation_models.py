"""A module's lesson in another language, as loaded from `lesson.<locale>.md`
(camp.lessons.translations checks it against the English; translated questions are
camp.bank.translation_models)."""

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
