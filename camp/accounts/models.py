"""User, Cohort and Membership rows, with the invariants the database enforces."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from camp.db import UTCDateTime, utcnow
from camp.extensions import Model


class Role(StrEnum):
    STUDENT = "student"
    ORGANISER = "organiser"
    ADMIN = "admin"


class MemberRole(StrEnum):
    STUDENT = "student"
    ORGANISER = "organiser"


def session_token(user_id: int, generation: int) -> str:
    return f"{user_id}:{generation}"


def parse_session_token(token: str) -> tuple[int, int] | None:
    """(user id, session generation) from a session's user token, or None when it is not
    one (a cookie signed before sessions had generations, or garbage)."""
    user_id, sep, generation = token.partition(":")
    parts = (user_id, generation)
    if not sep or not all(p.isascii() and p.isdigit() and len(p) < 19 for p in parts):
        return None
    return int(user_id), int(generation)


class UserIdentity:
    """Flask-Login's protocol and the role rules, for anything with `id`, `role`, `active`
    (the ORM `User`, and the one-row user of hot requests in `session_user`)."""

    id: int
    role: str
    active: bool
    session_generation: int

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """What the session cookie carries: the id and the session generation. A cookie of
        an older generation (before a logout, a password change or reset, a deactivation)
        no longer logs anyone in (see `accounts.views.load_user`)."""
        return session_token(self.id, self.session_generation)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_organiser(self) -> bool:
        """Organisers and admins may use the organiser area."""
        return self.role in (Role.ORGANISER, Role.ADMIN)

    @property
    def is_student(self) -> bool:
        return self.role == Role.STUDENT


class User(UserIdentity, Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('student', 'organiser', 'admin')", name="role_known"),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.STUDENT)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped whenever every session of the user must end (logout, password change or
    # reset, deactivation): cookies carry the generation they were signed with.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The interface language the user chose (camp.i18n.LOCALES), None until they choose.
    locale: Mapped[str | None] = mapped_column(String(16), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


class Cohort(Model):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Cohort {self.id} {self.name}>"


class Membership(Model):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "cohort_id"),
        CheckConstraint("role IN ('student', 'organiser')", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default=MemberRole.STUDENT)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    cohort: Mapped[Cohort] = relationship(back_populates="memberships")
