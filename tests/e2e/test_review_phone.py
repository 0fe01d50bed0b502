"""A review session on a phone, with the keyboard, and again without JavaScript: the student's own
quiz question comes up, is answered and checked at once (feedback and the right answer),
the next follows; every page passes the accessibility audit and fits the phone."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import PHONE
from tests.e2e.helpers import assert_fits_a_phone, expect, focused, log_in, tab_to

pytestmark = pytest.mark.e2e


def test_a_review_session_on_a_phone_by_keyboard_and_without_javascript(
    camp, db_app, new_page, audit
):
    from sqlalchemy import select, update

    from camp.accounts.models import User
    from camp.extensions import db
    from camp.quizzes.models import Quiz
    from tests.review.conftest import took

    email, password = camp.login("student")
    student = db.session.scalar(select(User).where(User.email == email))
    quiz = db.session.scalar(select(Quiz).where(Quiz.module_id.is_not(None)).order_by(Quiz.id))
    db.session.execute(update(Quiz).where(Quiz.id == quiz.id).values(review_answers="immediately"))
    db.session.commit()
    took(student, quiz, [0.0] * 10)

    page = new_page(viewport=PHONE)
    log_in(page, email, password, audit)
    page.goto("/review")
    expect(page.get_by_role("button", name="Check my answer")).to_be_visible()
    audit.check(page)
    assert_fits_a_phone(page)

    tab_to(page, re.compile(r"\S"), limit=1)  # into the page
    for _ in range(80):  # on to the question's first choice
        if focused(page)["inQuestion"]:
            break
        page.keyboard.press("Tab")
    assert focused(page)["inQuestion"], "Tab never reached the question"
    page.keyboard.press("Space")
    tab_to(page, "Check my answer")
    page.keyboard.press("Enter")

    verdict = page.get_by_role("status")
    expect(verdict).to_have_text(re.compile(r"Right\.|Not quite\."))
    expect(page.locator(".right-answer")).to_be_visible()
    audit.check(page)
    assert_fits_a_phone(page)
    tab_to(page, "Next question")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Check my answer")).to_be_visible()
    audit.assert_clean()

    # The same without JavaScript at all (axe needs it, so only the flow is checked here).
    plain = new_page(viewport=PHONE, java_script_enabled=False)
    log_in(plain, email, password)
    plain.goto("/review")
    # Whatever the question's type, checking it without an answer is a wrong answer.
    plain.get_by_role("button", name="Check my answer").click()
    expect(plain.get_by_role("status")).to_have_text(re.compile(r"Right\.|Not quite\."))
    plain.get_by_role("link", name="Next question").click()
    expect(plain.get_by_role("button", name="Check my answer")).to_be_visible()
