"""The host's controls: start, next, reveal, pause, resume, add time, skip, end.

Each changes rows only (the session's phase and current item, the item's times), bumps the
session's `state_version` and flushes; none commits. A control that makes no sense in the
current phase is refused (WrongPhase), so a double click or a stale presenter page cannot
skip a question: pass `seen_version` (the version the presenter showed) to refuse acting on
a state that has moved on, and two workers acting at once are told apart by the version
check on UPDATE (StaleState either way).

Times are the server's. While paused, `closes_at` is the moment of the pause and
`paused_remaining_ms` the time left; resuming moves `closes_at` on by the pause and adds
the pause to the item's `paused_ms`, which response times leave out.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import LazyString  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from camp.extensions import db
from camp.live.errors import NoMoreItems, SessionEnded, StaleState, WrongPhase
from camp.live.models import LiveItem, LiveSession, Phase

ADD_TIME_S = 15
MAX_ADD_TIME_S = 600
_MS = timedelta(milliseconds=1)


def ms(delta: timedelta) -> int:
    """A duration in whole milliseconds (rounded down)."""
    return delta // _MS


def current_item(session: LiveSession) -> LiveItem | None:
    if session.current_position is None:
        return None
    return db.session.scalar(
        select(LiveItem).where(
            LiveItem.session_id == session.id, LiveItem.position == session.current_position
        )
    )


def start(session: LiveSession, now: datetime, *, seen_version: int | None = None) -> LiveItem:
    """Open the first item (from the lobby only)."""
    _ready(session, seen_version)
    if session.phase != Phase.LOBBY:
        raise WrongPhase(_l("The session has already started."))
    return _open_next(session, now)


def next_item(session: LiveSession, now: datetime, *, seen_version: int | None = None) -> LiveItem:
    """Open the next item that is not skipped, from the lobby or after a reveal; raises
    NoMoreItems after the last one."""
    _ready(session, seen_version)
    if session.phase == Phase.QUESTION:
        raise WrongPhase(_l("Reveal the answer to this question, or skip it, before going on."))
    return _open_next(session, now)


def advance(session: LiveSession, now: datetime, *, seen_version: int | None = None) -> None:
    """The presenter's one key (space, →): start from the lobby, reveal a question being
    asked, open the next after a reveal."""
    if session.phase == Phase.LOBBY:
        start(session, now, seen_version=seen_version)
    elif session.phase == Phase.QUESTION:
        reveal(session, now, seen_version=seen_version)
    else:
        next_item(session, now, seen_version=seen_version)


def reveal(session: LiveSession, now: datetime, *, seen_version: int | None = None) -> LiveItem:
    """Show the current item's answer, closing it first if time is left."""
    item = _asked(session, seen_version, _l("Only a question that was asked can be revealed."))
    _close(session, item, now)
    item.revealed_at = now
    session.phase = Phase.REVEALED
    _changed(session)
    return item


def pause(session: LiveSession, now: datetime, *, seen_version: int | None = None) -> LiveItem:
    """Stop the clock of the current question; answers are refused until it resumes."""
    item = _asked(session, seen_version, _l("Only a running question can be paused."))
    if session.paused:
        raise WrongPhase(_l("The question is already paused."))
    assert item.closes_at is not None
    remaining = ms(item.closes_at - now)
    if remaining <= 0:
        raise WrongPhase(_l("The time is already up."))
    session.paused_remaining_ms = remaining
    item.closes_at = now
    _changed(session)
    return item


def resume(session: LiveSession, now: datetime, *, seen_version: int | None = None) -> LiveItem:
    """Start the clock again with the time that was left when it was paused."""
    item = _asked(session, seen_version, _l("The question is not paused."))
    if session.paused_remaining_ms is None:
        raise WrongPhase(_l("The question is not paused."))
    assert item.closes_at is not None
    item.paused_ms += max(ms(now - item.closes_at), 0)
    item.closes_at = now + session.paused_remaining_ms * _MS
    session.paused_remaining_ms = None
    _changed(session)
    return item


def add_time(
    session: LiveSession,
    now: datetime,
    seconds: int = ADD_TIME_S,
    *,
    seen_version: int | None = None,
) -> LiveItem:
    """Give the current question more time (also while paused). A question whose time is
    up stays closed: answers refused as late are never let in afterwards."""
    item = _asked(session, seen_version, _l("Only a running question can get more time."))
    if not 1 <= seconds <= MAX_ADD_TIME_S:
        raise WrongPhase(_l("Add 1 to %(n)s seconds.", n=MAX_ADD_TIME_S))
    assert item.closes_at is not None
    if session.paused_remaining_ms is not None:
        session.paused_remaining_ms += seconds * 1000
    elif item.closes_at > now:
        item.closes_at += timedelta(seconds=seconds)
    else:
        raise WrongPhase(_l("The time is up: reveal the answer or go on."))
    _changed(session)
    return item


def skip(
    session: LiveSession, now: datetime, *, seen_version: int | None = None
) -> LiveItem | None:
    """Drop the current question (its answers count for no one) and open the next one;
    after the last, end the session. Returns the item opened, if any."""
    item = _asked(session, seen_version, _l("Only the question being asked can be skipped."))
    _close(session, item, now)
    item.skipped = True
    following = _following(session)
    if following is None:
        _finish(session, now)
        return None
    _open(session, following, now)
    return following


def end(session: LiveSession, now: datetime, *, seen_version: int | None = None) -> None:
    """End the session (from any phase), closing a question still open."""
    _ready(session, seen_version)
    if session.phase == Phase.QUESTION:
        item = current_item(session)
        assert item is not None
        _close(session, item, now)
    _finish(session, now)


# -- the steps ---------------------------------------------------------------------------------


def _ready(session: LiveSession, seen_version: int | None) -> None:
    if session.phase == Phase.ENDED:
        raise SessionEnded()
    if seen_version is not None and seen_version != session.state_version:
        raise StaleState()


def _asked(session: LiveSession, seen_version: int | None, refusal: LazyString) -> LiveItem:
    """The current item, which must be in its question phase."""
    _ready(session, seen_version)
    item = current_item(session) if session.phase == Phase.QUESTION else None
    if item is None:
        raise WrongPhase(refusal)
    return item


def _following(session: LiveSession) -> LiveItem | None:
    return db.session.scalar(
        select(LiveItem)
        .where(
            LiveItem.session_id == session.id,
            LiveItem.position > (session.current_position or 0),
            LiveItem.skipped.is_(False),
        )
        .order_by(LiveItem.position)
        .limit(1)
    )


def _open_next(session: LiveSession, now: datetime) -> LiveItem:
    item = _following(session)
    if item is None:
        raise NoMoreItems()
    _open(session, item, now)
    return item


def _open(session: LiveSession, item: LiveItem, now: datetime) -> None:
    item.opened_at = now
    item.closes_at = now + timedelta(seconds=item.time_limit_s)
    item.paused_ms = 0
    session.phase = Phase.QUESTION
    session.current_position = item.position
    session.paused_remaining_ms = None
    _changed(session)


def _close(session: LiveSession, item: LiveItem, now: datetime) -> None:
    """No more answers from now (a paused item stopped taking them when it was paused)."""
    if session.paused_remaining_ms is not None:
        session.paused_remaining_ms = None
    elif item.closes_at is not None and item.closes_at > now:
        item.closes_at = now


def _finish(session: LiveSession, now: datetime) -> None:
    session.phase = Phase.ENDED
    session.ended_at = now
    session.paused_remaining_ms = None
    _changed(session)


def _changed(session: LiveSession) -> None:
    """Bump the version and flush; another transaction that changed the session first
    makes the ORM's version check fail."""
    session.state_version += 1
    try:
        db.session.flush()
    except StaleDataError:
        raise StaleState() from None
