"""Issuing certificates by the rule, by hand with a reason, revoking with a reason: who may,
what a certificate keeps, what is audited, and what the public check says of each."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from camp.accounts.models import Role
from camp.audit.models import AuditEvent
from camp.certificates.ids import certificate_id_for, new_certificate_id
from camp.certificates.issuing import (
    CertificateRefused,
    certificate_of,
    claim,
    issue_by_hand,
    issue_earned,
    revoke,
)
from camp.certificates.rules import Rule, set_rule
from camp.certificates.verification import verify
from camp.extensions import db
from tests.certificates.conftest import scored


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_the_rule_issues_to_those_who_meet_it_and_keeps_what_the_certificate_says(course):
    organiser, cohort, ann, ben, quiz1, quiz2, _q = course
    set_rule(
        cohort,
        organiser,
        Rule(
            None, camp_title="IP Camp", starts_on=dt.date(2026, 7, 6), ends_on=dt.date(2026, 7, 10)
        ),
    )
    scored(ann, quiz1, 0.9)
    scored(ann, quiz2, 0.8)
    scored(ben, quiz1, 0.9)
    made = issue_earned(cohort, organiser)
    db.session.commit()
    assert [c.user_id for c in made] == [ann.id]
    certificate = made[0]
    assert certificate.name == "Ann" and certificate.cohort_name == "Cohort A"
    assert certificate.camp_title == "IP Camp"
    assert (certificate.starts_on, certificate.ends_on) == (
        dt.date(2026, 7, 6),
        dt.date(2026, 7, 10),
    )
    assert [m["en"] for m in certificate.modules] == ["Value of IP", "WIPO"]
    assert len(certificate.public_id) == 32  # the random part only; the signature is derived
    # Renaming the cohort or the student later changes nothing on the certificate.
    cohort.name, ann.display_name = "Renamed", "Someone else"
    db.session.commit()
    db.session.refresh(certificate)
    assert (certificate.name, certificate.cohort_name) == ("Ann", "Cohort A")
    # Issuing again issues nothing new.
    assert issue_earned(cohort, organiser) == []
    assert _actions().count("certificates.issue") == 1


def test_a_student_claims_their_own_only_when_they_meet_the_rule(course):
    _organiser, cohort, ann, ben, quiz1, quiz2, _q = course
    scored(ann, quiz1, 0.9)
    scored(ann, quiz2, 0.9)
    assert claim(cohort, ben) is None
    mine = claim(cohort, ann)
    db.session.commit()
    assert mine is not None and mine.user_id == ann.id
    assert claim(cohort, ann).id == mine.id  # the same one, not a second


def test_issue_by_hand_needs_a_reason_lists_what_was_passed_and_is_audited(course):
    organiser, cohort, _ann, ben, quiz1, _quiz2, _q = course
    scored(ben, quiz1, 0.9)  # one module of two: does not meet the rule
    with pytest.raises(CertificateRefused, match="reason"):
        issue_by_hand(cohort, ben.id, organiser, "   ")
    certificate = issue_by_hand(cohort, ben.id, organiser, "Ill on the last day; passed orally")
    db.session.commit()
    assert [m["en"] for m in certificate.modules] == ["Value of IP"]
    assert certificate.issued_by == organiser.id
    assert certificate.issue_reason == "Ill on the last day; passed orally"
    with pytest.raises(CertificateRefused, match="already has"):
        issue_by_hand(cohort, ben.id, organiser, "again")
    assert _actions() == ["certificates.issue_by_hand"]


def test_revoke_needs_a_reason_and_the_public_check_says_revoked_without_it(app, course):
    organiser, cohort, ann, _ben, _quiz1, _quiz2, _q = course
    certificate = issue_by_hand(cohort, ann.id, organiser, "Demo")
    db.session.commit()
    secret = app.config["SECRET_KEY"]
    identifier = certificate_id_for(certificate.public_id, secret)
    assert verify(identifier, secret).status == "valid"
    with pytest.raises(CertificateRefused, match="reason"):
        revoke(cohort, ann.id, organiser, "")
    revoke(cohort, ann.id, organiser, "Plagiarised the essay")
    db.session.commit()
    found = verify(identifier, secret)
    assert found.status == "revoked" and found.certificate.revoke_reason == "Plagiarised the essay"
    with pytest.raises(CertificateRefused, match="no valid certificate"):
        revoke(cohort, ann.id, organiser, "twice")
    # A revoked certificate is not issued again by the rule, nor claimed by the student...
    assert claim(cohort, ann) is None
    # ...but an organiser may reinstate it by hand, with a reason: the same number, valid.
    issue_by_hand(cohort, ann.id, organiser, "The appeal was upheld")
    db.session.commit()
    assert verify(identifier, secret).status == "valid"
    assert _actions() == [
        "certificates.issue_by_hand",
        "certificates.revoke",
        "certificates.issue_by_hand",
    ]


def test_forged_and_unknown_numbers_are_not_found(app, course):
    secret = app.config["SECRET_KEY"]
    assert verify(new_certificate_id(secret), secret).status == "not_found"  # signed, no row
    assert verify(new_certificate_id("another camp's secret"), secret).status == "not_found"
    assert verify("not-a-number", secret).status == "not_found"


def test_only_the_cohorts_organisers_issue_or_revoke(course, make):
    organiser, cohort, ann, _ben, _quiz1, _quiz2, _q = course
    other = make.user(Role.ORGANISER)
    for attempt in (
        lambda: issue_earned(cohort, other),
        lambda: issue_by_hand(cohort, ann.id, other, "because"),
        lambda: issue_by_hand(cohort, ann.id, ann, "because"),
    ):
        with pytest.raises(CertificateRefused):
            attempt()
    issue_by_hand(cohort, ann.id, organiser, "Demo")
    db.session.commit()
    with pytest.raises(CertificateRefused):
        revoke(cohort, ann.id, other, "because")
    assert certificate_of(cohort.id, ann.id).valid


def test_a_student_of_another_cohort_cannot_be_given_one(course, make):
    organiser, cohort, *_rest = course
    outsider = make.user()
    make.member(make.cohort("Cohort B", organiser=make.user(Role.ORGANISER)), outsider)
    with pytest.raises(CertificateRefused, match="not a student of this cohort"):
        issue_by_hand(cohort, outsider.id, organiser, "because")
