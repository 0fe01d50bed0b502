"""The organiser reads the demo cohort's learning gain on a phone and on a laptop: the page
passes the accessibility audit and fits the phone's screen (its tables become cards)."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import LAPTOP, PHONE
from tests.e2e.helpers import assert_fits_a_phone, expect, log_in

pytestmark = pytest.mark.e2e


def test_the_gain_page_is_accessible_on_a_phone_and_a_laptop(camp, db_app, new_page, audit):
    from camp.accounts.models import Cohort, MemberRole, Membership, User
    from camp.demo import DEMO_COHORT
    from camp.extensions import db
    from camp.gain.pairs import pair_quizzes
    from tests.factories import Factories as make
    from tests.gain.worked import quiz_on, take

    cohort = db.session.scalar(db.select(Cohort).where(Cohort.name == DEMO_COHORT))
    organiser_email, organiser_password = camp.login("organiser")
    organiser = db.session.scalar(db.select(User).where(User.email == organiser_email))
    module = make.module()
    module.objectives = [
        {"tag": "law", "text": "Copyright law"},
        {"tag": "cases", "text": "Case analysis"},
    ]
    db.session.commit()
    pre, post = quiz_on(make, "Day 1 test"), quiz_on(make, "Day 5 test")
    pair_quizzes(cohort, pre, post, organiser)
    db.session.commit()
    students = db.session.scalars(
        db.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == cohort.id, Membership.role == MemberRole.STUDENT)
        .order_by(User.id)
    ).all()
    marks = [([1, 0, 0, 0], [1, 1, 1, 0]), ([1, 1, 1, 1], [1, 1, 0, 1]), ([0, 1, 0, 0], None)]
    for student, (pre_marks, post_marks) in zip(students, marks, strict=False):
        take(pre, student, pre_marks)
        if post_marks is not None:
            take(post, student, post_marks)

    for viewport in (PHONE, LAPTOP):
        page = new_page(viewport=viewport, is_mobile=viewport is PHONE, has_touch=True)
        log_in(page, organiser_email, organiser_password, audit)
        page.goto(f"/organiser/cohorts/{cohort.id}/gain")
        expect(page.get_by_role("heading", name="Learning gain", exact=True)).to_be_visible()
        chart = page.get_by_role("img", name=re.compile("^Pre-test and post-test scores by"))
        expect(chart).to_be_visible()
        expect(
            page.get_by_role(
                "table", name="Learning gain for the whole test and by learning objective"
            )
        ).to_be_visible()
        expect(page.get_by_text("no post-test")).to_be_visible()
        audit.check(page)
        if viewport is PHONE:
            assert_fits_a_phone(page)
    audit.assert_clean()
