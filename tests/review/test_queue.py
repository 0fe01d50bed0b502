"""What comes up for review: due cards first, then questions met in quizzes (the worst
answered first), a few new ones a day, the camp's day deciding "today"; and never a
question whose answer key a quiz still open for the student keeps hidden."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from camp.db import utcnow
from camp.extensions import db
from camp.gain.models import PrePostPair
from camp.quizzes import services
from camp.quizzes.models import QuizWindow, ReviewWhen
from camp.review.holding import held_questions
from camp.review.models import ReviewCard
from camp.review.queue import day_bounds, next_card
from camp.review.scheduling import record_review
from camp.review.settings import DEFAULTS, Settings
from tests.review.conftest import took


def _answer(card, correct, now):
    """Answer the card `next_card` gave; its row, as now due, is returned."""
    row = db.session.get(ReviewCard, card.id)
    db.session.add(
        record_review(
            row,
            correct=correct,
            hard=False,
            duration_ms=1000,
            now=now,
            target_retention=0.9,
            version_id=None,
        )
    )
    db.session.commit()
    return row


def test_new_questions_come_worst_first_and_a_few_a_day(camp_day):
    _organiser, _cohort, student, questions, _quiz = camp_day
    now = utcnow()
    settings = Settings(new_per_day=2)
    first = next_card(student, now, settings)
    assert first.question_id == questions[1].id  # got 0 of it
    _answer(first, True, now)
    second = next_card(student, now, settings)
    assert second.question_id == questions[2].id  # half marks
    _answer(second, True, now)
    assert next_card(student, now, settings) is None  # two new a day
    tomorrow = now + timedelta(days=1)
    assert next_card(student, tomorrow, settings).question_id == questions[0].id


def test_due_cards_come_before_new_ones(camp_day):
    _organiser, _cohort, student, _questions, _quiz = camp_day
    now = utcnow()
    card = next_card(student, now, DEFAULTS)
    later = _answer(card, False, now).due  # wrong: due again soon
    assert next_card(student, later, DEFAULTS).id == card.id


def test_today_is_the_camps_day(app, camp_day):
    app.config["CAMP_TIMEZONE"] = "Asia/Shanghai"
    start, end = day_bounds(datetime(2026, 7, 6, 17, 0, tzinfo=UTC))  # 01:00 on the 7th there
    assert start == datetime(2026, 7, 6, 16, 0, tzinfo=UTC)
    assert end == datetime(2026, 7, 7, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("answers_shown", "held"),
    [
        (ReviewWhen.IMMEDIATELY, False),
        (ReviewWhen.AFTER_LAST_ATTEMPT, True),
        (ReviewWhen.AFTER_CLOSE, True),
        (ReviewWhen.NEVER, True),
    ],
)
def test_a_question_of_an_open_quiz_that_hides_its_answers_is_held_back(
    camp_day, make, answers_shown, held
):
    _organiser, cohort, student, questions, _quiz = camp_day
    exam = make.quiz([questions[1]], title="Exam", review_answers=answers_shown)
    now = utcnow()
    db.session.add(QuizWindow(quiz_id=exam.id, cohort_id=cohort.id, opens_at=now - timedelta(1)))
    db.session.commit()
    assert (questions[1].id in held_questions(student, now)) is held
    card = next_card(student, now, DEFAULTS)
    assert (card.question_id == questions[1].id) is not held
    # Once the exam has closed, its answers may be shown: the question comes back.
    window = db.session.scalar(select(QuizWindow).where(QuizWindow.quiz_id == exam.id))
    window.closes_at = now + timedelta(hours=1)
    db.session.commit()
    after = now + timedelta(hours=2)
    if answers_shown != ReviewWhen.NEVER:
        assert questions[1].id not in held_questions(student, after)


def test_a_question_of_an_attempt_in_progress_is_held_back(camp_day, make):
    _organiser, _cohort, student, questions, _quiz = camp_day
    retake = make.quiz([questions[1]], title="Retake", review_answers=ReviewWhen.IMMEDIATELY)
    services.start_attempt(student, retake, utcnow())
    db.session.commit()
    assert questions[1].id in held_questions(student, utcnow())


def test_a_held_due_card_waits(camp_day, make):
    _organiser, cohort, student, questions, _quiz = camp_day
    now = utcnow()
    card = next_card(student, now, Settings(new_per_day=1))
    assert card.question_id == questions[1].id
    _answer(card, False, now)
    exam = make.quiz([questions[1]], review_answers=ReviewWhen.AFTER_CLOSE)
    db.session.add(QuizWindow(quiz_id=exam.id, cohort_id=cohort.id, opens_at=now))
    db.session.commit()
    assert next_card(student, card.due, Settings(new_per_day=0)) is None


def test_a_student_reviews_only_what_they_met(camp_day, make):
    _organiser, _cohort, _student, _questions, quiz = camp_day
    newcomer = make.user()
    assert next_card(newcomer, utcnow(), DEFAULTS) is None
    took(newcomer, quiz, [1.0, 1.0, 1.0])
    assert next_card(newcomer, utcnow(), DEFAULTS) is not None
    assert db.session.scalar(select(ReviewCard.user_id).where(ReviewCard.user_id == newcomer.id))


def test_then_unmet_questions_of_a_weak_objective(make):
    student = make.user()
    module = make.module()  # its objective is tagged obj-a
    asked = make.choice_question(right="Asked", tags=("obj-a",))
    unseen = make.choice_question(right="Unseen", tags=("obj-a",))
    make.choice_question(right="Elsewhere", tags=("obj-b",))
    quiz = make.quiz([asked], module_id=module.id, review_answers=ReviewWhen.IMMEDIATELY)
    took(student, quiz, [0.0])  # obj-a: no credit at all
    now = utcnow()
    first = next_card(student, now, DEFAULTS)
    assert first.question_id == asked.id  # what they met comes first
    _answer(first, True, now)
    assert next_card(student, now, DEFAULTS).question_id == unseen.id


def test_no_weak_objective_no_unmet_question(make):
    student = make.user()
    module = make.module()
    asked = make.choice_question(tags=("obj-a",))
    make.choice_question(tags=("obj-a",))
    quiz = make.quiz([asked], module_id=module.id, review_answers=ReviewWhen.IMMEDIATELY)
    took(student, quiz, [1.0])  # obj-a mastered
    now = utcnow()
    _answer(next_card(student, now, DEFAULTS), True, now)
    assert next_card(student, now, DEFAULTS) is None


def test_another_cohorts_window_neither_holds_nor_frees_a_question(camp_day, make):
    """A quiz with windows for two cohorts: the student's own, open, decides; the other
    cohort's, long closed, changes nothing."""
    organiser, cohort, student, questions, _quiz = camp_day
    other = make.cohort("Other", organiser=organiser)
    exam = make.quiz([questions[1]], title="Exam", review_answers=ReviewWhen.AFTER_CLOSE)
    now = utcnow()
    db.session.add_all(
        [
            QuizWindow(
                quiz_id=exam.id,
                cohort_id=other.id,
                opens_at=now - timedelta(days=9),
                closes_at=now - timedelta(days=8),
            ),
            QuizWindow(quiz_id=exam.id, cohort_id=cohort.id, opens_at=now - timedelta(1)),
        ]
    )
    db.session.commit()
    assert questions[1].id in held_questions(student, now)


def test_a_pre_test_is_held_until_the_post_test_closes(camp_day, make):
    """A pre-test that shows its answers at once still holds its questions back while the
    cohort's post-test is open (camp.gain.hold)."""
    _organiser, cohort, student, questions, _quiz = camp_day
    pre = make.quiz([questions[1]], title="Pre", review_answers=ReviewWhen.IMMEDIATELY)
    post = make.quiz([questions[2]], title="Post", review_answers=ReviewWhen.IMMEDIATELY)
    now = utcnow()
    db.session.add_all(
        [
            QuizWindow(quiz_id=pre.id, cohort_id=cohort.id, opens_at=now - timedelta(1)),
            QuizWindow(
                quiz_id=post.id,
                cohort_id=cohort.id,
                opens_at=now - timedelta(1),
                closes_at=now + timedelta(hours=1),
            ),
            PrePostPair(cohort_id=cohort.id, pre_quiz_id=pre.id, post_quiz_id=post.id),
        ]
    )
    db.session.commit()
    assert questions[1].id in held_questions(student, now)
    assert questions[1].id not in held_questions(student, now + timedelta(hours=2))
