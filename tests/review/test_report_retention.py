"""The review on the cohort report: students who reviewed in the last 7 days, and per
objective the share of due reviews answered right (with their count), on the page, in the
CSV and from `camp report cohort`; old, non-due and other cohorts' reviews are left out."""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.review.report_world import add_reviews, build


@pytest.fixture
def world(make):
    world = build(make)
    add_reviews(world)
    return world


def _row(page: str, objective: str) -> str:
    rows = re.findall(r'<tr role="row">.*?</tr>', page, re.S)
    (row,) = [r for r in rows if objective in r]
    return row


def _retention_cell(row: str) -> str:
    cell = re.search(r'data-label="Review retention \(7 days\)"[^>]*>(.*?)</td>', row, re.S)
    assert cell, row
    return " ".join(re.sub(r"<[^>]+>", " ", cell.group(1)).split())


def test_the_page_shows_who_reviews_and_retention_per_objective(client, login, world):
    login(world.organiser)
    page = client.get(f"/organiser/cohorts/{world.cohort.id}/report").get_data(as_text=True)
    assert "Students who reviewed in the last 7 days: 2 of 3." in page
    assert "Review retention (7 days)</th>" in page
    assert _retention_cell(_row(page, "Explain marks.")) == "67% (3 due reviews)"
    assert _retention_cell(_row(page, "Explain patents.")) == "100% (1 due review)"
    designs = _row(page, "Explain designs.")
    assert _retention_cell(designs) == "\u2013 no due reviews"
    assert '<span class="visually-hidden">no due reviews</span>' in designs
    assert f"/organiser/cohorts/{world.cohort.id}/review" in page


def test_no_student_s_review_is_shown_as_a_score(client, login, world):
    login(world.organiser)
    ann = world.students[0]
    student = client.get(f"/organiser/cohorts/{world.cohort.id}/students/{ann.id}")
    assert "retention" not in student.get_data(as_text=True).lower()
    page = client.get(f"/organiser/cohorts/{world.cohort.id}/report").get_data(as_text=True)
    grid = re.search(r'<table class="report-table report-grid">.*?</table>', page, re.S)
    assert grid and "retention" not in grid.group(0).lower()


def _csv(data: bytes) -> tuple[list[str], dict[str, list[str]]]:
    header, *body = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return header, {row[0]: row for row in body}


def test_the_csv_ends_with_the_review_columns(client, login, world):
    login(world.organiser)
    data = client.get(f"/organiser/cohorts/{world.cohort.id}/report?format=csv").data
    header, rows = _csv(data)
    review_columns = [
        "Reviewed in the last 7 days",
        "marks: review retention (7 days) %",
        "marks: due reviews (7 days)",
        "patents: review retention (7 days) %",
        "patents: due reviews (7 days)",
        "designs: review retention (7 days) %",
        "designs: due reviews (7 days)",
    ]
    assert header[-7:] == review_columns
    assert header[:3] == ["Student", "Email", "Status"]  # the grid's columns first, as before
    assert [rows[name][-7] for name in ("Ann", "Bob", "Cat")] == ["yes", "yes", "no"]
    for name in ("Ann", "Bob", "Cat"):  # the cohort's figures, the same on every row
        assert rows[name][-6:] == ["66.7", "3", "100.0", "1", "", "0"]
    assert "Dan" not in rows


def test_the_command_line_prints_the_same_csv_and_a_summary(client, login, world, runner):
    login(world.organiser)
    page = client.get(f"/organiser/cohorts/{world.cohort.id}/report?format=csv").data
    result = runner.invoke(args=["report", "cohort", "Reviewers", "--csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == page
    summary = runner.invoke(args=["report", "cohort", "Reviewers"]).output
    assert "Reviewed in the last 7 days: 2 of 3" in summary
    assert "marks: 67% review retention (3 due reviews in 7 days)" in summary
    assert "designs: - review retention (0 due reviews in 7 days)" in summary


def test_a_cohort_without_reviews(client, login, make):
    world = build(make)
    login(world.organiser)
    page = client.get(f"/organiser/cohorts/{world.cohort.id}/report").get_data(as_text=True)
    assert "Students who reviewed in the last 7 days: 0 of 3." in page
    assert _retention_cell(_row(page, "Explain marks.")) == "\u2013 no due reviews"
