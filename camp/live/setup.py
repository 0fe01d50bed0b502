"""A new live session from what an organiser filled in: where its questions come from (a
quiz, a bank category and tag, ids, or none), the polls and open questions typed below
them, the timing every item starts with, and the settings. One function for the view, the
CLI and the tests; raises camp.live.errors, flushes, never commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]
from sqlalchemy import select

from camp.accounts.identity import CampUser
from camp.accounts.models import Cohort
from camp.extensions import db
from camp.live import sources
from camp.live.errors import BadSessionPlan
from camp.live.models import DEFAULT_TIME_LIMIT_S, LiveSession
from camp.live.plan import LiveSettings
from camp.live.services import create_session
from camp.quizzes.models import Quiz

SOURCES = ("quiz", "category", "ids", "none")


@dataclass(frozen=True)
class SessionRequest:
    title: str
    source: str = "none"  # one of SOURCES
    cohort_ids: Sequence[int] = ()
    quiz_id: int | None = None
    category: str = ""
    tag: str = ""
    question_ids: str = ""  # question ids (uids) as typed
    extra: str = ""  # polls and open questions, one per line
    time_limit_s: int = DEFAULT_TIME_LIMIT_S
    points: bool = True
    speed_bonus: bool = True
    settings: LiveSettings = field(default_factory=LiveSettings)


def create_from_request(host: CampUser, wanted: SessionRequest, now: datetime) -> LiveSession:
    """The session `wanted` describes, in the lobby. Raises NotAllowedToHost (a cohort the
    host does not run) or BadSessionPlan (nothing to ask, an unknown quiz or category...)."""
    timing = {
        "time_limit_s": wanted.time_limit_s,
        "points": wanted.points,
        "speed_bonus": wanted.speed_bonus,
    }
    question_ids = _question_ids(wanted)
    items = sources.question_items(question_ids, **timing)
    # Polls and open questions never score; their timing is only the time limit.
    items += sources.typed_items(
        wanted.extra, time_limit_s=wanted.time_limit_s, points=False, speed_bonus=False
    )
    cohorts = list(db.session.scalars(select(Cohort).where(Cohort.id.in_(list(wanted.cohort_ids)))))
    return create_session(host, wanted.title, cohorts, items, wanted.settings, now)


def _question_ids(wanted: SessionRequest) -> list[int]:
    if wanted.source == "quiz":
        quiz = db.session.get(Quiz, wanted.quiz_id) if wanted.quiz_id else None
        if quiz is None:
            raise BadSessionPlan(_l("Choose a quiz."))
        return sources.from_quiz(quiz)
    if wanted.source == "category":
        if not wanted.category.strip():
            raise BadSessionPlan(_l("Give a bank category."))
        return sources.from_category(wanted.category, wanted.tag.strip() or None)
    if wanted.source == "ids":
        if not wanted.question_ids.strip():
            raise BadSessionPlan(_l("Give the ids of the questions to ask."))
        return sources.from_ids(wanted.question_ids)
    return []
