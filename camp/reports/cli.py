"""`camp report cohort NAME [--csv]`: the cohort report from the command line.

With `--csv` it writes the same bytes as `/organiser/cohorts/<id>/report?format=csv` gives
an organiser who reads English (every student, sorted by name); without, a short
plain-text summary. The command line speaks English whatever `CAMP_DEFAULT_LOCALE` says.
"""

from __future__ import annotations

import sys

import click
from flask_babel import force_locale  # type: ignore[import-untyped]
from sqlalchemy import select

from camp.accounts.errors import AccountError
from camp.accounts.models import Cohort
from camp.accounts.services import get_cohort_by_name
from camp.db import utcnow
from camp.extensions import db
from camp.quizzes.attempts import close_overdue
from camp.reports import cohort as grid
from camp.reports import export
from camp.schema import needs_current_schema


@click.group("report")
def report_group() -> None:
    """Print reports (as CSV with --csv)."""


@report_group.command("cohort")
@click.argument("name")
@click.option("--csv", "as_csv", is_flag=True, help="Print the cohort report's CSV export.")
@needs_current_schema
def report_cohort(name: str, as_csv: bool) -> None:
    """Report on the cohort called NAME."""
    try:
        # Exact name first: SQLite's lower() folds ASCII only, so "Cohort Ä" needs it.
        exact = db.session.scalar(select(Cohort).where(Cohort.name == " ".join(name.split())))
        cohort = exact or get_cohort_by_name(name)
    except AccountError as error:
        db.session.rollback()
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    if close_overdue(utcnow()):
        db.session.commit()
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
