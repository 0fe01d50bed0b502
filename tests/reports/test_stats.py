"""Quiz item statistics against a cohort worked out by hand."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import select

from camp.accounts.models import Role, User
from camp.extensions import db
from camp.reports import stats
from camp.reports.stats import flags_for, pearson
from tests.reports.conftest import choice_draft, later, take

# Four students, three one-mark questions, first attempts (1 = right, 0 = wrong):
#
#          Q1  Q2  Q3  total
#   S1      1   1   1    3
#   S2      1   1   0    2
#   S3      1   0   0    1
#   S4      0   0   1    1
#
# Facility (mean mark): Q1 3/4 = 0.75, Q2 2/4 = 0.5, Q3 2/4 = 0.5.
# Discrimination: r(x, y) with y = total - x (the rest of the attempt).
#   Q1: x = 1,1,1,0  y = 2,1,0,1  mean x 0.75, mean y 1
#       Σdx·dy = .25·1 + .25·0 + .25·(-1) + (-.75)·0 = 0               -> r = 0
#   Q2: x = 1,1,0,0  y = 2,1,1,1  mean x 0.5, mean y 1.25
#       Σdx·dy = .5·.75 + .5·(-.25) + (-.5)(-.25) + (-.5)(-.25) = 0.5
#       Σdx² = 1, Σdy² = .5625 + 3·.0625 = 0.75                         -> r = .5/√.75 = 1/√3
#   Q3: x = 1,0,0,1  y = 2,2,1,0  mean x 0.5, mean y 1.25
#       Σdx·dy = .375 - .375 + .125 - .625 = -0.5
#       Σdx² = 1, Σdy² = .5625 + .5625 + .0625 + 1.5625 = 2.75          -> r = -.5/√2.75
# Thirds of 4 attempts: 4 // 3 = 1 each; by total, ties by attempt order: top S1, bottom S4.
EXPECTED = {
    "h-1": (0.75, 0.0),
    "h-2": (0.5, 1 / math.sqrt(3)),
    "h-3": (0.5, -0.5 / math.sqrt(2.75)),
}


@pytest.fixture
def hand(make):
    questions = [make.question(choice_draft(f"R{i}", ("t",)), uid=f"h-{i}") for i in (1, 2, 3)]
    quiz = make.quiz(questions, attempts_allowed=None)
    pattern = {"S1": "123", "S2": "12", "S3": "1", "S4": "3"}
    students = {name: make.user(name=name) for name in pattern}
    for day, (name, right) in enumerate(pattern.items()):
        take(students[name], quiz, {f"h-{i}" for i in right}, later(day))
    # Not counted by default: S3's second attempt (all right) and an organiser trying it out.
    take(students["S3"], quiz, {"h-1", "h-2", "h-3"}, later(5))
    take(make.user(Role.ORGANISER), quiz, set(), later(6))
    return quiz


def test_facility_and_discrimination_match_the_hand_computation(hand):
    result = stats.quiz_stats(hand)
    assert result.which == "first"
    assert (result.counted, result.submitted, result.first_attempts) == (4, 5, 4)
    assert [q.uid for q in result.questions] == ["h-1", "h-2", "h-3"]
    for q in result.questions:
        facility, discrimination = EXPECTED[q.uid]
        assert q.n == 4
        assert q.facility == pytest.approx(facility)
        assert q.discrimination == pytest.approx(discrimination, abs=1e-9)
    flags = {q.uid: q.flags for q in result.questions}
    assert flags["h-1"] == ("weak discrimination (below 0.1)",)
    assert flags["h-2"] == ()
    assert flags["h-3"] == ("negative discrimination",)


def test_option_counts_split_by_top_and_bottom_third(hand):
    result = stats.quiz_stats(hand)
    assert result.band_size == 1
    q1, _, q3 = result.questions
    options = {o.text: (o.chosen, o.top, o.bottom, o.correct) for o in q1.options}
    assert options == {
        "R1": (3, 1, 0, True),
        "Wrong A": (1, 0, 1, False),
        "Wrong B": (0, 0, 0, False),
    }
    notes = {o.text: o.note for o in q3.options}
    assert notes["Wrong B"] == "nobody chose this distractor"
    assert q3.options[0].chosen == 2 and (q3.options[0].top, q3.options[0].bottom) == (1, 1)


def test_all_attempts_can_be_counted(hand):
    result = stats.quiz_stats(hand, "all")
    assert result.counted == 5
    assert [q.n for q in result.questions] == [5, 5, 5]
    assert result.questions[1].facility == pytest.approx(3 / 5)


def test_versions_are_grouped_by_question(make, hand):
    from camp.bank import services as bank

    question = bank.find_question("h-2")
    draft = choice_draft("R2", ("t",))
    bank.revise_question(question, draft.__class__(**{**draft.__dict__, "text": "Now pick R2"}))
    db.session.commit()
    hand.slots[1].question_id = question.id  # same question, the quiz now draws version 2
    db.session.commit()
    take(make.user(name="S5"), hand, {"h-2"}, later(7))
    q2 = stats.quiz_stats(hand).questions[1]
    assert q2.uid == "h-2"
    assert [(v.number, v.responses) for v in q2.versions] == [(1, 4), (2, 1)]
    assert q2.n == 5
    assert {o.text for o in q2.options} == {"R2", "Wrong A", "Wrong B"}


def test_pearson_and_flags_edge_cases():
    assert pearson(1, 1, 1, 1, 1, 1) is None
    assert pearson(3, 3, 3, 3, 5, 3) is None  # x never varies
    assert flags_for(0.1, None) == ("very hard (facility below 0.2)",)
    assert flags_for(0.99, 0.5) == ("very easy (facility above 0.95)",)
    assert flags_for(0.5, 0.3) == ()


def test_stats_page_names_the_counted_attempts_and_flags(client, login, make, hand):
    organiser = make.user(Role.ORGANISER)
    cohort = make.cohort("Hand", organiser=organiser)
    for student in db.session.scalars(select(User).where(User.role == Role.STUDENT)):
        make.member(cohort, student)
    login(organiser)
    page = client.get(f"/organiser/quizzes/{hand.id}/stats").get_data(as_text=True)
    assert "first attempt" in page and "4 of 5" in page
    assert "negative discrimination" in page and "nobody chose this distractor" in page
    assert "0.58" in page and "-0.30" in page
    assert 'style="' not in page
    every = client.get(f"/organiser/quizzes/{hand.id}/stats?attempts=all").get_data(as_text=True)
    assert "all</strong> 5" in every
