"""The cohort report: grid, statuses, sorting, filtering, pages, objectives, completion."""

from __future__ import annotations

import pytest

from camp.extensions import db
from camp.lessons import services as lessons
from camp.reports import cohort as grid
from camp.reports.cohort import GridOptions, cohort_report
from tests.reports.conftest import add_students, later, take


@pytest.fixture
def cohort_world(make, course):
    ada, bob, cy, dee, eve = add_students(make, course, ["Ada", "Bob", "Cy", "Dee", "Eve"])
    q1, q2 = course.quizzes
    everything = set(course.questions)
    take(ada, q1, everything, later(1))
    take(ada, q2, everything, later(2))  # passed all
    take(bob, q1, everything, later(2))  # passed one
    take(cy, q1, {"tr-1"}, later(3))  # tried, passed none
    lessons.mark_read(dee, course.modules[0])  # read a lesson only
    db.session.commit()
    return {"ada": ada, "bob": bob, "cy": cy, "dee": dee, "eve": eve}


def names(report):
    return [row.name for row in report.rows]


def test_statuses_follow_the_cohort_median(course, cohort_world):
    report = cohort_report(course.cohort, GridOptions())
    # passed counts: Ada 2, Bob 1, Cy 0, Dee 0, Eve 0 -> lower median 0.
    assert report.median_passed == 0
    assert report.status_counts == {"not_started": 1, "behind": 1, "on_track": 2, "passed": 1}
    status = {row.name: row.status for row in report.rows}
    assert status == {
        "Ada": "passed",
        "Bob": "on_track",
        "Cy": "behind",  # from day one: below the pass mark on every quiz tried
        "Dee": "on_track",
        "Eve": "not_started",
    }
    assert grid.status_of(0, True, 2, 1) == "behind"
    assert grid.status_of(0, True, 2, 0, tried=1) == "behind"
    assert grid.status_of(1, True, 2, 0, tried=2) == "on_track"
    behind = cohort_report(course.cohort, GridOptions(status="behind"))
    assert names(behind) == ["Cy"]  # the filter in SQL agrees with the counts


def test_overall_says_how_many_quizzes_were_tried(client, login, course, cohort_world):
    report = cohort_report(course.cohort, GridOptions())
    tried = {row.name: row.tried for row in report.rows}
    assert tried == {"Ada": 2, "Bob": 1, "Cy": 1, "Dee": 0, "Eve": 0}
    login(course.organiser)
    page = client.get(f"/organiser/cohorts/{course.cohort.id}/report").get_data(as_text=True)
    assert "1 of 2 tried" in page
    assert "a quiz not tried counts as 0" in page
    assert "below the pass mark on every quiz they tried" in page  # the status rule, shown


def test_cells_show_read_best_and_attempts(course, cohort_world):
    report = cohort_report(course.cohort, GridOptions())
    cy = next(row for row in report.rows if row.name == "Cy")
    assert cy.cells[0].state == "below" and cy.cells[0].best == pytest.approx(1 / 3)
    assert cy.cells[0].attempts == 1 and cy.cells[1].state == "not_attempted"
    dee = next(row for row in report.rows if row.name == "Dee")
    assert dee.cells[0].read and not dee.cells[1].read


def test_sort_filter_and_pages_in_sql(course, cohort_world, make):
    behind = add_students(make, course, ["Fay"])[0]
    take(behind, course.quizzes[0], set(), later(4))
    options = GridOptions.from_args({"sort": "passed", "dir": "desc"})
    assert names(cohort_report(course.cohort, options))[:2] == ["Ada", "Bob"]
    module = course.modules[0].id
    by_module = GridOptions.from_args({"sort": f"m{module}", "dir": "asc"})
    assert names(cohort_report(course.cohort, by_module))[:3] == ["Dee", "Eve", "Fay"]
    by_score = GridOptions.from_args({"sort": "score", "dir": "desc"})
    assert names(cohort_report(course.cohort, by_score)) == [
        "Ada",
        "Bob",
        "Cy",
        "Dee",
        "Eve",
        "Fay",
    ]
    by_activity = GridOptions.from_args({"sort": "activity", "dir": "desc"})
    assert names(cohort_report(course.cohort, by_activity)) == [
        "Fay",
        "Cy",
        "Ada",
        "Bob",
        "Dee",
        "Eve",
    ]
    by_status = GridOptions.from_args({"sort": "status"})
    assert names(cohort_report(course.cohort, by_status)) == [
        "Eve",  # not started
        "Cy",  # behind: tried, passed none
        "Fay",
        "Bob",  # on track
        "Dee",
        "Ada",  # passed all
    ]
    only = cohort_report(course.cohort, GridOptions(status="not_started"))
    assert names(only) == ["Eve"] and only.matching == 1
    page = cohort_report(course.cohort, GridOptions(page=2, per_page=2))
    assert names(page) == ["Cy", "Dee"] and page.pages == 3
    beyond = cohort_report(course.cohort, GridOptions(page=99, per_page=2))
    assert beyond.options.page == 3 and names(beyond) == ["Eve", "Fay"]
    assert GridOptions.from_args({"sort": "drop table", "page": "x"}) == GridOptions()


def test_objectives_and_completion(course, cohort_world):
    report = cohort_report(course.cohort, GridOptions())
    mastery = {m.objective.tag: m for m in report.mastery}
    # trademarks-a (tr-1, tr-2): Ada 2, Bob 2, Cy 1 of 6 graded answers.
    assert (mastery["trademarks-a"].earned, mastery["trademarks-a"].graded) == (5, 6)
    assert mastery["patents-b"].share == pytest.approx(1.0)
    days = [(p.day.isoformat(), p.passes, p.cumulative) for p in report.completion]
    assert days == [("2026-08-21", 1, 1), ("2026-08-22", 2, 3)]
    assert report.completion[-1].share == pytest.approx(3 / 10)


def test_report_page_renders_grid_with_text_and_colour(client, login, course, cohort_world):
    login(course.organiser)
    page = client.get(f"/organiser/cohorts/{course.cohort.id}/report").get_data(as_text=True)
    assert "Report: Cohort Ä" in page
    assert 'class="score score-pass"' in page and "✓" in page and "(passed)" in page
    assert "✗" in page and "(below the pass mark)" in page
    assert 'aria-labelledby="completion-chart-title completion-chart-desc"' in page
    assert 'aria-sort="ascending"' in page
    assert f"/organiser/cohorts/{course.cohort.id}/students/" in page
    assert f"/organiser/quizzes/{course.quizzes[0].id}/stats" in page
    assert 'style="' not in page and "<script" not in page
    filtered = client.get(f"/organiser/cohorts/{course.cohort.id}/report?status=not_started")
    text = filtered.get_data(as_text=True)
    assert ">Eve<" in text and ">Ada<" not in text


def test_drill_down_lists_attempts_and_responses(client, login, course, cohort_world):
    login(course.organiser)
    cy = cohort_world["cy"]
    url = f"/organiser/cohorts/{course.cohort.id}/students/{cy.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Quiz 1" in page and "trademarks right 1" in page and "Wrong A" in page
    assert "/review" in page
    csv = client.get(url + "?format=csv").data.decode("utf-8")
    assert csv.startswith("\ufeffattempt_id,quiz,") and csv.count("\r\n") == 4


def test_permissions(client, login, make, course, cohort_world):
    cohort_id = course.cohort.id
    ada = cohort_world["ada"]
    report = f"/organiser/cohorts/{cohort_id}/report"
    drill = f"/organiser/cohorts/{cohort_id}/students/{ada.id}"
    login(course.other_organiser)
    assert client.get(report).status_code == 403
    assert client.get(report + "?format=csv").status_code == 403
    assert client.get(drill).status_code == 403
    assert client.get(f"/organiser/quizzes/{course.quizzes[0].id}/stats").status_code == 200
    login(ada)
    assert client.get(report).status_code == 403
    assert client.get(drill).status_code == 403
    assert client.get(f"/organiser/quizzes/{course.quizzes[0].id}/stats").status_code == 403
    assert client.get("/progress").status_code == 200
    login(course.organiser)
    outsider = make.user()
    assert client.get(f"/organiser/cohorts/{cohort_id}/students/{outsider.id}").status_code == 404
    organiser_page = f"/organiser/cohorts/{cohort_id}/students/{course.organiser.id}"
    assert client.get(organiser_page).status_code == 404  # an organiser is no student
    assert client.get("/organiser/quizzes/9999/stats").status_code == 404


def test_drill_down_says_which_language_each_attempt_used(client, login, course, make):
    from camp.quizzes.models import Attempt

    (student,) = add_students(make, course, ["Lan"])
    english = take(student, course.quizzes[0], [])
    chinese = take(student, course.quizzes[1], [])
    db.session.get(Attempt, chinese.id).locale = "zh_Hans"
    db.session.commit()
    login(course.organiser)
    page = client.get(f"/organiser/cohorts/{course.cohort.id}/students/{student.id}")
    text = page.get_data(as_text=True)
    assert text.count("(in English)") == 1 and text.count("(in 简体中文)") == 1
    assert english.id != chinese.id
