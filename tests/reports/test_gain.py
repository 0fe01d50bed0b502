"""The learning gain (camp.reports.gain) on a cohort worked out by hand, its edge cases,
and its bootstrap intervals. Pure code: no app, no database."""

from __future__ import annotations

import math
import random
from dataclasses import replace

import pytest

from camp.reports.gain import (
    LOW_GAIN,
    Objective,
    Sitting,
    StudentScores,
    gain_report,
)

LAW = Objective("law", "Copyright law")
CASES = Objective("cases", "Case analysis")
TERMS = Objective("terms", "Key terms")  # everyone who counts started at 100 %
ETHICS = Objective("ethics", "Ethics")  # on the post-test only
OBJECTIVES = [LAW, CASES, TERMS, ETHICS]


def student(user_id, name, pre, post):
    return StudentScores(user_id, name, pre, post)


def cohort():
    """Eight students. Totals (pre -> post) and objective scores in percent:

    id name  total       law        cases       terms
    1  Ann   40 -> 70    50 -> 100  30 -> 40    100 -> 100
    2  Bo    60 -> 90    25 -> 75   100 -> 100  100 -> 90
    3  Cy    100 -> 90   100 -> 100 100 -> 80   -
    4  Di    50 -> 40    80 -> 60   20 -> 20    -
    5  Ed    70 -> (no post-test)
    6  Fay   (no pre-test) -> 80
    7  Gus   30 -> (essay awaiting grading)   law 40 -> 80, cases 20 -> (awaiting)
    8  Hal   (neither test)
    Ethics is on the post-test only (Ann 90, Bo 60, ...): nobody has both scores.
    """
    return [
        student(
            1,
            "Ann",
            Sitting(40, {"law": 50, "cases": 30, "terms": 100}),
            Sitting(70, {"law": 100, "cases": 40, "terms": 100, "ethics": 90}),
        ),
        student(
            2,
            "Bo",
            Sitting(60, {"law": 25, "cases": 100, "terms": 100}),
            Sitting(90, {"law": 75, "cases": 100, "terms": 90, "ethics": 60}),
        ),
        student(
            3,
            "Cy",
            Sitting(100, {"law": 100, "cases": 100}),
            Sitting(90, {"law": 100, "cases": 80, "ethics": 70}),
        ),
        student(
            4,
            "Di",
            Sitting(50, {"law": 80, "cases": 20}),
            Sitting(40, {"law": 60, "cases": 20, "ethics": 50}),
        ),
        student(5, "Ed", Sitting(70, {"law": 70, "cases": 70}), None),
        student(6, "Fay", None, Sitting(80, {"law": 80, "cases": 80, "ethics": 80})),
        student(
            7,
            "Gus",
            Sitting(30, {"law": 40, "cases": 20}),
            Sitting(None, {"law": 80, "cases": None, "ethics": 40}),
        ),
        student(8, "Hal", None, None),
    ]


@pytest.fixture(scope="module")
def report():
    return gain_report(cohort(), OBJECTIVES)


def exactly(value):
    return pytest.approx(value, rel=1e-12, abs=1e-12)


def test_the_whole_test_row_worked_by_hand(report):
    row = report.overall
    # Both totals known: Ann, Bo, Cy, Di (Ed: no post; Fay: no pre; Gus: awaiting; Hal: none).
    assert row.students == 4
    assert row.pre_mean == exactly((40 + 60 + 100 + 50) / 4)  # 62.5
    assert row.post_mean == exactly((70 + 90 + 90 + 40) / 4)  # 72.5
    # Hake's class gain: (72.5 - 62.5) / (100 - 62.5) = 10 / 37.5 = 4/15 = 0.2667, low.
    assert row.class_gain == exactly(4 / 15)
    assert row.low and row.class_gain < LOW_GAIN
    # Individual gains: Ann 30/60 = 0.5, Bo 30/40 = 0.75, Di -10/50 = -0.2 (negative
    # kept); Cy started at 100 %: no gain, left out. Mean: 1.05 / 3 = 0.35.
    assert row.individual_gain == exactly(0.35)
    assert (row.individual_students, row.at_ceiling) == (3, 1)
    assert row.awaiting_grading == 1  # Gus's post-test total
    assert row.undefined is None


def test_objective_rows_worked_by_hand(report):
    law, cases, terms, ethics = report.objectives
    assert [r.tag for r in report.objectives] == ["law", "cases", "terms", "ethics"]
    assert law.title == "Copyright law"
    # Law: Ann, Bo, Cy, Di and Gus (his law score is graded even though an essay is not).
    assert law.students == 5
    assert law.pre_mean == exactly((50 + 25 + 100 + 80 + 40) / 5)  # 59
    assert law.post_mean == exactly((100 + 75 + 100 + 60 + 80) / 5)  # 83
    assert law.class_gain == exactly(24 / 41)  # (83 - 59) / (100 - 59) = 0.585
    # Ann 50/50 = 1, Bo 50/75 = 2/3, Di -20/20 = -1, Gus 40/60 = 2/3; Cy at 100 %.
    assert law.individual_gain == exactly((1 + 2 / 3 - 1 + 2 / 3) / 4)  # 1/3
    assert (law.individual_students, law.at_ceiling, law.low) == (4, 1, False)

    # Cases: Gus's essay awaits grading, so Ann, Bo, Cy, Di.
    assert (cases.students, cases.awaiting_grading) == (4, 1)
    assert cases.pre_mean == exactly(62.5)  # (30 + 100 + 100 + 20) / 4
    assert cases.post_mean == exactly(60)  # (40 + 100 + 80 + 20) / 4
    assert cases.class_gain == exactly(-1 / 15)  # -2.5 / 37.5: negative, and low
    assert cases.individual_gain == exactly((1 / 7 + 0) / 2)  # Ann 10/70, Di 0/80
    assert (cases.individual_students, cases.at_ceiling, cases.low) == (2, 2, True)

    # Terms: Ann and Bo both started at 100 %: no gain either way, not flagged low.
    assert (terms.students, terms.pre_mean, terms.post_mean) == (2, 100, 95)
    assert terms.class_gain is None and terms.individual_gain is None
    assert terms.class_gain_ci is None and terms.individual_gain_ci is None
    assert (terms.undefined, terms.at_ceiling, terms.low) == ("ceiling", 2, False)

    # Ethics was not on the pre-test: no student has both scores.
    assert (ethics.students, ethics.pre_mean, ethics.undefined) == (0, None, "no_students")
    assert ethics.pre_ci is None and not ethics.low


def test_coverage_partitions_the_cohort(report):
    c = report.coverage
    assert (c.both, c.awaiting_grading, c.only_pre, c.only_post, c.neither) == (4, 1, 1, 1, 1)
    assert c.total == 8


def test_each_student_has_a_gain_or_a_reason(report):
    by_name = {s.name: s for s in report.students}
    assert [s.user_id for s in report.students] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert by_name["Ann"].overall == (40, 70, exactly(0.5), None)
    assert by_name["Di"].overall.gain == exactly(-0.2)
    assert by_name["Cy"].overall == (100, 90, None, "ceiling")
    assert by_name["Ed"].overall == (70, None, None, "no_post")
    assert by_name["Fay"].overall == (None, 80, None, "no_pre")
    assert by_name["Gus"].overall == (30, None, None, "pending")
    assert by_name["Hal"].overall == (None, None, None, "neither")
    gus_law, gus_cases, gus_terms, gus_ethics = by_name["Gus"].objectives
    assert gus_law == (40, 80, exactly(2 / 3), None)
    assert gus_cases.reason == "pending"
    assert gus_terms.reason == "neither"  # on neither of his tests
    assert gus_ethics.reason == "no_pre"


def test_intervals_contain_the_estimates_and_are_deterministic(report):
    for row in (report.overall, *report.objectives[:2]):
        for estimate, ci in [
            (row.pre_mean, row.pre_ci),
            (row.post_mean, row.post_ci),
            (row.class_gain, row.class_gain_ci),
            (row.individual_gain, row.individual_gain_ci),
        ]:
            assert ci is not None and ci.low <= estimate <= ci.high, (row.tag, estimate, ci)
    assert report.resamples == 2000
    again = gain_report(cohort(), OBJECTIVES)
    assert again == report
    shuffled = cohort()
    random.Random(4).shuffle(shuffled)
    assert gain_report(shuffled, OBJECTIVES).overall == report.overall  # order is irrelevant
    other = gain_report(cohort(), OBJECTIVES, seed=report.seed + 1)
    assert other.overall.class_gain_ci != report.overall.class_gain_ci


def test_resamples_without_room_to_gain_are_dropped():
    # Two students, one at 100 %: a quarter of resamples draw her twice (pre mean 100 %).
    two = [
        student(1, "A", Sitting(100), Sitting(100)),
        student(2, "B", Sitting(50), Sitting(75)),
    ]
    row = gain_report(two, []).overall
    assert row.class_gain == exactly(12.5 / 25)  # (87.5 - 75) / (100 - 75)
    assert row.pre_ci.resamples == 2000
    assert 1350 < row.class_gain_ci.resamples < 1650
    assert row.individual_gain_ci is None  # one student below the ceiling


def test_intervals_widen_when_the_cohort_shrinks():
    pattern = [(40, 70), (60, 90), (50, 40), (20, 65), (70, 80), (30, 30), (45, 90), (80, 95)]

    def cohort_of(copies):
        pairs = pattern * copies
        return [student(i, f"S{i}", Sitting(a), Sitting(b)) for i, (a, b) in enumerate(pairs)]

    def width(ci):
        return ci.high - ci.low

    small, large = gain_report(cohort_of(1), []).overall, gain_report(cohort_of(9), []).overall
    assert small.class_gain == exactly(large.class_gain)
    for attribute in ("pre_ci", "post_ci", "class_gain_ci", "individual_gain_ci"):
        # Nine times the students: about a third of the width.
        assert width(getattr(small, attribute)) > 2 * width(getattr(large, attribute))


def test_no_students_and_one_student_do_not_fail():
    empty = gain_report([], [LAW])
    assert empty.coverage.total == 0 and empty.students == ()
    assert (empty.overall.students, empty.overall.undefined) == (0, "no_students")
    assert empty.objectives[0].class_gain is None and empty.objectives[0].pre_ci is None

    one = gain_report([student(1, "A", Sitting(40, {"law": 20}), Sitting(70, {"law": 60}))], [LAW])
    assert one.overall.class_gain == exactly(0.5)
    assert one.objectives[0].individual_gain == exactly(0.5)
    assert one.overall.pre_ci is None and one.overall.class_gain_ci is None  # not from one


def test_scores_off_the_scale_are_refused_and_rounding_is_forgiven():
    with pytest.raises(ValueError, match="user 1"):
        gain_report([student(1, "A", Sitting(101), Sitting(50))], [])
    with pytest.raises(ValueError, match="objective 'law'"):
        gain_report([student(1, "A", Sitting(50, {"law": math.nan}), Sitting(50))], [LAW])
    with pytest.raises(ValueError, match="twice"):
        gain_report([student(1, "A", None, None), student(1, "B", None, None)], [])
    nearly = 100 + 1e-12  # a mean of fractions can land a hair above 100 %
    row = gain_report([student(1, "A", Sitting(nearly), Sitting(nearly))], []).overall
    assert (row.pre_mean, row.at_ceiling, row.students) == (100, 1, 1)


def test_a_test_not_taken_is_not_a_zero():
    students = cohort()
    students[4] = replace(students[4], post=Sitting(0, {"law": 0, "cases": 0}))  # Ed: 0 %
    with_zero = gain_report(students, OBJECTIVES).overall
    assert with_zero.students == 5  # Ed now counts, and pulls the gain down
    assert with_zero.class_gain < gain_report(cohort(), OBJECTIVES).overall.class_gain
