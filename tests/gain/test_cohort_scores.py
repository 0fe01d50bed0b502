"""The inputs of a cohort's gain report: its students by name, their counted scores on each
test (only the cohort's students), and the objectives the tests touch, in course order."""

from __future__ import annotations

from camp.accounts.models import Role
from camp.db import utcnow
from camp.extensions import db
from camp.gain.cohort_scores import cohort_scores
from camp.gain.pairs import pair_quizzes
from camp.quizzes import attempts, services
from camp.quizzes.models import Attempt


def _take(quiz, user, fraction):
    attempt = db.session.get(Attempt, services.start_attempt(user, quiz, utcnow()))
    attempts.submit_attempt(attempt, utcnow())
    for question in attempt.questions:
        question.fraction = fraction
    db.session.commit()


def test_the_cohorts_scores_on_its_two_tests(make):
    organiser = make.user(Role.ORGANISER)
    cohort = make.cohort("Cohort A", organiser=organiser)
    zoe, adam, outsider = make.user(name="Zoe"), make.user(name="Adam"), make.user(name="Out")
    make.member(cohort, zoe)
    make.member(cohort, adam)
    first, second = make.module(), make.module()
    first.objectives = [{"tag": "value", "text": "Value of IP"}]
    second.objectives = [{"tag": "wipo", "text": "WIPO"}, {"tag": "unused", "text": "Unused"}]
    db.session.commit()
    pre = make.quiz([make.choice_question(tags=("wipo",)), make.choice_question(tags=("value",))])
    post = make.quiz([make.choice_question(tags=("wipo",)), make.choice_question(tags=("value",))])
    assert cohort_scores(cohort) is None  # no pair yet
    pair_quizzes(cohort, pre, post, organiser)
    db.session.commit()
    _take(pre, zoe, 0.5)
    _take(pre, outsider, 1.0)
    _take(post, zoe, 1.0)
    found = cohort_scores(cohort)
    assert found is not None
    assert [name for _id, name in found.students] == ["Adam", "Zoe"]
    assert set(found.pre) == {zoe.id} and set(found.post) == {zoe.id}
    assert found.pre[zoe.id].by_objective == {"wipo": 50.0, "value": 50.0}
    assert [o.tag for o in found.objectives] == ["value", "wipo"]
