"""A quiz's item statistics count only the attempts of students the organiser looks after:
in a small cohort, facility and option counts would show another organiser's students'
answers one by one."""

from __future__ import annotations

from camp.accounts.models import Role
from tests.reports.conftest import choice_draft, later, take


def _stats_page(client, quiz):
    return client.get(f"/organiser/quizzes/{quiz.id}/stats").get_data(as_text=True)


def test_an_organiser_counts_only_students_of_cohorts_they_run(client, login, make):
    question = make.question(choice_draft("Paris", ("t",)), uid="scope-1")
    quiz = make.quiz([question])
    mine, theirs = make.user(Role.ORGANISER), make.user(Role.ORGANISER)
    my_cohort = make.cohort("Mine", organiser=mine)
    their_cohort = make.cohort("Theirs", organiser=theirs)
    mine_student, their_student = make.user(), make.user()
    make.member(my_cohort, mine_student)
    make.member(their_cohort, their_student)
    take(mine_student, quiz, {"scope-1"}, later(0))
    take(their_student, quiz, set(), later(1))

    login(mine)
    page = _stats_page(client, quiz)
    assert "1 of 1 submitted" in page
    assert "Only students in the cohorts you run are counted" in page

    admin = make.user(Role.ADMIN)
    login(admin)
    assert "2 of 2 submitted" in _stats_page(client, quiz)

    csv = client.get(f"/organiser/quizzes/{quiz.id}/stats?format=csv").get_data(as_text=True)
    login(mine)
    mine_csv = client.get(f"/organiser/quizzes/{quiz.id}/stats?format=csv").get_data(as_text=True)
    assert csv != mine_csv
