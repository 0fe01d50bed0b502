"""The gain report as CSV: `/organiser/cohorts/<id>/gain?format=csv`, and the same bytes
from `camp report gain COHORT --csv`. Written like the cohort report's (camp.reports.export):
UTF-8 with a byte-order mark, formulas neutralised, headings and words in the organiser's
language (the command line writes English). Pure code: no request, no database.

One table, one row per line of the page, in the page's order:

1. the whole test (Row "Cohort", Name "Whole test"),
2. one row per learning objective the tests touch, in course order (Row "Objective",
   Name its title, "Objective tag" its tag),
3. one row per student, by name (Row "Student", Name the student's name), on the whole test.

Columns (empty where they do not apply to the row):

- Row, Name, Objective tag;
- Students with both tests: how many the row counts (cohort and objective rows);
- Pre-test %, Post-test %: the row's means over those students, or a student's own scores
  (a student's score is shown even when the other test is missing), each mean followed by
  the bounds of its 95 % bootstrap interval ("..., 95% CI low", "..., 95% CI high");
- Class gain: Hake's ⟨g⟩ of the row's means, then its interval;
- Mean individual gain: the mean of the students' own gains, then its interval;
- Students with an individual gain, Students with a pre-test of 100% (left out of the mean
  individual gain), Awaiting grading (students held back from the row by an answer still
  to grade);
- Low gain: yes or no (class gain below 0.3), empty when there is no class gain;
- Gain: a student's own normalised gain;
- Note: in words, why the row or the student has no gain.

Percentages have one decimal, gains three; nothing else is rounded.
"""

from __future__ import annotations

from flask_babel import LazyString  # type: ignore[import-untyped]
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from camp.gain.report import CohortGain
from camp.gain.wording import REASONS, UNDEFINED
from camp.reports.export import Cell, to_csv
from camp.reports.gain import Interval, ObjectiveGain, StudentGain

# (key, heading) in column order; the headings are translated when written.
COLUMNS: tuple[tuple[str, LazyString], ...] = (
    ("row", _l("Row")),
    ("name", _l("Name")),
    ("tag", _l("Objective tag")),
    ("students", _l("Students with both tests")),
    ("pre", _l("Pre-test %")),
    ("pre_low", _l("Pre-test %, 95% CI low")),
    ("pre_high", _l("Pre-test %, 95% CI high")),
    ("post", _l("Post-test %")),
    ("post_low", _l("Post-test %, 95% CI low")),
    ("post_high", _l("Post-test %, 95% CI high")),
    ("class_gain", _l("Class gain")),
    ("class_gain_low", _l("Class gain, 95% CI low")),
    ("class_gain_high", _l("Class gain, 95% CI high")),
    ("individual_gain", _l("Mean individual gain")),
    ("individual_gain_low", _l("Mean individual gain, 95% CI low")),
    ("individual_gain_high", _l("Mean individual gain, 95% CI high")),
    ("individual_students", _l("Students with an individual gain")),
    ("at_ceiling", _l("Students with a pre-test of 100%")),
    ("awaiting_grading", _l("Awaiting grading")),
    ("low", _l("Low gain")),
    ("gain", _l("Gain")),
    ("note", _l("Note")),
)
KEYS = tuple(key for key, _heading in COLUMNS)


def _score(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _gain(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _with_interval(key: str, value: float | None, ci: Interval | None) -> dict[str, Cell]:
    """A mean and its interval's bounds, rounded alike (a score or a gain, by its key)."""
    digits = 1 if key in ("pre", "post") else 3
    return {
        key: None if value is None else round(value, digits),
        f"{key}_low": None if ci is None else round(ci.low, digits),
        f"{key}_high": None if ci is None else round(ci.high, digits),
    }


def _line(cells: dict[str, Cell]) -> list[Cell]:
    return [cells.get(key) for key in KEYS]


def _row_line(kind: str, name: str, row: ObjectiveGain) -> list[Cell]:
    low = None if row.class_gain is None else (_("yes") if row.low else _("no"))
    return _line(
        {
            "row": kind,
            "name": name,
            "tag": row.tag or None,
            "students": row.students,
            **_with_interval("pre", row.pre_mean, row.pre_ci),
            **_with_interval("post", row.post_mean, row.post_ci),
            **_with_interval("class_gain", row.class_gain, row.class_gain_ci),
            **_with_interval("individual_gain", row.individual_gain, row.individual_gain_ci),
            "individual_students": row.individual_students,
            "at_ceiling": row.at_ceiling,
            "awaiting_grading": row.awaiting_grading,
            "low": low,
            "note": str(UNDEFINED[row.undefined]) if row.undefined else None,
        }
    )


def _student_line(kind: str, student: StudentGain) -> list[Cell]:
    cell = student.overall
    return _line(
        {
            "row": kind,
            "name": student.name,
            "pre": _score(cell.pre),
            "post": _score(cell.post),
            "gain": _gain(cell.gain),
            "note": str(REASONS[cell.reason]) if cell.reason else None,
        }
    )


def gain_csv(gain: CohortGain) -> bytes:
    report = gain.report
    rows = [_row_line(_("Cohort"), _("Whole test"), report.overall)]
    objective, student = _("Objective"), _("Student")
    rows += [_row_line(objective, row.title, row) for row in report.objectives]
    rows += [_student_line(student, s) for s in report.students]
    return to_csv([str(heading) for _key, heading in COLUMNS], rows)
