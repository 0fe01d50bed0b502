"""At 390 x 844 CSS px (a phone), the lesson, quiz and progress pages do not scroll sideways
and every control is at least 44 x 44 px (inline links inside running text are exempt)."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import PHONE
from tests.e2e.helpers import answer_question, assert_fits_a_phone, expect, log_in, questions

pytestmark = pytest.mark.e2e


def test_a_student_on_a_phone_reads_takes_the_quiz_and_sees_progress(camp, new_page, audit):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(page, *camp.login("student"), audit)
    assert_fits_a_phone(page)

    page.get_by_role("link", name="Why IP matters", exact=True).click()
    expect(page.get_by_role("heading", name="Why IP matters", level=1)).to_be_visible()
    page.get_by_text("Sources", exact=True).click()  # open the list of sources too
    expect(page.get_by_role("link", name=re.compile(r"^https?:")).first).to_be_visible()
    audit.check(page)
    assert_fits_a_phone(page)
    page.get_by_role("link", name=re.compile(r"^Take the quiz")).click()
    expect(page.get_by_role("heading", name="Rules")).to_be_visible()
    audit.check(page)
    assert_fits_a_phone(page)

    page.get_by_role("button", name="Start the quiz").click()
    position = page.get_by_text(re.compile(r"Question 1 of \d+"))
    expect(position).to_be_visible()
    count = int(re.search(r"of (\d+)", position.inner_text()).group(1))
    for number in range(1, count + 1):
        expect(page.get_by_text(f"Question {number} of {count}")).to_be_visible()
        audit.check(page)
        assert_fits_a_phone(page)  # each kind of question the draw brings
        answer_question(questions(page).first)
        page.get_by_role("button", name=re.compile(r"^Save and (next|review answers)$")).click()
    expect(page.get_by_role("heading", name="Check your answers before you submit")).to_be_visible()
    audit.check(page)
    assert_fits_a_phone(page)
    page.get_by_role("button", name="Submit all and finish").click()
    expect(page.get_by_role("heading", name="Review of attempt 1")).to_be_visible()
    audit.check(page)
    assert_fits_a_phone(page)

    page.get_by_role("link", name="My progress").click()
    expect(page.get_by_role("heading", name="Scores over time")).to_be_visible()
    expect(page.get_by_role("figure")).to_be_visible()  # the chart, now that there is a score
    audit.check(page)
    assert_fits_a_phone(page)
    # The module and objective tables are cards on a phone: nothing scrolls sideways inside
    # them, each cell names its column, and they are still tables to a screen reader.
    modules = page.get_by_role("table", name="Lessons and quizzes, module by module")
    expect(modules).to_be_visible()
    expect(page.get_by_role("table", name="Mastery per learning objective")).to_be_visible()
    wide = page.evaluate(
        "[...document.querySelectorAll('.table-wrap')]"
        ".filter(w => w.scrollWidth > w.clientWidth + 1).length"
    )
    assert wide == 0
    label = modules.get_by_role("cell").first.evaluate(
        "cell => getComputedStyle(cell, '::before').content"
    )
    assert label == '"Lesson"'

    audit.assert_clean()
