"""A student puts the items of an ordering question in order with the keyboard alone: Tab to
each item's place select, type the place, save, submit, and the review shows full marks."""

from __future__ import annotations

import re

import pytest

from tests.e2e.helpers import (
    assert_focus_visible,
    expect,
    focused,
    log_in,
    save_and_submit,
    start_quiz,
)

pytestmark = pytest.mark.e2e

STEPS = ["Invent", "File an application", "Examination", "Grant"]


@pytest.fixture
def ordering_quiz(db_app):
    """A quiz of one ordering question (set up in the database: not the subject)."""
    from camp.bank.services import QuestionDraft
    from tests.factories import Factories

    draft = QuestionDraft(
        type="ordering",
        text="Put the steps of a patent in order.",
        spec={"items": STEPS, "grading": "all_or_nothing"},
    )
    question = Factories.question(draft, uid="patent-steps")
    return Factories.quiz([question], title="Patent steps", shuffle_options=True)


def test_a_student_orders_the_items_by_keyboard_and_gets_full_marks(
    camp, new_page, audit, ordering_quiz
):
    page = new_page()
    log_in(page, *camp.login("student"), audit)
    group = start_quiz(page, ordering_quiz.id, audit)  # from here on, the keyboard only
    places = group.get_by_role("combobox")
    expect(places).to_have_count(len(STEPS))
    shown = [places.nth(i).evaluate("el => el.labels[0].textContent.trim()") for i in range(4)]
    assert sorted(shown) == sorted(STEPS) and shown != STEPS  # shuffled: never the key
    expect(places.first).to_have_accessible_description("Give each item its place, 1 for first.")
    audit.check(page)

    done = 0
    for _ in range(40):
        page.keyboard.press("Tab")
        assert_focus_visible(page)
        control = focused(page)
        if control["type"] != "select-one" or not control["inQuestion"]:
            continue
        place = STEPS.index(control["name"]) + 1
        page.keyboard.press("ArrowDown")  # the first place, then type the right one
        page.keyboard.type(str(place))
        expect(page.locator(":focus")).to_have_value(re.compile(rf":{place}$"))
        done += 1
        if done == len(STEPS):
            break
    assert done == len(STEPS)

    save_and_submit(page, audit)
    expect(page.get_by_text("✓ Correct")).to_be_visible()
    score = page.get_by_role("definition").filter(has_text=re.compile(r"\d+%"))
    expect(score).to_contain_text("100%")
    audit.check(page)
    audit.assert_clean()
