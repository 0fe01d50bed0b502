"""A cohort's pre/post pair: who may make it, that the two forms share no question unless
the organiser wants them to, and that the pre-test shows no marks, feedback or answers
until the post-test closes, whatever the quiz's review options."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from camp.accounts.models import Role
from camp.audit.models import AuditEvent
from camp.db import utcnow
from camp.extensions import db
from camp.gain.hold import held_pre_tests
from camp.gain.models import PrePostPair
from camp.gain.pairs import PairRefused, pair_quizzes
from camp.quizzes import attempts, services
from camp.quizzes.models import Attempt, QuizWindow, ReviewWhen
from camp.quizzes.policy import REVIEW_ITEMS, review_visibility


@pytest.fixture
def camp_world(make):
    organiser = make.user(Role.ORGANISER, name="Olive")
    other = make.user(Role.ORGANISER, name="Otto")
    student = make.user(name="Sam")
    cohort = make.cohort("Cohort A", organiser=organiser)
    make.member(cohort, student)
    pre_q = make.choice_question(right="Geneva", text="Where is WIPO?")
    post_q = make.choice_question(right="1967", text="When was WIPO founded?")
    pre = make.quiz(
        [pre_q],
        title="Pre-test",
        review_feedback=ReviewWhen.IMMEDIATELY,
        review_answers=ReviewWhen.IMMEDIATELY,
    )
    post = make.quiz([post_q], title="Post-test")
    return organiser, other, student, cohort, pre, post, pre_q


def test_an_organiser_pairs_two_quizzes_with_no_question_in_common(camp_world):
    organiser, _other, _student, cohort, pre, post, _q = camp_world
    pair = pair_quizzes(cohort, pre, post, organiser)
    db.session.commit()
    assert (pair.pre_quiz_id, pair.post_quiz_id, pair.same_questions) == (pre.id, post.id, False)
    assert (
        db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "gain.pair"))
        == 1
    )
    again = pair_quizzes(cohort, post, pre, organiser)  # pairing again replaces the pair
    db.session.commit()
    assert again.id == pair.id and again.pre_quiz_id == post.id
    assert db.session.scalar(select(func.count(PrePostPair.id))) == 1


def test_quizzes_that_could_ask_the_same_question_are_refused_unless_wanted(camp_world, make):
    organiser, _other, _student, cohort, pre, _post, pre_q = camp_world
    overlapping = make.quiz([pre_q], title="Post-test, same question")
    with pytest.raises(PairRefused, match="1 of the same questions"):
        pair_quizzes(cohort, pre, overlapping, organiser)
    pair = pair_quizzes(cohort, pre, overlapping, organiser, same_questions=True)
    assert pair.same_questions is True


def test_a_second_organiser_and_a_single_quiz_are_refused(camp_world):
    organiser, other, _student, cohort, pre, post, _q = camp_world
    with pytest.raises(PairRefused, match="organisers"):
        pair_quizzes(cohort, pre, post, other)
    with pytest.raises(PairRefused, match="two different"):
        pair_quizzes(cohort, pre, pre, organiser)
    assert db.session.scalar(select(func.count(PrePostPair.id))) == 0


@pytest.mark.parametrize("when", list(ReviewWhen))
def test_a_held_pre_test_shows_score_and_responses_only(when):
    settings = {item: when for item in REVIEW_ITEMS}
    free = review_visibility(settings, attempts_left=0, closed=True)
    held = review_visibility(settings, attempts_left=0, closed=True, held=True)
    assert (held.score, held.responses) == (free.score, free.responses)
    assert not (held.marks or held.feedback or held.answers)


def test_the_pre_test_is_held_until_the_cohorts_post_test_closes(camp_world):
    organiser, _other, student, cohort, pre, post, _q = camp_world
    pair_quizzes(cohort, pre, post, organiser)
    now = utcnow()
    db.session.add(
        QuizWindow(quiz_id=post.id, cohort_id=cohort.id, closes_at=now + timedelta(days=2))
    )
    db.session.commit()
    assert held_pre_tests(student.id, now) == {pre.id}
    assert held_pre_tests(student.id, now + timedelta(days=3)) == frozenset()
    assert held_pre_tests(organiser.id + 1000, now) == frozenset()  # not a member


def test_the_review_page_hides_feedback_and_answers_of_a_held_pre_test(camp_world, client, login):
    organiser, _other, student, cohort, pre, post, _q = camp_world
    pair_quizzes(cohort, pre, post, organiser)
    window = QuizWindow(
        quiz_id=post.id, cohort_id=cohort.id, closes_at=utcnow() + timedelta(days=1)
    )
    db.session.add(window)
    db.session.commit()
    attempt = db.session.get(Attempt, services.start_attempt(student, pre, utcnow()))
    attempts.submit_attempt(attempt, utcnow())
    db.session.commit()
    login(student)
    page = client.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "Geneva is right" not in page and "The correct answer is" not in page
    window.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = client.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "The correct answer is" in page
