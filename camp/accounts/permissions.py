"""Who may do what: predicates over users and cohorts, and the view decorators built on them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort
from flask_login import login_required
from sqlalchemy import ColumnElement, Select, exists, select

from camp.accounts.current import current_user
from camp.accounts.identity import CampUser
from camp.accounts.models import Cohort, MemberRole, Membership, Role, User
from camp.extensions import db

P = ParamSpec("P")
R = TypeVar("R")


def is_organiser(user: CampUser) -> bool:
    return bool(user.is_authenticated and user.is_organiser)


def is_admin(user: CampUser) -> bool:
    return bool(user.is_authenticated and user.is_admin)


def can_manage_cohort(user: CampUser, cohort: Cohort) -> bool:
    """Admins manage every cohort; an organiser only the cohorts they run."""
    if is_admin(user):
        return True
    if not is_organiser(user):
        return False
    return (
        db.session.scalar(
            select(Membership.id).where(
                Membership.cohort_id == cohort.id,
                Membership.user_id == user.id,
                Membership.role == MemberRole.ORGANISER,
            )
        )
        is not None
    )


def managed_cohort_or_403(cohort_id: int) -> Cohort:
    """The cohort, for the current user who manages it: 404 when there is none, 403 when it
    is another organiser's (a view's first line on every cohort page of an organiser)."""
    cohort = db.get_or_404(Cohort, cohort_id)
    if not can_manage_cohort(current_user, cohort):
        abort(403)
    return cohort


def _role_required(
    predicate: Callable[[CampUser], bool],
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            if not predicate(current_user):
                abort(403)
            return view(*args, **kwargs)

        return login_required(wrapped)

    return decorator


organiser_required = _role_required(is_organiser)
admin_required = _role_required(is_admin)


def cohorts_run_by(user: CampUser) -> ColumnElement[bool] | None:
    """A condition on `Cohort.id` for the cohorts `user` runs; None means every cohort."""
    if user.is_admin:
        return None
    return Cohort.id.in_(_cohort_ids_run_by(user))


def students_run_by(user: CampUser) -> ColumnElement[bool] | None:
    """A condition on a user id column's owner (`User.id`) for students in cohorts `user`
    runs; None means every student (admins)."""
    if user.is_admin:
        return None
    return User.id.in_(
        select(Membership.user_id).where(
            Membership.cohort_id.in_(_cohort_ids_run_by(user)),
            Membership.role == MemberRole.STUDENT,
        )
    )


def can_reset_password(actor: CampUser, target: CampUser) -> bool:
    """Admins reset anyone's password but their own (that is /account). An organiser resets
    only a student's, and only when every cohort the student is in is one they run: a
    student shared with another organiser's cohort is an admin's to reset, so that no
    organiser can take over an account someone else looks after."""
    if actor.id == target.id:
        return False
    if is_admin(actor):
        return True
    if not is_organiser(actor):
        return False
    condition = _wholly_in_cohorts_run_by(actor)
    return bool(db.session.scalar(select(exists().where(User.id == target.id, condition))))


def resettable_members(actor: CampUser, cohort_id: int) -> set[int]:
    """The members of a cohort whose password `actor` may reset (can_reset_password for
    each), in one query for the cohort page."""
    members = select(Membership.user_id).where(Membership.cohort_id == cohort_id)
    if is_admin(actor):
        return set(db.session.scalars(members.where(Membership.user_id != actor.id)))
    if not is_organiser(actor):
        return set()
    resettable = select(User.id).where(_wholly_in_cohorts_run_by(actor))
    return set(db.session.scalars(members.where(Membership.user_id.in_(resettable))))


def _wholly_in_cohorts_run_by(organiser: CampUser) -> ColumnElement[bool]:
    """A condition on `User.id`: a student in at least one cohort, and in none that
    `organiser` does not run."""
    runs = _cohort_ids_run_by(organiser)
    in_any = exists(select(Membership.id).where(Membership.user_id == User.id))
    outside = exists(
        select(Membership.id).where(Membership.user_id == User.id, ~Membership.cohort_id.in_(runs))
    )
    return (User.role == Role.STUDENT) & in_any & ~outside


def _cohort_ids_run_by(user: CampUser) -> Select[int]:
    return select(Membership.cohort_id).where(
        Membership.user_id == user.id, Membership.role == MemberRole.ORGANISER
    )


def can_manage_student(user: CampUser, student_id: int) -> bool:
    """Admins manage every student; an organiser the students of the cohorts they run."""
    if user.is_admin:
        return True
    if not user.is_organiser:
        return False
    condition = students_run_by(user)
    assert condition is not None
    return bool(db.session.scalar(select(exists().where(User.id == student_id, condition))))
