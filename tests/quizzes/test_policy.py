"""Pure quiz rules: grading methods, review visibility, who may take a quiz, limits,
windows and deadlines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from camp.quizzes import policy
from camp.quizzes.errors import NotInCohort, QuizNotOpen
from camp.quizzes.models import ReviewWhen

NOW = datetime(2026, 8, 20, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("method", "expected"),
    [("highest", 0.9), ("average", 0.6), ("first", 0.4), ("last", 0.5)],
)
def test_grading_methods(method, expected):
    assert policy.final_grade(method, [0.4, 0.9, 0.5]) == pytest.approx(expected)


def test_no_finished_attempt_means_no_grade():
    assert policy.final_grade("highest", []) is None


def test_attempt_score_waits_for_hand_grading():
    assert policy.attempt_score([1.0, 0.5]) == 0.75
    assert policy.attempt_score([1.0, None]) is None


SETTINGS = {
    "score": ReviewWhen.IMMEDIATELY,
    "responses": ReviewWhen.IMMEDIATELY,
    "marks": ReviewWhen.AFTER_CLOSE,
    "feedback": ReviewWhen.AFTER_LAST_ATTEMPT,
    "answers": ReviewWhen.NEVER,
}


def test_review_policy_while_attempts_remain_and_quiz_open():
    seen = policy.review_visibility(SETTINGS, attempts_left=2, closed=False)
    assert (seen.score, seen.responses, seen.marks, seen.feedback, seen.answers) == (
        True,
        True,
        False,
        False,
        False,
    )


def test_review_policy_after_the_last_attempt():
    seen = policy.review_visibility(SETTINGS, attempts_left=0, closed=False)
    assert seen.feedback and not seen.marks and not seen.answers


def test_review_policy_after_close():
    seen = policy.review_visibility(SETTINGS, attempts_left=2, closed=True)
    assert seen.marks and seen.feedback and not seen.answers


def test_unlimited_attempts_never_reach_the_last_attempt():
    seen = policy.review_visibility(SETTINGS, attempts_left=None, closed=False)
    assert not seen.feedback


def test_extra_time_and_attempts_are_added():
    limits = policy.limits_for(
        time_limit_minutes=15, attempts_allowed=2, extra_minutes=10, extra_attempts=1
    )
    assert limits.deadline(NOW) == NOW + timedelta(minutes=25)
    assert limits.attempts_left(2) == 1


def test_deadline_is_capped_at_the_close_time():
    limits = policy.limits_for(
        time_limit_minutes=60, attempts_allowed=None, closes_at=NOW + timedelta(minutes=5)
    )
    assert limits.deadline(NOW) == NOW + timedelta(minutes=5)


def test_grace_period():
    deadline = NOW
    assert policy.accepts_responses(deadline, NOW + policy.GRACE)
    assert not policy.accepts_responses(deadline, NOW + policy.GRACE + timedelta(seconds=1))


@pytest.mark.parametrize(
    ("quiz_has_windows", "in_windowed_cohort", "allowed"),
    [(False, False, True), (True, False, False), (True, True, True)],
)
def test_a_quiz_with_windows_is_only_for_their_cohorts(
    quiz_has_windows, in_windowed_cohort, allowed
):
    assert (
        policy.may_take(quiz_has_windows=quiz_has_windows, in_windowed_cohort=in_windowed_cohort)
        is allowed
    )


def test_the_most_generous_window_applies():
    early, late = NOW - timedelta(days=1), NOW + timedelta(days=1)
    assert policy.most_generous([]) == (None, None)
    assert policy.most_generous([(NOW, late), (early, NOW + timedelta(hours=1))]) == (early, late)
    assert policy.most_generous([(NOW, late), (None, NOW)]) == (None, late)
    assert policy.most_generous([(NOW, None), (early, late)]) == (early, None)


def test_no_start_for_someone_the_quiz_is_not_for_even_when_open():
    limits = policy.limits_for(time_limit_minutes=None, attempts_allowed=None, eligible=False)
    assert limits.is_open(NOW)
    assert isinstance(policy.start_refusal(limits, 0, NOW), NotInCohort)


def test_not_open_yet_is_said_to_those_it_is_for():
    limits = policy.limits_for(
        time_limit_minutes=None, attempts_allowed=None, opens_at=NOW + timedelta(hours=1)
    )
    refusal = policy.start_refusal(limits, 0, NOW)
    assert isinstance(refusal, QuizNotOpen) and str(refusal) == "This quiz is not open yet."
