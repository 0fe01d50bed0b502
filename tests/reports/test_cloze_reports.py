"""Reports of embedded-answers (cloze) questions: a student's responses read gap by gap, on
the page and in the CSV, and the item statistics count each gap's answers."""

from __future__ import annotations

import csv
import io

import pytest

from camp.accounts.models import Role
from camp.authoring.bank_queries import summary_title
from camp.bank import services as bank
from camp.bank.question_types import get_type
from camp.bank.services import QuestionDraft
from camp.extensions import db
from camp.quizzes import attempts, services
from camp.quizzes.models import Attempt
from camp.reports import stats
from camp.reports.progress import student_progress
from tests.bank.test_cloze import SPEC, STORED
from tests.reports.conftest import NOW, later

ANSWERS = {
    "Ada": {"gaps": {"1": "Germany", "2": "3.14", "3": 1, "4": "DNA", "5": 0, "6": 1}},
    "Bo": {"gaps": {"1": "Prussia", "2": "3", "3": 0, "5": 1}},
    "Cy": {"gaps": {"1": "France", "3": 1, "4": "rna"}},
}


@pytest.fixture
def world(make):
    organiser = make.user(Role.ORGANISER)
    cohort = make.cohort("Cloze cohort", organiser=organiser)
    question = make.question(
        QuestionDraft(type="cloze", title="Capitals", text=STORED, spec=SPEC), uid="cz-r"
    )
    quiz = make.quiz([question])
    students = {}
    for day, (name, response) in enumerate(ANSWERS.items()):
        student = students[name] = make.user(name=name)
        make.member(cohort, student)
        attempt = db.session.get(Attempt, services.start_attempt(student, quiz, later(day)))
        services.save_responses(attempt, {1: response}, later(day))
        attempts.submit_attempt(attempt, later(day))
        db.session.commit()
    return organiser, cohort, quiz, students


def test_the_student_report_and_its_csv_read_each_gap(client, login, world):
    organiser, cohort, _quiz, students = world
    login(organiser)
    url = f"/organiser/cohorts/{cohort.id}/students/{students['Bo'].id}"
    page = client.get(url).get_data(as_text=True)
    assert "Gap 1: Prussia; Gap 2: 3; Gap 3: Lyon; Gap 5: Blue" in page
    rows = list(csv.reader(io.StringIO(client.get(f"{url}?format=csv").data.decode("utf-8-sig"))))
    assert any("Gap 1: Prussia; Gap 2: 3; Gap 3: Lyon; Gap 5: Blue" in row for row in rows)


def test_item_statistics_count_each_gaps_answers(client, login, world):
    organiser, _cohort, quiz, _students = world
    login(organiser)
    [question] = stats.quiz_stats(quiz).questions
    chosen = {option.text: option.chosen for option in question.options}
    assert chosen["Gap 1: Germany"] == 1 and chosen["Gap 1: Prussia"] == 1
    assert chosen["Gap 1: *"] == 1  # France
    assert chosen["Gap 3: Paris"] == 2 and chosen["Gap 3: Lyon"] == 1
    assert chosen["Gap 4: DNA"] == 1 and chosen["Gap 4: (any other answer)"] == 1
    assert chosen["Gap 6: Left"] == 0 and chosen["Gap 6: Right"] == 1
    assert question.unanswered == 0

    page = client.get(f"/organiser/quizzes/{quiz.id}/stats").get_data(as_text=True)
    assert "Gap 2: 3.14:0.01" in page and "Gap 4: (any other answer)" in page
    data = client.get(f"/organiser/quizzes/{quiz.id}/stats?format=csv").data
    header, *body = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    options = [row[header.index("option")] for row in body]
    assert options[:3] == ["Gap 1: Germany", "Gap 1: Prussia", "Gap 1: *"]
    assert len(options) == len(get_type("cloze").breakdown(SPEC))


def test_an_untitled_question_is_named_by_its_text_with_a_blank_for_each_gap(client, login, make):
    """Reports, the student's "most missed" list and the bank list name an untitled question
    by the start of its text: each gap is a blank there, never its stored placeholder."""
    organiser = make.user(Role.ORGANISER)
    cohort = make.cohort("Untitled cohort", organiser=organiser)
    question = make.question(QuestionDraft(type="cloze", text=STORED, spec=SPEC), uid="cz-u")
    quiz = make.quiz([question])
    student = make.user(name="Di")
    make.member(cohort, student)
    attempt = db.session.get(Attempt, services.start_attempt(student, quiz, later(0)))
    services.save_responses(attempt, {1: ANSWERS["Bo"]}, later(0))
    attempts.submit_attempt(attempt, later(0))
    db.session.commit()
    start = "Berlin is the capital of _____. Pi to two places: _____ The capital"

    [wrong] = student_progress(student, NOW).wrong
    [stat] = stats.quiz_stats(quiz).questions
    version = bank.current_version(question)
    for title in (wrong.title, stat.title, summary_title(version)):
        assert title.startswith(start) and "{#" not in title
    login(student)
    page = client.get("/progress").get_data(as_text=True)
    assert start in page and "{#" not in page
    login(organiser)
    page = client.get(f"/organiser/cohorts/{cohort.id}/students/{student.id}").get_data(
        as_text=True
    )
    assert start in page and "{#" not in page
