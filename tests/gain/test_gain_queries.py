"""The gain page and its CSV run the same number of queries for 3 students as for 12."""

from __future__ import annotations

from tests.gain.worked import take, worked_cohort
from tests.reports.conftest import counting_queries


def count(client, url: str) -> int:
    client.get(url)  # warm up: a first request may load things once
    with counting_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return counter["n"]


def queries(client, login, make, students: int) -> dict[str, int]:
    marks = {
        f"Student {n:02d}": ([n % 2, 1, 0, n % 3 and 1], [1, n % 2, 1, 1]) for n in range(students)
    }
    worked = worked_cohort(make, name=f"Cohort of {students}", marks=marks)
    retaker = worked.students["Student 00"]
    take(worked.pre, retaker, [1, 1, 1, 1])  # a retake: more attempts, same queries
    login(worked.organiser)
    base = f"/organiser/cohorts/{worked.cohort.id}/gain"
    return {url: count(client, url) for url in (base, base + "?format=csv")}


def test_the_query_count_does_not_grow_with_the_students(client, login, make):
    few = queries(client, login, make, 3)
    many = queries(client, login, make, 12)
    assert list(few.values()) == list(many.values()), (few, many)
    assert max(few.values()) <= 20, few
