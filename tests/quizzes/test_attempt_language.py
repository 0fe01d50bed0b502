"""An attempt keeps the language it was started in: a student who starts in Chinese gets
the Chinese questions (their labels follow the interface), is graded against the Chinese
question (a short answer typed in Chinese counts), and reads the review in Chinese, even
after switching the interface to English."""

from __future__ import annotations

import re

import pytest

from camp.bank import services as bank
from camp.extensions import db
from camp.lessons.loader import load_content
from camp.paths import CONTENT_DIR
from camp.quizzes.models import Attempt
from tests.accounts.test_views import csrf_token

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}


@pytest.fixture
def branch_quiz(app, make):
    """A quiz of one short-answer question whose Chinese answer differs from its English."""
    load_content(CONTENT_DIR)
    db.session.commit()
    return make.quiz([bank.find_question("ipv-09")])


def start(client, quiz, headers) -> int:
    token = csrf_token(client, f"/quizzes/{quiz.id}")
    response = client.post(f"/quizzes/{quiz.id}/start", data={"csrf_token": token}, headers=headers)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return int(re.search(r"/attempts/(\d+)", response.location).group(1))


def answer_and_submit(client, attempt_id: int, text: str, headers) -> None:
    page = client.get(f"/attempts/{attempt_id}", headers=headers).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    field = re.search(r'<input type="text"[^>]* name="(q\d+)"', page).group(1)
    client.post(
        f"/attempts/{attempt_id}?page=1",
        data={"csrf_token": token, "positions": "1", field: text, "go": "next"},
        headers=headers,
    )
    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token}, headers=headers)


def test_an_attempt_started_in_chinese_shows_and_grades_the_chinese_question(
    client, login, make, branch_quiz
):
    login(make.user())
    attempt_id = start(client, branch_quiz, ZH)
    assert db.session.get(Attempt, attempt_id).locale == "zh_Hans"
    page = client.get(f"/attempts/{attempt_id}", headers=ZH).get_data(as_text=True)
    assert "两大传统类别" in page and "two traditional branches" not in page
    # The interface switched to English: labels in English, the question still Chinese.
    english = client.get(f"/attempts/{attempt_id}", headers=EN).get_data(as_text=True)
    assert "两大传统类别" in english and '<html lang="en">' in english
    answer_and_submit(client, attempt_id, "工业产权", ZH)
    attempt = db.session.get(Attempt, attempt_id)
    db.session.refresh(attempt)
    assert attempt.score == pytest.approx(1.0)
    review = client.get(f"/attempts/{attempt_id}/review", headers=EN).get_data(as_text=True)
    assert "两大传统类别" in review


def test_an_english_attempt_is_unchanged(client, login, make, branch_quiz):
    login(make.user())
    attempt_id = start(client, branch_quiz, EN)
    assert db.session.get(Attempt, attempt_id).locale == "en"
    page = client.get(f"/attempts/{attempt_id}", headers=ZH).get_data(as_text=True)
    assert "two traditional branches" in page and "两大传统类别" not in page
    answer_and_submit(client, attempt_id, "industrial property", EN)
    attempt = db.session.get(Attempt, attempt_id)
    db.session.refresh(attempt)
    assert attempt.score == pytest.approx(1.0)


def test_a_question_not_translated_yet_says_so_and_is_marked_english(client, login, make, app):
    """A Chinese attempt of a quiz with one untranslated question: that question is shown
    in English, with a notice in Chinese, and marked lang="en" for screen readers."""
    load_content(CONTENT_DIR)
    draft = bank.QuestionDraft(
        type="true_false",
        title="Untranslated",
        text="The Paris Convention dates from 1883.",
        spec={"answer": True},
        tags=(),
    )
    untranslated = bank.create_question(draft, category=bank.ensure_category("Extra"))
    db.session.commit()
    quiz = make.quiz([bank.find_question("ipv-09"), untranslated], layout="all_on_one")
    login(make.user())
    attempt_id = start(client, quiz, ZH)
    page = client.get(f"/attempts/{attempt_id}", headers=ZH).get_data(as_text=True)
    blocks = page.split('<div class="question type-')[1:]
    english = next(b for b in blocks if "The Paris Convention" in b)
    chinese = next(b for b in blocks if "两大传统类别" in b)
    assert "这道题还没有中文版，以英文显示。" in english
    assert '<fieldset lang="en">' in english
    assert "这道题还没有中文版" not in chinese and 'lang="en"' not in chinese
    # An English reader of an English attempt sees no notice.
    login(make.user())
    attempt_id = start(client, quiz, EN)
    page = client.get(f"/attempts/{attempt_id}", headers=EN).get_data(as_text=True)
    assert "这道题" not in page and "not translated" not in page
