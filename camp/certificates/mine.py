"""A student's own certificates, as /progress shows them: per cohort of theirs, the
certificate they have (valid or revoked), or that they may now get one."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from camp.accounts.models import Cohort, MemberRole, Membership
from camp.certificates.models import Certificate
from camp.certificates.rules import who_meets
from camp.extensions import db


@dataclass(frozen=True)
class MyCertificate:
    cohort_id: int
    cohort_name: str
    certificate: Certificate | None  # None: they meet the rule and may get one


def my_certificates(user_id: int) -> list[MyCertificate]:
    """The student's certificates and the ones they may claim, by cohort name."""
    cohorts = db.session.scalars(
        select(Cohort)
        .join(Membership, Membership.cohort_id == Cohort.id)
        .where(Membership.user_id == user_id, Membership.role == MemberRole.STUDENT)
        .order_by(Cohort.name)
    ).all()
    if not cohorts:
        return []
    held = {
        c.cohort_id: c
        for c in db.session.scalars(select(Certificate).where(Certificate.user_id == user_id))
    }
    mine = []
    for cohort in cohorts:
        certificate = held.get(cohort.id)
        if certificate is not None or who_meets(cohort, user_ids=[user_id]):
            mine.append(MyCertificate(cohort.id, cohort.name, certificate))
    return mine
