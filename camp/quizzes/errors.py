"""Domain errors of the quiz engine; views turn them into messages or status codes."""


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

    def __init__(
        self,
        message: str = (
            "You are not in a cohort this quiz is set for, so you cannot take it. "
            "If you think you should be, ask your organiser."
        ),
    ) -> None:
        super().__init__(message)


class NoQuestions(QuizError):
    pass


class AttemptFinished(QuizError):
    """The attempt is already submitted; a second submit or a late save lands here."""

    def __init__(
        self, message: str = "This attempt is already submitted; your answers were kept."
    ) -> None:
        super().__init__(message)


class DeadlinePassed(QuizError):
    pass


class BadResponse(QuizError):
    pass


class SaveDelayed(BadResponse):
    """The answers could not be written in time (the server is overloaded); try again."""
