"""A small course for report tests, with attempts taken through the real services."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from camp.accounts.models import Role
from camp.bank.services import QuestionDraft
from camp.extensions import db
from camp.quizzes import attempts, services
from camp.quizzes.models import Attempt

NOW = datetime(2026, 8, 20, 9, 0, tzinfo=UTC)


def choice_draft(right: str, tags: tuple[str, ...], anchor: str | None = None) -> QuestionDraft:
    options = [{"text": right, "weight": 100, "feedback": ""}]
    options += [{"text": w, "weight": 0, "feedback": ""} for w in ("Wrong A", "Wrong B")]
    link = f" Lesson section: [The {anchor} part](#{anchor})." if anchor else ""
    return QuestionDraft(
        type="single_choice",
        title=f"About {right}",
        text=f"Pick {right}",
        spec={"options": options},
        general_feedback=f"Because.{link}",
        tags=tags,
    )


def take(user, quiz, right: Iterable[str], when: datetime = NOW):
    """Take and submit `quiz` as `user`, answering right exactly the questions in `right`
    (by uid) and picking "Wrong A" elsewhere."""
    right = set(right)
    attempt = db.session.get(Attempt, services.start_attempt(user, quiz, when))
    responses = {}
    for pq in attempts.paper_of(attempt):
        options = pq.version.spec["options"]
        wanted = pq.version.question.uid in right
        index = next(i for i, o in enumerate(options) if (o["weight"] == 100) == wanted)
        responses[pq.slot.position] = {"selected": index}
    services.save_responses(attempt, responses, when)
    attempts.submit_attempt(attempt, when)
    db.session.commit()
    return attempt


@dataclass
class Course:
    organiser: object
    other_organiser: object
    cohort: object
    modules: list
    quizzes: list
    questions: dict  # uid -> Question


@pytest.fixture
def course(make) -> Course:
    """Two modules, each with a quiz of three tagged questions (pass mark 70%)."""
    organiser = make.user(Role.ORGANISER)
    other = make.user(Role.ORGANISER)
    cohort = make.cohort("Cohort Ä", organiser=organiser)
    make.cohort("Someone else's", organiser=other)
    modules, quizzes, questions = [], [], {}
    for n, slug in enumerate(("trademarks", "patents"), start=1):
        module = make.module(slug, title=slug.title())
        module.objectives = [
            {"tag": f"{slug}-a", "text": f"Explain {slug} A."},
            {"tag": f"{slug}-b", "text": f"Explain {slug} B."},
        ]
        module.toc = [{"level": 2, "text": "Section", "anchor": "section"}]
        db.session.commit()
        qs = []
        for i, tag in enumerate(("a", "a", "b"), start=1):
            uid = f"{slug[:2]}-{i}"
            qs.append(
                make.question(
                    choice_draft(f"{slug} right {i}", (f"{slug}-{tag}", "extra"), "section"),
                    uid=uid,
                    category=f"Modules/{slug}",
                )
            )
            questions[uid] = qs[-1]
        quizzes.append(
            make.quiz(qs, module_id=module.id, pass_mark=70, attempts_allowed=3, title=f"Quiz {n}")
        )
        modules.append(module)
    return Course(organiser, other, cohort, modules, quizzes, questions)


def add_students(make, course: Course, names: Iterable[str]) -> list:
    students = []
    for name in names:
        student = make.user(name=name)
        make.member(course.cohort, student)
        students.append(student)
    return students


@contextmanager
def counting_queries():
    """Count the SQL statements sent to the database inside the block."""
    count = {"n": 0}

    def before(*_args: object) -> None:
        count["n"] += 1

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield count
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def later(days: int) -> datetime:
    return NOW + timedelta(days=days)
