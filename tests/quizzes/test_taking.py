"""Taking a quiz through HTTP: the module quizzes end to end, reloads, late answers,
double submits, other students' attempts, autosave, and review policies."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from camp.db import utcnow
from camp.extensions import db
from camp.lessons.loader import load_content
from camp.paths import CONTENT_DIR
from camp.quizzes import taking
from camp.quizzes.models import Attempt, AttemptState, Quiz
from tests.accounts.test_views import csrf_token


def form_fields(page: str) -> dict[str, list[str]]:
    """The answer inputs of an attempt page: name -> possible values."""
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(
        r'<input type="(?:radio|checkbox)" id="[^"]+" name="(q\d+)" value="([^"]*)"', page
    ):
        fields.setdefault(name, []).append(value)
    for name in re.findall(r'<input type="text"[^>]* name="(q\d+)"', page):
        fields.setdefault(name, []).append("text")
    for name in re.findall(r'<select id="[^"]+" name="(q\d+-\d+)"', page):
        options = re.findall(rf'name="{name}"[^>]*>(.*?)</select>', page, re.DOTALL)[0]
        fields.setdefault(name, re.findall(r'<option value="([^"]+)"', options))
    return fields


def answer_everything(page: str) -> dict[str, str]:
    data = {}
    for name, values in form_fields(page).items():
        data[name] = "42" if values == ["text"] else values[0]
    return data


@pytest.fixture
def loaded(app):
    load_content(CONTENT_DIR)
    db.session.commit()


def start(client, slug="why-ip-matters"):
    url = f"/modules/{slug}/quiz"
    token = csrf_token(client, url)
    quiz_id = re.search(r'action="/quizzes/(\d+)/start"', client.get(url).get_data(as_text=True))
    response = client.post(f"/quizzes/{quiz_id.group(1)}/start", data={"csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.location


@pytest.mark.parametrize(
    "slug",
    [
        "why-ip-matters",
        "wipo-and-the-global-ip-system",
        "innovation-trends",
        "treaties-in-the-making",
        "upov-and-plant-varieties",
        "frontier-technologies-and-ai",
        "careers-in-international-organisations",
    ],
)
def test_every_module_quiz_can_be_taken_end_to_end(client, login, make, loaded, slug):
    student = make.user()
    login(student)
    page_url = start(client, slug)
    token = None
    for _ in range(20):
        page = client.get(page_url).get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        positions = re.findall(r'name="positions" value="(\d+)"', page)
        data = {
            "csrf_token": token,
            "positions": positions,
            "go": "next",
            **answer_everything(page),
        }
        response = client.post(page_url, data=data)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        page_url = response.location
        if "/summary" in page_url:
            break
    summary = client.get(page_url).get_data(as_text=True)
    assert "You have answered every question." in summary
    attempt_id = int(re.search(r"/attempts/(\d+)/", page_url).group(1))
    response = client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    assert response.location == f"/attempts/{attempt_id}/review"
    review = client.get(response.location).get_data(as_text=True)
    assert re.search(r"<dt>Score</dt>\s*<dd><strong>\d+%</strong>", review)
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.state == AttemptState.SUBMITTED and attempt.score is not None
    assert len(attempt.questions) == 10


def test_reload_shows_the_same_paper_and_saved_answer(client, login, make, loaded):
    login(make.user())
    url = start(client)
    first = client.get(url).get_data(as_text=True)
    data = answer_everything(first)
    token = csrf_token(client, url)
    positions = re.findall(r'name="positions" value="(\d+)"', first)
    client.post(url, data={"csrf_token": token, "positions": positions, "go": "page-1", **data})
    again = client.get(url).get_data(as_text=True)
    legend = re.compile(r'<span class="question-text">(.*?)</span>', re.DOTALL)
    assert legend.findall(again) == legend.findall(first)
    assert data
    for name, value in data.items():
        kept = (
            re.search(rf'name="{name}" value="{value}"\s*checked', again)
            or re.search(rf'<option value="{value}" selected', again)
            or (value == "42" and re.search(rf'name="{name}"\s+value="42"', again))
        )
        assert kept, (name, value)
    # Starting again continues the same attempt.
    assert start(client) == url.split("?")[0]


def test_a_changed_answer_shows_at_once_though_pages_are_remembered(client, login, make, loaded):
    """Rendered questions are remembered (camp.quizzes.page_fragments): each change of
    answer, and going back to an earlier one, must show on the very next page view."""
    login(make.user())
    attempt_url = start(client).split("?")[0]
    for number in range(1, 11):  # the first page with a radio question (the draw is random)
        url = f"{attempt_url}?page={number}"
        page = client.get(url).get_data(as_text=True)
        name, values = next(iter(form_fields(page).items()))
        if 'type="radio"' in page and len(values) >= 2:
            break
    positions = re.findall(r'name="positions" value="(\d+)"', page)
    token = csrf_token(client, url)
    assert "checked" not in page

    def checked_after_saving(value: str) -> list[str]:
        go = f"page-{number}"
        form = {"csrf_token": token, "positions": positions, "go": go, name: value}
        assert client.post(url, data=form).status_code == 302
        shown = client.get(url).get_data(as_text=True)
        return re.findall(rf'name="{name}" value="([^"]+)"\s*checked', shown)

    assert checked_after_saving(values[0]) == [values[0]]
    assert checked_after_saving(values[1]) == [values[1]]
    assert checked_after_saving(values[0]) == [values[0]]


def test_summary_lists_unanswered_questions(client, login, make, loaded):
    login(make.user())
    url = start(client)
    attempt_id = re.search(r"/attempts/(\d+)", url).group(1)
    summary = client.get(f"/attempts/{attempt_id}/summary").get_data(as_text=True)
    assert "10 questions not answered" in summary


def test_an_answer_after_the_deadline_is_refused(client, login, make, loaded):
    student = make.user()
    login(student)
    url = start(client)
    attempt = db.session.scalar(select(Attempt).where(Attempt.user_id == student.id))
    page = client.get(url).get_data(as_text=True)
    attempt.deadline = utcnow() - timedelta(minutes=5)
    db.session.commit()
    token = csrf_token(client, "/modules")
    positions = re.findall(r'name="positions" value="(\d+)"', page)
    response = client.post(
        url, data={"csrf_token": token, "positions": positions, **answer_everything(page)}
    )
    assert response.location == f"/attempts/{attempt.id}/review"
    db.session.refresh(attempt)
    assert attempt.state == AttemptState.SUBMITTED and attempt.auto_submitted
    assert not any(q.answered for q in attempt.questions)


def test_double_submit_is_harmless(client, login, make, loaded):
    login(make.user())
    url = start(client)
    attempt_id = int(re.search(r"/attempts/(\d+)", url).group(1))
    token = csrf_token(client, url)
    first = client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    second = client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    assert first.location == second.location == f"/attempts/{attempt_id}/review"
    assert client.get(second.location).status_code == 200


def test_another_students_attempt_is_invisible(client, login, make, loaded):
    owner, other = make.user(), make.user()
    login(owner)
    url = start(client)
    attempt_id = re.search(r"/attempts/(\d+)", url).group(1)
    token = csrf_token(client, url)
    login(other)
    for path in ["", "/summary", "/review"]:
        assert client.get(f"/attempts/{attempt_id}{path}").status_code == 404
    assert client.post(
        f"/attempts/{attempt_id}/submit", data={"csrf_token": token}
    ).status_code in (400, 404)
    assert client.post(
        f"/attempts/{attempt_id}/autosave", data={"csrf_token": token}
    ).status_code in (400, 404)


def test_autosave_saves_one_answer_and_reports_it(client, login, make):
    quiz = make.quiz([make.choice_question(), make.choice_question()])
    student = make.user()
    login(student)
    token = csrf_token(client, f"/quizzes/{quiz.id}")
    url = client.post(f"/quizzes/{quiz.id}/start", data={"csrf_token": token}).location
    page = client.get(url).get_data(as_text=True)
    attempt_id = re.search(r"/attempts/(\d+)", url).group(1)
    response = client.post(
        f"/attempts/{attempt_id}/autosave",
        data={"positions": "1", **answer_everything(page)},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200 and response.json["saved"] is True
    assert response.json["answered"] == {"1": True}
    bogus = client.post(
        f"/attempts/{attempt_id}/autosave",
        data={"positions": "1", "q1": "not-a-token"},
        headers={"X-CSRFToken": token},
    )
    assert bogus.status_code == 422 and "not one of the options" in bogus.json["message"]
    without_token = client.post(f"/attempts/{attempt_id}/autosave", data={"positions": "1"})
    assert without_token.status_code == 400


def test_default_review_policy_keeps_the_key_until_the_last_attempt(client, login, make):
    question = make.choice_question(right="Geneva", wrong=("Beijing",), text="Where is WIPO?")
    quiz = make.quiz([question], attempts_allowed=2)
    login(make.user())

    def take_once():
        token = csrf_token(client, f"/quizzes/{quiz.id}")
        url = client.post(f"/quizzes/{quiz.id}/start", data={"csrf_token": token}).location
        page = client.get(url).get_data(as_text=True)
        wrong = re.search(
            r'value="([0-9a-f]{12})"[^>]*>\s*<span class="question-option-text">Beijing', page
        )
        client.post(
            url, data={"csrf_token": token, "positions": "1", "q1": wrong.group(1), "go": "summary"}
        )
        attempt_id = re.search(r"/attempts/(\d+)", url).group(1)
        client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
        return client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)

    first = take_once()
    assert "Incorrect" in first and "0%" in first
    assert "No: Beijing is wrong." not in first and "The correct answer" not in first
    assert "Correct answers are shown after your last attempt" in first
    last = take_once()
    assert "No: Beijing is wrong." in last and "Geneva" in last
    assert "The correct answer" in last or "Right answer" in last or "correct answer is" in last


def test_a_closed_quiz_says_so_and_offers_no_start(client, login, make):
    from camp.quizzes.models import QuizWindow

    student = make.user()
    cohort = make.cohort()
    make.member(cohort, student)
    quiz = make.quiz([make.choice_question()])
    db.session.add(
        QuizWindow(quiz_id=quiz.id, cohort_id=cohort.id, closes_at=utcnow() - timedelta(hours=1))
    )
    db.session.commit()
    login(student)
    page = client.get(f"/quizzes/{quiz.id}").get_data(as_text=True)
    assert "This quiz is closed" in page and "Start the quiz" not in page
    token = csrf_token(client, "/modules")
    response = client.post(
        f"/quizzes/{quiz.id}/start", data={"csrf_token": token}, follow_redirects=True
    )
    assert "This quiz is closed" in response.get_data(as_text=True)
    assert db.session.scalar(select(Attempt.id)) is None


def test_organiser_of_the_students_cohort_can_review_but_another_cannot(client, login, make):
    organiser, outsider, student = make.user("organiser"), make.user("organiser"), make.user()
    cohort = make.cohort(organiser=organiser)
    make.member(cohort, student)
    make.cohort(organiser=outsider)
    quiz = make.quiz([make.choice_question()])
    login(student)
    token = csrf_token(client, f"/quizzes/{quiz.id}")
    url = client.post(f"/quizzes/{quiz.id}/start", data={"csrf_token": token}).location
    attempt_id = re.search(r"/attempts/(\d+)", url).group(1)
    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    login(organiser)
    assert client.get(f"/attempts/{attempt_id}/review").status_code == 200
    login(outsider)
    assert client.get(f"/attempts/{attempt_id}/review").status_code == 403
    assert db.session.scalar(select(Quiz.id)) == quiz.id


@pytest.mark.parametrize(
    ("layout", "go", "current", "expected"),
    [
        ("one_per_page", "next", 1, 2),
        ("one_per_page", "prev", 2, 1),
        ("one_per_page", "prev", 1, 1),
        ("one_per_page", "next", 3, None),  # past the last page: the summary
        ("one_per_page", "page-2", 1, 2),
        ("one_per_page", "page-99999999999999999999", 1, None),
        ("one_per_page", "summary", 2, None),
        ("one_per_page", "", 99, 3),  # a page number beyond the paper stays on the last
        ("all_on_one", "next", 1, None),
    ],
)
def test_each_button_leads_to_the_right_page(layout, go, current, expected):
    assert taking.target_page(layout, go, current, questions=3) == expected
