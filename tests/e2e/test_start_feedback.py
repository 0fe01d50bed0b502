"""Pressing Start while the server is busy: the button says at once that the attempt is
starting, a status line says why it may take a moment, a second press sends nothing, and
the attempt opens when the server answers."""

from __future__ import annotations

import re

import pytest

from tests.e2e.helpers import expect, log_in

pytestmark = pytest.mark.e2e

READ_FORM = """() => {
  const form = document.querySelector("form[data-start]");
  const button = form.querySelector("button");
  return {
    button: button.textContent.trim(),
    disabled: button.getAttribute("aria-disabled"),
    busy: form.getAttribute("aria-busy"),
    status: form.querySelector("[role=status]").textContent,
  };
}"""


def test_start_answers_at_once_and_sends_one_request(camp, new_page, audit):
    student = new_page()
    log_in(student, *camp.login("student"), audit)
    student.goto("/modules/why-ip-matters/quiz")
    audit.check(student)

    # The server is busy with the rest of the room: hold the Start request back.
    held = []
    student.route("**/quizzes/*/start", lambda route: held.append(route))
    start = student.get_by_role("button", name="Start the quiz")
    start.click(no_wait_after=True)  # the navigation is held back below
    # While the navigation is held, Playwright's locators wait for it: read the page itself.
    shown = student.evaluate(READ_FORM)
    assert shown["button"] == "Starting your attempt…"
    assert shown["disabled"] == "true" and shown["busy"] == "true"
    assert "Keep this page open" in shown["status"]

    student.evaluate("document.querySelector('form[data-start] button').click()")
    student.wait_for_timeout(300)  # an impatient second press would be on its way by now
    assert len(held) == 1, "a second press sent a second Start"

    held[0].continue_()
    expect(student).to_have_url(re.compile(r"/attempts/\d+"))
    expect(student.get_by_role("group").first).to_be_visible()
