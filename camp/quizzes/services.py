"""Starting an attempt and saving answers: the one way in, for the views and the tests.

A whole room presses Start, and saves, at once. So both check and prepare without the
write lock (reads only), then hand the write to camp.quizzes.group_commit: batched with
the room's other writes on SQLite, elsewhere a short write transaction of the request's
own. An overdue attempt met on the way is submitted first, in its own short write
transaction (camp.transactions).

Every write here commits itself; callers never commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from camp.accounts.identity import CampUser
from camp.extensions import db
from camp.locales import DEFAULT_LOCALE
from camp.quizzes import answers, attempts, group_commit, policy
from camp.quizzes.errors import DeadlinePassed
from camp.quizzes.interfaces import AttemptLike
from camp.quizzes.models import Attempt, Quiz
from camp.quizzes.paper import PaperRow
from camp.transactions import write_transaction


def start_attempt(user: CampUser, quiz: Quiz, now: datetime, locale: str = DEFAULT_LOCALE) -> int:
    """Start an attempt and return its id. A second Start continues the attempt in
    progress (in the language it was started in); an overdue one is submitted first, then
    a new one is started, its questions shown in `locale` where they are translated.

    Raises NotInCohort when the quiz is not for this student, another QuizError when they
    may not start (planning writes nothing)."""
    try:
        plan = attempts.plan_attempt(user, quiz, now)
    except attempts.OverdueAttempt as overdue:
        close_if_overdue(overdue.attempt, now)
        plan = attempts.plan_attempt(user, quiz, now)
    if isinstance(plan, Attempt):
        return plan.id
    new = attempts.NewAttempt(user.id, quiz.id, plan, now, locale)
    return group_commit.write_planned_attempt(new)


def save_responses(
    attempt: AttemptLike,
    responses: dict[int, Any],
    now: datetime,
    *,
    paper: list[PaperRow] | None = None,
) -> list[answers.SavedAnswer]:
    """Check answers by position without a lock, then have them written; returns what
    was saved. `paper` holds the answered questions when the caller has read them.

    Raises BadResponse (nothing written), AttemptFinished, or DeadlinePassed after
    submitting the overdue attempt."""
    try:
        prepared = answers.prepare_responses(attempt, responses, now, paper=paper)
    except DeadlinePassed:
        close_if_overdue(attempt, now)
        raise
    return group_commit.save_answers(attempt.id, prepared, now)


def close_if_overdue(attempt: AttemptLike, now: datetime) -> bool:
    """Whoever opens an overdue attempt submits it, with the answers given: a write, even
    on a GET, so in its own short write transaction. True when the attempt is finished
    now (by this call or before); a loaded `Attempt` is refreshed."""
    if attempt.finished:
        return True
    if not policy.is_overdue(attempt.deadline, now):
        return False
    submit_now(attempt.id, now)
    return True


def submit_now(attempt_id: int, now: datetime) -> None:
    """Submit automatically with the answers given (time is up), in a short write
    transaction; an attempt already submitted stays as it is."""
    with write_transaction():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None
        attempts.submit_attempt(attempt, now, automatic=True)
