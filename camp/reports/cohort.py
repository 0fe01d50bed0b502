"""The cohort report: a students x modules grid (sorted, filtered and paginated in SQL),
cohort mastery per learning objective (graded quizzes, and apart from them live sessions),
the spaced review (who reviewed lately, retention per objective) and completion over time.

Statuses come from one histogram query (quizzes passed x active) that also gives the
cohort's median; the page of the grid is then one query, and its cells two more.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.sql import Subquery

from camp.accounts.models import Cohort, MemberRole, Membership, User
from camp.db import utcnow
from camp.extensions import db
from camp.lessons.models import LessonRead
from camp.live.models import LiveParticipant
from camp.locales import DEFAULT_LOCALE
from camp.quizzes.models import Attempt, Quiz
from camp.reports.grid import SORT_LABELS as SORT_LABELS
from camp.reports.grid import STATUS_LABELS as STATUS_LABELS
from camp.reports.grid import STATUSES as STATUSES
from camp.reports.grid import (
    CohortReport,
    GridCell,
    GridOptions,
    GridRow,
    status_of,
)
from camp.reports.queries import (
    SUBMITTED,
    ModuleInfo,
    QuizInfo,
    completion_over_time,
    course_modules,
    live_mastery_by_objective,
    mastery_by_objective,
    objectives_of,
    passing,
    students_of,
)
from camp.reports.review import retention_by_objective, review_window, reviewers


def _status_sql(summary: Subquery, quizzes: int, median: int) -> ColumnElement[str]:
    """`status_of` as SQL, so the grid can be filtered and sorted by it in the database."""
    whens: list[tuple[ColumnElement[bool], str]] = [(summary.c.active == 0, "not_started")]
    if quizzes:
        whens.append((summary.c.passed >= quizzes, "passed"))
    failing = (summary.c.tried > 0) & (summary.c.passed == 0)
    whens.append(((summary.c.passed < median) | failing, "behind"))
    return case(*whens, else_="on_track")


def _summary(cohort_id: int, module_ids: list[int]) -> Subquery:
    """One row per student of the cohort: quizzes passed, attempts, last activity, reads.

    Grouped by student only (quizzes passed is a COUNT DISTINCT), and the module quizzes
    chosen through `quizzes.module_id`: grouping by student and quiz, or filtering
    `attempts.quiz_id IN (...)`, made SQLite walk the (quiz, student, number) index instead
    of the student index, two to three times slower.
    """
    students = students_of(cohort_id)
    per_user = (
        select(
            Attempt.user_id,
            func.count(Attempt.id).label("used"),
            func.count(func.distinct(case((passing(), Attempt.quiz_id)))).label("passed"),
            func.count(func.distinct(Attempt.quiz_id)).label("tried"),
            func.max(Attempt.submitted_at).label("last"),
        )
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Attempt.user_id.in_(students), Quiz.module_id.in_(module_ids))
        .group_by(Attempt.user_id)
        .subquery()
    )
    reads = (
        select(LessonRead.user_id, func.count(LessonRead.id).label("reads"))
        .where(LessonRead.user_id.in_(students), LessonRead.module_id.in_(module_ids))
        .group_by(LessonRead.user_id)
        .subquery()
    )
    active = or_(func.coalesce(per_user.c.used, 0) > 0, func.coalesce(reads.c.reads, 0) > 0)
    return (
        select(
            Membership.user_id,
            User.display_name.label("name"),
            User.email,
            func.coalesce(per_user.c.passed, 0).label("passed"),
            func.coalesce(per_user.c.tried, 0).label("tried"),
            case((active, 1), else_=0).label("active"),
            per_user.c.last,
        )
        .join(User, User.id == Membership.user_id)
        .outerjoin(per_user, per_user.c.user_id == Membership.user_id)
        .outerjoin(reads, reads.c.user_id == Membership.user_id)
        .where(Membership.cohort_id == cohort_id, Membership.role == MemberRole.STUDENT)
        .subquery("summary")
    )


def _best_scores(cohort_id: int, quiz_ids: list[int]) -> Subquery:
    """Per student, the sum of their best score on each quiz (only for sorting by it)."""
    per_quiz = (
        select(
            Attempt.user_id,
            func.max(case((Attempt.state == SUBMITTED, Attempt.score))).label("best"),
        )
        .where(Attempt.user_id.in_(students_of(cohort_id)), Attempt.quiz_id.in_(quiz_ids))
        .group_by(Attempt.user_id, Attempt.quiz_id)
        .subquery()
    )
    return (
        select(per_quiz.c.user_id, func.sum(per_quiz.c.best).label("best_sum"))
        .group_by(per_quiz.c.user_id)
        .subquery("best_scores")
    )


def _lower_median(histogram: list[tuple[int, int]]) -> int:
    """The lower median of passed counts given as (value, how many students) pairs."""
    total = sum(n for _, n in histogram)
    if not total:
        return 0
    position, seen = (total - 1) // 2, 0
    for value, n in sorted(histogram):
        seen += n
        if seen > position:
            return value
    return 0


def _order_by(
    cohort_id: int,
    options: GridOptions,
    summary: Subquery,
    status: ColumnElement[str],
    modules: list[ModuleInfo],
) -> tuple[list[Any], Subquery | None]:
    """ORDER BY clauses for the chosen sort, plus a subquery of scores to join for it."""
    extra = None
    keys: list[ColumnElement[Any]]
    if options.sort == "score":
        extra = _best_scores(cohort_id, [m.quiz.id for m in modules if m.quiz])
        keys = [func.coalesce(extra.c.best_sum, 0.0)]
    elif options.sort.startswith("m") and options.sort[1:].isdigit():
        quiz_id = next(
            (m.quiz.id for m in modules if m.quiz and str(m.id) == options.sort[1:]), None
        )
        extra = (
            select(
                Attempt.user_id,
                func.max(case((Attempt.state == SUBMITTED, Attempt.score))).label("best"),
            )
            .where(Attempt.user_id.in_(students_of(cohort_id)), Attempt.quiz_id == quiz_id)
            .group_by(Attempt.user_id)
            .subquery("module_best")
        )
        keys = [func.coalesce(extra.c.best, -1.0)]
    elif options.sort == "status":
        keys = [case(*((status == s, i) for i, s in enumerate(STATUSES)))]
    elif options.sort == "passed":
        keys = [summary.c.passed]
    elif options.sort == "activity":
        keys = [case((summary.c.last.is_(None), 0), else_=1), summary.c.last]
    else:
        keys = [summary.c.name]
    ordered = [k.desc() if options.descending else k.asc() for k in keys]
    return [*ordered, summary.c.name, summary.c.user_id], extra


def cohort_report(
    cohort: Cohort,
    options: GridOptions,
    *,
    overview: bool = True,
    locale: str = DEFAULT_LOCALE,
) -> CohortReport:
    """The students x modules grid (one page of it), the review (who reviewed in the last
    7 days, retention per objective), objective mastery and completion over time.
    `overview=False` skips the last two (the CSV export needs the grid and the review).
    Modules and objectives are named in `locale` where they are translated."""
    modules = course_modules(locale)
    quizzes = [m.quiz for m in modules if m.quiz is not None]
    summary = _summary(cohort.id, [m.id for m in modules])
    # How many students passed how many quizzes, split by active: the median and the
    # status counts come from these few rows.
    tried_any = case((summary.c.tried > 0, 1), else_=0)
    histogram = [
        (int(p), bool(a), int(t), int(n))
        for p, a, t, n in db.session.execute(
            select(summary.c.passed, summary.c.active, tried_any, func.count()).group_by(
                summary.c.passed, summary.c.active, tried_any
            )
        )
    ]
    median = _lower_median([(p, n) for p, _, _, n in histogram])
    counts = dict.fromkeys(STATUSES, 0)
    for passed, active, tried, n in histogram:
        counts[status_of(passed, active, len(quizzes), median, tried)] += n
    students = sum(counts.values())
    matching = students if options.status == "all" else counts[options.status]
    pages = max(1, math.ceil(matching / options.per_page)) if options.per_page else 1
    page = min(options.page, pages)
    options = GridOptions(options.sort, options.descending, options.status, page, options.per_page)

    status = _status_sql(summary, len(quizzes), median)
    order, scores = _order_by(cohort.id, options, summary, status, modules)
    query = select(
        summary.c.user_id,
        summary.c.name,
        summary.c.email,
        status,
        summary.c.passed,
        summary.c.tried,
        summary.c.last,
    ).select_from(summary)
    if scores is not None:
        query = query.outerjoin(scores, scores.c.user_id == summary.c.user_id)
    if options.status != "all":
        query = query.where(status == options.status)
    query = query.order_by(*order)
    if options.per_page:
        query = query.limit(options.per_page).offset((page - 1) * options.per_page)
    page_rows = db.session.execute(query).all()

    cells, read = _grid_cells([r[0] for r in page_rows], quizzes, modules)
    since = review_window(utcnow())
    reviewing = reviewers(students_of(cohort.id), since)
    rows = []
    for uid, name, email, row_status, passed, tried, last in page_rows:
        row_cells = [
            GridCell(
                read=(uid, m.id) in read,
                attempts=cells.get((uid, m.quiz.id), (0, None))[0] if m.quiz else 0,
                best=cells.get((uid, m.quiz.id), (0, None))[1] if m.quiz else None,
                pass_mark=m.quiz.pass_mark if m.quiz else None,
            )
            for m in modules
        ]
        best_sum = sum(c.best or 0.0 for c in row_cells if c.has_quiz)
        rows.append(
            GridRow(
                user_id=uid,
                name=name,
                email=email,
                status=row_status,
                passed=int(passed),
                tried=int(tried),
                overall=best_sum / len(quizzes) if quizzes else None,
                last_activity=last,
                cells=row_cells,
                reviewed=uid in reviewing,
            )
        )
    report = CohortReport(
        cohort_id=cohort.id,
        cohort_name=cohort.name,
        modules=modules,
        options=options,
        rows=rows,
        students=students,
        matching=matching,
        pages=pages,
        status_counts=counts,
        median_passed=median,
        reviewing=len(reviewing),
    )
    objectives = objectives_of(modules)
    report.retention.extend(retention_by_objective(objectives, students_of(cohort.id), since))
    if not overview:
        return report
    members = [Attempt.user_id.in_(students_of(cohort.id))]
    report.mastery.extend(mastery_by_objective(objectives, members))
    # The members' live answers in any session, whichever cohort it was for.
    in_live = [LiveParticipant.user_id.in_(students_of(cohort.id))]
    report.live_mastery.extend(live_mastery_by_objective(objectives, in_live))
    module_ids = [m.id for m in modules if m.quiz is not None]
    report.completion.extend(completion_over_time(cohort.id, module_ids, len(quizzes), students))
    return report


def _grid_cells(
    user_ids: list[int], quizzes: list[QuizInfo], modules: list[ModuleInfo]
) -> tuple[dict[tuple[int, int], tuple[int, float | None]], set[tuple[int, int]]]:
    """Attempts used and best score per (student, quiz), and lessons read, for one page."""
    if not user_ids:
        return {}, set()
    rows = db.session.execute(
        select(
            Attempt.user_id,
            Attempt.quiz_id,
            func.count(Attempt.id),
            func.max(case((Attempt.state == SUBMITTED, Attempt.score))),
        )
        .where(Attempt.user_id.in_(user_ids), Attempt.quiz_id.in_([q.id for q in quizzes]))
        .group_by(Attempt.user_id, Attempt.quiz_id)
    )
    cells = {(uid, qid): (int(used), best) for uid, qid, used, best in rows}
    read = db.session.execute(
        select(LessonRead.user_id, LessonRead.module_id).where(
            LessonRead.user_id.in_(user_ids), LessonRead.module_id.in_([m.id for m in modules])
        )
    )
    return cells, set(read)
