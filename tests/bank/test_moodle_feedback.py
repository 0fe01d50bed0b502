"""A question's feedback by outcome (Moodle's combined feedback) where Camp shows feedback: the
quiz review by each question's result (an unanswered one shows the incorrect feedback, as in
Moodle), the spaced review after answering, and the answer key with hints and marks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from camp.bank.presentation import key_view, outcome_html, version_lines
from camp.bank.services import QuestionDraft, current_version
from camp.extensions import db
from camp.quizzes import attempts, services
from camp.quizzes.models import Attempt, ReviewWhen
from tests.review.conftest import took

NOW = datetime(2026, 8, 20, 9, 0, tzinfo=UTC)
EXTRAS = {
    "correct_feedback": "OUTCOME-RIGHT",
    "partially_correct_feedback": "OUTCOME-PARTLY",
    "incorrect_feedback": "OUTCOME-WRONG",
    "hints": [{"text": "HINT-ONE"}],
    "default_grade": 3.0,
    "penalty": 0.25,
}
OPTIONS = [
    {"text": "Right", "weight": 100, "feedback": "ANSWER-RIGHT"},
    {"text": "Half", "weight": 50, "feedback": "ANSWER-HALF"},
    {"text": "Wrong", "weight": 0, "feedback": "ANSWER-WRONG"},
]


def moodle_question(make, n, extras=EXTRAS):
    draft = QuestionDraft(
        type="single_choice",
        text=f"Pick {n}",
        text_format="html",
        spec={"options": OPTIONS},
        extras=extras,
    )
    return make.question(draft)


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        ("correct", "OUTCOME-RIGHT"),
        ("partial", "OUTCOME-PARTLY"),
        ("incorrect", "OUTCOME-WRONG"),
        ("unanswered", "OUTCOME-WRONG"),
        ("waiting", None),
        (None, None),
    ],
)
def test_the_feedback_follows_the_outcome(make, status, shown):
    version = current_version(moodle_question(make, 1))
    html = outcome_html(version, status)
    assert (str(html) if html else None) == shown


def test_the_quiz_review_shows_each_question_s_outcome_feedback(make, client, login):
    questions = [moodle_question(make, n) for n in range(4)]
    quiz = make.quiz(questions, review_feedback=ReviewWhen.IMMEDIATELY)
    student = make.user()
    attempt = db.session.get(Attempt, services.start_attempt(student, quiz, NOW))
    paper = attempts.paper_of(attempt)
    picks = {1: 0, 2: 1, 3: 2}  # right, half, wrong; the fourth unanswered
    services.save_responses(attempt, {p: {"selected": index} for p, index in picks.items()}, NOW)
    attempts.submit_attempt(attempt, NOW)
    db.session.commit()
    assert len(paper) == 4
    login(student)
    page = client.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    shown = [
        text
        for text in ("OUTCOME-RIGHT", "OUTCOME-PARTLY", "OUTCOME-WRONG")
        for _ in range(page.count(f'<div class="feedback-outcome">{text}</div>'))
    ]
    assert shown == ["OUTCOME-RIGHT", "OUTCOME-PARTLY", "OUTCOME-WRONG", "OUTCOME-WRONG"]
    # After the answer's own feedback, before the general feedback.
    assert page.index("ANSWER-RIGHT") < page.index("OUTCOME-RIGHT")
    assert "HINT-ONE" not in page  # hints are kept, not shown to students


def test_the_quiz_review_keeps_the_outcome_feedback_back_with_the_feedback(make, client, login):
    quiz = make.quiz([moodle_question(make, 1)], review_feedback=ReviewWhen.NEVER)
    student = make.user()
    attempt = db.session.get(Attempt, services.start_attempt(student, quiz, NOW))
    services.save_responses(attempt, {1: {"selected": 0}}, NOW)
    attempts.submit_attempt(attempt, NOW)
    db.session.commit()
    login(student)
    page = client.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "OUTCOME-" not in page


def test_the_spaced_review_shows_the_outcome_feedback_after_answering(make, client, login):
    from camp.accounts.models import Role

    organiser = make.user(Role.ORGANISER)
    cohort = make.cohort("Cohort M", organiser=organiser)
    student = make.user(name="Mo")
    make.member(cohort, student)
    quiz = make.quiz([moodle_question(make, 1)], review_answers=ReviewWhen.IMMEDIATELY)
    took(student, quiz, [0.0])
    login(student)
    page = client.get("/review").get_data(as_text=True)
    assert "OUTCOME-" not in page
    import re

    card = re.search(r'name="card" value="(\d+)"', page).group(1)
    shown_at = re.search(r'name="shown_at" value="(\d+)"', page).group(1)
    value = re.search(r'value="(\d+)"[^>]*>\s*<span class="question-option-text">Half', page)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = {"card": card, "shown_at": shown_at, "answer": value.group(1), "csrf_token": token}
    text = client.post("/review", data=answer).get_data(as_text=True)
    assert '<div class="feedback-outcome">OUTCOME-PARTLY</div>' in text
    assert "ANSWER-HALF" in text


def test_the_key_and_the_version_lines_show_the_extras(make):
    version = current_version(moodle_question(make, 1))
    key = key_view(version)
    assert [(label, str(html)) for label, html in key["outcome_feedback"]] == [
        ("Feedback for a correct answer", "OUTCOME-RIGHT"),
        ("Feedback for a partially correct answer", "OUTCOME-PARTLY"),
        ("Feedback for an incorrect answer", "OUTCOME-WRONG"),
    ]
    assert [str(h) for h in key["hints_html"]] == ["HINT-ONE"]
    assert key["marks"] == ["Default mark: 3", "Penalty: 0.25"]
    lines = version_lines(version)
    assert lines[-5:] == [
        "Feedback for an incorrect answer:",
        "    OUTCOME-WRONG",
        "Hint 1: HINT-ONE",
        "Default mark: 3",
        "Penalty: 0.25",
    ]
    plain = current_version(moodle_question(make, 2, extras={}))
    assert key_view(plain)["outcome_feedback"] == [] and outcome_html(plain, "correct") is None


def test_extras_are_checked_like_the_rest_of_a_question():
    draft = QuestionDraft(
        type="single_choice",
        text="Pick",
        spec={"options": OPTIONS},
        extras={"penalty": 2, "hints": "no", "shiny": 1, "correct_feedback": 3},
    )
    assert draft.problems() == [
        "Unknown setting 'shiny'.",
        "Feedback for a correct answer must be text.",
        "Give at most 20 hints, as a list.",
        "The penalty must be a number from 0 to 1.",
    ]
