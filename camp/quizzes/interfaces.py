"""`AttemptLike` and `QuizLike`: the one attempt interface of the quiz pages and services.

Two classes implement each: the ORM `Attempt` and `Quiz` (quizzes.models), and the frozen
`AttemptRow` and `QuizHeader` read as one statement on the hot attempt views
(quizzes.attempt_rows). A function that only reads an attempt (its seed, state, deadline,
its quiz's layout) takes an `AttemptLike`, so it serves both. One that changes it, or reads
what only the ORM object has (score, submitted_at, questions), takes `Attempt`: the type
checker (mypy, see the README) then refuses an `AttemptRow` there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class QuizLike(Protocol):
    """What the attempt pages read of a quiz."""

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def layout(self) -> str: ...


class AttemptLike(Protocol):
    """One attempt at a quiz, read-only."""

    @property
    def id(self) -> int: ...
    @property
    def user_id(self) -> int: ...
    @property
    def number(self) -> int: ...
    @property
    def state(self) -> str: ...
    @property
    def seed(self) -> str: ...
    @property
    def deadline(self) -> datetime | None: ...
    @property
    def locale(self) -> str: ...
    @property
    def finished(self) -> bool: ...
    @property
    def quiz(self) -> QuizLike: ...
