"""Taking an ordering question through HTTP without JavaScript: a place select beside each
item, posted with the page's own form; the score, the saved places and the review."""

from __future__ import annotations

import html as html_lib
import re
from datetime import UTC, datetime

import pytest

from camp.bank import services as bank
from camp.bank.services import QuestionDraft
from camp.extensions import db
from camp.quizzes import attempts, grading, services
from camp.quizzes.models import Attempt, ReviewWhen
from tests.accounts.test_views import csrf_token

STEPS = ["Invent", "File an application", "Examination", "Grant"]
ITEM = re.compile(
    r'<select id="(q1-item-\d)" name="(q1-\d)"[^>]*>(.*?)</select>\s*'
    r'<label for="\1">(.*?)</label>',
    re.DOTALL,
)


def selects(page: str) -> dict[str, tuple[str, dict[str, str]]]:
    """Each item's text -> (its select's name, {place shown: option value})."""
    found = {}
    for _id, name, options, label in ITEM.findall(page):
        places = dict(
            (text, value)
            for value, text in re.findall(r'<option value="([^"]+)"[^>]*>(\d)</option>', options)
        )
        found[html_lib.unescape(label.strip())] = (name, places)
    return found


def take(client, login, make, *, grading="partial", shuffle=False, places=None):
    """Start the quiz as a new student and post `places` (item -> place) with the form."""
    spec = {"items": STEPS, "grading": grading}
    question = make.question(
        QuestionDraft(type="ordering", text="Put the steps in order", spec=spec)
    )
    quiz = make.quiz([question], shuffle_options=shuffle, review_answers=ReviewWhen.IMMEDIATELY)
    login(make.user())
    token = csrf_token(client, f"/quizzes/{quiz.id}")
    url = client.post(f"/quizzes/{quiz.id}/start", data={"csrf_token": token}).location
    page = client.get(url).get_data(as_text=True)
    found = selects(page)
    assert sorted(found) == sorted(STEPS)
    places = places or {step: str(i) for i, step in enumerate(STEPS, 1)}
    data = {"csrf_token": token, "positions": "1", "go": "page-1"}
    for item, place in places.items():
        name, options = found[item]
        data[name] = options[place]
    response = client.post(url, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    attempt_id = int(re.search(r"/attempts/(\d+)", url).group(1))
    return url, page, attempt_id, token


def submit(client, attempt_id, token):
    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    return client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)


@pytest.mark.parametrize("shuffle", [False, True])
def test_a_student_orders_the_items_with_selects_and_gets_full_marks(client, login, make, shuffle):
    url, page, attempt_id, token = take(client, login, make, shuffle=shuffle)
    shown = [html_lib.unescape(label.strip()) for *_, label in ITEM.findall(page)]
    assert shown != STEPS  # never the key, shuffled or not
    assert "Give each item its place, 1 for first." in page
    assert page.count('aria-describedby="q1-hint"') == len(STEPS)
    assert '<option value="">Choose…</option>' in page
    again = client.get(url).get_data(as_text=True)
    assert again.count(" selected>") == len(STEPS)  # the saved places are shown
    review = submit(client, attempt_id, token)
    assert db.session.get(Attempt, attempt_id).score == pytest.approx(1.0)
    assert "✓ Correct" in review
    assert "The correct order is: 1. Invent; 2. File an application; 3. Examination" in review


def test_partial_credit_for_the_items_in_their_place(client, login, make):
    swapped = {"Invent": "2", "File an application": "1", "Examination": "3", "Grant": "4"}
    _, _, attempt_id, token = take(client, login, make, places=swapped)
    review = submit(client, attempt_id, token)
    assert db.session.get(Attempt, attempt_id).score == pytest.approx(0.5)
    assert "Partly correct" in review


def test_all_or_nothing_gives_nothing_for_a_nearly_right_order(client, login, make):
    swapped = {"Invent": "1", "File an application": "2", "Examination": "4", "Grant": "3"}
    _, _, attempt_id, token = take(client, login, make, grading="all_or_nothing", places=swapped)
    submit(client, attempt_id, token)
    assert db.session.get(Attempt, attempt_id).score == pytest.approx(0.0)


def test_two_items_in_one_place_are_saved_and_pointed_out(client, login, make):
    shared = {"Invent": "1", "File an application": "1", "Examination": "3"}
    url, _, attempt_id, token = take(client, login, make, places=shared)
    page = client.get(url).get_data(as_text=True)
    assert "More than one item has place 1." in page
    submit(client, attempt_id, token)
    assert db.session.get(Attempt, attempt_id).score == pytest.approx(0.5)


def test_a_tampered_place_is_refused(client, login, make):
    url, page, _, token = take(client, login, make, places={"Invent": "1"})
    name, options = selects(page)["Invent"]
    forged = options["1"].replace(":1", ":9")
    response = client.post(url, data={"csrf_token": token, "positions": "1", name: forged})
    assert response.status_code == 422
    assert "Places go from 1 to 4." in response.get_data(as_text=True)


def test_a_regrade_after_the_author_fixes_the_order_grades_what_the_student_did(make):
    now = datetime(2026, 8, 20, 9, 0, tzinfo=UTC)
    organiser, student = make.user("organiser"), make.user()
    make.member(make.cohort(organiser=organiser), student)
    wrong = ["Invent", "Examination", "File an application", "Grant"]
    draft = QuestionDraft(
        type="ordering", text="Order", spec={"items": wrong, "grading": "partial"}
    )
    question = make.question(draft)
    quiz = make.quiz([question])
    attempt = db.session.get(Attempt, services.start_attempt(student, quiz, now))
    canonical = sorted(STEPS)  # items are indexed alphabetically
    answer = {"positions": {str(canonical.index(s)): p for p, s in enumerate(STEPS, 1)}}
    services.save_responses(attempt, {1: answer}, now)
    attempts.submit_attempt(attempt, now)
    assert attempt.score == pytest.approx(0.5)
    fixed = QuestionDraft(
        type="ordering", text="Order", spec={"items": STEPS, "grading": "partial"}
    )
    bank.revise_question(question, fixed)
    assert grading.regrade_question(quiz, question, actor=organiser, now=now) == 1
    assert attempt.score == pytest.approx(1.0)
