"""Each report page runs the same number of queries with few or many students and attempts."""

from __future__ import annotations

from camp.db import utcnow
from tests.reports.conftest import add_students, counting_queries, later, take


def grow(make, course, first: int, count: int, attempts: int) -> list:
    students = add_students(make, course, [f"Student {n}" for n in range(first, first + count)])
    every = set(course.questions)
    for n, student in enumerate(students):
        for quiz in course.quizzes:
            for k in range(attempts):
                take(student, quiz, every if (n + k) % 2 else {"tr-1", "pa-1"}, later(n + k))
    return students


def count(client, url: str) -> int:
    client.get(url)  # warm up: first requests may load things once
    with counting_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return counter["n"]


def test_query_counts_do_not_grow_with_students_or_attempts(client, login, make, course):
    quiz = course.quizzes[0]
    (first,) = grow(make, course, 0, 1, 1)
    started, _idle = add_students(make, course, ["In progress", "Idle"])
    from camp.quizzes import services

    services.start_attempt(started, quiz, utcnow())
    cohort = course.cohort.id
    urls = [
        f"/organiser/cohorts/{cohort}/report",
        f"/organiser/cohorts/{cohort}/report?sort=passed&dir=desc&status=not_started",
        f"/organiser/cohorts/{cohort}/report?format=csv",
        f"/organiser/cohorts/{cohort}/students/{first.id}",
        f"/organiser/quizzes/{quiz.id}/stats",
        f"/organiser/quizzes/{quiz.id}/stats?attempts=all",
    ]
    login(course.organiser)
    small = {url: count(client, url) for url in urls}
    login(first)
    small_progress = count(client, "/progress")

    grow(make, course, 1, 5, 2)  # six times the students, more attempts each
    for quiz_ in course.quizzes:  # and more attempts by the first student
        take(first, quiz_, set(course.questions), later(9))
    login(course.organiser)
    large = {url: count(client, url) for url in urls}
    login(first)
    assert count(client, "/progress") == small_progress
    assert large == small
    # The cohort report's page and CSV include two queries for the spaced review (who
    # reviewed, retention per objective): 14 and 11; the bound did not need to move.
    assert max(small.values()) <= 16, small
