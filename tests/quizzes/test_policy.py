"""Pure quiz rules: grading methods, review visibility, limits and deadlines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from camp.quizzes import policy
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
