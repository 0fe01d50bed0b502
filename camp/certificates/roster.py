"""A cohort's students as the certificates page lists them: each one's certificate, valid
or revoked, and whether they meet the rule. A fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from camp.accounts.models import Cohort, User
from camp.certificates.issuing import certificates_of
from camp.certificates.models import Certificate
from camp.certificates.rules import Rule, who_meets
from camp.extensions import db
from camp.reports.queries import students_of


@dataclass(frozen=True)
class RosterRow:
    user_id: int
    name: str
    certificate: Certificate | None
    meets_rule: bool

    @property
    def may_claim(self) -> bool:
        """Meets the rule and has no certificate: the rule issues them one."""
        return self.meets_rule and self.certificate is None


@dataclass(frozen=True)
class Roster:
    rows: tuple[RosterRow, ...]

    @property
    def valid(self) -> int:
        return sum(1 for r in self.rows if r.certificate is not None and r.certificate.valid)

    @property
    def waiting(self) -> int:
        """Students who meet the rule and have no certificate yet."""
        return sum(1 for r in self.rows if r.may_claim)


def roster(cohort: Cohort, rule: Rule) -> Roster:
    students = db.session.execute(
        select(User.id, User.display_name)
        .where(User.id.in_(students_of(cohort.id)))
        .order_by(User.display_name, User.id)
    )
    certificates = certificates_of(cohort)
    meeting = {earned.user_id for earned in who_meets(cohort, rule)}
    return Roster(
        tuple(
            RosterRow(user_id, name, certificates.get(user_id), user_id in meeting)
            for user_id, name in students
        )
    )
