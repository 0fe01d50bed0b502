"""The time runs out while a student is on a question: the page submits the attempt with
the answers given, and the time left is announced politely, only at milestones."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from tests.e2e.helpers import answer_question, expect, log_in, questions

pytestmark = pytest.mark.e2e

QUIZ = "Why IP matters: check your understanding"

# From the first byte of every page: report each change of the timer's live region and of
# the visible clock to the test, with the region's aria-live value.
OBSERVE = """
new MutationObserver(mutations => {
  for (const m of mutations) {
    const node = m.target.nodeType === 1 ? m.target : m.target.parentElement;
    const region = node && node.closest('.timer [aria-live], [role="timer"]');
    if (!region) continue;
    const kind = region.getAttribute('role') === 'timer' ? 'clock' : 'announce';
    window.e2eRecord(kind, region.getAttribute('aria-live'), region.textContent.trim());
  }
}).observe(document, {subtree: true, childList: true, characterData: true});
"""
MILESTONE = re.compile(r"^(1 minute left\.|\d+ minutes left\.|\d+ seconds left\.|Time is up\. .+)$")


def test_the_attempt_is_submitted_with_the_answers_given_when_time_runs_out(
    camp, new_page, audit, db_app
):
    from camp.extensions import db
    from camp.quizzes.models import Attempt, AttemptQuestion

    # The organiser gives the quiz a one-minute time limit.
    organiser = new_page()
    log_in(organiser, *camp.login("organiser"), audit)
    organiser.goto("/organiser/quizzes")
    audit.check(organiser)
    organiser.get_by_role("link", name=QUIZ).click()
    expect(organiser.get_by_role("heading", name=QUIZ, level=1)).to_be_visible()
    audit.check(organiser)
    organiser.get_by_label("Time limit in minutes").fill("1")
    organiser.get_by_role("button", name="Save settings").click()
    expect(organiser.get_by_text("Settings saved.")).to_be_visible()

    student = new_page()
    records: list[tuple[float, str, str, str]] = []
    student.expose_function(
        "e2eRecord", lambda *record: records.append((time.monotonic(), *record))
    )
    student.add_init_script(OBSERVE)
    log_in(student, *camp.login("student"), audit)
    student.goto("/modules/why-ip-matters/quiz")
    expect(student.get_by_text("Time limit: 1 minute")).to_be_visible()
    audit.check(student)
    student.get_by_role("button", name="Start the quiz").click()
    expect(student.get_by_text("Time left:")).to_be_visible()
    audit.check(student)
    answer_question(questions(student).first)
    student.get_by_role("button", name="Save and next").click()
    position = student.get_by_text(re.compile(r"Question 2 of \d+"))
    expect(position).to_be_visible()
    count = int(re.search(r"of (\d+)", position.inner_text()).group(1))
    audit.check(student)
    answer_question(questions(student).first)  # on question 2 when the time runs out
    attempt_id = int(re.search(r"/attempts/(\d+)", student.url).group(1))

    expect(student.get_by_role("heading", name="Review of attempt 1")).to_be_visible(timeout=90_000)
    audit.check(student)
    expect(student.get_by_text("— Not answered")).to_have_count(count - 2)

    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.state == "submitted" and attempt.score is not None
    answered = db.session.scalars(
        select(AttemptQuestion.position).where(
            AttemptQuestion.attempt_id == attempt_id, AttemptQuestion.answered
        )
    ).all()
    assert sorted(answered) == [1, 2]

    # The clock changed every second; the polite announcements came only at milestones.
    clock = [r for r in records if r[1] == "clock"]
    announced = [(at, text) for at, kind, live, text in records if kind == "announce" and text]
    texts = [text for _, text in announced]
    assert len(clock) >= 45, records
    assert {live for _, kind, live, _ in records if kind == "announce"} == {"polite"}
    assert 2 <= len(announced) <= 5, texts
    assert all(MILESTONE.match(text) for text in texts), texts
    assert texts[0] == "1 minute left." and texts[-1].startswith("Time is up."), texts
    thirty = next(at for at, text in announced if text == "30 seconds left.")
    assert 27 <= announced[-1][0] - thirty <= 33, texts
    audit.assert_clean()
