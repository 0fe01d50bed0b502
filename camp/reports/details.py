"""One student's detail: the questions they most often missed (with the lesson section to
re-read) and their attempts with every response, for the progress page and the organiser's
drill-down. Each is one or two queries, whatever the number of attempts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _  # type: ignore[import-untyped]
from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import aliased

from camp.accounts.models import Cohort, MemberRole, Membership, User
from camp.bank.models import Question, QuestionVersion
from camp.bank.question_types import get_type
from camp.extensions import db
from camp.lessons.content import SECTION_LINK
from camp.lessons.models import Module
from camp.locales import DEFAULT_LOCALE
from camp.quizzes.models import Attempt, AttemptQuestion, AttemptState, Quiz
from camp.reports.queries import quiz_title_in

MISSED_LIMIT = 5
FULL_MARKS = 1 - 1e-9
_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")
_SECTION = re.compile(r"\[([^\]]*)\]\(#([^)\s]+)\)")


def question_title(title: str, text: str, type_name: str, limit: int = 90) -> str:
    """The question's title, or the start of its text as plain words (as its type reads
    them: a cloze gap is a blank)."""
    if title.strip():
        return title.strip()
    plain = get_type(type_name).plain_text(_TAGS.sub(" ", text))
    plain = _SPACES.sub(" ", plain).strip()
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"


def lesson_section(general_feedback: str) -> tuple[str, str] | None:
    """(anchor, section title) of the last `[Title](#anchor)` link in the feedback."""
    anchors = SECTION_LINK.findall(general_feedback or "")
    if not anchors:
        return None
    titles = {anchor: title for title, anchor in _SECTION.findall(general_feedback)}
    anchor = anchors[-1]
    return anchor, titles.get(anchor, "") or anchor


@dataclass(frozen=True)
class WrongQuestion:
    """A question the student did not get full marks on, `missed` times out of `seen`."""

    uid: str
    title: str
    missed: int
    seen: int
    module_slug: str | None
    anchor: str | None
    section: str | None


def wrong_questions(attempt_filter: list[ColumnElement[bool]]) -> list[WrongQuestion]:
    """The questions most often missed in the attempts `attempt_filter` selects (one query)."""
    missed = func.sum(case((AttemptQuestion.fraction < FULL_MARKS, 1), else_=0))
    grouped = (
        select(
            QuestionVersion.question_id.label("qid"),
            func.count(AttemptQuestion.id).label("seen"),
            missed.label("missed"),
            func.avg(AttemptQuestion.fraction).label("mean"),
            func.max(AttemptQuestion.question_version_id).label("vid"),
            func.max(Quiz.module_id).label("quiz_module"),
        )
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
        .where(
            Attempt.state == AttemptState.SUBMITTED,
            AttemptQuestion.fraction.is_not(None),
            *attempt_filter,
        )
        .group_by(QuestionVersion.question_id)
        .having(missed > 0)
        .order_by(missed.desc(), func.avg(AttemptQuestion.fraction), QuestionVersion.question_id)
        .limit(MISSED_LIMIT)
        .subquery()
    )
    # The lesson is the module whose category holds the question, else the quiz's module.
    by_category, by_quiz = aliased(Module), aliased(Module)
    rows = db.session.execute(
        select(
            grouped.c.qid,
            grouped.c.seen,
            grouped.c.missed,
            Question.uid,
            QuestionVersion.title,
            QuestionVersion.text,
            QuestionVersion.type,
            QuestionVersion.general_feedback,
            func.coalesce(by_category.slug, by_quiz.slug),
        )
        .join(Question, Question.id == grouped.c.qid)
        .join(QuestionVersion, QuestionVersion.id == grouped.c.vid)
        .outerjoin(
            by_category,
            and_(by_category.category_id == Question.category_id, by_category.retired.is_(False)),
        )
        .outerjoin(by_quiz, and_(by_quiz.id == grouped.c.quiz_module, by_quiz.retired.is_(False)))
        .order_by(grouped.c.missed.desc(), grouped.c.mean, grouped.c.qid)
    )
    result, seen_ids = [], set()
    for qid, seen, n_missed, uid, title, text, kind, feedback, slug in rows:
        if qid in seen_ids:  # two modules sharing a category: keep the first
            continue
        seen_ids.add(qid)
        section = lesson_section(feedback) if slug else None
        result.append(
            WrongQuestion(
                uid=uid,
                title=question_title(title, text, kind),
                missed=int(n_missed),
                seen=int(seen),
                module_slug=slug,
                anchor=section[0] if section else None,
                section=section[1] if section else None,
            )
        )
    return result


@dataclass(frozen=True)
class ResponseRow:
    position: int
    uid: str
    title: str
    type: str
    answer: str
    fraction: float | None


@dataclass(frozen=True)
class AttemptReport:
    id: int
    quiz_title: str
    number: int
    state: str
    score: float | None
    pass_mark: int
    started_at: datetime
    submitted_at: datetime | None
    auto_submitted: bool
    locale: str  # the language the questions were shown in
    responses: list[ResponseRow]

    @property
    def finished(self) -> bool:
        return self.state == AttemptState.SUBMITTED


def describe_response(kind: str, spec: dict[str, Any], response: Any) -> str:
    """A student's answer in words, as the question's type reads it (`QuestionType.describe`)."""
    if not isinstance(response, dict):
        return ""
    try:
        return get_type(kind).describe(spec, response)
    except (IndexError, KeyError, TypeError, ValueError):
        return _("(an answer that could not be read)")


def student_attempts(user_id: int, locale: str = DEFAULT_LOCALE) -> list[AttemptReport]:
    """Every attempt of the student, newest first, with their responses (two queries);
    module quizzes named in `locale` where their module is translated."""
    translation, translated, quiz_title = quiz_title_in(locale)
    attempts = db.session.execute(
        select(
            Attempt.id,
            quiz_title.label("quiz_title"),
            Attempt.number,
            Attempt.state,
            Attempt.score,
            Quiz.pass_mark,
            Attempt.started_at,
            Attempt.submitted_at,
            Attempt.auto_submitted,
            Attempt.locale,
        )
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .outerjoin(translation, translated)
        .where(Attempt.user_id == user_id)
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
    )
    responses: dict[int, list[ResponseRow]] = {}
    rows = db.session.execute(
        select(
            AttemptQuestion.attempt_id,
            AttemptQuestion.position,
            Question.uid,
            QuestionVersion.title,
            QuestionVersion.text,
            QuestionVersion.type,
            QuestionVersion.spec,
            AttemptQuestion.response,
            AttemptQuestion.fraction,
        )
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .where(Attempt.user_id == user_id)
        .order_by(AttemptQuestion.attempt_id, AttemptQuestion.position)
    )
    for attempt_id, position, uid, title, text, kind, spec, response, fraction in rows:
        responses.setdefault(attempt_id, []).append(
            ResponseRow(
                position=position,
                uid=uid,
                title=question_title(title, text, kind),
                type=kind,
                answer=describe_response(kind, spec, response),
                fraction=fraction,
            )
        )
    return [AttemptReport(**row._asdict(), responses=responses.get(row.id, [])) for row in attempts]


def cohort_student(cohort: Cohort, user_id: int) -> User | None:
    """The student `user_id` if they are a student of this cohort."""
    member = aliased(Membership)
    return db.session.scalar(
        select(User)
        .join(member, and_(member.user_id == User.id, member.cohort_id == cohort.id))
        .where(User.id == user_id, member.role == MemberRole.STUDENT)
    )
