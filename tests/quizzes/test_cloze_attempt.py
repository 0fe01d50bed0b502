"""A student answers an embedded-answers (cloze) question with a plain form post (no
JavaScript): each gap's input posts under its own name, shuffled options under opaque
values, and the score weighs the gaps by their marks."""

from __future__ import annotations

import re

from camp.bank.services import QuestionDraft
from camp.extensions import db
from camp.quizzes.models import Attempt, ReviewWhen
from tests.accounts.test_views import csrf_token
from tests.authoring.conftest import form_fields
from tests.bank.test_cloze import SPEC, STORED


def option_value(page: str, name: str, text: str) -> str:
    """The opaque value of the option labelled `text` among the inputs called `name`."""
    select = re.search(rf'<select id="[^"]+" name="{name}"[^>]*>(.*?)</select>', page, re.DOTALL)
    if select:
        return re.search(rf'<option value="([0-9a-f]+)"[^>]*>{text}</option>', select.group(1))[1]
    radio = rf'name="{name}" value="([0-9a-f]+)"[^>]*>\s*<span class="cloze-option-text">{text}<'
    return re.search(radio, page)[1]


def test_a_student_answers_each_gap_without_javascript(client, login, make):
    question = make.question(
        QuestionDraft(type="cloze", text=STORED, spec=SPEC, text_format="markdown")
    )
    quiz = make.quiz(
        [question],
        shuffle_options=True,
        review_feedback=ReviewWhen.IMMEDIATELY,
        review_answers=ReviewWhen.IMMEDIATELY,
    )
    login(make.user())
    token = csrf_token(client, f"/quizzes/{quiz.id}")
    url = client.post(f"/quizzes/{quiz.id}/start", data={"csrf_token": token}).location
    page = client.get(url).get_data(as_text=True)
    assert "Germany" not in page and "3.14" not in page

    data = form_fields(page, containing="positions")  # what a browser posts
    answers = {
        "q1-1": "Prussia",  # half of gap 1 (1 mark)
        "q1-2": "3,14",  # gap 2 right (2 marks)
        "q1-3": option_value(page, "q1-3", "Paris"),  # right
        "q1-4": "dna",  # wrong: case matters in gap 4
        "q1-5": option_value(page, "q1-5", "Red"),  # right
        "q1-6": option_value(page, "q1-6", "Left"),  # wrong
        "go": "summary",
    }
    for name, value in answers.items():
        data[name] = value
    response = client.post(url, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    again = client.get(url).get_data(as_text=True)
    assert re.search(r'name="q1-1" value="Prussia"', again)
    assert re.search(rf'<option value="{answers["q1-3"]}" selected>Paris</option>', again)

    attempt_id = int(re.search(r"/attempts/(\d+)", url)[1])
    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.questions[0].response == {
        "gaps": {"1": "Prussia", "2": "3,14", "3": 1, "4": "dna", "5": 0, "6": 0}
    }
    # (0.5 x 1 + 1 x 2 + 1 + 0 + 1 + 0) / 7 marks
    assert attempt.questions[0].fraction == 4.5 / 7
    review = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "Gap 1: It was, once." in review and "Gap 2: Good." in review
    assert "Gap 1: Germany; Gap 2: 3.14 (± 0.01)" in review


def test_an_option_of_another_gap_is_refused(client, login, make):
    question = make.question(QuestionDraft(type="cloze", text=STORED, spec=SPEC))
    quiz = make.quiz([question])
    login(make.user())
    token = csrf_token(client, f"/quizzes/{quiz.id}")
    url = client.post(f"/quizzes/{quiz.id}/start", data={"csrf_token": token}).location
    page = client.get(url).get_data(as_text=True)
    data = form_fields(page, containing="positions")
    data["q1-3"] = option_value(page, "q1-5", "Red")
    data["go"] = "summary"
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert "not one of the options" in response.get_data(as_text=True)
