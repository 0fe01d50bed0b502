"""The student progress report: per module the lesson read and the quiz's best and latest
score against the pass mark, mastery per learning objective (from graded quizzes, and apart
from it from live sessions), the questions most often missed, and scores over time. A
student sees what the quizzes' review options allow; live answers were revealed in the
session, so they are always counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func, select

from camp.accounts.identity import CampUser
from camp.accounts.models import Membership
from camp.extensions import db
from camp.gain.hold import held_pre_tests
from camp.lessons.models import LessonRead
from camp.live.models import LiveParticipant
from camp.locales import DEFAULT_LOCALE
from camp.quizzes import policy
from camp.quizzes.models import (
    REVIEW_ITEMS,
    Attempt,
    GradingMethod,
    Quiz,
    QuizOverride,
    QuizWindow,
)
from camp.reports.details import WrongQuestion, wrong_questions
from camp.reports.queries import (
    SUBMITTED,
    Mastery,
    ModuleInfo,
    course_modules,
    live_mastery_by_objective,
    mastery_by_objective,
    objectives_of,
    passes,
    quiz_title_in,
)


@dataclass(frozen=True)
class ModuleProgress:
    module: ModuleInfo
    read: bool
    attempts: int
    best: float | None
    latest: float | None
    grade: float | None
    scores_visible: bool = True

    @property
    def state(self) -> str:
        """no_quiz, not_attempted, hidden, pending (no graded score yet), passed or below."""
        if self.module.quiz is None:
            return "no_quiz"
        if not self.attempts:
            return "not_attempted"
        if not self.scores_visible:
            return "hidden"
        if self.best is None:
            return "pending"
        return "passed" if passes(self.best, self.module.quiz.pass_mark) else "below"


@dataclass(frozen=True)
class ScorePoint:
    attempt_id: int
    submitted_at: datetime
    quiz_title: str
    number: int
    score: float
    pass_mark: int

    @property
    def passed(self) -> bool:
        return bool(passes(self.score, self.pass_mark))

    @property
    def state(self) -> str:
        return "passed" if self.passed else "below"


@dataclass(frozen=True)
class StudentProgress:
    user_id: int
    modules: list[ModuleProgress]
    mastery: list[Mastery]
    wrong: list[WrongQuestion]
    timeline: list[ScorePoint]
    hidden_quizzes: int = 0
    # Per objective, in the order of `mastery`: live-session answers, never mixed into it.
    live_mastery: list[Mastery] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(1 for m in self.modules if m.state == "passed")

    @property
    def quizzes(self) -> int:
        return sum(1 for m in self.modules if m.module.quiz is not None)


@dataclass(frozen=True)
class _QuizAgg:
    attempts_allowed: int | None
    review: dict[str, str]
    used: int
    best: float | None
    average: float | None
    first: float | None
    latest: float | None

    def grade(self, method: str) -> float | None:
        """The quiz grade as `policy.final_grade` defines it, from the SQL aggregates."""
        grades: dict[str, float | None] = {
            GradingMethod.HIGHEST: self.best,
            GradingMethod.AVERAGE: self.average,
            GradingMethod.FIRST: self.first,
            GradingMethod.LAST: self.latest,
        }
        return grades.get(method, self.best)


def _quiz_aggregates(user_id: int) -> tuple[dict[int, _QuizAgg], dict[int, str]]:
    """Per quiz the student tried: attempts used, best, average, first and latest score."""
    ends = (
        select(
            Attempt.quiz_id,
            func.min(Attempt.number).label("first"),
            func.max(Attempt.number).label("last"),
        )
        .where(Attempt.user_id == user_id, Attempt.state == SUBMITTED)
        .group_by(Attempt.quiz_id)
        .subquery()
    )
    score = case((Attempt.state == SUBMITTED, Attempt.score))
    review_columns = [getattr(Quiz, f"review_{item}") for item in REVIEW_ITEMS]
    rows = db.session.execute(
        select(
            Quiz.id,
            Quiz.attempts_allowed,
            Quiz.grading_method,
            *review_columns,
            func.count(Attempt.id),
            func.max(score),
            func.avg(score),
            func.max(case((Attempt.number == ends.c.first, Attempt.score))),
            func.max(case((Attempt.number == ends.c.last, Attempt.score))),
        )
        .join(Attempt, Attempt.quiz_id == Quiz.id)
        .outerjoin(ends, ends.c.quiz_id == Quiz.id)
        .where(Attempt.user_id == user_id)
        .group_by(Quiz.id)
    ).all()
    aggregates, methods = {}, {}
    for row in rows:
        quiz_id, allowed, method = row[0], row[1], row[2]
        review = dict(zip(REVIEW_ITEMS, row[3 : 3 + len(REVIEW_ITEMS)], strict=True))
        used, best, average, first, latest = row[3 + len(REVIEW_ITEMS) :]
        aggregates[quiz_id] = _QuizAgg(allowed, review, used, best, average, first, latest)
        methods[quiz_id] = method
    return aggregates, methods


def _review_visibility(
    user_id: int, quizzes: dict[int, _QuizAgg], now: datetime
) -> dict[int, policy.ReviewVisibility]:
    """What the student may see of each quiz's results now, for all quizzes in three queries.

    The same rules as `attempts.limits_for_user` (extra attempts, the most generous window
    of the student's cohorts), read for every quiz at once instead of two queries per quiz.
    """
    ids = list(quizzes)
    held = held_pre_tests(user_id, now)
    extra: dict[int, int] = dict(
        db.session.execute(
            select(QuizOverride.quiz_id, QuizOverride.extra_attempts).where(
                QuizOverride.user_id == user_id, QuizOverride.quiz_id.in_(ids)
            )
        ).all()
    )
    closes: dict[int, list[datetime | None]] = {}
    windows = db.session.execute(
        select(QuizWindow.quiz_id, QuizWindow.closes_at).where(
            QuizWindow.quiz_id.in_(ids),
            QuizWindow.cohort_id.in_(
                select(Membership.cohort_id).where(Membership.user_id == user_id)
            ),
        )
    )
    for quiz_id, closes_at in windows:
        closes.setdefault(quiz_id, []).append(closes_at)
    visibility = {}
    for quiz_id, agg in quizzes.items():
        ends = closes.get(quiz_id, [None])
        closes_at = None if None in ends else max(c for c in ends if c is not None)
        limits = policy.limits_for(
            time_limit_minutes=None,
            attempts_allowed=agg.attempts_allowed,
            extra_attempts=extra.get(quiz_id, 0),
            closes_at=closes_at,
        )
        visibility[quiz_id] = policy.review_visibility(
            agg.review,
            attempts_left=limits.attempts_left(agg.used),
            closed=limits.is_closed(now),
            held=quiz_id in held,
        )
    return visibility


def student_progress(
    user: CampUser, now: datetime, *, as_student: bool = True, locale: str = DEFAULT_LOCALE
) -> StudentProgress:
    """One student's progress. `as_student` hides what the quizzes' review options hide from
    the student now (an organiser's drill-down passes False and sees everything). Modules,
    quizzes and objectives are named in `locale` where they are translated."""
    modules = course_modules(locale)
    read = set(
        db.session.scalars(select(LessonRead.module_id).where(LessonRead.user_id == user.id))
    )
    aggregates, methods = _quiz_aggregates(user.id)
    if as_student and aggregates:
        visibility = _review_visibility(user.id, aggregates, now)
        show_scores = {q for q, v in visibility.items() if v.score}
        show_marks = [q for q, v in visibility.items() if v.marks]
    else:
        show_scores = set(aggregates)
        show_marks = list(aggregates)
    rows = []
    for module in modules:
        agg = aggregates.get(module.quiz.id) if module.quiz else None
        if agg is None or module.quiz is None:
            rows.append(ModuleProgress(module, module.id in read, 0, None, None, None))
            continue
        visible = module.quiz.id in show_scores
        rows.append(
            ModuleProgress(
                module,
                module.id in read,
                agg.used,
                agg.best if visible else None,
                agg.latest if visible else None,
                agg.grade(methods[module.quiz.id]) if visible else None,
                scores_visible=visible,
            )
        )
    mark_filter = [Attempt.user_id == user.id, Attempt.quiz_id.in_(show_marks)]
    objectives = objectives_of(modules)
    return StudentProgress(
        user_id=user.id,
        modules=rows,
        mastery=mastery_by_objective(objectives, mark_filter),
        wrong=wrong_questions(mark_filter) if show_marks else [],
        timeline=_timeline(user.id, show_scores, locale),
        hidden_quizzes=len(aggregates) - len(show_scores),
        live_mastery=live_mastery_by_objective(objectives, [LiveParticipant.user_id == user.id]),
    )


def _timeline(user_id: int, quiz_ids: set[int], locale: str) -> list[ScorePoint]:
    if not quiz_ids:
        return []
    translation, translated, quiz_title = quiz_title_in(locale)
    rows = db.session.execute(
        select(
            Attempt.id,
            Attempt.submitted_at,
            quiz_title,
            Attempt.number,
            Attempt.score,
            Quiz.pass_mark,
        )
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .outerjoin(translation, translated)
        .where(
            Attempt.user_id == user_id,
            Attempt.state == SUBMITTED,
            Attempt.score.is_not(None),
            Attempt.quiz_id.in_(quiz_ids),
        )
        .order_by(Attempt.submitted_at, Attempt.id)
    )
    return [
        ScorePoint(attempt_id, at, title, number, score, pass_mark)
        for attempt_id, at, title, number, score, pass_mark in rows
        if at is not None and score is not None  # always: submitted and graded (the query)
    ]
