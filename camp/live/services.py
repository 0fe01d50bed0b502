"""Live sessions, the one way in for views, the CLI and the tests: creating a session,
joining it, and (re-exported from their modules) the host's controls, answering, a phone's
state and the scores.

Functions take the user or participant and the clock (`now`) as arguments, raise the
domain errors of camp.live.errors, flush when they need ids, and never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from camp.accounts.identity import CampUser
from camp.accounts.models import Cohort
from camp.accounts.permissions import can_manage_cohort, is_organiser
from camp.extensions import db
from camp.live.answers import Ack, answer
from camp.live.codes import assign_code, find_session, format_code, new_guest_token, token_hash
from camp.live.control import (
    add_time,
    advance,
    current_item,
    end,
    next_item,
    pause,
    resume,
    reveal,
    skip,
    start,
)
from camp.live.errors import (
    BadSessionPlan,
    GuestsNotAllowed,
    NicknameTaken,
    NotAllowedToHost,
    NotAllowedToJoin,
    SessionEnded,
    SessionNotFound,
)
from camp.live.models import LiveParticipant, LiveSession, LiveSessionCohort, Phase
from camp.live.nicknames import clean_nickname
from camp.live.permissions import can_host, may_join
from camp.live.plan import ItemDraft, LiveSettings, build_items, clean_title
from camp.live.state import ParticipantScore, phone_tag, scores, state, tag_of

__all__ = [
    "Ack",
    "ItemDraft",
    "LiveSettings",
    "ParticipantScore",
    "add_time",
    "advance",
    "answer",
    "can_host",
    "create_session",
    "current_item",
    "end",
    "find_session",
    "format_code",
    "join",
    "may_join",
    "next_item",
    "participant_for",
    "pause",
    "phone_tag",
    "resume",
    "reveal",
    "scores",
    "session_by_code",
    "skip",
    "start",
    "state",
    "tag_of",
]


def create_session(
    host: CampUser,
    title: str,
    cohorts: Sequence[Cohort],
    items: Sequence[ItemDraft],
    settings: LiveSettings,
    now: datetime,
) -> LiveSession:
    """A new session in the lobby, with a fresh code, for `cohorts` (each one the host
    organises) and, if allowed, guests. Raises NotAllowedToHost or BadSessionPlan (with
    UnsuitableQuestion for a bank question a live session cannot ask)."""
    if not is_organiser(host):
        raise NotAllowedToHost(_l("Only organisers can run live sessions."))
    title = clean_title(title)
    invited = list({cohort.id: cohort for cohort in cohorts}.values())
    for cohort in invited:
        if not can_manage_cohort(host, cohort):
            raise NotAllowedToHost(
                _l(
                    "You do not organise the cohort %(name)s, so you cannot invite it.",
                    name=cohort.name,
                )
            )
    if not invited and not settings.allow_guests:
        raise BadSessionPlan(_l("Choose at least one cohort, or allow guests."))
    rows = build_items(items)
    session = LiveSession(
        title=title,
        host_id=host.id,
        created_at=now,
        allow_guests=settings.allow_guests,
        show_leaderboard=settings.show_leaderboard,
        anonymous=settings.anonymous,
        board_moderated=settings.board_moderated,
        phase=Phase.LOBBY,
        state_version=0,
    )
    assign_code(session)
    db.session.add_all(
        LiveSessionCohort(session_id=session.id, cohort_id=cohort.id) for cohort in invited
    )
    for row in rows:
        row.session_id = session.id
    db.session.add_all(rows)
    db.session.flush()
    return session


def session_by_code(code: str) -> LiveSession:
    """The session with this code as typed (case, spaces, hyphens ignored)."""
    session = find_session(code)
    if session is None:
        raise SessionNotFound()
    return session


def join(
    session: LiveSession,
    *,
    user: CampUser | None = None,
    nickname: str | None = None,
    token: str | None = None,
    now: datetime,
) -> tuple[LiveParticipant, str | None]:
    """The participant for a logged-in `user`, or for a guest: back with their `token`, or
    new with a `nickname`. Returns (participant, the new guest's token to keep in a cookie,
    or None). Whoever joined before gets the same participant back, points and all, even
    after the session ended or guests were turned off; newcomers are refused then."""
    if user is not None and user.is_authenticated:
        return _join_as_user(session, user, now), None
    if token:
        known = db.session.scalar(
            select(LiveParticipant).where(
                LiveParticipant.session_id == session.id,
                LiveParticipant.token_hash == token_hash(token),
            )
        )
        if known is not None:
            known.last_seen_at = now
            return known, None
    if session.phase == Phase.ENDED:
        raise SessionEnded()
    if not session.allow_guests:
        raise GuestsNotAllowed()
    blocked = current_app.config.get("LIVE_BLOCKED_WORDS", ())
    shown, key = clean_nickname(nickname, blocked)
    if _nickname_taken(session, key):
        raise NicknameTaken()
    new_token = new_guest_token()
    guest = LiveParticipant(
        session_id=session.id,
        nickname=shown,
        nickname_key=key,
        token_hash=token_hash(new_token),
        joined_at=now,
        last_seen_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(guest)
    except IntegrityError:  # another guest took the nickname meanwhile
        raise NicknameTaken() from None
    return guest, new_token


def participant_for(
    session: LiveSession, *, user: CampUser | None = None, token: str | None = None
) -> LiveParticipant | None:
    """Who this visitor already is in `session`: the logged-in user's participant, else the
    guest whose token they hold (someone logged in who is not a member joins a session
    open to guests as a guest); None when they have not joined. Reads only."""
    if user is not None and user.is_authenticated:
        found = _participant_of(session, user)
        if found is not None:
            return found
    if not token:
        return None
    return db.session.scalar(
        select(LiveParticipant).where(
            LiveParticipant.session_id == session.id,
            LiveParticipant.token_hash == token_hash(token),
        )
    )


def _join_as_user(session: LiveSession, user: CampUser, now: datetime) -> LiveParticipant:
    known = _participant_of(session, user)
    if known is not None:
        known.last_seen_at = now
        return known
    if session.phase == Phase.ENDED:
        raise SessionEnded()
    if not may_join(user, session):
        raise NotAllowedToJoin()
    participant = LiveParticipant(
        session_id=session.id, user_id=user.id, joined_at=now, last_seen_at=now
    )
    try:
        with db.session.begin_nested():
            db.session.add(participant)
    except IntegrityError:  # the same user joining twice at once (two taps)
        known = _participant_of(session, user)
        if known is None:
            raise
        return known
    return participant


def _participant_of(session: LiveSession, user: CampUser) -> LiveParticipant | None:
    return db.session.scalar(
        select(LiveParticipant).where(
            LiveParticipant.session_id == session.id, LiveParticipant.user_id == user.id
        )
    )


def _nickname_taken(session: LiveSession, key: str) -> bool:
    return (
        db.session.scalar(
            select(LiveParticipant.id).where(
                LiveParticipant.session_id == session.id, LiveParticipant.nickname_key == key
            )
        )
        is not None
    )
