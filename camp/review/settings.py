"""A cohort's review settings (on or off, new questions a day, target retention, questions
a session), and the settings that apply to a student: those of their cohorts that have
review on, the first by cohort id when there are several (a student is usually in one).
Set only by the cohort's organisers, audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]
from sqlalchemy import Integer, bindparam, select

from camp.accounts.identity import CampUser
from camp.accounts.models import Cohort, MemberRole, Membership, User
from camp.accounts.permissions import can_manage_cohort
from camp.accounts.session_user import ROW_USER_COLUMNS, RowUser
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

_SETTINGS_COLUMNS = (
    ReviewSettings.id,
    ReviewSettings.enabled,
    ReviewSettings.new_per_day,
    ReviewSettings.target_retention,
    ReviewSettings.session_length,
)
_STUDENT_OF = (Membership.user_id == bindparam("user_id", type_=Integer)) & (
    Membership.role == MemberRole.STUDENT.value
)
# Every review page reads them: built once, read outside the session (camp.snapshot_reads).
_OF_STUDENT = SnapshotRead(
    select(*_SETTINGS_COLUMNS)
    .select_from(Membership)
    .outerjoin(ReviewSettings, ReviewSettings.cohort_id == Membership.cohort_id)
    .where(_STUDENT_OF)
    .order_by(Membership.cohort_id)
)
# The review page's user and their settings in one statement (one row per cohort they are
# a student of, or one row with no settings).
_USER_WITH_SETTINGS = SnapshotRead(
    select(*ROW_USER_COLUMNS, Membership.cohort_id, *_SETTINGS_COLUMNS)
    .select_from(User)
    .outerjoin(Membership, (Membership.user_id == User.id) & _STUDENT_OF)
    .outerjoin(ReviewSettings, ReviewSettings.cohort_id == Membership.cohort_id)
    .where(User.id == bindparam("user_id", type_=Integer))
    .order_by(Membership.cohort_id)
)
_USER_COLUMNS = len(ROW_USER_COLUMNS)
# Where the review page keeps the settings read with its user (the request's own environ).
_READ_WITH_USER = "camp.review_settings_read_with_user"


def read_user_and_settings(user_id: int) -> RowUser | None:
    """The review page's logged-in user, read with the review settings that apply to them
    (kept for `settings_for_student` in this request only)."""
    rows = _USER_WITH_SETTINGS.rows({"user_id": user_id})
    if not rows:
        return None
    cohorts = [row[_USER_COLUMNS + 1 :] for row in rows if row[_USER_COLUMNS] is not None]
    request.environ[_READ_WITH_USER] = (user_id, _first_enabled(cohorts))
    return RowUser(*rows[0][:_USER_COLUMNS])


def _first_enabled(rows: Sequence[Sequence[Any]]) -> Settings | None:
    """The settings of the first cohort (by id) that reviews, from (settings id, values...)
    rows: a cohort without a settings row reviews with the defaults."""
    for row_id, *values in rows:
        settings = DEFAULTS if row_id is None else Settings(*values)
        if settings.enabled:
            return settings
    return None


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
    they are in no cohort as a student). One query, or none when the review page read them
    with its user (`read_user_and_settings`)."""
    if has_request_context():
        read_with_user = request.environ.pop(_READ_WITH_USER, None)
        if read_with_user is not None and read_with_user[0] == user_id:
            return read_with_user[1]
    return _first_enabled(_OF_STUDENT.rows({"user_id": user_id}))


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
