"""A student loses the network mid-attempt, keeps answering, is told that saving failed,
comes back online and every answer is saved; a new browser resumes the same attempt."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.e2e.helpers import answer_question, expect, log_in, questions

pytestmark = pytest.mark.e2e

SLUG = "why-ip-matters"
ONLINE_FIRST, OFFLINE_THEN = (1, 2), (3, 4, 5, 6)


@pytest.fixture
def all_on_one_page(db_app):
    """The module quiz with every question on one page, so a student can go on answering
    several questions while the connection is down (set up in the database: not the subject)."""
    from camp.extensions import db
    from camp.lessons.models import Module
    from camp.quizzes.models import Layout, Quiz

    module = db.session.scalar(select(Module).where(Module.slug == SLUG))
    quiz = db.session.scalar(select(Quiz).where(Quiz.module_id == module.id))
    quiz.layout = Layout.ALL_ON_ONE
    db.session.commit()
    return quiz


def save_status(page):
    return page.get_by_role("status").last  # after any flash message


def nav_button(page, number: int, state: str):
    return page.get_by_role("navigation", name="Questions").get_by_role(
        "button", name=f"Question {number}, {state}"
    )


def expect_answer_kept(group) -> None:
    """The answer `answer_question` gave is still shown (in a fresh browser, from the server)."""
    radios, boxes = group.get_by_role("radio"), group.get_by_role("checkbox")
    selects, texts = group.get_by_role("combobox"), group.get_by_role("textbox")
    if radios.count():
        expect(radios.first).to_be_checked()
    elif boxes.count():
        expect(boxes.first).to_be_checked()
    elif selects.count():
        for index in range(selects.count()):
            expect(selects.nth(index)).not_to_have_value("")
    else:
        expect(texts.first).to_have_value("20")


def test_answers_given_offline_are_saved_when_the_connection_returns(
    camp, new_page, audit, db_app, all_on_one_page
):
    from camp.extensions import db
    from camp.quizzes.models import AttemptQuestion

    page = new_page()
    log_in(page, *camp.login("student"), audit)
    audit.check(page)
    page.goto(f"/modules/{SLUG}/quiz")
    audit.check(page)
    page.get_by_role("button", name="Start the quiz").click()
    groups = questions(page)
    expect(groups).to_have_count(10)
    audit.check(page)

    for number in ONLINE_FIRST:
        answer_question(groups.nth(number - 1))
        expect(nav_button(page, number, "answered")).to_be_visible()
    expect(save_status(page)).to_have_text(re.compile(r"^All answers saved at"))

    page.context.set_offline(True)
    for number in OFFLINE_THEN:
        answer_question(groups.nth(number - 1))
        expect(save_status(page)).to_contain_text("Saving failed: you seem to be offline")
        expect(nav_button(page, number, "not answered")).to_be_visible()  # not claimed as saved
    audit.check(page)  # the page as it looks with the error showing
    # Moving on would show the browser's error page: the page keeps the student here.
    page.get_by_role("button", name="Save and review answers").click()
    expect(save_status(page)).to_contain_text("You are offline. Stay on this page")
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))

    page.context.set_offline(False)
    expect(save_status(page)).to_have_text(re.compile(r"^All answers saved at"), timeout=15_000)
    for number in ONLINE_FIRST + OFFLINE_THEN:
        expect(nav_button(page, number, "answered")).to_be_visible()

    attempt_id = int(re.search(r"/attempts/(\d+)", page.url).group(1))
    answered = db.session.scalars(
        select(AttemptQuestion.position).where(
            AttemptQuestion.attempt_id == attempt_id, AttemptQuestion.answered
        )
    ).all()
    assert sorted(answered) == [*ONLINE_FIRST, *OFFLINE_THEN]

    page.get_by_role("button", name="Save and review answers").click()
    expect(page.get_by_role("heading", name="Check your answers before you submit")).to_be_visible()
    expect(page.get_by_role("cell", name="Answer saved")).to_have_count(6)
    expect(page.get_by_role("heading", name="4 questions not answered")).to_be_visible()
    audit.check(page)

    # The laptop closes; another browser, a new login: the same attempt, the same answers.
    page.context.close()
    page = new_page()
    log_in(page, *camp.login("student"), audit)
    page.goto(f"/modules/{SLUG}/quiz")
    page.get_by_role("button", name="Continue attempt 1").click()
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt_id}$"))
    groups = questions(page)
    expect(groups).to_have_count(10)
    for number in ONLINE_FIRST + OFFLINE_THEN:
        expect_answer_kept(groups.nth(number - 1))
        expect(nav_button(page, number, "answered")).to_be_visible()
    expect(nav_button(page, 7, "not answered")).to_be_visible()
    audit.check(page)
    audit.assert_clean()


def test_a_slow_save_never_stores_an_older_answer_over_a_newer_one(
    camp, new_page, audit, db_app, all_on_one_page
):
    """A student changes an answer while the save of the previous one is still on its way.
    If both saves travelled at once, the older could arrive last and be stored over the newer
    (it happened under load): the page sends a question's next save only when the last one
    has come back. The first save is held back here until the student has changed the answer
    again; the answer kept is the newer one."""
    page = new_page()
    log_in(page, *camp.login("student"), audit)
    page.goto(f"/modules/{SLUG}/quiz")
    page.get_by_role("button", name="Start the quiz").click()
    groups = questions(page)
    expect(groups).to_have_count(10)
    index = next(i for i in range(10) if groups.nth(i).get_by_role("radio").count() >= 2)
    group = groups.nth(index)
    older, newer = group.get_by_role("radio").nth(0), group.get_by_role("radio").nth(1)

    held = []

    def hold_the_first_save(route):
        if not held:
            held.append(route)
        else:
            route.continue_()

    page.route("**/autosave", hold_the_first_save)
    with page.expect_request("**/autosave"):
        older.check()
    newer.check()
    # Time for a second save to travel, if the page sent one now (it must not).
    page.wait_for_timeout(500)
    held[0].continue_()
    expect(save_status(page)).to_have_text(re.compile(r"^All answers saved at"))
    page.unroute("**/autosave")

    page.reload()
    group = questions(page).nth(index)
    expect(group.get_by_role("radio").nth(1)).to_be_checked()
    expect(group.get_by_role("radio").nth(0)).not_to_be_checked()
