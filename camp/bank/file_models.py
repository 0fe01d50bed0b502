"""Rows of the files embedded in question texts (the images a Moodle XML file brings): each
file's bytes stored once, by content (sha256), and the names question versions know them by.

A version's text names a file as `@@PLUGINFILE@@/<name>`. A version sees the files linked to
it and those linked to the earlier versions of its question, the latest of a name winning:
an edit that keeps the text's images needs no new rows (camp.bank.question_files reads them
so). Both kinds of row are written once and never changed or deleted, like the versions
they belong to. Files live in the database, not on disk, so that a backup or a second
server has them too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from camp.bank.models import ImmutableVersionError
from camp.db import UTCDateTime, utcnow
from camp.extensions import Model

# What `camp.bank.question_files` accepts, decided by a file's first bytes.
CONTENT_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
CONTENT_TYPES_SQL = ", ".join(f"'{name}'" for name in CONTENT_TYPES)
MAX_NAME = 255


class StoredFile(Model):
    """One file's bytes, named by their sha256 (hex): the same image in many versions, or
    many questions, is stored once."""

    __tablename__ = "stored_files"
    __table_args__ = (
        CheckConstraint(f"content_type IN ({CONTENT_TYPES_SQL})", name="content_type_known"),
        CheckConstraint("size >= 0", name="size_not_negative"),
    )

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    # Read only when the bytes are wanted: listings read the other columns.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<StoredFile {self.sha256[:12]} {self.content_type} {self.size}>"


class QuestionFile(Model):
    """A file as one question version names it (`name` without the leading slash)."""

    __tablename__ = "question_files"
    __table_args__ = (UniqueConstraint("question_version_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_version_id: Mapped[int] = mapped_column(
        ForeignKey("question_versions.id", ondelete="RESTRICT")
    )
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    sha256: Mapped[str] = mapped_column(
        ForeignKey("stored_files.sha256", ondelete="RESTRICT"), index=True
    )

    def __repr__(self) -> str:
        return f"<QuestionFile {self.question_version_id} {self.name}>"


@event.listens_for(Session, "before_flush")
def _files_are_immutable(session: Session, _context: Any, _instances: Any) -> None:
    for obj in session.dirty:
        if isinstance(obj, StoredFile | QuestionFile) and session.is_modified(obj):
            raise ImmutableVersionError("question files are never changed")
    for obj in session.deleted:
        if isinstance(obj, StoredFile | QuestionFile):
            raise ImmutableVersionError("question files are never deleted")
