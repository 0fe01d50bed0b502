"""Read-only queries behind the organiser's quiz screens: the quiz list, a quiz's slots, its
grade-change history, windows and accommodations, and the essay grading queue.

Each returns plain rows or dataclasses in a fixed number of queries, whatever the number of
quizzes, students or attempts (a random slot costs one more query to count its pool).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, case, func, null, select
from sqlalchemy.orm import aliased

from camp.accounts.identity import CampUser
from camp.accounts.models import Cohort, MemberRole, Membership, User
from camp.accounts.permissions import can_manage_student, cohorts_run_by, students_run_by
from camp.authoring.bank_queries import summary_title
from camp.bank.models import Category, Question, QuestionVersion
from camp.bank.question_types import HAND_GRADED
from camp.extensions import db
from camp.lessons.models import Module
from camp.quizzes.grading import showed_question
from camp.quizzes.models import (
    Attempt,
    AttemptQuestion,
    AttemptState,
    GradeChange,
    Quiz,
    QuizOverride,
    QuizSlot,
    QuizWindow,
)
from camp.quizzes.paper import candidates_for

_CURRENT = (QuestionVersion.question_id == Question.id) & (
    QuestionVersion.number == Question.version_count
)


@dataclass(frozen=True)
class QuizRow:
    id: int
    title: str
    module: str | None
    slots: int
    questions: int  # questions on one attempt's paper, at most
    attempts: int


def quiz_rows() -> list[QuizRow]:
    """Every quiz with its slot, question and attempt counts (one query)."""
    slot_counts = (
        select(
            QuizSlot.quiz_id,
            func.count(QuizSlot.id).label("slots"),
            func.sum(case((QuizSlot.kind == "fixed", 1), else_=QuizSlot.count)).label("questions"),
        )
        .group_by(QuizSlot.quiz_id)
        .subquery()
    )
    query = (
        select(
            Quiz.id,
            Quiz.title,
            Module.title,
            func.coalesce(slot_counts.c.slots, 0),
            func.coalesce(slot_counts.c.questions, 0),
            func.count(Attempt.id),
        )
        .outerjoin(Module, Module.id == Quiz.module_id)
        .outerjoin(slot_counts, slot_counts.c.quiz_id == Quiz.id)
        .outerjoin(Attempt, Attempt.quiz_id == Quiz.id)
        .group_by(Quiz.id, Quiz.title, Module.title, slot_counts.c.slots, slot_counts.c.questions)
        .order_by(Quiz.title, Quiz.id)
    )
    return [QuizRow(*row) for row in db.session.execute(query).all()]


def quiz_choices() -> list[tuple[int, str]]:
    """Every quiz's id and title, in quiz_rows's order, for a form's choices (one query,
    without quiz_rows's counts: those read every attempt)."""
    return [
        (quiz_id, title)
        for quiz_id, title in db.session.execute(
            select(Quiz.id, Quiz.title).order_by(Quiz.title, Quiz.id)
        )
    ]


def module_title(quiz: Quiz) -> str | None:
    if quiz.module_id is None:
        return None
    return db.session.scalar(select(Module.title).where(Module.id == quiz.module_id))


@dataclass(frozen=True)
class SlotRow:
    id: int
    position: int
    kind: str
    uid: str | None = None
    title: str = ""
    retired: bool = False
    category: str | None = None
    include_subcategories: bool = True
    tag: str | None = None
    count: int = 1
    available: int = 0


def slot_rows(quiz: Quiz) -> list[SlotRow]:
    rows = db.session.execute(
        select(QuizSlot, Question, QuestionVersion, Category.path)
        .outerjoin(Question, Question.id == QuizSlot.question_id)
        .outerjoin(QuestionVersion, _CURRENT)
        .outerjoin(Category, Category.id == QuizSlot.category_id)
        .where(QuizSlot.quiz_id == quiz.id)
        .order_by(QuizSlot.position)
    ).all()
    result = []
    for slot, question, version, path in rows:
        if slot.kind == "fixed":
            result.append(
                SlotRow(
                    id=slot.id,
                    position=slot.position,
                    kind="fixed",
                    uid=question.uid,
                    title=summary_title(version),
                    retired=question.retired,
                )
            )
        else:
            result.append(
                SlotRow(
                    id=slot.id,
                    position=slot.position,
                    kind="random",
                    category=path,
                    include_subcategories=slot.include_subcategories,
                    tag=slot.tag,
                    count=slot.count,
                    available=len(candidates_for(slot)),
                )
            )
    return result


@dataclass(frozen=True)
class ChangeRow:
    kind: str
    detail: dict
    created_at: datetime
    by: str | None


def change_history(quiz: Quiz) -> list[ChangeRow]:
    """Regrades, full marks and hand grades of this quiz, newest first."""
    return [
        ChangeRow(kind=c.kind, detail=c.detail, created_at=c.created_at, by=name)
        for c, name in db.session.execute(
            select(GradeChange, User.display_name)
            .outerjoin(User, User.id == GradeChange.user_id)
            .where(GradeChange.quiz_id == quiz.id)
            .order_by(GradeChange.created_at.desc(), GradeChange.id.desc())
        ).all()
    ]


@dataclass(frozen=True)
class AnsweredQuestion:
    uid: str
    title: str
    attempts: int


def answered_questions(quiz: Quiz) -> list[AnsweredQuestion]:
    """Questions that appear on submitted attempts of this quiz (what can be regraded)."""
    shown = aliased(QuestionVersion)
    rows = db.session.execute(
        select(Question.uid, QuestionVersion, func.count(Attempt.id.distinct()))
        .select_from(AttemptQuestion)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .join(shown, shown.id == AttemptQuestion.question_version_id)
        .join(Question, Question.id == shown.question_id)
        .join(QuestionVersion, _CURRENT)
        .where(Attempt.quiz_id == quiz.id, Attempt.state == AttemptState.SUBMITTED)
        .group_by(Question.uid, QuestionVersion.id)
        .order_by(Question.uid)
    ).all()
    return [AnsweredQuestion(uid, summary_title(version), n) for uid, version, n in rows]


@dataclass(frozen=True)
class AttemptsWithQuestion:
    """Submitted attempts that showed a question: those a regrade or full marks by `user`
    changes (their students; admins: all), and the other organisers' students' left alone."""

    yours: int
    others: int


def attempts_with_question(quiz: Quiz, question: Question, user: CampUser) -> AttemptsWithQuestion:
    """Counted in one query, scoped like `grading.regrade_question` with `students_run_by`."""
    condition = students_run_by(user)
    every = Attempt.id.distinct()
    yours = every if condition is None else case((condition, Attempt.id)).distinct()
    total, reached = db.session.execute(
        select(func.count(every), func.count(yours))
        .select_from(Attempt)
        .join(User, User.id == Attempt.user_id)
        .join(AttemptQuestion, AttemptQuestion.attempt_id == Attempt.id)
        .join(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
        .where(*showed_question(quiz, question))
    ).one()
    return AttemptsWithQuestion(yours=reached, others=total - reached)


# --- access -----------------------------------------------------------------------------------


def windows(quiz: Quiz, user: CampUser) -> list[tuple[Cohort, QuizWindow | None]]:
    """The cohorts `user` runs (admins: all), each with this quiz's window or None."""
    query = (
        select(Cohort, QuizWindow)
        .outerjoin(
            QuizWindow, (QuizWindow.cohort_id == Cohort.id) & (QuizWindow.quiz_id == quiz.id)
        )
        .order_by(Cohort.name)
    )
    condition = cohorts_run_by(user)
    if condition is not None:
        query = query.where(condition)
    return [(cohort, window) for cohort, window in db.session.execute(query).all()]


@dataclass(frozen=True)
class WindowCounts:
    """A quiz's cohort windows: how many in all, and how many for cohorts the viewer does
    not run (a count only: other organisers' cohorts are not theirs to see)."""

    total: int
    others: int


def window_counts(quiz: Quiz, user: CampUser) -> WindowCounts:
    """Counted in one query, whatever the number of cohorts; admins run every cohort."""
    condition = cohorts_run_by(user)
    outside = null() if condition is None else case((~condition, QuizWindow.id))
    total, others = db.session.execute(
        select(func.count(QuizWindow.id), func.count(outside))
        .select_from(QuizWindow)
        .join(Cohort, Cohort.id == QuizWindow.cohort_id)
        .where(QuizWindow.quiz_id == quiz.id)
    ).one()
    return WindowCounts(total=total, others=others)


def managed_students(user: CampUser) -> list[User]:
    """Students of the cohorts `user` runs (admins: every student in a cohort), by name."""
    query = (
        select(User)
        .where(User.id.in_(select(Membership.user_id).where(Membership.role == MemberRole.STUDENT)))
        .order_by(User.display_name, User.id)
    )
    condition = students_run_by(user)
    if condition is not None:
        query = query.where(condition)
    return list(db.session.scalars(query))


def overrides(quiz: Quiz, user: CampUser) -> list[tuple[QuizOverride, User]]:
    """This quiz's accommodations for the students `user` manages, by name."""
    query = (
        select(QuizOverride, User)
        .join(User, User.id == QuizOverride.user_id)
        .where(QuizOverride.quiz_id == quiz.id)
        .order_by(User.display_name, User.id)
    )
    condition = students_run_by(user)
    if condition is not None:
        query = query.where(condition)
    return [(override, student) for override, student in db.session.execute(query).all()]


# --- grading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    attempt_question_id: int
    quiz_title: str
    student: str
    attempt_number: int
    position: int
    question: str
    submitted_at: datetime | None


def _essays() -> Select[AttemptQuestion, Attempt, QuestionVersion, str, str]:
    return (
        select(AttemptQuestion, Attempt, QuestionVersion, Quiz.title, User.display_name)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .join(User, User.id == Attempt.user_id)
    )


def grading_queue(user: CampUser) -> list[QueueRow]:
    """Essays waiting for a mark from students `user` manages (admins: all), oldest first."""
    query = (
        _essays()
        .where(
            Attempt.state == AttemptState.SUBMITTED,
            QuestionVersion.type.in_(HAND_GRADED),
            AttemptQuestion.fraction.is_(None),
        )
        .order_by(Attempt.submitted_at, Attempt.id, AttemptQuestion.position)
    )
    condition = students_run_by(user)
    if condition is not None:
        query = query.where(condition)
    return [
        QueueRow(
            attempt_question_id=aq.id,
            quiz_title=quiz_title,
            student=student,
            attempt_number=attempt.number,
            position=aq.position,
            question=summary_title(version),
            submitted_at=attempt.submitted_at,
        )
        for aq, attempt, version, quiz_title, student in db.session.execute(query).all()
    ]


@dataclass(frozen=True)
class EssayToGrade:
    slot: AttemptQuestion
    attempt: Attempt
    version: QuestionVersion
    quiz_title: str
    student: str


def essay_to_grade(attempt_question_id: int) -> EssayToGrade | None:
    row = db.session.execute(_essays().where(AttemptQuestion.id == attempt_question_id)).first()
    return EssayToGrade(*row) if row is not None else None


def may_grade(user: CampUser, essay: EssayToGrade) -> bool:
    return can_manage_student(user, essay.attempt.user_id)
