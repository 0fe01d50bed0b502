"""The student's own progress page and the report behind it."""

from __future__ import annotations

import pytest

from camp.extensions import db
from camp.lessons import services as lessons
from camp.quizzes.models import ReviewWhen
from camp.reports.progress import student_progress
from tests.reports.conftest import NOW, add_students, later, take


@pytest.fixture
def student(make, course):
    (student,) = add_students(make, course, ["Zoë"])
    lessons.mark_read(student, course.modules[0])
    db.session.commit()
    quiz = course.quizzes[0]
    take(student, quiz, {"tr-1"}, later(1))  # 1/3: below the 70% pass mark
    take(student, quiz, {"tr-1", "tr-2", "tr-3"}, later(2))  # 3/3
    take(student, quiz, {"tr-1", "tr-3"}, later(3))  # 2/3 latest
    return student


def test_modules_show_reading_best_latest_and_attempts(course, student):
    progress = student_progress(student, NOW)
    first, second = progress.modules
    assert first.read and not second.read
    assert first.attempts == 3
    assert first.best == pytest.approx(1.0) and first.latest == pytest.approx(2 / 3)
    assert first.state == "passed" and second.state == "not_attempted"
    assert (progress.passed, progress.quizzes) == (1, 2)


def test_mastery_is_credit_over_graded_questions_with_the_tag(course, student):
    mastery = {m.objective.tag: m for m in student_progress(student, NOW).mastery}
    # trademarks-a: tr-1 right 3/3, tr-2 right 1/3 -> 4 of 6; trademarks-b: tr-3 2 of 3.
    assert (mastery["trademarks-a"].earned, mastery["trademarks-a"].graded) == (4, 6)
    assert mastery["trademarks-b"].share == pytest.approx(2 / 3)
    assert mastery["patents-a"].share is None
    assert "extra" not in mastery  # tags that are no objective get no row


def test_most_missed_questions_link_to_the_lesson_section(course, student):
    wrong = student_progress(student, NOW).wrong
    assert [(w.uid, w.missed, w.seen) for w in wrong] == [("tr-2", 2, 3), ("tr-3", 1, 3)]
    assert (wrong[0].module_slug, wrong[0].anchor) == ("trademarks", "section")
    assert wrong[0].section == "The section part"


def test_progress_page_shows_only_my_data_with_an_accessible_chart(
    client, login, make, course, student
):
    (other,) = add_students(make, course, ["Somebody Else"])
    take(other, course.quizzes[1], {"pa-1"}, later(4))
    login(student)
    page = client.get("/progress").get_data(as_text=True)
    assert '<a href="/progress" aria-current="page">My progress</a>' in page
    assert "Quiz scores over time" in page
    assert 'role="img"' in page and 'aria-labelledby="scores-chart-title scores-chart-desc"' in page
    assert "<desc" in page and "<table" in page
    assert 'href="/modules/trademarks#section"' in page
    assert "✓" in page and "passed" in page
    assert 'style="' not in page and "<script" not in page
    assert "Somebody Else" not in page
    assert page.count("Quiz 2") == 0  # the other student's quiz is not on my timeline


def test_hidden_scores_stay_hidden_from_the_student(course, student):
    quiz = course.quizzes[0]
    quiz.review_score = ReviewWhen.NEVER
    quiz.review_marks = ReviewWhen.NEVER
    db.session.commit()
    progress = student_progress(student, NOW)
    assert progress.modules[0].state == "hidden" and progress.modules[0].best is None
    assert progress.timeline == [] and progress.wrong == []
    assert all(m.graded == 0 for m in progress.mastery)
    assert progress.hidden_quizzes == 1
    organiser_view = student_progress(student, NOW, as_student=False)
    assert organiser_view.modules[0].best == pytest.approx(1.0)


def test_progress_csv(client, login, course, student):
    login(student)
    response = client.get("/progress?format=csv")
    assert response.mimetype == "text/csv"
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeffmodule,lesson_read,")
    assert "Trademarks,yes,Quiz 1,70,3,100.0,66.7,100.0,passed" in text
