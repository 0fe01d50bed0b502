"""Pressing Start while the server is busy: the button says at once that the attempt is
starting, a status line says why it may take a moment, a second press sends nothing, and
the attempt opens when the server answers."""

from __future__ import annotations

import re

import pytest

from tests.e2e.helpers import expect, log_in

pytestmark = pytest.mark.e2e

# Press Start, read what the form shows at once, press again (an impatient student).
PRESS_TWICE = """() => {
  const form = document.querySelector("form[data-start]");
  const button = form.querySelector("button");
  button.click();
  const shown = {
    button: button.textContent.trim(),
    disabled: button.getAttribute("aria-disabled"),
    busy: form.getAttribute("aria-busy"),
    status: form.querySelector("[role=status]").textContent,
  };
  // The second press: what start.js did with its submit (a listener added after its own).
  form.addEventListener("submit", (event) => { shown.again = event.defaultPrevented; },
                        {once: true});
  button.click();
  return shown;
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
    expect(start).to_be_enabled()
    # Both presses and the reading happen in one script, before the browser starts the
    # held navigation: once it has, the page now and then stopped answering any script
    # (Playwright's and the DevTools protocol's alike) and the test hung, about one run in
    # six. The press is the button's own click, which runs the same submit handler.
    shown = student.evaluate(PRESS_TWICE)
    assert shown["button"] == "Starting your attempt…"
    assert shown["disabled"] == "true" and shown["busy"] == "true"
    assert "Keep this page open" in shown["status"]

    assert shown["again"] is True, "the second press was not held back"
    student.wait_for_timeout(300)  # an impatient second press would be on its way by now
    assert len(held) == 1, "a second press sent a second Start"

    held[0].continue_()
    expect(student).to_have_url(re.compile(r"/attempts/\d+"))
    expect(student.get_by_role("group").first).to_be_visible()
