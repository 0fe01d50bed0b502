"""The question board of a live session in real browsers: a student posts a question, the
organiser approves it on the session page, and the other phones see it appear without a
reload (the board is refreshed at most every five seconds); a vote shows up on the
author's phone the same way. The board and the moderation page are axe-clean."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.e2e.conftest import PHONE
from tests.e2e.helpers import expect, log_in
from tests.e2e.test_live_session import LIVE, Console, demo_students

pytestmark = pytest.mark.e2e

QUESTION = "How do I apply for an internship at WIPO?"


@pytest.fixture
def session_code(db_app):
    """A moderated session for the demo cohort, made through the service (the form has its
    own browser test): its id and code."""
    from camp.accounts.models import Cohort, Role, User
    from camp.db import utcnow
    from camp.extensions import db
    from camp.live import services as live

    organiser = db.session.scalar(select(User).where(User.role == Role.ORGANISER).limit(1))
    cohort = db.session.scalar(select(Cohort).limit(1))
    session = live.create_session(
        organiser,
        "Questions for the speaker",
        [cohort],
        [live.ItemDraft.poll("Coffee or tea?", ["Coffee", "Tea"])],
        live.LiveSettings(),
        utcnow(),
    )
    db.session.commit()
    return session.id, session.code


def test_a_posted_question_is_approved_and_voted_for_without_reloads(
    camp, new_page, audit, session_code
):
    session_id, code = session_code
    expect.set_options(timeout=LIVE)
    console = Console()
    try:
        students = demo_students(camp)
        author, voter = (new_page(viewport=PHONE, is_mobile=True, has_touch=True) for _ in "ab")
        console.watch(author, "author")
        console.watch(voter, "voter")
        for phone, login in ((author, students[0]), (voter, students[1])):
            log_in(phone, *login, audit)
            phone.goto(f"/live/{code}")
            phone.get_by_role("button", name="Join").click()
            expect(phone.locator("#live-stage")).to_contain_text("Waiting for the host")

        author.get_by_role("textbox", name="Your question").fill(QUESTION)
        author.get_by_role("button", name="Post question").click()
        board = author.locator("#live-board")
        expect(board).to_contain_text(QUESTION)
        expect(board).to_contain_text("Waiting for the organisers")
        audit.check(author)
        expect(voter.locator("#live-board")).to_contain_text("No questions yet")

        organiser = new_page()
        log_in(organiser, *camp.login("organiser"), audit)
        organiser.goto(f"/organiser/live/{session_id}")
        expect(organiser.locator("#board")).to_contain_text(QUESTION)
        audit.check(organiser)
        organiser.locator("#board").get_by_role("button", name="Approve").click()
        expect(organiser.locator("#board")).to_contain_text("on the board")

        expect(voter.locator("#live-board")).to_contain_text(QUESTION)  # no reload
        voter.get_by_role("button", name="Vote").click()
        expect(voter.get_by_role("button", name="Voted")).to_have_attribute("aria-pressed", "true")
        expect(voter.locator("#live-board")).to_contain_text("1 vote")
        audit.check(voter)
        expect(board).to_contain_text("1 vote")  # the author's phone, no reload either
        expect(board).not_to_contain_text("Waiting for the organisers")
    finally:
        expect.set_options(timeout=5_000)
    console.assert_clean()
    audit.assert_clean()
