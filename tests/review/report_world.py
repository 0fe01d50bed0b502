"""A small hand-made cohort with reviews for the report tests: review cards and logs are
inserted directly (the scheduler is not needed to count them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from camp.accounts.models import Role
from camp.db import utcnow
from camp.extensions import db
from camp.review.models import ReviewCard, ReviewLog

OBJECTIVES = [
    {"tag": "marks", "text": "Explain marks."},
    {"tag": "patents", "text": "Explain patents."},
    {"tag": "designs", "text": "Explain designs."},
]


@dataclass
class World:
    organiser: object
    cohort: object
    students: list  # ann, bob, cat of the cohort
    outsider: object  # dan, a student of another cohort
    questions: dict  # name -> Question


def review(user, question, *, correct: bool, due: bool = True, days_ago: float = 1) -> None:
    """One review of `question` by `user`, `days_ago` days ago (its card made if needed)."""
    card = db.session.query(ReviewCard).filter_by(user_id=user.id, question_id=question.id).first()
    when = utcnow() - timedelta(days=days_ago)
    if card is None:
        card = ReviewCard(
            user_id=user.id, question_id=question.id, card={}, due=when, state=2, reviews=0
        )
        db.session.add(card)
        db.session.flush()
    card.reviews += 1
    db.session.add(
        ReviewLog(
            card_id=card.id,
            user_id=user.id,
            question_id=question.id,
            rating=3 if correct else 1,
            correct=correct,
            was_due=due,
            duration_ms=4000,
            reviewed_at=when,
        )
    )
    db.session.commit()


def build(make) -> World:
    organiser = make.user(Role.ORGANISER)
    cohort = make.cohort("Reviewers", organiser=organiser)
    other = make.cohort("Elsewhere", organiser=make.user(Role.ORGANISER))
    module = make.module(title="Marks and patents")
    module.objectives = OBJECTIVES
    db.session.commit()
    questions = {
        "marks": make.choice_question(tags=("marks",)),
        "both": make.choice_question(tags=("marks", "patents")),
        "patents": make.choice_question(tags=("patents",)),
        "untagged": make.choice_question(tags=("not-an-objective",)),
    }
    make.quiz(list(questions.values()), module_id=module.id, title="Marks quiz")
    students = [make.user(name=name) for name in ("Ann", "Bob", "Cat")]
    for student in students:
        make.member(cohort, student)
    outsider = make.user(name="Dan")
    make.member(other, outsider)
    return World(organiser, cohort, students, outsider, questions)


def add_reviews(world: World) -> None:
    """Marks: 2 of 3 due reviews right; patents: 1 of 1; designs: none. Ann and Bob
    reviewed in the last 7 days, Cat only before; what must be left out is there too."""
    ann, bob, cat = world.students
    q = world.questions
    review(ann, q["marks"], correct=True, days_ago=1)
    review(ann, q["marks"], correct=False, days_ago=2)
    review(bob, q["both"], correct=True, days_ago=3)  # counts for marks and patents
    review(ann, q["untagged"], correct=True)  # no objective carries its tag
    # Left out: not due (a first introduction), too old, another cohort's student.
    review(bob, q["patents"], correct=False, due=False)
    review(ann, q["patents"], correct=False, days_ago=8)
    review(cat, q["marks"], correct=False, days_ago=10)
    review(world.outsider, q["marks"], correct=False)
    review(world.outsider, q["patents"], correct=False)
