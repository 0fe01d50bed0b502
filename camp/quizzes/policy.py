"""Quiz rules as pure functions: who may take a quiz, limits with accommodations, open
windows, review visibility, and the final grade from several attempts. No database, no
request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]

from camp.quizzes.errors import NoAttemptsLeft, NotInCohort, QuizClosed, QuizError, QuizNotOpen
from camp.quizzes.models import REVIEW_ITEMS, GradingMethod, ReviewWhen

# A save that left the browser just before the deadline may arrive a little after it.
GRACE = timedelta(seconds=30)


@dataclass(frozen=True)
class Limits:
    """What applies to one student: the quiz's settings plus their accommodations."""

    attempts_allowed: int | None
    time_limit: timedelta | None
    opens_at: datetime | None
    closes_at: datetime | None
    # False: the student may not take this quiz at all (see may_take).
    eligible: bool = True

    def attempts_left(self, used: int) -> int | None:
        if self.attempts_allowed is None:
            return None
        return max(self.attempts_allowed - used, 0)

    def is_open(self, now: datetime) -> bool:
        if self.opens_at is not None and now < self.opens_at:
            return False
        return self.closes_at is None or now < self.closes_at

    def is_closed(self, now: datetime) -> bool:
        return self.closes_at is not None and now >= self.closes_at

    def deadline(self, started: datetime) -> datetime | None:
        """The server-side deadline of an attempt started now: time limit, capped at close."""
        candidates = []
        if self.time_limit is not None:
            candidates.append(started + self.time_limit)
        if self.closes_at is not None:
            candidates.append(self.closes_at)
        return min(candidates) if candidates else None


def may_take(*, quiz_has_windows: bool, in_windowed_cohort: bool) -> bool:
    """Whether a user may take a quiz at all, whatever the time.

    A quiz without any cohort window is for every logged-in user (module quizzes are for
    every camp student). Once it has a window, it is for the members (any member role) of
    the cohorts it has a window for, and no one else: "no window for my cohort" does not
    mean "always open" then. Whether their window is open now is for `start_refusal`; once
    it closes, deadlines and the review policy apply.
    """
    return not quiz_has_windows or in_windowed_cohort


Window = tuple[datetime | None, datetime | None]


def most_generous(windows: Sequence[Window]) -> Window:
    """The (opens_at, closes_at) that applies to a student with these windows (one per
    cohort of theirs): the earliest opening and the latest close, None meaning unbounded.
    No window of theirs gives (None, None); whether they may take the quiz at all is
    `may_take`'s to say, not this."""
    if not windows:
        return None, None
    opens = [o for o, _ in windows]
    closes = [c for _, c in windows]
    opens_at = None if None in opens else min(o for o in opens if o is not None)
    closes_at = None if None in closes else max(c for c in closes if c is not None)
    return opens_at, closes_at


def student_limits(
    *,
    time_limit_minutes: int | None,
    attempts_allowed: int | None,
    extra_minutes: int,
    extra_attempts: int,
    windows: Sequence[tuple[datetime | None, datetime | None, bool]],
) -> Limits:
    """A quiz's limits for one student, from the quiz's settings, their accommodations and
    every window of the quiz as (opens_at, closes_at, whether it is for a cohort of theirs):
    the most generous of their windows applies, and `may_take` says whether it is for them."""
    theirs = [(opens_at, closes_at) for opens_at, closes_at, mine in windows if mine]
    opens_at, closes_at = most_generous(theirs)
    return limits_for(
        time_limit_minutes=time_limit_minutes,
        attempts_allowed=attempts_allowed,
        extra_minutes=extra_minutes,
        extra_attempts=extra_attempts,
        opens_at=opens_at,
        closes_at=closes_at,
        eligible=may_take(quiz_has_windows=bool(windows), in_windowed_cohort=bool(theirs)),
    )


def limits_for(
    *,
    time_limit_minutes: int | None,
    attempts_allowed: int | None,
    extra_minutes: int = 0,
    extra_attempts: int = 0,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    eligible: bool = True,
) -> Limits:
    return Limits(
        attempts_allowed=None if attempts_allowed is None else attempts_allowed + extra_attempts,
        time_limit=(
            None
            if time_limit_minutes is None
            else timedelta(minutes=time_limit_minutes + extra_minutes)
        ),
        opens_at=opens_at,
        closes_at=closes_at,
        eligible=eligible,
    )


def start_refusal(limits: Limits, used: int, now: datetime) -> QuizError | None:
    """Why a new attempt cannot start now (not for this student, closed, not open yet, no
    attempt left), or None."""
    if not limits.eligible:
        return NotInCohort()
    if limits.is_closed(now):
        return QuizClosed(_l("This quiz is closed: no new attempts can be started."))
    if not limits.is_open(now):
        return QuizNotOpen(_l("This quiz is not open yet."))
    if limits.attempts_left(used) == 0:
        return NoAttemptsLeft(_l("You have used all your attempts at this quiz."))
    return None


def accepts_responses(deadline: datetime | None, now: datetime) -> bool:
    return deadline is None or now <= deadline + GRACE


def is_overdue(deadline: datetime | None, now: datetime) -> bool:
    return deadline is not None and now > deadline + GRACE


@dataclass(frozen=True)
class ReviewVisibility:
    score: bool
    responses: bool
    marks: bool
    feedback: bool
    answers: bool


def visibility_now(
    settings: dict[str, str],
    limits: Limits,
    *,
    used: int,
    in_progress: bool,
    now: datetime,
    held: bool = False,
) -> ReviewVisibility:
    """`review_visibility` for a student with `used` attempts, one of them `in_progress`
    or not: while an attempt is in progress, "after the last attempt" has not come yet."""
    return review_visibility(
        settings,
        attempts_left=1 if in_progress else limits.attempts_left(used),
        closed=limits.is_closed(now),
        held=held,
    )


def review_visibility(
    settings: dict[str, str], *, attempts_left: int | None, closed: bool, held: bool = False
) -> ReviewVisibility:
    """What a student may see of a finished attempt now.

    `settings` maps each review item to a ReviewWhen value; `attempts_left` is None for
    unlimited attempts (then "after the last attempt" never comes before the quiz closes).
    `held`: a pre-test whose post-test is still open (camp.gain.hold) shows its score and
    the responses, never marks, feedback or answers.
    """

    def visible(when: str) -> bool:
        if when == ReviewWhen.IMMEDIATELY:
            return True
        if when == ReviewWhen.AFTER_LAST_ATTEMPT:
            return closed or attempts_left == 0
        if when == ReviewWhen.AFTER_CLOSE:
            return closed
        return False

    shown = {item: visible(settings[item]) for item in REVIEW_ITEMS}
    if held:
        shown.update(marks=False, feedback=False, answers=False)
    return ReviewVisibility(**shown)


def final_grade(method: str, scores_in_order: Sequence[float | None]) -> float | None:
    """The quiz grade from finished attempts' scores, oldest first (None: not graded yet)."""
    graded = [s for s in scores_in_order if s is not None]
    if not graded:
        return None
    if method == GradingMethod.HIGHEST:
        return max(graded)
    if method == GradingMethod.AVERAGE:
        return sum(graded) / len(graded)
    if method == GradingMethod.FIRST:
        return scores_in_order[0]
    if method == GradingMethod.LAST:
        return scores_in_order[-1]
    raise ValueError(f"unknown grading method {method!r}")


def attempt_score(fractions: Sequence[float | None]) -> float | None:
    """An attempt's score: the mean fraction over graded questions; None while any waits."""
    if not fractions:
        return 0.0
    if any(f is None for f in fractions):
        return None
    return sum(f for f in fractions if f is not None) / len(fractions)
