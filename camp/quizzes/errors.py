"""Domain errors of the quiz engine; views turn them into messages or status codes.

Their messages are lazy (`_l`): str() gives them in the language of the request that
shows them."""

from __future__ import annotations

from flask_babel import LazyString  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l

# What NotInCohort and AttemptFinished say unless told otherwise.
NOT_IN_COHORT = _l(
    "You are not in a cohort this quiz is set for, so you cannot take it. "
    "If you think you should be, ask your organiser."
)
ALREADY_SUBMITTED = _l("This attempt is already submitted; your answers were kept.")


class QuizError(Exception):
    """A quiz action cannot be done; str() says why, in words a student understands."""


class QuizNotOpen(QuizError):
    pass


class QuizClosed(QuizError):
    pass


class NoAttemptsLeft(QuizError):
    pass


class NotInCohort(QuizError):
    """The quiz has cohort windows and none is for a cohort of this user: they may not take
    it at all (not start, continue, submit or review an attempt)."""

    def __init__(self, message: str | LazyString = NOT_IN_COHORT) -> None:
        super().__init__(message)


class NoQuestions(QuizError):
    pass


class AttemptFinished(QuizError):
    """The attempt is already submitted; a second submit or a late save lands here."""

    def __init__(self, message: str | LazyString = ALREADY_SUBMITTED) -> None:
        super().__init__(message)


class DeadlinePassed(QuizError):
    pass


class BadResponse(QuizError):
    pass


class SaveDelayed(BadResponse):
    """The answers could not be written in time (the server is overloaded); try again."""
