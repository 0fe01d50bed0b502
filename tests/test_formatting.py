"""Dates, times, percentages and numbers as each language writes them, in the camp's time
zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from camp.templating import format_datetime, format_number, format_percent, format_score
from tests.conftest import make_app

MOMENT = datetime(2026, 12, 3, 23, 44, tzinfo=UTC)


@pytest.fixture
def shanghai(monkeypatch, tmp_path):
    monkeypatch.setenv("CAMP_TIMEZONE", "Asia/Shanghai")
    return make_app("sqlite://", tmp_path)


@pytest.mark.parametrize(
    ("language", "plain", "with_zone"),
    [
        ("en", "Dec 4, 2026, 07:44", "Dec 4, 2026, 07:44 (China Standard Time)"),
        ("zh-CN", "2026年12月4日 07:44", "2026年12月4日 07:44（中国标准时间）"),
    ],
)
def test_a_moment_is_shown_in_the_camps_zone_and_language(shanghai, language, plain, with_zone):
    with shanghai.test_request_context("/", headers={"Accept-Language": language}):
        assert format_datetime(MOMENT) == plain
        assert format_datetime(MOMENT, zone=True) == with_zone
        assert format_datetime(None) == ""


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_percentages_round_half_up_in_every_language(shanghai, language):
    with shanghai.test_request_context("/", headers={"Accept-Language": language}):
        assert format_percent(0.125) == "13%"
        assert format_percent(0.125, 1) == "12.5%"
        assert format_percent(0.0) == "0%"
        assert format_percent(None) == "\u2013"


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_scores_in_percent_and_gains_round_half_up(shanghai, language):
    with shanghai.test_request_context("/", headers={"Accept-Language": language}):
        assert format_score(12.25) == "12.3%"  # no float detour through a fraction
        assert format_score(100.0, 0) == "100%" and format_score(None) == "\u2013"
        assert format_number(0.125) == "0.13" and format_number(-0.5) == "-0.50"
        assert format_number(1234.5, 1) == "1,234.5" and format_number(None) == "\u2013"
