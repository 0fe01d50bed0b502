"""A cohort's learning-gain report: its counted scores (camp.gain.cohort_scores) turned into
the inputs of camp.reports.gain, and the report with what its page, CSV and command line
show beside it (the two tests, the answers awaiting grading).

How a counted attempt becomes a `Sitting` (one rule: a score that grading could still
change is held back, so no figure shown moves after the essays are graded):

- no counted attempt (the first attempt not taken, or not yet submitted): no sitting
  (the student has "no pre-test" or "no post-test");
- any question of the attempt awaiting grading: its total is None ("awaiting grading");
  an objective with a question awaiting grading is None too, while the objectives whose
  questions are all graded keep their scores;
- an objective with no question in the attempt: absent (not assessed on that test).

A fixed number of queries whatever the number of students (cohort_scores's).
"""

from __future__ import annotations

from dataclasses import dataclass

from camp.accounts.models import Cohort
from camp.gain.cohort_scores import CohortScores, cohort_scores
from camp.gain.scores import CountedScore
from camp.locales import DEFAULT_LOCALE
from camp.reports.gain import RESAMPLES, GainReport, Objective, Sitting, StudentScores, gain_report


@dataclass(frozen=True)
class CohortGain:
    cohort_id: int
    cohort_name: str
    pre_quiz_id: int
    pre_title: str
    post_quiz_id: int
    post_title: str
    report: GainReport
    awaiting_answers: int  # answers of the counted attempts still awaiting grading

    @property
    def students(self) -> int:
        return self.report.coverage.total


def sitting(score: CountedScore | None) -> Sitting | None:
    """A counted attempt as the gain report reads it (see the module docstring)."""
    if score is None:
        return None
    total = None if score.awaiting_grading else score.overall
    objectives: dict[str, float | None] = dict(score.by_objective)
    objectives.update(dict.fromkeys(score.pending_objectives))
    return Sitting(total, objectives)


def gain_inputs(scores: CohortScores) -> tuple[list[StudentScores], list[Objective]]:
    """The gain report's students (by name) and objectives (in course order)."""
    students = [
        StudentScores(
            user_id, name, sitting(scores.pre.get(user_id)), sitting(scores.post.get(user_id))
        )
        for user_id, name in scores.students
    ]
    objectives = [Objective(o.tag, o.text) for o in scores.objectives]
    return students, objectives


def cohort_gain(
    cohort: Cohort, locale: str = DEFAULT_LOCALE, *, resamples: int = RESAMPLES
) -> CohortGain | None:
    """The cohort's gain report, objectives named in `locale`; None without a pre/post pair."""
    scores = cohort_scores(cohort, locale)
    if scores is None:
        return None
    students, objectives = gain_inputs(scores)
    return CohortGain(
        cohort_id=cohort.id,
        cohort_name=cohort.name,
        pre_quiz_id=scores.pre_quiz.id,
        pre_title=scores.pre_quiz.title,
        post_quiz_id=scores.post_quiz.id,
        post_title=scores.post_quiz.title,
        report=gain_report(students, objectives, resamples=resamples),
        awaiting_answers=scores.awaiting_grading,
    )
