"""Building blocks the reports share, each one SQL aggregate: the modules with their quizzes,
mastery per learning objective (from graded quizzes, and apart from it from live sessions),
and completion over time.

The reports themselves: `progress.py` (a student's progress), `cohort.py` (the cohort
grid), `details.py` (one student's attempts and most missed questions), `stats.py` (quiz
item statistics). Every report runs a fixed handful of SQL aggregates (GROUP BY), whatever
the number of students or attempts: the database does the grouping and rows come back as
tuples, not ORM object graphs. Scores are the stored `Attempt.score` and
`AttemptQuestion.fraction` (both 0..1), and a live answer's `LiveAnswer.fraction`;
nothing new is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Date, Select, Subquery, and_, func, select
from sqlalchemy.orm import aliased

from camp.accounts.models import MemberRole, Membership
from camp.bank.models import QuestionTag, QuestionVersion
from camp.extensions import db
from camp.lessons.models import Module
from camp.lessons.translation_models import ModuleTranslation
from camp.live.models import ItemKind, LiveAnswer, LiveItem, LiveParticipant
from camp.locales import DEFAULT_LOCALE
from camp.quizzes.models import Attempt, AttemptQuestion, AttemptState, Quiz

SUBMITTED = AttemptState.SUBMITTED
# A score is a mean of fractions; compare it with the pass mark with a little slack so 7 of
# 10 passes a 70% mark whatever the floating-point rounding.
PASS_SLACK = 1e-6


def passes(score: float | None, pass_mark: int) -> bool | None:
    return None if score is None else score * 100 >= pass_mark - PASS_SLACK


def sql_passes(score: Any, pass_mark: Any) -> ColumnElement[bool]:
    return score * 100 >= pass_mark - PASS_SLACK


@dataclass(frozen=True)
class Objective:
    tag: str
    text: str
    module_title: str


@dataclass(frozen=True)
class QuizInfo:
    id: int
    title: str
    pass_mark: int
    attempts_allowed: int | None


@dataclass(frozen=True)
class ModuleInfo:
    id: int
    slug: str
    title: str
    objectives: tuple[Objective, ...]
    quiz: QuizInfo | None


def course_modules(locale: str = DEFAULT_LOCALE) -> list[ModuleInfo]:
    """The lesson modules in order, each with its own quiz (one query), named in `locale`
    where the module is translated: its title, its quiz's title, its objectives' texts."""
    translation = aliased(ModuleTranslation)
    rows = db.session.execute(
        select(
            Module.id,
            Module.slug,
            func.coalesce(translation.title, Module.title),
            Module.objectives,
            translation.objectives,
            Quiz.id,
            func.coalesce(func.nullif(translation.quiz_title, ""), Quiz.title),
            Quiz.pass_mark,
            Quiz.attempts_allowed,
        )
        .outerjoin(Quiz, Quiz.module_id == Module.id)
        .outerjoin(
            translation, (translation.module_id == Module.id) & (translation.locale == locale)
        )
        .where(Module.retired.is_(False))
        .order_by(Module.position, Module.id)
    ).all()
    modules = []
    for mid, slug, title, objectives, translated, qid, qtitle, pass_mark, allowed in rows:
        texts = {o.get("tag"): o.get("text") for o in translated or [] if isinstance(o, dict)}
        goals = tuple(
            Objective(
                tag=str(o["tag"]),
                text=str(texts.get(o["tag"]) or o.get("text", "")),
                module_title=title,
            )
            for o in objectives or []
            if isinstance(o, dict) and o.get("tag")
        )
        quiz = QuizInfo(qid, qtitle, pass_mark, allowed) if qid is not None else None
        modules.append(ModuleInfo(mid, slug, title, goals, quiz))
    return modules


def quiz_title_in(locale: str) -> tuple[Any, ColumnElement[bool], ColumnElement[str]]:
    """For a query over quizzes: the module translation to outer-join, its join condition,
    and the quiz's title in `locale` (a module quiz's translated title, else its own)."""
    translation = aliased(ModuleTranslation)
    joined = (translation.module_id == Quiz.module_id) & (translation.locale == locale)
    title = func.coalesce(func.nullif(translation.quiz_title, ""), Quiz.title)
    return translation, joined, title


def objectives_of(modules: list[ModuleInfo]) -> list[Objective]:
    seen: dict[str, Objective] = {}
    for module in modules:
        for objective in module.objectives:
            seen.setdefault(objective.tag, objective)
    return list(seen.values())


@dataclass(frozen=True)
class Mastery:
    """Credit earned on graded questions (or live answers) carrying the objective's tag."""

    objective: Objective
    earned: float
    graded: int

    @property
    def share(self) -> float | None:
        return self.earned / self.graded if self.graded else None


def mastery_by_objective(
    objectives: list[Objective], attempt_filter: Sequence[ColumnElement[bool]]
) -> list[Mastery]:
    """Sum of fractions / graded questions per objective tag, over submitted attempts.

    Grouped by question version first (one pass over the responses), then the few version
    totals are spread over their tags.
    """
    if not objectives:
        return []
    per_version = (
        select(
            AttemptQuestion.question_version_id.label("vid"),
            func.sum(AttemptQuestion.fraction).label("earned"),
            func.count(AttemptQuestion.fraction).label("graded"),
        )
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .where(Attempt.state == SUBMITTED, AttemptQuestion.fraction.is_not(None), *attempt_filter)
        .group_by(AttemptQuestion.question_version_id)
        .subquery()
    )
    return _per_objective(objectives, per_version)


def live_mastery_by_objective(
    objectives: list[Objective], participant_filter: Sequence[ColumnElement[bool]]
) -> list[Mastery]:
    """The same share over live-session answers, kept apart from graded quizzes: sum of
    fractions / answers per objective tag, counting answers to bank questions in items that
    were not skipped (polls and open questions have no fraction). Guests have no user and
    never count; `participant_filter` picks users by `LiveParticipant.user_id`, in sessions
    of any cohort."""
    if not objectives:
        return []
    per_version = (
        select(
            LiveItem.question_version_id.label("vid"),
            func.sum(LiveAnswer.fraction).label("earned"),
            func.count(LiveAnswer.fraction).label("graded"),
        )
        .select_from(LiveAnswer)
        .join(LiveItem, LiveItem.id == LiveAnswer.live_item_id)
        .join(LiveParticipant, LiveParticipant.id == LiveAnswer.participant_id)
        .where(
            LiveItem.kind == ItemKind.QUESTION,
            LiveItem.skipped.is_(False),
            LiveAnswer.fraction.is_not(None),
            LiveParticipant.user_id.is_not(None),
            *participant_filter,
        )
        .group_by(LiveItem.question_version_id)
        .subquery()
    )
    return _per_objective(objectives, per_version)


def _per_objective(objectives: list[Objective], per_version: Subquery) -> list[Mastery]:
    """Totals per version (vid, earned, graded) spread over the tags of their questions."""
    rows = db.session.execute(
        select(QuestionTag.tag, func.sum(per_version.c.earned), func.sum(per_version.c.graded))
        .select_from(per_version)
        .join(QuestionVersion, QuestionVersion.id == per_version.c.vid)
        .join(QuestionTag, QuestionTag.question_id == QuestionVersion.question_id)
        .where(QuestionTag.tag.in_([o.tag for o in objectives]))
        .group_by(QuestionTag.tag)
    ).all()
    totals = {tag: (float(earned or 0), int(graded or 0)) for tag, earned, graded in rows}
    return [Mastery(o, *totals.get(o.tag, (0.0, 0))) for o in objectives]


@dataclass(frozen=True)
class CompletionPoint:
    day: date
    passes: int
    cumulative: int
    share: float


def completion_over_time(
    cohort_id: int, module_ids: list[int], quizzes: int, students: int
) -> list[CompletionPoint]:
    """Module quizzes passed by the cohort, cumulative by day of each first pass."""
    if not quizzes or not students:
        return []
    # A first pass: a passing attempt with no earlier passing attempt at the same quiz (one
    # index probe each; a GROUP BY student and quiz walked the whole index instead).
    earlier = aliased(Attempt)
    first_pass = (
        select(Attempt.submitted_at.label("at"))
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(
            Attempt.user_id.in_(students_of(cohort_id)),
            Quiz.module_id.in_(module_ids),
            passing(),
            ~select(earlier.id)
            .where(
                earlier.quiz_id == Attempt.quiz_id,
                earlier.user_id == Attempt.user_id,
                earlier.number < Attempt.number,
                earlier.state == SUBMITTED,
                sql_passes(earlier.score, Quiz.pass_mark),
            )
            .exists(),
        )
        .subquery()
    )
    day = func.date(first_pass.c.at, type_=Date).label("day")
    rows = db.session.execute(select(day, func.count()).group_by(day).order_by(day))
    possible = students * quizzes
    points, cumulative = [], 0
    for when, n in rows:
        cumulative += n
        when = date.fromisoformat(when) if isinstance(when, str) else when
        points.append(CompletionPoint(when, n, cumulative, cumulative / possible))
    return points


def students_of(cohort_id: int) -> Select[int]:
    """The ids of the cohort's students, as a subquery."""
    return select(Membership.user_id).where(
        Membership.cohort_id == cohort_id, Membership.role == MemberRole.STUDENT
    )


def passing() -> ColumnElement[bool]:
    """A submitted attempt scoring at least its quiz's pass mark (with quizzes joined)."""
    return and_(Attempt.state == SUBMITTED, sql_passes(Attempt.score, Quiz.pass_mark))
