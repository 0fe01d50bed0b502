"""A cohort whose learning gain is worked out by hand, shared by the page, CSV and command
line tests.

Two objectives, "law" (Copyright law) and "cases" (Case analysis), two questions of each on
each test, in the order law, law, cases, cases. Marks per question (None: awaiting grading):

    student  pre-test        post-test          total pre -> post      gain
    Ann      1 0 0 0         1 1 1 0            25 -> 75              (75-25)/75 = 0.667
    Bo       1 1 1 0         1 1 1 0            75 -> 75              0
    Cy       1 1 1 1         1 1 0 1            100 -> 75             undefined (pre 100 %)
    Di       0 0 0 0         -                  0 -> no post-test
    Ed       -               1 0 0 0            no pre-test -> 25
    Fay      1 0 1 0         1 None 1 1         50 -> awaiting grading
    Gus      -               -                  took neither test

Whole test, over Ann, Bo and Cy: pre mean 66.67, post mean 75, class gain 8.33 / 33.33 =
0.25 (low); individual gains 0.667 and 0 (Cy left out at 100 %): mean 0.333.
Law, over Ann (50 -> 100), Bo (100 -> 100), Cy (100 -> 100); Fay's post-test law score
awaits grading: pre mean 83.33, post mean 100, class gain 1; only Ann has an individual
gain (1), two at 100 %.
Cases, over Ann (0 -> 50), Bo (50 -> 50), Cy (100 -> 50), Fay (50 -> 100): pre mean 50,
post mean 62.5, class gain 0.25 (low); individual gains 0.5, 0 and 1: mean 0.5, one at 100 %.
"""

from __future__ import annotations

from dataclasses import dataclass

from camp.accounts.models import Role
from camp.db import utcnow
from camp.extensions import db
from camp.gain.pairs import pair_quizzes
from camp.quizzes import attempts, services
from camp.quizzes.models import Attempt

MARKS = {
    "Ann": ([1, 0, 0, 0], [1, 1, 1, 0]),
    "Bo": ([1, 1, 1, 0], [1, 1, 1, 0]),
    "Cy": ([1, 1, 1, 1], [1, 1, 0, 1]),
    "Di": ([0, 0, 0, 0], None),
    "Ed": (None, [1, 0, 0, 0]),
    "Fay": ([1, 0, 1, 0], [1, None, 1, 1]),
    "Gus": (None, None),
}


@dataclass
class Worked:
    organiser: object
    other_organiser: object
    cohort: object
    pre: object
    post: object
    students: dict  # name -> user


def take(quiz, user, marks):
    """A submitted first attempt whose questions earned `marks`, in order."""
    attempt = db.session.get(Attempt, services.start_attempt(user, quiz, utcnow()))
    attempts.submit_attempt(attempt, utcnow())
    for question, mark in zip(attempt.questions, marks, strict=True):
        question.fraction = mark
    db.session.commit()
    return attempt


def quiz_on(make, title):
    tags = ("law", "law", "cases", "cases")
    return make.quiz([make.choice_question(tags=(tag,)) for tag in tags], title=title)


def worked_cohort(make, name="Cohort A", marks=MARKS) -> Worked:
    organiser, other = make.user(Role.ORGANISER), make.user(Role.ORGANISER)
    cohort = make.cohort(name, organiser=organiser)
    make.cohort(f"Someone else's, beside {name}", organiser=other)
    module = make.module()
    module.objectives = [
        {"tag": "law", "text": "Copyright law"},
        {"tag": "cases", "text": "Case analysis"},
    ]
    db.session.commit()
    pre, post = quiz_on(make, "Day 1 test"), quiz_on(make, "Day 5 test")
    pair_quizzes(cohort, pre, post, organiser)
    db.session.commit()
    students = {}
    for student_name, (pre_marks, post_marks) in marks.items():
        student = make.user(name=student_name)
        make.member(cohort, student)
        students[student_name] = student
        if pre_marks is not None:
            take(pre, student, pre_marks)
        if post_marks is not None:
            take(post, student, post_marks)
    return Worked(organiser, other, cohort, pre, post, students)
