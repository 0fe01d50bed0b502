"""CSV exports of the reports: UTF-8 with a byte-order mark so spreadsheets read names
correctly, and text cells that a spreadsheet would run as a formula neutralised.

Every report page serves its CSV at the same URL with `?format=csv` (and the cohort report
also from `camp report cohort NAME --csv`, the same bytes). Pure code: no request, no
database.

The progress, attempts and statistics exports name their columns with fixed keys
(`best_percent`) for scripts; the cohort export names them as the page does, in the
organiser's language (`camp report cohort --csv` writes English).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from flask_babel import gettext as _  # type: ignore[import-untyped]

if TYPE_CHECKING:
    from camp.reports.cohort import CohortReport
    from camp.reports.details import AttemptReport
    from camp.reports.progress import StudentProgress
    from camp.reports.stats import QuizStats

BOM = "\ufeff"
# A text cell starting with one of these is a formula to Excel, LibreOffice or Sheets,
# also after leading spaces, tabs or line breaks, which some of them skip (a student's
# essay may start with a line break); a leading quote makes it plain text.
FORMULA_START = ("=", "+", "-", "@")
# OWASP also counts a leading tab or carriage return as risky on its own.
RISKY_START = (*FORMULA_START, "\t", "\r")

Cell = str | int | float | bool | None


def neutralise(value: Cell) -> str | int | float:
    """A value safe to write: numbers stay numbers (a negative one is no formula), risky
    text gets a leading `'`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if _is_formula(text) else text


def _is_formula(text: str) -> bool:
    # lstrip() with no argument skips every kind of whitespace, line breaks included.
    return text.startswith(RISKY_START) or text.lstrip().startswith(FORMULA_START)


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")


def percent(value: float | None) -> float | None:
    """A 0..1 fraction as a percentage with one decimal (None stays empty)."""
    return None if value is None else round(value * 100, 1)


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def progress_csv(progress: StudentProgress) -> bytes:
    header = [
        "module",
        "lesson_read",
        "quiz",
        "pass_mark_percent",
        "attempts",
        "best_percent",
        "latest_percent",
        "grade_percent",
        "state",
    ]
    rows = [
        [
            row.module.title,
            row.read,
            row.module.quiz.title if row.module.quiz else None,
            row.module.quiz.pass_mark if row.module.quiz else None,
            row.attempts,
            percent(row.best),
            percent(row.latest),
            percent(row.grade),
            row.state,
        ]
        for row in progress.modules
    ]
    return to_csv(header, rows)


def cohort_csv(report: CohortReport) -> bytes:
    """The grid for every student matching the filter, in the chosen order (no pages).
    Headings say what the page says: modules by their titles, in the page's order.

    Then the review, in columns after the grid's (so scripts reading the grid keep their
    columns): whether the student reviewed in the last 7 days (yes or no, never a score),
    and per objective (by its tag) the cohort's review retention over those days and its
    number of due reviews: cohort figures, the same on every row."""
    header = [
        _("Student"),
        _("Email"),
        _("Status"),
        _("Quizzes passed"),
        _("Quizzes tried"),
        _("Overall %"),
        _("Last activity"),
    ]
    for module in report.modules:
        header += [
            _("%(module)s: lesson read", module=module.title),
            _("%(module)s: best %%", module=module.title),
            _("%(module)s: attempts", module=module.title),
        ]
    header.append(_("Reviewed in the last 7 days"))
    for retention in report.retention:
        tag = retention.objective.tag
        header += [
            _("%(objective)s: review retention (7 days) %%", objective=tag),
            _("%(objective)s: due reviews (7 days)", objective=tag),
        ]
    cohort_cells: list[Cell] = []
    for retention in report.retention:
        cohort_cells += [percent(retention.share), retention.reviews]
    yes, no = _("yes"), _("no")
    rows = []
    for row in report.rows:
        cells: list[Cell] = [
            row.name,
            row.email,
            row.status_label,
            row.passed,
            row.tried,
            percent(row.overall),
            row.last_activity.strftime("%Y-%m-%d %H:%M") if row.last_activity else None,
        ]
        for cell in row.cells:
            read = yes if cell.read else no
            cells += [read, percent(cell.best), cell.attempts if cell.has_quiz else None]
        cells += [yes if row.reviewed else no, *cohort_cells]
        rows.append(cells)
    return to_csv(header, rows)


def attempts_csv(attempts: Sequence[AttemptReport]) -> bytes:
    header = [
        "attempt_id",
        "quiz",
        "attempt",
        "state",
        "submitted_at",
        "score_percent",
        "position",
        "question",
        "title",
        "answer",
        "fraction",
    ]
    rows = []
    for attempt in attempts:
        submitted = (
            attempt.submitted_at.strftime("%Y-%m-%d %H:%M") if attempt.submitted_at else None
        )
        head: list[Cell] = [
            attempt.id,
            attempt.quiz_title,
            attempt.number,
            attempt.state,
            submitted,
            percent(attempt.score),
        ]
        for response in attempt.responses:
            rows.append(
                [
                    *head,
                    response.position,
                    response.uid,
                    response.title,
                    response.answer,
                    _round(response.fraction),
                ]
            )
        if not attempt.responses:
            rows.append([*head, None, None, None, None, None])
    return to_csv(header, rows)


def quiz_stats_csv(stats: QuizStats) -> bytes:
    """One row per question and option (long form); questions without options get one row."""
    header = [
        "question",
        "versions",
        "title",
        "responses",
        "facility",
        "discrimination",
        "flags",
        "option",
        "option_weight_percent",
        "chosen",
        "chosen_top_third",
        "chosen_bottom_third",
        "note",
    ]
    rows = []
    for q in stats.questions:
        head: list[Cell] = [
            q.uid,
            " ".join(f"v{v.number}" for v in q.versions),
            q.title,
            q.n,
            _round(q.facility),
            _round(q.discrimination),
            "; ".join(q.flags),
        ]
        for option in q.options:
            rows.append(
                [
                    *head,
                    option.text,
                    option.weight,
                    option.chosen,
                    option.top,
                    option.bottom,
                    option.note,
                ]
            )
        if not q.options:
            rows.append([*head, None, None, None, None, None, None])
    return to_csv(header, rows)
