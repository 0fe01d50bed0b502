"""Lesson modules as loaded from content folders, and who has read which lesson."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from camp.bank.models import Category
from camp.db import UTCDateTime, utcnow
from camp.extensions import Model


class Module(Model):
    """One lesson module; `slug` comes from the folder name and is the upsert key."""

    __tablename__ = "modules"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    # Rendered once at load time (sanitised), so a lesson page costs no Markdown work.
    body_html: Mapped[str] = mapped_column(Text)
    toc: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    objectives: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    sources: Mapped[list[str]] = mapped_column(JSON)
    # The lesson's bilingual glossary: [{"en": ..., "zh": ...}], shown in both languages.
    glossary: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list, server_default="[]")
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"))
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    category: Mapped[Category] = relationship()

    def __repr__(self) -> str:
        return f"<Module {self.slug}>"


class LessonRead(Model):
    """A student marked a lesson as read (once; marking again changes nothing)."""

    __tablename__ = "lesson_reads"
    __table_args__ = (UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
