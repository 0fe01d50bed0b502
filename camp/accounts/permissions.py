"""Who may do what: predicates over users and cohorts, and the view decorators built on them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import ColumnElement, exists, select

from camp.accounts.models import Cohort, MemberRole, Membership, User
from camp.extensions import db

P = ParamSpec("P")
R = TypeVar("R")


def is_organiser(user: User) -> bool:
    return bool(user.is_authenticated and user.is_organiser)


def is_admin(user: User) -> bool:
    return bool(user.is_authenticated and user.is_admin)


def can_manage_cohort(user: User, cohort: Cohort) -> bool:
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


def _role_required(predicate: Callable[[User], bool]) -> Callable[[Callable[P, R]], Callable[P, R]]:
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


def cohorts_run_by(user: User) -> ColumnElement[bool] | None:
    """A condition on `Cohort.id` for the cohorts `user` runs; None means every cohort."""
    if user.is_admin:
        return None
    return Cohort.id.in_(
        select(Membership.cohort_id).where(
            Membership.user_id == user.id, Membership.role == MemberRole.ORGANISER
        )
    )


def students_run_by(user: User) -> ColumnElement[bool] | None:
    """A condition on a user id column's owner (`User.id`) for students in cohorts `user`
    runs; None means every student (admins)."""
    if user.is_admin:
        return None
    runs = select(Membership.cohort_id).where(
        Membership.user_id == user.id, Membership.role == MemberRole.ORGANISER
    )
    return User.id.in_(
        select(Membership.user_id).where(
            Membership.cohort_id.in_(runs), Membership.role == MemberRole.STUDENT
        )
    )


def can_manage_student(user: User, student_id: int) -> bool:
    """Admins manage every student; an organiser the students of the cohorts they run."""
    if user.is_admin:
        return True
    if not user.is_organiser:
        return False
    condition = students_run_by(user)
    assert condition is not None
    return bool(db.session.scalar(select(exists().where(User.id == student_id, condition))))
