"""What the gain report of a cohort is computed from: its pre-test and post-test, its
students, each one's counted score on each test (camp.gain.scores) and the learning
objectives the two tests touch, in course order. A fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from camp.accounts.models import Cohort, User
from camp.extensions import db
from camp.gain.pairs import pair_of
from camp.gain.scores import CountedScore, counted_scores
from camp.locales import DEFAULT_LOCALE
from camp.quizzes.models import Quiz
from camp.reports.queries import Objective, course_modules, objectives_of, students_of


@dataclass(frozen=True)
class CohortScores:
    pre_quiz: Quiz
    post_quiz: Quiz
    students: tuple[tuple[int, str], ...]  # (user id, name), by name
    pre: dict[int, CountedScore]
    post: dict[int, CountedScore]
    objectives: tuple[Objective, ...]

    @property
    def awaiting_grading(self) -> int:
        """Questions of the counted attempts that still wait for a grader."""
        return sum(s.awaiting_grading for s in (*self.pre.values(), *self.post.values()))


def cohort_scores(cohort: Cohort, locale: str = DEFAULT_LOCALE) -> CohortScores | None:
    """The cohort's scores on its two tests; None when it has no pre/post pair."""
    pair = pair_of(cohort)
    if pair is None:
        return None
    pre_quiz, post_quiz = (
        db.session.get(Quiz, pair.pre_quiz_id),
        db.session.get(Quiz, pair.post_quiz_id),
    )
    assert pre_quiz is not None and post_quiz is not None
    students = tuple(
        (user_id, name)
        for user_id, name in db.session.execute(
            select(User.id, User.display_name)
            .where(User.id.in_(students_of(cohort.id)))
            .order_by(User.display_name, User.id)
        )
    )
    ids = [user_id for user_id, _name in students]
    pre, post = counted_scores(pre_quiz.id, ids), counted_scores(post_quiz.id, ids)
    touched = {tag for score in (*pre.values(), *post.values()) for tag in score.by_objective}
    objectives = tuple(o for o in objectives_of(course_modules(locale)) if o.tag in touched)
    return CohortScores(pre_quiz, post_quiz, students, pre, post, objectives)
