"""The review figures cost the cohort report a fixed number of queries: the same with 3
students as with 12, each with reviews (one query for who reviewed, one GROUP BY for
retention)."""

from __future__ import annotations

from tests.reports.conftest import counting_queries
from tests.review.report_world import build, review


def _count(client, url: str) -> int:
    client.get(url)  # warm up: first requests may load things once
    with counting_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return counter["n"]


def _add_students(make, world, count: int) -> None:
    for n in range(count):
        student = make.user(name=f"Reviewer {n}")
        make.member(world.cohort, student)
        for k, question in enumerate(world.questions.values()):
            review(student, question, correct=(n + k) % 2 == 0, days_ago=1 + k)
            review(student, question, correct=True, due=False, days_ago=0.5)


def test_query_counts_do_not_grow_with_students_or_reviews(client, login, make):
    world = build(make)  # three students without reviews
    for student in world.students:
        review(student, world.questions["marks"], correct=True)
    urls = [
        f"/organiser/cohorts/{world.cohort.id}/report",
        f"/organiser/cohorts/{world.cohort.id}/report?format=csv",
    ]
    login(world.organiser)
    small = {url: _count(client, url) for url in urls}
    _add_students(make, world, 9)  # twelve students, many more reviews
    login(world.organiser)
    large = {url: _count(client, url) for url in urls}
    assert large == small
    page = client.get(urls[0]).get_data(as_text=True)
    assert "Students who reviewed in the last 7 days: 12 of 12." in page
