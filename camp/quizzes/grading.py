"""Grading: automatic grading at submit, hand grading of essays, deliberate regrades.

An attempt's score is stored when it is graded (never recomputed on every view); every
deliberate change is recorded as a GradeChange.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]
from sqlalchemy import ColumnElement, bindparam, select, update

from camp.accounts.identity import CampUser
from camp.accounts.models import User
from camp.accounts.permissions import students_run_by
from camp.audit import services as audit
from camp.bank import services as bank
from camp.bank.models import Question, QuestionVersion
from camp.bank.question_types import get_type
from camp.bank.version_cache import get_versions, versions_in
from camp.extensions import db
from camp.quizzes import policy
from camp.quizzes.errors import QuizError
from camp.quizzes.models import Attempt, AttemptQuestion, AttemptState, GradeChange, Quiz

# The comment `give_full_marks` stores on each question: data, so stored in English, and
# shown in the reader's language by the review (camp.quizzes.taking.review).
FULL_MARKS_COMMENT = "Full marks given to everyone for this question."


def _gradable(version: QuestionVersion) -> bool:
    return get_type(version.type).gradable


def _paper(attempt_id: int) -> list[tuple[AttemptQuestion, QuestionVersion]]:
    return [
        (aq, v)
        for aq, v in db.session.execute(
            select(AttemptQuestion, QuestionVersion)
            .join(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
            .where(AttemptQuestion.attempt_id == attempt_id)
            .order_by(AttemptQuestion.position)
            # Answers are saved with Core UPDATEs: never grade a stale copy in the session.
            .execution_options(populate_existing=True)
        ).all()
    ]


def rescore(attempt: Attempt) -> None:
    """Recompute the stored score from the stored fractions."""
    _store_score(attempt, [aq.fraction for aq, v in _paper(attempt.id) if _gradable(v)])


def _store_score(attempt: Attempt, fractions: list[float | None]) -> None:
    """The score from the gradable questions' fractions; None (and flagged) while any waits."""
    attempt.score = policy.attempt_score(fractions)
    attempt.needs_grading = attempt.score is None


_slots = AttemptQuestion.__table__
# Built once (constant statements keep their cache keys): a whole room submits at once,
# and grading runs inside the write lock, so it reads and writes rows, not objects.
_GRADING_PAPER = select(
    _slots.c.id,
    _slots.c.question_version_id,
    _slots.c.response,
    _slots.c.fraction,
    _slots.c.graded_by_id,
).where(_slots.c.attempt_id == bindparam("attempt_id"))
_STORE_FRACTION = (
    update(_slots)
    .where(_slots.c.id == bindparam("slot_id"))
    .values(fraction=bindparam("new_fraction"))
)


def grade_attempt(attempt: Attempt) -> None:
    """Grade every automatically gradable question; essays wait for an organiser. One
    query reads the paper, one statement stores the fractions, and the score follows."""
    rows = db.session.execute(_GRADING_PAPER, {"attempt_id": attempt.id}).all()
    # In the attempt's language: a short answer is checked against the answers of the
    # question as the student read it (all else is the same in every language).
    versions = versions_in(get_versions(row.question_version_id for row in rows), attempt.locale)
    fractions: list[float | None] = []
    graded = []
    for row in rows:
        version = versions[row.question_version_id]
        kind = get_type(version.type)
        fraction = row.fraction
        if row.graded_by_id is None:  # a person's grade stands
            fraction = kind.grade(version.spec, row.response or {})
            graded.append({"slot_id": row.id, "new_fraction": fraction})
        if kind.gradable:
            fractions.append(fraction)
    if graded:
        db.session.execute(_STORE_FRACTION, graded)
    # Copies of these rows already in the session are stale: answers are saved and
    # fractions stored with Core statements. The next read reloads them.
    for held in list(db.session.identity_map.values()):
        if isinstance(held, AttemptQuestion) and held.attempt_id == attempt.id:
            db.session.expire(held)
    _store_score(attempt, fractions)
    db.session.flush()


def grade_by_hand(
    aq: AttemptQuestion, *, fraction: float, comment: str, grader: CampUser, now: datetime
) -> None:
    if not 0 <= fraction <= 1:
        raise QuizError(_l("Give a mark between 0 and the question's full mark."))
    attempt = db.session.get(Attempt, aq.attempt_id)
    assert attempt is not None
    if attempt.state != AttemptState.SUBMITTED:
        raise QuizError(_l("This attempt is still in progress."))
    previous = aq.fraction
    aq.fraction = fraction
    aq.manual_comment = comment.strip() or None
    aq.graded_by_id = grader.id
    aq.graded_at = now
    rescore(attempt)
    _record(
        attempt.quiz_id,
        grader,
        "manual_grade",
        {"attempt_question": aq.id, "from": previous, "to": fraction},
        now,
    )
    db.session.flush()


def _record(
    quiz_id: int, user: CampUser | None, kind: str, detail: dict[str, Any], now: datetime
) -> None:
    db.session.add(
        GradeChange(
            quiz_id=quiz_id,
            user_id=user.id if user else None,
            kind=kind,
            detail=detail,
            created_at=now,
        )
    )
    label = kind.replace("_", " ")
    audit.record(user, f"grade.{kind}", f"{label} on quiz {quiz_id}", quiz_id=quiz_id, **detail)


def showed_question(quiz: Quiz, question: Question) -> tuple[ColumnElement[bool], ...]:
    """Submitted attempts at `quiz` whose paper showed `question` (any version): what a
    regrade or full marks reaches. Joins Attempt, AttemptQuestion and QuestionVersion."""
    return (
        Attempt.quiz_id == quiz.id,
        Attempt.state == AttemptState.SUBMITTED,
        QuestionVersion.question_id == question.id,
    )


def _slots_of_question(
    quiz: Quiz, question: Question, students: ColumnElement[bool] | None
) -> list[tuple[AttemptQuestion, Attempt]]:
    """Every submitted attempt's copy of `question`, of the students `students` selects."""
    query = (
        select(AttemptQuestion, Attempt)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
        .where(*showed_question(quiz, question))
    )
    if students is not None:
        query = query.join(User, User.id == Attempt.user_id).where(students)
    return [(aq, attempt) for aq, attempt in db.session.execute(query).all()]


def _scope(students: ColumnElement[bool] | None) -> str:
    """How the history names whose attempts a regrade or full marks reached."""
    return "all" if students is None else "own cohorts"


def regrade_question(quiz: Quiz, question: Question, *, actor: CampUser, now: datetime) -> int:
    """Grade every submitted attempt's copy of `question` against its current version.

    Used after an organiser fixed a question: the attempts move to the fixed version (the
    old version stays, unchanged) and their scores are recomputed. Only the attempts of
    students in cohorts `actor` runs change (an admin's: everyone's): the bank and quizzes
    are shared by organisers, grades are not. Returns how many changed; when no attempt is
    in reach, nothing changes and nothing is recorded.
    """
    students = students_run_by(actor)
    slots = _slots_of_question(quiz, question, students)
    if not slots:
        return 0
    version = bank.current_version(question)
    kind = get_type(version.type)
    changed = 0
    touched: dict[int, Attempt] = {}
    for aq, attempt in slots:
        old = db.session.get(QuestionVersion, aq.question_version_id)
        assert old is not None
        if old.type != version.type or kind.shufflable_count(old.spec) != kind.shufflable_count(
            version.spec
        ):
            raise QuizError(
                _l(
                    "The fixed question has a different type or number of options; it cannot "
                    "regrade answers given to the old one."
                )
            )
        new_fraction = (
            aq.fraction if aq.graded_by_id else kind.grade(version.spec, aq.response or {})
        )
        if aq.question_version_id != version.id or new_fraction != aq.fraction:
            aq.question_version_id = version.id
            aq.fraction = new_fraction
            touched[attempt.id] = attempt
            changed += 1
    for attempt in touched.values():
        rescore(attempt)
    detail = {
        "question": question.uid,
        "version": version.number,
        "changed": changed,
        "scope": _scope(students),
    }
    _record(quiz.id, actor, "regrade", detail, now)
    db.session.flush()
    return changed


def give_full_marks(quiz: Quiz, question: Question, *, actor: CampUser, now: datetime) -> int:
    """Everyone who had `question` in this quiz gets full marks for it (e.g. a flawed item).

    "Everyone" is the students in cohorts `actor` runs (an admin's: all), as in
    `regrade_question`. Returns how many attempts changed; when none is in reach, nothing
    changes and nothing is recorded.
    """
    students = students_run_by(actor)
    touched: dict[int, Attempt] = {}
    for aq, attempt in _slots_of_question(quiz, question, students):
        aq.fraction = 1.0
        aq.manual_comment = FULL_MARKS_COMMENT
        aq.graded_by_id = actor.id
        aq.graded_at = now
        touched[attempt.id] = attempt
    if not touched:
        return 0
    for attempt in touched.values():
        rescore(attempt)
    detail = {"question": question.uid, "attempts": len(touched), "scope": _scope(students)}
    _record(quiz.id, actor, "full_marks", detail, now)
    db.session.flush()
    return len(touched)


def quiz_grade(quiz: Quiz, attempts: list[Attempt]) -> float | None:
    """The student's grade for the quiz from their finished attempts (oldest first)."""
    finished = [a.score for a in attempts if a.state == AttemptState.SUBMITTED]
    return policy.final_grade(quiz.grading_method, finished)
