"""The learning-gain page of a cohort worked out by hand (tests/gain/worked.py): the numbers
per cohort, objective and student, the reasons in words, the coverage, the edge cases
explained, the chart beside its table, the CSV; and who may see it."""

from __future__ import annotations

import csv
import io
import re

import pytest

from camp.accounts.models import Role
from camp.gain.report import cohort_gain, sitting
from camp.gain.scores import CountedScore
from camp.reports.gain import Sitting
from tests.gain.worked import worked_cohort


@pytest.fixture
def worked(make):
    return worked_cohort(make)


def url(worked, csv_format=False):
    return f"/organiser/cohorts/{worked.cohort.id}/gain" + ("?format=csv" if csv_format else "")


def text_of(html: str) -> str:
    """The page's words, tags dropped and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def table_rows(html: str, table_class: str) -> list[list[str]]:
    """Each body row of the table with `table_class` as the texts of its cells."""
    table = html.split(f'class="report-table stacked {table_class}"', 1)[1].split("</table>")[0]
    body = table.split("<tbody", 1)[1]
    return [
        [text_of(cell) for cell in re.findall(r"<t[hd]\b.*?</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr\b.*?</tr>", body, re.S)
    ]


def rows_of(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_a_counted_attempt_becomes_a_sitting():
    assert sitting(None) is None
    graded = CountedScore(50.0, {"law": 100.0, "cases": 0.0})
    assert sitting(graded) == Sitting(50.0, {"law": 100.0, "cases": 0.0})
    # An answer awaiting grading holds back the total and its objectives, not the others.
    waiting = CountedScore(
        75.0, {"law": 100.0, "cases": 50.0}, awaiting_grading=1, pending_objectives={"law"}
    )
    assert sitting(waiting) == Sitting(None, {"law": None, "cases": 50.0})


def test_the_report_of_the_worked_cohort(worked):
    gain = cohort_gain(worked.cohort)
    assert gain is not None
    report = gain.report
    assert (gain.pre_title, gain.post_title, gain.awaiting_answers) == (
        "Day 1 test",
        "Day 5 test",
        1,
    )
    overall = report.overall
    assert overall.students == 3 and overall.at_ceiling == 1 and overall.individual_students == 2
    assert overall.pre_mean == pytest.approx(200 / 3)
    assert overall.post_mean == pytest.approx(75.0)
    assert overall.class_gain == pytest.approx(0.25) and overall.low
    assert overall.individual_gain == pytest.approx(1 / 3)
    law, cases = report.objectives
    assert (law.tag, law.title, cases.tag) == ("law", "Copyright law", "cases")
    assert law.students == 3 and law.awaiting_grading == 1 and law.at_ceiling == 2
    assert law.pre_mean == pytest.approx(250 / 3) and law.post_mean == pytest.approx(100.0)
    assert law.class_gain == pytest.approx(1.0) and not law.low
    assert law.individual_gain == pytest.approx(1.0) and law.individual_gain_ci is None
    assert cases.students == 4 and cases.pre_mean == pytest.approx(50.0)
    assert cases.post_mean == pytest.approx(62.5) and cases.class_gain == pytest.approx(0.25)
    assert cases.individual_gain == pytest.approx(0.5) and cases.low
    by_name = {s.name: s.overall for s in report.students}
    assert list(by_name) == ["Ann", "Bo", "Cy", "Di", "Ed", "Fay", "Gus"]
    assert by_name["Ann"].gain == pytest.approx(2 / 3) and by_name["Bo"].gain == 0.0
    reasons = {name: cell.reason for name, cell in by_name.items()}
    assert reasons == {
        "Ann": None,
        "Bo": None,
        "Cy": "ceiling",
        "Di": "no_post",
        "Ed": "no_pre",
        "Fay": "pending",
        "Gus": "neither",
    }
    coverage = report.coverage
    assert (coverage.both, coverage.awaiting_grading) == (3, 1)
    assert (coverage.only_pre, coverage.only_post, coverage.neither) == (1, 1, 1)


def test_the_page_shows_the_numbers_the_reasons_and_the_edge_cases(client, login, worked):
    login(worked.organiser)
    response = client.get(url(worked))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    rows = table_rows(html, "gain-table")
    means = [[row[0], row[1], row[2].split()[0], row[3].split()[0]] for row in rows]
    assert means == [
        ["Whole test", "3 1 more awaiting grading", "66.7%", "75.0%"],
        ["Copyright law (law)", "3 1 more awaiting grading", "83.3%", "100.0%"],
        ["Case analysis (cases)", "4", "50.0%", "62.5%"],
    ]
    gains = [[row[4].split()[0], row[5].split()[0], row[6]] for row in rows]
    assert gains == [
        ["0.25", "0.33", "Low gain"],
        ["1.00", "1.00", "not low"],
        ["0.25", "0.50", "Low gain"],
    ]
    assert "1 at 100% on the pre-test left out" in rows[0][5]
    assert "2 at 100% on the pre-test left out" in rows[1][5]
    assert "95% interval" in rows[0][2]  # three students or more: an interval
    students = table_rows(html, "gain-students")
    none = "\N{EN DASH} no score"  # a dash to see, words to hear
    assert students == [
        ["Ann", "25.0%", "75.0%", "0.67"],
        ["Bo", "75.0%", "75.0%", "0.00"],
        ["Cy", "100.0%", "75.0%", "pre-test at 100%: no room to gain, gain undefined"],
        ["Di", "0.0%", none, "no post-test"],
        ["Ed", none, "25.0%", "no pre-test"],
        ["Fay", "50.0%", none, "awaiting grading"],
        ["Gus", none, none, "took neither test"],
    ]
    words = text_of(html)
    headline = "Whole test: class gain 0.25, from 3 students with both tests. Low gain (below 0.3)"
    assert headline in words
    for fact in (
        "Students in the cohort 7",
        "Both tests, graded (counted) 3",
        "Both tests, awaiting grading 1",
        "Only the pre-test 1",
        "Only the post-test 1",
        "Neither test 1",
        "Answers awaiting grading 1",
    ):
        assert fact in words, fact
    for edge_case in ("Pre-test at 100%", "missing one test", "Retakes", "awaiting grading"):
        assert edge_case in words, edge_case
    assert '<svg class="chart gain-chart"' in html and "<caption>" in html
    assert 'scope="col"' in html and 'scope="row"' in html
    assert "Pair other quizzes" in words and "Make both tests" in words  # the forms stay


def test_the_csv_has_the_overall_row_each_objective_and_each_student(client, login, worked):
    login(worked.organiser)
    response = client.get(url(worked, csv_format=True))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=cohort-{worked.cohort.id}-gain.csv"
    )
    assert response.headers["Cache-Control"] == "no-store"
    header, *rows = rows_of(response.data)
    assert header[:5] == ["Row", "Name", "Objective tag", "Students with both tests", "Pre-test %"]
    assert header[-3:] == ["Low gain", "Gain", "Note"]
    assert all(len(row) == len(header) for row in rows)
    cells = [dict(zip(header, row, strict=True)) for row in rows]
    assert [(c["Row"], c["Name"], c["Objective tag"]) for c in cells[:3]] == [
        ("Cohort", "Whole test", ""),
        ("Objective", "Copyright law", "law"),
        ("Objective", "Case analysis", "cases"),
    ]
    whole, law, cases = cells[:3]
    assert (whole["Pre-test %"], whole["Post-test %"]) == ("66.7", "75.0")
    assert (whole["Class gain"], whole["Mean individual gain"], whole["Low gain"]) == (
        "0.25",
        "0.333",
        "yes",
    )
    assert (whole["Students with a pre-test of 100%"], whole["Awaiting grading"]) == ("1", "1")
    assert float(whole["Class gain, 95% CI low"]) <= 0.25 <= float(whole["Class gain, 95% CI high"])
    assert (law["Class gain"], law["Low gain"], law["Mean individual gain, 95% CI low"]) == (
        "1.0",
        "no",
        "",
    )
    assert cases["Students with both tests"] == "4" and cases["Class gain"] == "0.25"
    columns = ("Row", "Name", "Pre-test %", "Post-test %", "Gain", "Note")
    students = [tuple(c[column] for column in columns) for c in cells[3:]]
    assert students == [
        ("Student", "Ann", "25.0", "75.0", "0.667", ""),
        ("Student", "Bo", "75.0", "75.0", "0.0", ""),
        ("Student", "Cy", "100.0", "75.0", "", "pre-test at 100%: no room to gain, gain undefined"),
        ("Student", "Di", "0.0", "", "", "no post-test"),
        ("Student", "Ed", "", "25.0", "", "no pre-test"),
        ("Student", "Fay", "50.0", "", "", "awaiting grading"),
        ("Student", "Gus", "", "", "", "took neither test"),
    ]


def test_without_a_pair_the_page_offers_the_forms_and_the_csv_is_not_found(client, login, make):
    organiser = make.user(Role.ORGANISER)
    cohort = make.cohort("No pair", organiser=organiser)
    login(organiser)
    page = client.get(f"/organiser/cohorts/{cohort.id}/gain").get_data(as_text=True)
    assert "no pre-test and post-test yet" in page and "Learning gain for the whole" not in page
    assert client.get(f"/organiser/cohorts/{cohort.id}/gain?format=csv").status_code == 404


def test_only_the_cohorts_organisers_see_the_page_and_its_csv(client, login, worked, make):
    admin = make.user(Role.ADMIN)
    for visitor, status in (
        (worked.other_organiser, 403),
        (worked.students["Ann"], 403),
        (admin, 200),
    ):
        login(visitor)
        assert client.get(url(worked)).status_code == status
        assert client.get(url(worked, csv_format=True)).status_code == status


def test_a_pair_nobody_has_taken_yet(client, login, make):
    worked = worked_cohort(make, marks={"Ann": (None, None), "Bo": ([1, 1, 0, 0], None)})
    login(worked.organiser)
    html = client.get(url(worked)).get_data(as_text=True)
    words = text_of(html)
    assert "Whole test: no class gain yet (no student has both scores)." in words
    assert "No student has both scores yet, so there is nothing to compare." in words
    assert "<svg" not in html
    header, *rows = rows_of(client.get(url(worked, csv_format=True)).data)
    assert [row[0] for row in rows] == ["Cohort", "Objective", "Objective", "Student", "Student"]
    assert rows[0][header.index("Note")] == "no student has both scores"
    assert rows[0][header.index("Low gain")] == ""
