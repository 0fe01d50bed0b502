"""Report pages: a student's own progress, and the organiser's cohort report, drill-down to
one student, and quiz statistics. Every page also answers `?format=csv` with the same data
as CSV. Each view touches overdue attempts first (they are submitted the next time anyone
looks), then runs one report function.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_login import login_required

from camp.accounts.current import current_user
from camp.accounts.permissions import (
    managed_cohort_or_403,
    organiser_required,
    students_run_by,
)
from camp.certificates.mine import my_certificates
from camp.db import utcnow
from camp.extensions import db
from camp.gain.mine import my_pre_post
from camp.i18n import current_locale
from camp.quizzes.models import Quiz
from camp.reports import charts, details, export, stats
from camp.reports import cohort as grid
from camp.reports import progress as student_report
from camp.reports.download import csv_response
from camp.reports.overdue import touch_overdue

bp = Blueprint("reports", __name__)


def _wants_csv() -> bool:
    return request.args.get("format") == "csv"


@bp.get("/progress")
@login_required
def progress() -> str | Response:
    touch_overdue()
    data = student_report.student_progress(
        current_user, utcnow(), as_student=True, locale=current_locale()
    )
    if _wants_csv():
        return csv_response(export.progress_csv(data), "my-progress.csv")
    return render_template(
        "reports/progress.html",
        progress=data,
        chart=charts.scores_chart(data.timeline),
        pre_post=my_pre_post(current_user.id, utcnow(), current_locale()),
        certificates=my_certificates(current_user.id),
    )


@bp.get("/organiser/cohorts/<int:cohort_id>/report")
@organiser_required
def cohort_report(cohort_id: int) -> str | Response:
    cohort = managed_cohort_or_403(cohort_id)
    touch_overdue()
    options = grid.GridOptions.from_args(request.args)
    if _wants_csv():
        everyone = grid.GridOptions(options.sort, options.descending, options.status, 1, None)
        report = grid.cohort_report(cohort, everyone, overview=False, locale=current_locale())
        return csv_response(export.cohort_csv(report), f"cohort-{cohort.id}-report.csv")
    report = grid.cohort_report(cohort, options, locale=current_locale())
    chart = charts.completion_chart(report.completion, report.students, report.quiz_count)
    return render_template(
        "reports/cohort.html",
        cohort=cohort,
        report=report,
        chart=chart,
        statuses=grid.STATUSES,
        status_labels=grid.STATUS_LABELS,
        sort_labels=grid.SORT_LABELS,
    )


@bp.get("/organiser/cohorts/<int:cohort_id>/students/<int:student_id>")
@organiser_required
def student(cohort_id: int, student_id: int) -> str | Response:
    cohort = managed_cohort_or_403(cohort_id)
    user = details.cohort_student(cohort, student_id)
    if user is None:
        abort(404)
    touch_overdue()
    attempts = details.student_attempts(user.id, current_locale())
    if _wants_csv():
        return csv_response(
            export.attempts_csv(attempts), f"cohort-{cohort.id}-student-{user.id}.csv"
        )
    data = student_report.student_progress(
        user, utcnow(), as_student=False, locale=current_locale()
    )
    return render_template(
        "reports/student.html",
        cohort=cohort,
        student=user,
        progress=data,
        attempts=attempts,
        chart=charts.scores_chart(data.timeline),
    )


@bp.get("/organiser/quizzes/<int:quiz_id>/stats")
@organiser_required
def quiz_stats(quiz_id: int) -> str | Response:
    quiz = db.get_or_404(Quiz, quiz_id)
    touch_overdue()
    which = "all" if request.args.get("attempts") == "all" else "first"
    data = stats.quiz_stats(quiz, which, students_run_by(current_user))
    if _wants_csv():
        return csv_response(export.quiz_stats_csv(data), f"quiz-{quiz.id}-stats-{which}.csv")
    return render_template(
        "reports/quiz_stats.html", quiz=quiz, stats=data, scoped=not current_user.is_admin
    )
