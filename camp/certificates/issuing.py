"""Issuing and revoking certificates.

- By the rule: a student who meets the cohort's rule (camp.certificates.rules) gets a
  certificate when they ask for it on /progress, or when an organiser issues them to every
  student who meets it. A certificate that was revoked is not issued again by the rule.
- By hand: an organiser issues one to a student of the cohort who does not meet the rule,
  or reinstates a revoked one, always with a reason; it lists the modules the student did
  pass. Audited.
- Revoking: an organiser revokes a valid certificate with a reason; the row stays, so the
  public page says "revoked". Audited.

Only the cohort's organisers (and admins) issue by hand or revoke; a second organiser is
refused like anyone else. Each certificate keeps what it says: the student's name, the
cohort's name, the camp's title and dates, the modules passed in each language. Nothing
here commits: the caller's transaction does.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from camp.accounts.identity import CampUser
from camp.accounts.models import Cohort, MemberRole, Membership, User
from camp.accounts.permissions import can_manage_cohort
from camp.audit import services as audit
from camp.certificates.ids import RANDOM_BYTES
from camp.certificates.models import REASON_MAX, Certificate
from camp.certificates.rules import Earned, Rule, rule_of, who_meets
from camp.db import utcnow
from camp.extensions import db
from camp.locales import LOCALES
from camp.reports.queries import course_modules

# A rule nobody can fail: what a student passed, for a certificate issued by hand.
_NOTHING_REQUIRED = Rule(quiz_ids=())


class CertificateRefused(Exception):
    """The certificate cannot be issued or revoked; str() says why."""


def certificate_of(cohort_id: int, user_id: int) -> Certificate | None:
    return db.session.scalar(
        select(Certificate).where(
            Certificate.cohort_id == cohort_id, Certificate.user_id == user_id
        )
    )


def certificates_of(cohort: Cohort) -> dict[int, Certificate]:
    """The cohort's certificates, valid and revoked, by student id (one query)."""
    rows = db.session.scalars(select(Certificate).where(Certificate.cohort_id == cohort.id))
    return {c.user_id: c for c in rows}


def issue_earned(cohort: Cohort, actor: CampUser) -> list[Certificate]:
    """A certificate for every student who meets the rule and has none yet."""
    _may_manage(actor, cohort)
    have = set(certificates_of(cohort))
    rule = rule_of(cohort)
    earned = [e for e in who_meets(cohort, rule) if e.user_id not in have]
    made = _issue(cohort, rule, earned)
    if made:
        audit.record(
            actor,
            "certificates.issue",
            f"issued {len(made)} certificates to students of {cohort.name} who meet its rule",
            cohort_id=cohort.id,
            user_ids=[c.user_id for c in made],
        )
    return made


def claim(cohort: Cohort, student: CampUser) -> Certificate | None:
    """The student's own certificate of the cohort: the one they have, else a new one when
    they meet the rule; None when they have none and do not meet it, or theirs was
    revoked."""
    existing = certificate_of(cohort.id, student.id)
    if existing is not None:
        return existing if existing.valid else None
    rule = rule_of(cohort)
    earned = who_meets(cohort, rule, user_ids=[student.id])
    made = _issue(cohort, rule, earned)
    return made[0] if made else certificate_of(cohort.id, student.id)


def issue_by_hand(cohort: Cohort, student_id: int, actor: CampUser, reason: str) -> Certificate:
    """Issue (or reinstate) a student's certificate whatever the rule says, with a reason."""
    _may_manage(actor, cohort)
    reason = _reason(reason)
    student = _student_of(cohort, student_id)
    certificate = certificate_of(cohort.id, student.id)
    if certificate is not None and certificate.valid:
        raise CertificateRefused(
            _l("%(name)s already has a certificate.", name=student.display_name)
        )
    if certificate is None:
        passed = who_meets(cohort, _NOTHING_REQUIRED, user_ids=[student.id])
        earned = passed[0] if passed else Earned(student.id, ())
        certificate = _issue(cohort, rule_of(cohort), [earned])[0]
        what = "issued"
    else:
        certificate.revoked_at = certificate.revoked_by = certificate.revoke_reason = None
        certificate.issued_at = utcnow()
        what = "reinstated"
    certificate.issued_by, certificate.issue_reason = actor.id, reason
    db.session.flush()
    audit.record(
        actor,
        "certificates.issue_by_hand",
        f"{what} the certificate of {student.display_name} in {cohort.name}",
        cohort_id=cohort.id,
        user_id=student.id,
        reason=reason,
    )
    return certificate


def revoke(cohort: Cohort, student_id: int, actor: CampUser, reason: str) -> Certificate:
    """Revoke a student's valid certificate, with a reason; the public page says so."""
    _may_manage(actor, cohort)
    reason = _reason(reason)
    student = _student_of(cohort, student_id)
    certificate = certificate_of(cohort.id, student.id)
    if certificate is None or not certificate.valid:
        raise CertificateRefused(
            _l("%(name)s has no valid certificate to revoke.", name=student.display_name)
        )
    certificate.revoked_at, certificate.revoked_by = utcnow(), actor.id
    certificate.revoke_reason = reason
    db.session.flush()
    audit.record(
        actor,
        "certificates.revoke",
        f"revoked the certificate of {student.display_name} in {cohort.name}",
        cohort_id=cohort.id,
        user_id=student.id,
        reason=reason,
    )
    return certificate


def _issue(cohort: Cohort, rule: Rule, earned: Sequence[Earned]) -> list[Certificate]:
    """Insert one certificate per student earned; a student who got one meanwhile (two
    requests at once) keeps theirs and is left out."""
    if not earned:
        return []
    names = {
        user_id: name
        for user_id, name in db.session.execute(
            select(User.id, User.display_name).where(User.id.in_([e.user_id for e in earned]))
        )
    }
    titles = _module_titles()
    made = []
    for student in earned:
        certificate = Certificate(
            public_id=secrets.token_hex(RANDOM_BYTES),
            cohort_id=cohort.id,
            user_id=student.user_id,
            name=names[student.user_id],
            modules=[titles[module_id] for module_id in student.module_ids],
            cohort_name=cohort.name,
            camp_title=rule.camp_title,
            starts_on=rule.starts_on,
            ends_on=rule.ends_on,
            issued_at=utcnow(),
        )
        try:
            with db.session.begin_nested():
                db.session.add(certificate)
        except IntegrityError:
            if certificate_of(cohort.id, student.user_id) is None:
                raise
            continue
        made.append(certificate)
    return made


def _module_titles() -> dict[int, dict[str, str]]:
    """Each module's title in each language (one query per language)."""
    titles: dict[int, dict[str, str]] = {}
    for locale in LOCALES:
        for module in course_modules(locale):
            titles.setdefault(module.id, {})[locale] = module.title
    return titles


def _may_manage(actor: CampUser, cohort: Cohort) -> None:
    if not can_manage_cohort(actor, cohort):
        raise CertificateRefused(
            _l("Only the cohort's organisers can issue or revoke its certificates.")
        )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CertificateRefused(_l("Give a reason: it is kept in the audit log."))
    if len(reason) > REASON_MAX:
        raise CertificateRefused(_l("Keep the reason under %(max)d characters.", max=REASON_MAX))
    return reason


def _student_of(cohort: Cohort, student_id: int) -> User:
    student = db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            User.id == student_id,
            Membership.cohort_id == cohort.id,
            Membership.role == MemberRole.STUDENT,
        )
    )
    if student is None:
        raise CertificateRefused(_l("That person is not a student of this cohort."))
    return student
