"""A cohort's learning gain between a pre-test and a post-test, overall and per objective.

Hake's normalised gain compares what a class learned with what it could still learn:

    g = (post - pre) / (100 - pre)        (scores in percent)

It is computed two ways, over the students with both scores (the complete pairs):

- the class gain, Hake's ⟨g⟩: the gain of the class averages, (mean post - mean pre) /
  (100 - mean pre). It is the headline number and the one the low flag uses.
- the mean individual gain: each student's own g, averaged. A student whose pre score is
  100 % has no g (nothing left to learn: 0 / 0); such students are counted (`at_ceiling`)
  and left out of this average only, not out of the class gain.

The two differ when students who started higher gain differently; showing both is usual.

Rules, each one visible in the output:

- A row (the whole test, or one objective) counts a student only when both their pre and
  post scores for it are known. The pre and post means shown are over those students, so a
  pre mean here can differ from the pre-test's own report.
- Missing tests: a student who did not take the pre-test or the post-test is left out of
  everything and counted in `Coverage` (only pre, only post, neither) and in their own
  reason code ("no_pre", "no_post", "neither").
- Essays awaiting grading: a score of None (a test's total, or one objective's) means it
  cannot be computed yet; the student is left out of that row only, with the reason
  "pending" and counted in the row's `awaiting_grading`. An objective absent from a
  test's scores was not assessed there: "no_pre" or "no_post" for that row.
- Retakes: each `Sitting` holds one attempt's scores; the caller picks which one (the
  first attempt by default, so a retake does not count as learning).
- Ceiling: an individual g is undefined at pre = 100 % ("ceiling"). The class gain is
  undefined when the class pre mean is 100 % (then every student is at the ceiling), and
  both gains are undefined when no student has both scores (`undefined` says which).
- Negative gains (a student or a class doing worse) are kept as they are. Near the
  ceiling an individual g can be large and negative (pre 95, post 80 gives -3): that is
  one reason to read the class gain first.
- Low gain: a row is flagged `low` when its class gain is defined and below LOW_GAIN (0.3,
  Hake's boundary between low and medium gain).
- Scores are percentages in [0, 100]; a value off by less than 1e-9 (the rounding of a
  mean of fractions) is snapped into range, anything further off is a ValueError.

95 % confidence intervals come from a percentile bootstrap (camp.reports.gain_bootstrap):
RESAMPLES (2000) times, draw n students with replacement from the n who have at least one
complete pair (in user id order, so the input's order does not matter), recompute every
row's pre mean, post mean, class gain and mean individual gain over the students drawn
who count for that row, and take the 2.5th and 97.5th percentiles. When every student
has every score, that is exactly "resample the students with both tests"; when a row
lacks some students (an essay awaiting grading), its resample size varies as it would in
a new class: the bootstrap of that row's complete-pair statistic. All rows share the
draws, which makes the whole computation one matrix product. A statistic undefined in a
resample (nobody drawn for the row; everyone drawn at 100 % before, for the gains) drops
that resample for that statistic only; `Interval.resamples` says how many were kept. No
interval is given for fewer than two students. The generator is seeded from a hash of the
data, so the same data give the same intervals, to the byte, every time (with the same
version of NumPy); `seed` overrides it.

Nothing is rounded here; presentation rounds. Pure code: no request, no database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

import numpy as np
import numpy.typing as npt

from camp.reports.gain_bootstrap import (
    CONFIDENCE,
    TOLERANCE,
    TOP,
    Floats,
    Interval,
    RowIntervals,
    bootstrap,
    seed_from,
)

__all__ = [
    "CONFIDENCE",
    "LOW_GAIN",
    "RESAMPLES",
    "Coverage",
    "Gain",
    "GainReport",
    "Interval",
    "Objective",
    "ObjectiveGain",
    "Reason",
    "Sitting",
    "StudentGain",
    "StudentScores",
    "Undefined",
    "gain_report",
]

LOW_GAIN = 0.3  # Hake: low gain below 0.3, medium to 0.7, high above
RESAMPLES = 2000
MISSING, PENDING = -1.0, -2.0  # codes in the score matrices, below any score

Reason = Literal["neither", "no_pre", "no_post", "pending", "ceiling"]
Undefined = Literal["no_students", "ceiling"]
REASONS: tuple[Reason | None, ...] = (None, "neither", "no_pre", "no_post", "pending", "ceiling")

Flags = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Objective:
    """A learning objective, in the report's display order."""

    tag: str
    title: str


@dataclass(frozen=True)
class Sitting:
    """One student's scores on one test (the attempt the caller chose, the first by
    default). None: awaiting grading. An objective absent from `objectives` was not
    assessed on this test."""

    total: float | None
    objectives: Mapping[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class StudentScores:
    """A student's pre-test and post-test; None: that test was not taken."""

    user_id: int
    name: str
    pre: Sitting | None
    post: Sitting | None


class Gain(NamedTuple):
    """One student's scores and gain on one row (a tuple: there are thousands of these).
    `reason` says why `gain` is None."""

    pre: float | None
    post: float | None
    gain: float | None
    reason: Reason | None


@dataclass(frozen=True)
class StudentGain:
    user_id: int
    name: str
    overall: Gain  # on the whole test
    objectives: tuple[Gain, ...]  # in the order of GainReport.objectives


@dataclass(frozen=True)
class ObjectiveGain:
    """One row of the report: the whole test (tag and title "") or one objective."""

    tag: str
    title: str
    students: int  # with both scores
    pre_mean: float | None
    post_mean: float | None
    pre_ci: Interval | None
    post_ci: Interval | None
    class_gain: float | None  # Hake's ⟨g⟩, the gain of the averages
    class_gain_ci: Interval | None
    individual_gain: float | None  # the average of individual gains
    individual_gain_ci: Interval | None
    individual_students: int  # with both scores and pre < 100 %
    at_ceiling: int  # with both scores and pre = 100 %
    awaiting_grading: int  # a score for this row awaits grading
    low: bool  # class gain below LOW_GAIN
    undefined: Undefined | None  # why both gains are None


@dataclass(frozen=True)
class Coverage:
    """Who took what; the five counts partition the cohort."""

    both: int  # both tests taken and graded: counted in the whole-test row
    awaiting_grading: int  # both taken, a total awaits grading
    only_pre: int
    only_post: int
    neither: int

    @property
    def total(self) -> int:
        return self.both + self.awaiting_grading + self.only_pre + self.only_post + self.neither


@dataclass(frozen=True)
class GainReport:
    overall: ObjectiveGain
    objectives: tuple[ObjectiveGain, ...]
    students: tuple[StudentGain, ...]  # in the input's order
    coverage: Coverage
    resamples: int
    seed: int


def gain_report(
    students: Sequence[StudentScores],
    objectives: Sequence[Objective],
    *,
    resamples: int = RESAMPLES,
    seed: int | None = None,
) -> GainReport:
    """The gain report; `seed` None seeds the bootstrap from the inputs (see above)."""
    tags = [o.tag for o in objectives]
    _check_unique(tags, [s.user_id for s in students])
    pre_codes = _score_matrix(students, tags, "pre")
    post_codes = _score_matrix(students, tags, "post")
    pre, post = _scores(pre_codes), _scores(post_codes)
    complete = ~np.isnan(pre) & ~np.isnan(post)
    below = complete & (pre < TOP)
    gains = np.where(below, (post - pre) / np.where(below, TOP - pre, 1.0), np.nan)
    reasons = _reasons(pre_codes, post_codes, complete & ~below)

    ids = np.array([s.user_id for s in students], dtype=np.int64)
    drawn = np.flatnonzero(complete.any(axis=1))
    drawn = drawn[np.argsort(ids[drawn], kind="stable")]
    if seed is None:
        seed = seed_from(ids[drawn], pre_codes[drawn], post_codes[drawn], resamples)
    intervals = bootstrap(pre[drawn], post[drawn], gains[drawn], resamples, seed)

    awaiting = ((pre_codes == PENDING) | (post_codes == PENDING)).sum(axis=0)
    rows = [
        _row(tag, title, pre[:, r], post[:, r], gains[:, r], int(awaiting[r]), intervals[r])
        for r, (tag, title) in enumerate([("", ""), *((o.tag, o.title) for o in objectives)])
    ]
    return GainReport(
        overall=rows[0],
        objectives=tuple(rows[1:]),
        students=_student_gains(students, pre, post, gains, reasons),
        coverage=_coverage(pre_codes[:, 0], post_codes[:, 0]),
        resamples=resamples,
        seed=seed,
    )


def _check_unique(tags: Sequence[str], user_ids: Sequence[int]) -> None:
    if len(set(tags)) != len(tags):
        raise ValueError(f"objective tags repeat: {list(tags)}")
    if len(set(user_ids)) != len(user_ids):
        raise ValueError("a student appears twice")


def _score_matrix(
    students: Sequence[StudentScores], tags: Sequence[str], which: Literal["pre", "post"]
) -> Floats:
    """Scores by student (rows) and row (column 0 the total, then each objective), with
    MISSING and PENDING codes; every score checked and snapped into [0, 100]."""

    def codes(sitting: Sitting | None) -> list[float]:
        if sitting is None:
            return [MISSING] * (len(tags) + 1)
        by_tag = sitting.objectives
        values = [sitting.total, *(by_tag.get(tag, MISSING) for tag in tags)]
        return [PENDING if value is None else float(value) for value in values]

    matrix = np.array([codes(getattr(s, which)) for s in students], dtype=np.float64).reshape(
        len(students), len(tags) + 1
    )
    scores = (matrix != MISSING) & (matrix != PENDING)
    bad = scores & ~((matrix >= -TOLERANCE) & (matrix <= TOP + TOLERANCE))  # NaN is bad too
    if bad.any():
        student, column = (int(i) for i in np.argwhere(bad)[0])
        where = "total" if column == 0 else f"objective {tags[column - 1]!r}"
        raise ValueError(
            f"{which}-test {where} of user {students[student].user_id} is "
            f"{matrix[student, column]!r}, not a percentage"
        )
    return np.where(scores, np.clip(matrix, 0.0, TOP), matrix)


def _scores(codes: Floats) -> Floats:
    return np.where(codes >= 0.0, codes, np.nan)


def _reasons(pre_codes: Floats, post_codes: Floats, at_ceiling: Flags) -> npt.NDArray[np.intp]:
    """An index into REASONS for every student and row (0: the gain exists)."""
    no_pre, no_post = pre_codes == MISSING, post_codes == MISSING
    pending = (pre_codes == PENDING) | (post_codes == PENDING)
    conditions = [no_pre & no_post, no_pre, no_post, pending, at_ceiling]
    return np.select(conditions, [1, 2, 3, 4, 5], default=0)


def _student_gains(
    students: Sequence[StudentScores],
    pre: Floats,
    post: Floats,
    gains: Floats,
    reasons: npt.NDArray[np.intp],
) -> tuple[StudentGain, ...]:
    def python(values: Floats) -> list[list[float | None]]:
        cells = values.astype(object)
        cells[np.isnan(values)] = None
        return cells.tolist()

    pres, posts, gain_lists = python(pre), python(post), python(gains)
    reason_lists = np.array(REASONS, dtype=object)[reasons].tolist()
    result = []
    for i, student in enumerate(students):
        cells = tuple(map(Gain, pres[i], posts[i], gain_lists[i], reason_lists[i]))
        result.append(StudentGain(student.user_id, student.name, cells[0], cells[1:]))
    return tuple(result)


def _coverage(pre_totals: Floats, post_totals: Floats) -> Coverage:
    took_pre, took_post = pre_totals != MISSING, post_totals != MISSING
    graded = (pre_totals >= 0.0) & (post_totals >= 0.0)
    return Coverage(
        both=int(graded.sum()),
        awaiting_grading=int((took_pre & took_post & ~graded).sum()),
        only_pre=int((took_pre & ~took_post).sum()),
        only_post=int((took_post & ~took_pre).sum()),
        neither=int((~took_pre & ~took_post).sum()),
    )


def _row(
    tag: str,
    title: str,
    pre: Floats,
    post: Floats,
    gains: Floats,
    awaiting: int,
    intervals: RowIntervals,
) -> ObjectiveGain:
    complete = ~np.isnan(pre) & ~np.isnan(post)
    students = int(complete.sum())
    individual = gains[~np.isnan(gains)]
    pre_mean = float(pre[complete].mean()) if students else None
    post_mean = float(post[complete].mean()) if students else None
    class_gain = _class_gain(pre_mean, post_mean)
    undefined: Undefined | None = None
    if not students:
        undefined = "no_students"
    elif class_gain is None:
        undefined = "ceiling"
    return ObjectiveGain(
        tag=tag,
        title=title,
        students=students,
        pre_mean=pre_mean,
        post_mean=post_mean,
        pre_ci=intervals.pre if students > 1 else None,
        post_ci=intervals.post if students > 1 else None,
        class_gain=class_gain,
        class_gain_ci=intervals.class_gain if students > 1 else None,
        individual_gain=float(individual.mean()) if individual.size else None,
        individual_gain_ci=intervals.individual_gain if individual.size > 1 else None,
        individual_students=int(individual.size),
        at_ceiling=students - int(individual.size),
        awaiting_grading=awaiting,
        low=class_gain is not None and class_gain < LOW_GAIN,
        undefined=undefined,
    )


def _class_gain(pre_mean: float | None, post_mean: float | None) -> float | None:
    if pre_mean is None or post_mean is None or TOP - pre_mean <= TOLERANCE:
        return None
    return (post_mean - pre_mean) / (TOP - pre_mean)
