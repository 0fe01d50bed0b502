"""A cohort's review settings (on or off, new questions a day, target retention, questions
a session), and the settings that apply to a student: those of their cohorts that have
review on, the first by cohort id when there are several (a student is usually in one).
Set only by the cohort's organisers, audited."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]
from sqlalchemy import bindparam, select

from camp.accounts.identity import CampUser
from camp.accounts.models import Cohort, MemberRole, Membership
from camp.accounts.permissions import can_manage_cohort
from camp.audit import services as audit
from camp.db import utcnow
from camp.extensions import db
from camp.review.models import (
    DEFAULT_NEW_PER_DAY,
    DEFAULT_SESSION_LENGTH,
    DEFAULT_TARGET_RETENTION,
    ReviewSettings,
)
from camp.snapshot_reads import SnapshotRead


class SettingsRefused(Exception):
    """The settings cannot be changed; str() says why."""


@dataclass(frozen=True)
class Settings:
    enabled: bool = True
    new_per_day: int = DEFAULT_NEW_PER_DAY
    target_retention: float = DEFAULT_TARGET_RETENTION
    session_length: int = DEFAULT_SESSION_LENGTH


DEFAULTS = Settings()

# Every review page reads it: built once, read outside the session (camp.snapshot_reads).
_OF_STUDENT = SnapshotRead(
    select(
        ReviewSettings.id,
        ReviewSettings.enabled,
        ReviewSettings.new_per_day,
        ReviewSettings.target_retention,
        ReviewSettings.session_length,
    )
    .select_from(Membership)
    .outerjoin(ReviewSettings, ReviewSettings.cohort_id == Membership.cohort_id)
    .where(
        Membership.user_id == bindparam("user_id"),
        Membership.role == MemberRole.STUDENT.value,
    )
    .order_by(Membership.cohort_id)
)


def _row(cohort_id: int) -> ReviewSettings | None:
    return db.session.scalar(select(ReviewSettings).where(ReviewSettings.cohort_id == cohort_id))


def _settings(row: ReviewSettings | None) -> Settings:
    if row is None:
        return DEFAULTS
    return Settings(row.enabled, row.new_per_day, row.target_retention, row.session_length)


def settings_of(cohort: Cohort) -> Settings:
    return _settings(_row(cohort.id))


def settings_for_student(user_id: int) -> Settings | None:
    """The settings that apply to the student; None when none of their cohorts reviews (or
    they are in no cohort as a student). One query."""
    for row_id, *values in _OF_STUDENT.rows({"user_id": user_id}):
        settings = DEFAULTS if row_id is None else Settings(*values)
        if settings.enabled:
            return settings
    return None


def set_settings(cohort: Cohort, actor: CampUser, settings: Settings) -> None:
    if not can_manage_cohort(actor, cohort):
        raise SettingsRefused(_l("Only the cohort's organisers can change its review."))
    row = _row(cohort.id) or ReviewSettings(cohort_id=cohort.id)
    row.enabled = settings.enabled
    row.new_per_day = settings.new_per_day
    row.target_retention = settings.target_retention
    row.session_length = settings.session_length
    row.updated_at, row.updated_by = utcnow(), actor.id
    db.session.add(row)
    db.session.flush()
    audit.record(
        actor,
        "review.settings",
        f"set the review settings of {cohort.name}",
        cohort_id=cohort.id,
        enabled=settings.enabled,
        new_per_day=settings.new_per_day,
        target_retention=settings.target_retention,
        session_length=settings.session_length,
    )
