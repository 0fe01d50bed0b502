"""A new student joins with the cohort's code, reads a lesson, takes the module quiz with
the keyboard alone, checks the unanswered questions, submits, reads the review and finds
the score on the progress page."""

from __future__ import annotations

import re

import pytest

from tests.e2e.helpers import (
    STUDENT_PASSWORD,
    assert_focus_visible,
    assert_real_form_controls,
    expect,
    focused,
    questions,
    tab_to,
)

pytestmark = pytest.mark.e2e

MODULE = "Why IP matters"
SKIPPED = 2  # the question the student leaves unanswered


def answer_by_keyboard(page, skip: bool) -> str:
    """Answer the question on this page with Tab, Space, arrow keys and typing, then move
    on with Enter. Returns the kind of question it was."""
    kind = "skipped"
    for _ in range(40):
        page.keyboard.press("Tab")
        assert_focus_visible(page)
        control = focused(page)
        if control["tag"] == "button" and control["name"].startswith("Save and"):
            page.keyboard.press("Enter")
            return kind
        if control["name"] == "Skip to content":
            page.keyboard.press("Enter")  # straight to the question
            continue
        if skip or not control["inQuestion"]:
            continue
        if control["type"] == "radio":
            page.keyboard.press("Space")
            expect(page.locator(":focus")).to_be_checked()
            page.keyboard.press("ArrowDown")  # change my mind: the next option
            expect(page.locator(":focus")).to_be_checked()
            page.keyboard.press("Enter")  # Enter in a form submits with its first button
            return "radio"
        if control["type"] == "checkbox" and kind != "checkbox":
            page.keyboard.press("Space")
            expect(page.locator(":focus")).to_be_checked()
            kind = "checkbox"
        elif control["type"] == "select-one":
            page.keyboard.press("ArrowDown")
            kind = "select"
        elif control["type"] == "text":
            page.keyboard.type("20")
            page.keyboard.press("Enter")
            return "text"
        elif control["type"] == "textarea":
            page.keyboard.type("An answer typed with the keyboard.")
            kind = "textarea"
    raise AssertionError("never reached the Save button with Tab")


def test_new_student_joins_reads_a_lesson_and_takes_the_quiz_by_keyboard(camp, new_page, audit):
    page = new_page()
    page.goto("/join")
    audit.check(page)
    page.get_by_label("Join code").fill(camp.join_code.lower().replace("-", " "))
    page.get_by_label("Your name").fill("Nadia Keys")
    page.get_by_label("Email").fill("nadia@example.org")
    page.get_by_label("Password").fill(STUDENT_PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text("Welcome, Nadia Keys! You have joined Demo cohort.")).to_be_visible()
    expect(page.get_by_role("heading", name="Lesson modules", level=1)).to_be_visible()
    audit.check(page)

    # Read the lesson and mark it read.
    page.get_by_role("link", name=MODULE, exact=True).click()
    expect(page.get_by_role("heading", name=MODULE, level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="Contents")).to_be_visible()
    audit.check(page)
    page.get_by_role("button", name="Mark as read").click()
    expect(page.get_by_text("You marked this lesson as read.")).to_be_visible()
    audit.check(page)
    page.get_by_role("link", name=re.compile(r"^Take the quiz")).click()
    expect(page.get_by_role("heading", name="Rules")).to_be_visible()
    audit.check(page)

    # From here on, the keyboard only.
    tab_to(page, "Start the quiz")
    page.keyboard.press("Enter")
    position = page.get_by_text(re.compile(r"Question 1 of \d+"))
    expect(position).to_be_visible()
    count = int(re.search(r"of (\d+)", position.inner_text()).group(1))
    kinds = []
    for number in range(1, count + 1):
        expect(page.get_by_text(f"Question {number} of {count}")).to_be_visible()
        group = questions(page)
        expect(group).to_have_count(1)
        # Options are real radio buttons or checkboxes in a fieldset named by its legend.
        expect(group).to_have_accessible_name(re.compile(rf"^Question {number}\b"))
        assert_real_form_controls(group)
        audit.check(page)
        kinds.append(answer_by_keyboard(page, skip=number == SKIPPED))

    # The summary names the unanswered question.
    expect(page.get_by_role("heading", name="Check your answers before you submit")).to_be_visible()
    unanswered = page.get_by_role("region", name="1 question not answered")
    expect(unanswered).to_be_visible()
    expect(unanswered.get_by_role("link")).to_have_text([f"Question {SKIPPED}"])
    expect(page.get_by_role("cell", name="Answer saved")).to_have_count(count - 1)
    audit.check(page)
    tab_to(page, "Submit all and finish")
    page.keyboard.press("Enter")

    # The review: the score, and the question left out marked as such.
    expect(page.get_by_role("heading", name="Review of attempt 1")).to_be_visible()
    score = page.get_by_role("definition").filter(has_text=re.compile(r"\d+%"))
    expect(score).to_be_visible()
    review_score = int(re.search(r"(\d+)%", score.inner_text()).group(1))
    expect(page.get_by_text("— Not answered")).to_have_count(1)
    audit.check(page)

    # The progress page shows the lesson read and the same score.
    page.get_by_role("link", name="My progress").click()
    expect(page.get_by_role("heading", name="My progress", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=MODULE))
    lesson, best = row.get_by_role("cell").nth(0), row.get_by_role("cell").nth(1)
    expect(lesson).to_have_text("✓ Read")
    progress_score = int(re.search(r"(\d+)%", best.inner_text()).group(1))
    # The review rounds half up, the progress page half to even: 12.5% shows as 13% and 12%.
    assert abs(progress_score - review_score) <= 1, (review_score, best.inner_text())
    audit.check(page)
    audit.assert_clean()
    print("question kinds answered by keyboard:", kinds)
