"""Who may do what: predicates over users and cohorts, and the view decorators built on them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import select

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


def can_follow_student(user: User, student: User) -> bool:
    """Admins, and organisers who run a cohort the student is in, may see their work."""
    if is_admin(user):
        return True
    if not is_organiser(user):
        return False
    organiser_cohorts = select(Membership.cohort_id).where(
        Membership.user_id == user.id, Membership.role == MemberRole.ORGANISER
    )
    return (
        db.session.scalar(
            select(Membership.id).where(
                Membership.user_id == student.id, Membership.cohort_id.in_(organiser_cohorts)
            )
        )
        is not None
    )
