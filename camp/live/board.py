"""The question board beside a live session's quiz, as in Slido: participants post questions
and vote for each other's; the session's organisers approve, hide, pin them and mark them
answered. The one way in for views, the CLI and the tests; what each reader is shown is
computed in camp.live.board_queries and re-exported here.

- Posting: plain text (templates escape it), 1 to POST_MAX characters once tidied, without
  control or invisible formatting characters (camp.live.board_text). Refused once the
  session has ended or while its organisers have closed the board.
- Rate limits, counted in the database so that they hold across workers and hosts:
  POSTS_PER_WINDOW posts in any RATE_WINDOW, and POSTS_PER_SESSION in all, hidden posts
  included. The author's participant row is locked while counting (FOR UPDATE; SQLite has a
  single writer anyway), so two posts sent at once cannot both slip under the limit.
- Moderation: on a moderated board (the default) a post waits, pending, until an organiser
  approves it; its author sees it meanwhile, nobody else but the organisers. Without
  moderation it is on the board at once, unless it holds a word of the nickname block list
  (camp.live.nicknames): then it waits for an organiser rather than being refused, since a
  fair question may name what a nickname may not. Turning moderation off leaves the posts
  already waiting for an organiser to decide. Hidden posts are seen by the organisers only.
  Pinned means "being discussed now", so answering a post unpins it, pinning it again
  makes it unanswered, and only approved posts are pinned or answered.
- Votes: one per participant and post, for approved posts of their own session, never their
  own; a second vote is the same vote (False), and two racing meet the unique constraint in
  a savepoint.
- Every change bumps the session's `board_version`, which camp.live.state hands the polling
  phones. It is a plain UPDATE (board_version + 1 in SQL, so no increment is lost between
  workers), outside the ORM's version check on `state_version`: hundreds of votes neither
  make every phone refetch the question nor make the host's "next" fail as stale.

Functions take the participant or the organiser and the clock, raise camp.live.errors,
flush, and never commit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]
from sqlalchemy import case, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from camp.accounts.identity import CampUser
from camp.extensions import db
from camp.live.board_models import POST_MAX, BoardPost, BoardVote, PostStatus
from camp.live.board_queries import (
    HostPostView,
    PostView,
    board_for_host,
    board_for_participant,
    top_questions,
)
from camp.live.board_text import clean_post
from camp.live.errors import (
    BoardClosed,
    NotAllowedToHost,
    PostNotApproved,
    PostNotFound,
    SessionEnded,
    TooManyPosts,
    VoteRefused,
)
from camp.live.models import LiveParticipant, LiveSession, Phase
from camp.live.nicknames import is_blocked, nickname_key
from camp.live.permissions import can_host

__all__ = [
    "POSTS_PER_SESSION",
    "POSTS_PER_WINDOW",
    "POST_MAX",
    "RATE_WINDOW",
    "HostPostView",
    "PostView",
    "approve",
    "board_for_host",
    "board_for_participant",
    "clean_post",
    "configure_board",
    "hide",
    "mark_answered",
    "pin",
    "post_question",
    "top_questions",
    "unmark_answered",
    "unpin",
    "unvote",
    "vote",
]

# The rate limits, per participant.
POSTS_PER_WINDOW = 3
RATE_WINDOW = timedelta(seconds=60)
POSTS_PER_SESSION = 10


# -- posting ---------------------------------------------------------------------------------


def post_question(
    participant: LiveParticipant, text: object, *, anonymous: bool, now: datetime
) -> BoardPost:
    """Post `text` on the board of the participant's session: pending on a moderated board,
    approved at once otherwise. Raises SessionEnded, BoardClosed, PostRefused or
    TooManyPosts."""
    session = _session(participant.session_id)
    if session.phase == Phase.ENDED:
        raise SessionEnded()
    if not session.board_open:
        raise BoardClosed()
    cleaned = clean_post(text)
    _check_rate(participant, now)
    held = session.board_moderated or _holds_blocked_word(cleaned)
    post = BoardPost(
        session_id=session.id,
        participant_id=participant.id,
        text=cleaned,
        anonymous=bool(anonymous),
        status=PostStatus.PENDING if held else PostStatus.APPROVED,
        pinned=False,
        answered=False,
        created_at=now,
    )
    db.session.add(post)
    db.session.flush()
    _bump(session)
    return post


def _check_rate(participant: LiveParticipant, now: datetime) -> None:
    # Posts of one participant wait for each other here (the row lock lasts until commit).
    db.session.execute(
        select(LiveParticipant.id).where(LiveParticipant.id == participant.id).with_for_update()
    )
    recent = BoardPost.created_at > now - RATE_WINDOW
    total, in_window, oldest = db.session.execute(
        select(
            func.count(BoardPost.id),
            func.count(case((recent, BoardPost.id))),
            func.min(case((recent, BoardPost.created_at))),
        ).where(BoardPost.participant_id == participant.id)
    ).one()
    if total >= POSTS_PER_SESSION:
        raise TooManyPosts(
            _l(
                "You have posted %(count)s questions, the most one person may post in a session.",
                count=POSTS_PER_SESSION,
            )
        )
    if in_window >= POSTS_PER_WINDOW:
        wait = max(math.ceil((oldest + RATE_WINDOW - now).total_seconds()), 1)
        raise TooManyPosts(
            _l(
                "You can post %(count)s questions a minute. Try again in %(seconds)s s.",
                count=POSTS_PER_WINDOW,
                seconds=wait,
            )
        )


def _holds_blocked_word(text: str) -> bool:
    extra = current_app.config.get("LIVE_BLOCKED_WORDS", ())
    return any(is_blocked(word, extra) for word in nickname_key(text).split())


# -- votes -----------------------------------------------------------------------------------


def vote(participant: LiveParticipant, post_id: int, now: datetime) -> bool:
    """Count the participant's vote for the post: True if counted now, False if it was
    already. Raises SessionEnded, PostNotFound (not an approved post of their session) or
    VoteRefused (their own post)."""
    session = _live_session_of(participant)
    post = db.session.get(BoardPost, post_id)
    if (
        post is None
        or post.session_id != participant.session_id
        or post.status != PostStatus.APPROVED
    ):
        raise PostNotFound()
    if post.participant_id == participant.id:
        raise VoteRefused()
    if _has_voted(post.id, participant.id):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(
                BoardVote(post_id=post.id, participant_id=participant.id, created_at=now)
            )
    except IntegrityError:  # the same vote from another tap or worker got there first
        return False
    _bump(session)
    return True


def unvote(participant: LiveParticipant, post_id: int, now: datetime) -> bool:
    """Take the participant's vote for the post back: True if there was one. Raises
    SessionEnded."""
    session = _live_session_of(participant)
    result = db.session.execute(
        delete(BoardVote).where(
            BoardVote.post_id == post_id, BoardVote.participant_id == participant.id
        )
    )
    if not result.rowcount:  # type: ignore[attr-defined]  # a DELETE gives a CursorResult
        return False
    _bump(session)
    return True


def _has_voted(post_id: int, participant_id: int) -> bool:
    found = db.session.scalar(
        select(BoardVote.id).where(
            BoardVote.post_id == post_id, BoardVote.participant_id == participant_id
        )
    )
    return found is not None


def _live_session_of(participant: LiveParticipant) -> LiveSession:
    session = _session(participant.session_id)
    if session.phase == Phase.ENDED:
        raise SessionEnded()
    return session


# -- moderation (the session's organisers) ---------------------------------------------------


def approve(
    post_id: int, actor: CampUser, now: datetime, *, session_id: int | None = None
) -> BoardPost:
    """Put a pending or hidden post on the board."""
    return _moderate(post_id, actor, now, session_id, _approve)


def hide(
    post_id: int, actor: CampUser, now: datetime, *, session_id: int | None = None
) -> BoardPost:
    """Take a post off the board (and its pin): only organisers see it from now on."""
    return _moderate(post_id, actor, now, session_id, _hide)


def pin(
    post_id: int, actor: CampUser, now: datetime, *, session_id: int | None = None
) -> BoardPost:
    """Put an approved post at the top (an answered one becomes unanswered again)."""
    return _moderate(post_id, actor, now, session_id, _pin)


def unpin(
    post_id: int, actor: CampUser, now: datetime, *, session_id: int | None = None
) -> BoardPost:
    return _moderate(post_id, actor, now, session_id, _unpin)


def mark_answered(
    post_id: int, actor: CampUser, now: datetime, *, session_id: int | None = None
) -> BoardPost:
    """Move an approved post to the answered ones (and off the projector; unpinned)."""
    return _moderate(post_id, actor, now, session_id, _mark_answered)


def unmark_answered(
    post_id: int, actor: CampUser, now: datetime, *, session_id: int | None = None
) -> BoardPost:
    return _moderate(post_id, actor, now, session_id, _unmark_answered)


def configure_board(
    session: LiveSession,
    actor: CampUser,
    *,
    board_moderated: bool | None = None,
    board_open: bool | None = None,
) -> None:
    """Change the board's settings (None leaves one as it is). Raises NotAllowedToHost."""
    if not can_host(actor, session):
        raise NotAllowedToHost()
    wanted = {"board_moderated": board_moderated, "board_open": board_open}
    changes = {
        name: value
        for name, value in wanted.items()
        if value is not None and value != getattr(session, name)
    }
    if changes:
        _bump(session, **changes)


def _moderate(
    post_id: int,
    actor: CampUser,
    now: datetime,
    session_id: int | None,
    change: Callable[[BoardPost], None],
) -> BoardPost:
    """Apply `change` to the post as `actor`; `session_id`, when given, is the session the
    organiser is looking at (a post of another one is not found). Doing what is already
    done changes nothing and bumps nothing (a double click is harmless)."""
    post = db.session.get(BoardPost, post_id)
    if post is None or (session_id is not None and post.session_id != session_id):
        raise PostNotFound()
    session = _session(post.session_id)
    if not can_host(actor, session):
        raise NotAllowedToHost()
    before = (post.status, post.pinned, post.answered)
    change(post)
    if (post.status, post.pinned, post.answered) != before:
        post.moderated_at = now
        post.moderated_by = actor.id
        db.session.flush()
        _bump(session)
    return post


def _approve(post: BoardPost) -> None:
    post.status = PostStatus.APPROVED


def _hide(post: BoardPost) -> None:
    post.status = PostStatus.HIDDEN
    post.pinned = False


def _pin(post: BoardPost) -> None:
    _require_approved(post)
    post.pinned, post.answered = True, False


def _unpin(post: BoardPost) -> None:
    post.pinned = False


def _mark_answered(post: BoardPost) -> None:
    _require_approved(post)
    post.answered, post.pinned = True, False


def _unmark_answered(post: BoardPost) -> None:
    post.answered = False


def _require_approved(post: BoardPost) -> None:
    if post.status != PostStatus.APPROVED:
        raise PostNotApproved()


# -- the session and its board version -------------------------------------------------------


def _session(session_id: int) -> LiveSession:
    session = db.session.get(LiveSession, session_id)
    assert session is not None  # a foreign key holds it
    return session


def _bump(session: LiveSession, **settings: bool) -> None:
    """Add one to the board's version (and store `settings`), then let the object reload
    them when next read: another worker may have bumped it too."""
    db.session.execute(
        update(LiveSession)
        .where(LiveSession.id == session.id)
        .values(board_version=LiveSession.board_version + 1, **settings)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(session, ["board_version", *settings])
