"""The review as a student uses it: one question, checked at once with its feedback and the
right answer, the next when they ask; a second press counts nothing; the number due beside
Review in the navigation; a session of the cohort's length; nothing when review is off."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from camp.extensions import db
from camp.review.models import ReviewCard, ReviewLog
from camp.review.settings import Settings, set_settings


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False}


def _logs() -> int:
    return db.session.scalar(select(func.count(ReviewLog.id)))


def _form(page: str) -> dict[str, str]:
    card = re.search(r'name="card" value="(\d+)"', page).group(1)
    shown = re.search(r'name="shown_at" value="(\d+)"', page).group(1)
    return {"card": card, "shown_at": shown}


def _option(page: str, text: str) -> str:
    """The value of the radio button whose label is `text`."""
    match = re.search(r'value="(\d+)"[^>]*>\s*<span class="question-option-text">' + text, page)
    return match.group(1)


def test_a_review_question_is_checked_at_once_and_the_next_follows(client, login, camp_day):
    _organiser, _cohort, student, _questions, _quiz = camp_day
    login(student)
    page = client.get("/review").get_data(as_text=True)
    assert "Pick Right 1" in page  # the one they got wrong comes first
    assert "Yes: Right 1 is right." not in page  # never the key before answering
    answer = {**_form(page), "answer": _option(page, "Right 1")}
    checked = client.post("/review", data=answer)
    text = checked.get_data(as_text=True)
    assert checked.status_code == 200
    assert "Right." in text and "Yes: Right 1 is right." in text
    assert "General feedback." in text
    assert _logs() == 1
    # Pressing again (or an old tab) counts nothing.
    again = client.post("/review", data=answer)
    assert again.status_code == 302 and _logs() == 1
    following = client.get("/review").get_data(as_text=True)
    assert "Pick Right 2" in following


def test_a_wrong_answer_says_so_and_shows_the_right_one(client, login, camp_day):
    _organiser, _cohort, student, _questions, _quiz = camp_day
    login(student)
    page = client.get("/review").get_data(as_text=True)
    text = client.post(
        "/review", data={**_form(page), "answer": _option(page, "Wrong A")}
    ).get_data(as_text=True)
    assert "Not quite." in text and "No: Wrong A is wrong." in text
    card = db.session.scalar(select(ReviewCard))
    assert card.lapses == 1


def test_the_navigation_shows_how_many_are_due(client, login, camp_day):
    _organiser, _cohort, student, _questions, _quiz = camp_day
    login(student)
    client.get("/review")  # introduces the first question
    page = client.get("/progress").get_data(as_text=True)
    assert "1 due" in page


def test_a_session_ends_after_its_length_and_may_go_on(client, login, camp_day):
    organiser, cohort, student, _questions, _quiz = camp_day
    set_settings(cohort, organiser, Settings(session_length=1))
    db.session.commit()
    login(student)
    page = client.get("/review").get_data(as_text=True)
    client.post("/review", data={**_form(page), "answer": _option(page, "Right 1")})
    done = client.get("/review").get_data(as_text=True)
    assert "That is today's session done." in done
    client.post("/review/more")
    assert "Check my answer" in client.get("/review").get_data(as_text=True)


def test_when_nothing_is_left_it_says_when_to_come_back(client, login, camp_day):
    organiser, cohort, student, _questions, _quiz = camp_day
    set_settings(cohort, organiser, Settings(new_per_day=1))
    db.session.commit()
    login(student)
    page = client.get("/review").get_data(as_text=True)
    client.post("/review", data={**_form(page), "answer": _option(page, "Wrong A")})
    text = client.get("/review").get_data(as_text=True)
    assert "Nothing more to review today." in text
    assert "Come back tomorrow: 1 question will be due." in text


def test_review_off_for_the_cohort(client, login, camp_day):
    organiser, cohort, student, _questions, _quiz = camp_day
    set_settings(cohort, organiser, Settings(enabled=False))
    db.session.commit()
    login(student)
    assert "Review is not on for your cohort." in client.get("/review").get_data(as_text=True)
    assert db.session.scalar(select(func.count(ReviewCard.id))) == 0


def test_another_students_card_cannot_be_answered(client, login, camp_day, make):
    _organiser, cohort, student, _questions, _quiz = camp_day
    login(student)
    page = client.get("/review").get_data(as_text=True)
    other = make.user()
    make.member(cohort, other)
    login(other)
    response = client.post("/review", data={**_form(page), "answer": "0"})
    assert response.status_code == 302 and _logs() == 0


def test_the_review_pages_own_navigation_counts_what_is_due_now(client, login, camp_day):
    _organiser, _cohort, student, _questions, _quiz = camp_day
    login(student)
    introduced = client.get("/review").get_data(as_text=True)
    assert "1 due" in introduced  # the question it has just introduced
    shown_again = client.get("/review").get_data(as_text=True)
    assert "1 due" in shown_again  # the same one, still due
    answered = client.post(
        "/review", data={**_form(shown_again), "answer": _option(shown_again, "Right 1")}
    ).get_data(as_text=True)
    assert "Right." in answered and "1 due" not in answered  # answered: nothing due now
