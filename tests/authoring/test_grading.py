"""The essay grading queue, hand grading, and deliberate regrades from the quiz page."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from camp.accounts.models import Role
from camp.bank import services as bank
from camp.bank.services import QuestionDraft
from camp.extensions import db
from camp.quizzes import attempts, services
from camp.quizzes.models import Attempt, AttemptQuestion, GradeChange

NOW = datetime(2026, 8, 20, 9, 0, tzinfo=UTC)
ESSAY = "Comprehension first.\nThen <script>alert(1)</script> context."


def token(client):
    page = client.get("/organiser/grading").get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def post(client, url, data=None, **kwargs):
    return client.post(url, data={**(data or {}), "csrf_token": token(client)}, **kwargs)


def choose(paper_question, text):
    options = paper_question.version.spec["options"]
    return {"selected": next(i for i, o in enumerate(options) if o["text"] == text)}


@pytest.fixture
def world(make):
    organiser = make.user(Role.ORGANISER)
    other = make.user(Role.ORGANISER)
    student = make.user(name="Ada Student")
    cohort = make.cohort(organiser=organiser)
    make.member(cohort, student)
    make.cohort(organiser=other)
    essay = make.question(
        QuestionDraft(
            type="essay", text="Explain the **3C** advice.", spec={}, text_format="markdown"
        ),
        uid="essay-1",
    )
    choice = make.choice_question("choice-1", right="Yes", wrong=("No",))
    quiz = make.quiz([essay, choice], title="Essay quiz")
    attempt = db.session.get(Attempt, services.start_attempt(student, quiz, NOW))
    paper = attempts.paper_of(attempt)
    services.save_responses(attempt, {1: {"text": ESSAY}, 2: choose(paper[1], "Yes")}, NOW)
    attempts.submit_attempt(attempt, NOW)
    db.session.commit()
    return {
        "organiser": organiser,
        "other": other,
        "student": student,
        "quiz": quiz,
        "attempt": attempt,
        "essay_slot": paper[0].slot,
        "choice": choice,
    }


def test_an_essay_waits_in_the_queue_and_grading_it_updates_the_score(client, login, world):
    login(world["organiser"])
    queue = client.get("/organiser/grading").get_data(as_text=True)
    aq_id = world["essay_slot"].id
    assert "1 essay waits" in queue and "Ada Student" in queue and "Essay quiz" in queue
    assert f"/organiser/grading/{aq_id}" in queue
    page = client.get(f"/organiser/grading/{aq_id}").get_data(as_text=True)
    assert "<strong>3C</strong>" in page
    assert "Comprehension first.<br>Then &lt;script&gt;alert(1)&lt;/script&gt; context." in page
    response = post(client, f"/organiser/grading/{aq_id}", {"mark": "50", "comment": "Good start."})
    assert response.status_code == 302 and response.location.endswith("/organiser/grading")
    queue = client.get(response.location).get_data(as_text=True)
    assert "Marked Ada Student&#39;s answer to question 1 of Essay quiz" in queue
    assert "No essay is waiting" in queue
    db.session.expire_all()
    attempt = db.session.get(Attempt, world["attempt"].id)
    assert attempt.score == pytest.approx(0.75) and not attempt.needs_grading
    slot = db.session.get(AttemptQuestion, aq_id)
    assert slot.fraction == 0.5 and slot.manual_comment == "Good start."
    assert slot.graded_by_id == world["organiser"].id
    change = db.session.scalar(select(GradeChange))
    assert change.kind == "manual_grade" and change.detail["to"] == 0.5
    history = client.get(f"/organiser/quizzes/{world['quiz'].id}").get_data(as_text=True)
    assert "Marked an answer by hand" in history and "50 %" in history


def test_a_bad_mark_re_renders_with_a_message(client, login, world):
    login(world["organiser"])
    url = f"/organiser/grading/{world['essay_slot'].id}"
    response = post(client, url, {"mark": "150", "comment": "Too generous"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Number must be between 0 and 100" in page and "Too generous" in page
    assert post(client, url, {"mark": ""}).status_code == 400
    assert db.session.get(AttemptQuestion, world["essay_slot"].id).fraction is None


def test_another_organisers_student_is_neither_listed_nor_gradable(client, login, world):
    login(world["other"])
    assert "No essay is waiting" in client.get("/organiser/grading").get_data(as_text=True)
    url = f"/organiser/grading/{world['essay_slot'].id}"
    assert client.get(url).status_code == 403
    assert post(client, url, {"mark": "100"}).status_code == 403
    assert client.get("/organiser/grading/999999").status_code == 404


def test_an_admin_sees_every_essay(client, login, make, world):
    login(make.user(Role.ADMIN))
    assert "Ada Student" in client.get("/organiser/grading").get_data(as_text=True)


def test_regrade_and_full_marks_through_the_quiz_page_are_recorded(client, login, world):
    login(world["organiser"])
    quiz, choice = world["quiz"], world["choice"]
    page = client.get(f"/organiser/quizzes/{quiz.id}").get_data(as_text=True)
    regrade_url = f"/organiser/quizzes/{quiz.id}/regrade/{choice.uid}"
    full_url = f"/organiser/quizzes/{quiz.id}/full-marks/{choice.uid}"
    assert regrade_url in page and full_url in page
    assert "No grade has been changed" in page
    # The organiser fixes the question: "No" was right after all.
    fixed = QuestionDraft(
        type="single_choice",
        text="Pick Yes",
        spec={
            "options": [
                {"text": "Yes", "weight": 0, "feedback": ""},
                {"text": "No", "weight": 100, "feedback": ""},
            ]
        },
    )
    bank.revise_question(choice, fixed)
    db.session.commit()
    confirm = client.get(regrade_url).get_data(as_text=True)
    assert "Regrade every answer to this question against its current version?" in confirm
    assert "<dt>Submitted attempts it changes</dt><dd>1</dd>" in confirm
    response = post(client, regrade_url, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "done, 1 attempt(s) changed" in page
    assert "Regraded <code>choice-1</code> against version 2: 1 answer(s) changed" in page
    db.session.expire_all()
    choice_slot = db.session.scalars(
        select(AttemptQuestion).where(AttemptQuestion.attempt_id == world["attempt"].id)
    ).all()[1]
    assert choice_slot.fraction == 0.0
    confirm = client.get(full_url).get_data(as_text=True)
    assert "Give everyone full marks for this question?" in confirm
    page = post(client, full_url, follow_redirects=True).get_data(as_text=True)
    assert "Full marks for <code>choice-1</code> on 1 attempt(s)" in page
    db.session.expire_all()
    assert db.session.get(AttemptQuestion, choice_slot.id).fraction == 1.0
    kinds = db.session.scalars(select(GradeChange.kind).order_by(GradeChange.id)).all()
    assert kinds == ["regrade", "full_marks"]
    assert all(c.user_id == world["organiser"].id for c in db.session.scalars(select(GradeChange)))


def test_a_regrade_needs_a_post_with_csrf_and_a_known_question(client, login, world):
    login(world["organiser"])
    quiz = world["quiz"]
    url = f"/organiser/quizzes/{quiz.id}/regrade/choice-1"
    assert client.post(url).status_code == 400  # no CSRF token
    assert client.get(f"/organiser/quizzes/{quiz.id}/regrade/nope").status_code == 404
    assert db.session.scalar(select(GradeChange)) is None
