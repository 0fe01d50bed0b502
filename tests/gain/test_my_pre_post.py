"""A student's own pre-test and post-test on /progress: shown once the cohort's post-test
has closed, by learning objective; not before."""

from __future__ import annotations

from datetime import timedelta

from camp.accounts.models import Role
from camp.db import utcnow
from camp.extensions import db
from camp.gain.pairs import pair_quizzes
from camp.quizzes import attempts, services
from camp.quizzes.models import Attempt, QuizWindow


def _take(quiz, user, fraction):
    attempt = db.session.get(Attempt, services.start_attempt(user, quiz, utcnow()))
    attempts.submit_attempt(attempt, utcnow())
    for question in attempt.questions:
        question.fraction = fraction
    db.session.commit()


def test_progress_shows_pre_and_post_once_the_post_test_closed(make, client, login):
    organiser, student = make.user(Role.ORGANISER), make.user()
    cohort = make.cohort("Cohort A", organiser=organiser)
    make.member(cohort, student)
    module = make.module()
    module.objectives = [{"tag": "wipo", "text": "Explain what WIPO does."}]
    db.session.commit()
    pre = make.quiz([make.choice_question(tags=("wipo",))])
    post = make.quiz([make.choice_question(tags=("wipo",))])
    pair_quizzes(cohort, pre, post, organiser)
    window = QuizWindow(
        quiz_id=post.id, cohort_id=cohort.id, closes_at=utcnow() + timedelta(hours=1)
    )
    db.session.add(window)
    db.session.commit()
    _take(pre, student, 0.0)
    login(student)
    assert "Before and after the camp" not in client.get("/progress").get_data(as_text=True)
    _take(post, student, 1.0)
    window.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = client.get("/progress").get_data(as_text=True)
    assert "Before and after the camp" in page
    section = page[page.index("Before and after the camp") :]
    row = section[section.index("Explain what WIPO does.") :]
    row = row[: row.index("</tr>")]
    assert ">0%<" in row and ">100%<" in row
