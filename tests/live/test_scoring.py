"""Points for an answer: Kahoot's rule, from the server's response time."""

from __future__ import annotations

import pytest

from camp.live.scoring import MAX_POINTS, points


@pytest.mark.parametrize(
    ("fraction", "elapsed_ms", "expected"),
    [
        (1.0, 0, 1000),  # instant
        (1.0, 20_000, 500),  # at the buzzer
        (1.0, 10_000, 750),  # half way
        (0.5, 0, 500),  # half right, instant
        (0.0, 0, 0),
        (1.0, 30_000, 500),  # in added time: clamped to the limit
        (1.0, -5, 1000),  # another worker's clock a little behind: clamped to 0
    ],
)
def test_speed_bonus_follows_kahoots_rule(fraction, elapsed_ms, expected):
    assert points(fraction, elapsed_ms, 20_000) == expected


def test_without_the_speed_bonus_time_does_not_matter():
    assert points(1.0, 19_999, 20_000, speed_bonus=False) == MAX_POINTS
    assert points(0.25, 0, 20_000, speed_bonus=False) == 250


def test_polls_open_questions_and_points_off_score_nothing():
    assert points(None, 0, 20_000) == 0
    assert points(1.0, 0, 20_000, scored=False) == 0


def test_fractions_outside_zero_to_one_are_clamped():
    assert points(1.5, 0, 20_000) == 1000
    assert points(-1.0, 0, 20_000) == 0
