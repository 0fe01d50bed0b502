"""A cohort's certificate rule and the certificates issued under it (or by hand).

A certificate is identified publicly by `public_id`, the random part of a signed identifier
(camp.certificates.ids): long, random, never a row number. A student has at most one
certificate per cohort; revoking keeps the row (the verification page says "revoked"),
with who revoked it, when and why. `modules` keeps the titles of the modules passed when it
was issued, in each language (`{"en": ..., "zh_Hans": ...}`), and the certificate keeps
the cohort's name, the camp's title and dates as they were: a certificate does not change
when the cohort is renamed.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from camp.db import UTCDateTime, utcnow
from camp.extensions import Model

PUBLIC_ID_MAX = 64
REASON_MAX = 500
TITLE_MAX = 200


class CertificateRule(Model):
    """What a student of the cohort must do to earn its certificate."""

    __tablename__ = "certificate_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), unique=True
    )
    # The module quizzes to pass (ids); None: every module quiz.
    quiz_ids: Mapped[list[int] | None] = mapped_column(JSON(none_as_null=True))
    require_post_test: Mapped[bool] = mapped_column(Boolean, default=False)
    require_live_session: Mapped[bool] = mapped_column(Boolean, default=False)
    # What the certificate says of the camp: its title and first and last days.
    camp_title: Mapped[str] = mapped_column(String(TITLE_MAX), default="", server_default="")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Certificate(Model):
    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("cohort_id", "user_id"),
        CheckConstraint(
            "(revoked_at IS NULL AND revoke_reason IS NULL) OR "
            "(revoked_at IS NOT NULL AND revoke_reason IS NOT NULL)",
            name="revoked_with_reason",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(PUBLIC_ID_MAX), unique=True)
    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="RESTRICT"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(200))  # the student's name as issued
    modules: Mapped[list[dict[str, str]]] = mapped_column(JSON)  # titles by language
    cohort_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    camp_title: Mapped[str] = mapped_column(String(TITLE_MAX), default="", server_default="")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # None: issued by the cohort's rule; else the organiser who issued it by hand, and why.
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    issue_reason: Mapped[str | None] = mapped_column(Text)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def valid(self) -> bool:
        return self.revoked_at is None

    def __repr__(self) -> str:
        return f"<Certificate {self.id} cohort {self.cohort_id} user {self.user_id}>"
