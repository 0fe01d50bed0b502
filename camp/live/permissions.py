"""Who may run a live session and who may join it.

Organisers are tenants: an organiser of one cohort must never control, or see the results
of, a session for another organiser's cohorts. So hosting is for admins, the session's
host, and the organisers of one of the session's cohorts; nobody else.
"""

from __future__ import annotations

from sqlalchemy import exists, select

from camp.accounts.identity import CampUser
from camp.accounts.models import MemberRole, Membership
from camp.accounts.permissions import is_admin, is_organiser
from camp.extensions import db
from camp.live.models import LiveSession, LiveSessionCohort


def can_host(user: CampUser, session: LiveSession) -> bool:
    """May `user` control `session` (start, next, reveal...) and see its results?"""
    if is_admin(user):
        return True
    if not is_organiser(user):
        return False
    if user.id == session.host_id:
        return True
    return _member_of_session_cohort(user, session, MemberRole.ORGANISER)


def may_join(user: CampUser, session: LiveSession) -> bool:
    """May the logged-in `user` join `session` as themselves? Members of one of its cohorts
    may, and so may whoever can host it (to try it out from a phone)."""
    if not user.is_authenticated:
        return False
    return _member_of_session_cohort(user, session, None) or can_host(user, session)


def _member_of_session_cohort(user: CampUser, session: LiveSession, role: str | None) -> bool:
    condition = (Membership.user_id == user.id) & Membership.cohort_id.in_(
        select(LiveSessionCohort.cohort_id).where(LiveSessionCohort.session_id == session.id)
    )
    if role is not None:
        condition &= Membership.role == role
    return bool(db.session.scalar(select(exists().where(condition))))
