"""A student answers an embedded-answers (cloze) question with the keyboard alone: Tab from
gap to gap (each named "Gap n"), type, pick from a drop-down with the arrow keys, choose radio
buttons; the page passes the accessibility audit, fits a phone, and the score weighs the gaps
by their marks."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import PHONE
from tests.e2e.helpers import (
    assert_fits_a_phone,
    assert_focus_visible,
    expect,
    focused,
    log_in,
    save_and_submit,
    start_quiz,
    tab_to,
)

pytestmark = pytest.mark.e2e


def test_a_cloze_question_is_answered_by_keyboard(camp, db_app, new_page, audit):
    from camp.accounts.models import User
    from camp.bank.services import QuestionDraft
    from camp.extensions import db
    from camp.quizzes.models import Attempt
    from tests.bank.test_cloze import SPEC, STORED
    from tests.factories import Factories as make

    question = make.question(QuestionDraft(type="cloze", text=STORED, spec=SPEC), uid="e2e-cz")
    quiz = make.quiz([question], title="Capitals and colours")
    email, password = camp.login("student")

    page = new_page(viewport=PHONE)
    log_in(page, email, password, audit)
    group = start_quiz(page, quiz.id, audit)
    expect(group.get_by_role("textbox", name="Gap 1")).to_be_visible()
    audit.check(page)
    assert_fits_a_phone(page)

    tab_to(page, "Gap 1")
    page.keyboard.type("Prussia")  # half marks, gap 1 (1 mark)
    tab_to(page, "Gap 2", limit=1)
    page.keyboard.type("3,14")  # right, gap 2 (2 marks)
    tab_to(page, "Gap 3", limit=1)  # Choose…, Lyon, Paris, Nice
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(group.get_by_role("combobox", name="Gap 3")).to_have_text(re.compile("Paris"))
    tab_to(page, "Gap 4", limit=1)
    page.keyboard.type("DNA")  # right, case and all
    page.keyboard.press("Tab")  # into gap 5's radio buttons: Red, Blue
    assert focused(page)["name"] == "Red"
    page.keyboard.press("Space")
    expect(
        group.get_by_role("radiogroup", name="Gap 5").get_by_role("radio", name="Red")
    ).to_be_checked()
    page.keyboard.press("Tab")  # gap 6: Left, Right
    assert_focus_visible(page)
    page.keyboard.press("ArrowRight")  # moves to Right and chooses it
    expect(
        group.get_by_role("radiogroup", name="Gap 6").get_by_role("radio", name="Right")
    ).to_be_checked()
    save_and_submit(page, audit)
    audit.check(page)
    assert_fits_a_phone(page)

    db.session.rollback()  # leave the snapshot read when the quiz was made
    student = db.session.scalar(db.select(User).where(User.email == email))
    attempt = db.session.scalar(db.select(Attempt).where(Attempt.user_id == student.id))
    # Gap 1 half (1 mark); gaps 2 (2 marks) and 3 to 6 (1 mark each) right.
    assert attempt.questions[0].fraction == pytest.approx(6.5 / 7)
    audit.assert_clean()
