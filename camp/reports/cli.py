"""`camp report cohort NAME [--csv]` and `camp report gain NAME [--csv]`: the cohort report
and the learning-gain report from the command line.

With `--csv` each writes the same bytes as its page's `?format=csv` gives an organiser who
reads English (`/organiser/cohorts/<id>/report`: every student, sorted by name;
`/organiser/cohorts/<id>/gain`); without, a short plain-text summary. The command line
speaks English whatever `CAMP_DEFAULT_LOCALE` says. An unknown cohort, or one with no
pre/post pair for `gain`, is an error (exit code 1).
"""

from __future__ import annotations

import sys
from typing import NoReturn

import click
from flask_babel import force_locale  # type: ignore[import-untyped]
from sqlalchemy import select

from camp.accounts.errors import AccountError
from camp.accounts.models import Cohort
from camp.accounts.services import get_cohort_by_name
from camp.db import utcnow
from camp.extensions import db
from camp.gain.export import gain_csv
from camp.gain.report import CohortGain, cohort_gain
from camp.gain.wording import UNDEFINED
from camp.quizzes.attempts import close_overdue
from camp.reports import cohort as grid
from camp.reports import export
from camp.reports.gain import Interval, ObjectiveGain
from camp.schema import needs_current_schema


@click.group("report")
def report_group() -> None:
    """Print reports (as CSV with --csv)."""


def _fail(message: str) -> NoReturn:
    db.session.rollback()
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def _cohort_named(name: str) -> Cohort:
    """The cohort called `name`, its overdue attempts submitted (a report counts them)."""
    try:
        # Exact name first: SQLite's lower() folds ASCII only, so "Cohort Ä" needs it.
        exact = db.session.scalar(select(Cohort).where(Cohort.name == " ".join(name.split())))
        cohort = exact or get_cohort_by_name(name)
    except AccountError as error:
        _fail(str(error))
    if close_overdue(utcnow()):
        db.session.commit()
    return cohort


@report_group.command("cohort")
@click.argument("name")
@click.option("--csv", "as_csv", is_flag=True, help="Print the cohort report's CSV export.")
@needs_current_schema
def report_cohort(name: str, as_csv: bool) -> None:
    """Report on the cohort called NAME."""
    cohort = _cohort_named(name)
    everyone = grid.GridOptions(per_page=None)
    with force_locale("en"):  # status labels and CSV headings are translated on the web
        if as_csv:
            report = grid.cohort_report(cohort, everyone, overview=False)
            click.echo(export.cohort_csv(report), nl=False)  # bytes: written as they are
            return
        report = grid.cohort_report(cohort, everyone)
        click.echo(f"{report.cohort_name}: {report.students} students, {report.quiz_count} quizzes")
        for status in grid.STATUSES:
            click.echo(f"  {grid.STATUS_LABELS[status]}: {report.status_counts[status]}")
        for mastery in report.mastery:
            share = "-" if mastery.share is None else f"{mastery.share:.0%}"
            click.echo(f"  {mastery.objective.tag}: {share} mastery ({mastery.graded} answers)")
        click.echo(f"  Reviewed in the last 7 days: {report.reviewing} of {report.students}")
        for retention in report.retention:
            share = "-" if retention.share is None else f"{retention.share:.0%}"
            click.echo(
                f"  {retention.objective.tag}: {share} review retention "
                f"({retention.reviews} due reviews in 7 days)"
            )


@report_group.command("gain")
@click.argument("name")
@click.option("--csv", "as_csv", is_flag=True, help="Print the gain report's CSV export.")
@needs_current_schema
def report_gain(name: str, as_csv: bool) -> None:
    """The learning gain between the pre-test and post-test of the cohort called NAME."""
    cohort = _cohort_named(name)
    with force_locale("en"):  # CSV headings and words are translated on the web
        gain = cohort_gain(cohort)
        if gain is None:
            _fail(
                f"cohort {cohort.name!r} has no pre-test and post-test; pair two quizzes "
                f"on its learning-gain page first"
            )
        if as_csv:
            click.echo(gain_csv(gain), nl=False)  # bytes: written as they are
            return
        for line in _gain_summary(gain):
            click.echo(line)


def _gain_summary(gain: CohortGain) -> list[str]:
    report, coverage = gain.report, gain.report.coverage
    return [
        f"{gain.cohort_name}: pre-test {gain.pre_title!r}, post-test {gain.post_title!r}",
        f"  {coverage.total} students: {coverage.both} with both tests, "
        f"{coverage.awaiting_grading} awaiting grading, {coverage.only_pre} only the pre-test, "
        f"{coverage.only_post} only the post-test, {coverage.neither} neither; "
        f"{gain.awaiting_answers} {'answer' if gain.awaiting_answers == 1 else 'answers'} "
        "awaiting grading",
        _gain_line("Whole test", report.overall),
        *(_gain_line(f"{row.tag} ({row.title})", row) for row in report.objectives),
    ]


def _gain_line(label: str, row: ObjectiveGain) -> str:
    def score(value: float | None) -> str:
        return "-" if value is None else f"{value:.1f}%"

    def gain(value: float | None, ci: Interval | None) -> str:
        if value is None:
            return "-"
        return f"{value:.2f}" + ("" if ci is None else f" [{ci.low:.2f}, {ci.high:.2f}]")

    text = (
        f"  {label}: {row.students} students, pre {score(row.pre_mean)}, "
        f"post {score(row.post_mean)}, class gain {gain(row.class_gain, row.class_gain_ci)}, "
        f"mean individual gain {gain(row.individual_gain, row.individual_gain_ci)}"
    )
    if row.undefined:
        text += f" ({UNDEFINED[row.undefined]})"
    return text + (" LOW" if row.low else "")
