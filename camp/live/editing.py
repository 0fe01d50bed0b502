"""Changing a live session's items before they are asked: each item's time limit, whether
it scores points and whether faster right answers score more (as Kahoot's editor sets them
per question). An item already asked keeps what it was asked with, so nobody's points
change after the fact. Flushes, never commits."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]
from sqlalchemy import select

from camp.accounts.identity import CampUser
from camp.bank.version_cache import get_versions, versions_in
from camp.extensions import db
from camp.formats.markdown import strip_to_text
from camp.live.errors import BadSessionPlan, NotAllowedToHost, SessionEnded
from camp.live.models import MAX_TIME_LIMIT_S, MIN_TIME_LIMIT_S, LiveItem, LiveSession, Phase
from camp.live.permissions import can_host

TITLE_MAX = 80


def items_of(session: LiveSession) -> list[LiveItem]:
    """The session's items in the order they are asked."""
    return list(
        db.session.scalars(
            select(LiveItem).where(LiveItem.session_id == session.id).order_by(LiveItem.position)
        )
    )


def item_titles(items: Sequence[LiveItem], locale: str) -> dict[int, str]:
    """Each item's short title for the organiser: the bank question's title (or the start
    of its text) in `locale` where translated, or the start of a poll's or open question's
    text."""
    ids = {item.question_version_id for item in items if item.question_version_id}
    versions = versions_in(get_versions(ids), locale) if ids else {}
    titles = {}
    for item in items:
        version = versions.get(item.question_version_id) if item.question_version_id else None
        if version is not None:
            text = version.title.strip() or strip_to_text(version.text, version.text_format)
        else:
            text = item.text or ""
        titles[item.id] = shortened(text)
    return titles


def shortened(text: str, limit: int = TITLE_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def set_item_timing(
    session: LiveSession,
    item_id: int,
    actor: CampUser,
    *,
    time_limit_s: int,
    points: bool,
    speed_bonus: bool,
) -> LiveItem:
    """Set one item's time limit and scoring. Raises NotAllowedToHost, SessionEnded, or
    BadSessionPlan (not this session's item, already asked, a time limit out of range)."""
    if not can_host(actor, session):
        raise NotAllowedToHost()
    if session.phase == Phase.ENDED:
        raise SessionEnded()
    item = db.session.get(LiveItem, item_id)
    if item is None or item.session_id != session.id:
        raise BadSessionPlan(_l("That question is not part of this session."))
    if item.opened_at is not None:
        raise BadSessionPlan(_l("That question has been asked: its settings stay as they were."))
    if not MIN_TIME_LIMIT_S <= time_limit_s <= MAX_TIME_LIMIT_S:
        raise BadSessionPlan(
            _l(
                "A time limit is between %(low)s and %(high)s seconds.",
                low=MIN_TIME_LIMIT_S,
                high=MAX_TIME_LIMIT_S,
            )
        )
    item.time_limit_s = time_limit_s
    scores = item.kind == "question"  # polls and open questions never score
    item.points = points and scores
    item.speed_bonus = speed_bonus and scores
    db.session.flush()
    return item
