"""What each reader is shown of a session's question board, each in one query whatever the
number of posts (votes counted by GROUP BY; authors joined, never loaded one by one).

- A participant sees the approved posts and their own pending ones; the answered ones come
  last (to be shown apart), the others pinned first, then by votes, then oldest first. An
  anonymous post has no author for them: the name is left out in SQL, so it never reaches
  their page (their own is marked `mine`).
- The projector sees the top approved questions not answered yet, in the same order, with no
  author for anonymous posts, nor for any when the session hides names on the projector.
- The organisers see every post with its real author: the pending ones first (the queue,
  oldest first), then the board as participants see it, then the hidden ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, false, func, null, or_, select
from sqlalchemy.orm import aliased

from camp.accounts.models import User
from camp.extensions import db
from camp.live.board_models import BoardPost, BoardVote, PostStatus
from camp.live.models import LiveParticipant, LiveSession


@dataclass(frozen=True)
class PostView:
    """A post as a participant or the projector sees it."""

    id: int
    text: str  # plain text: escape it
    votes: int
    voted: bool  # by the participant looking
    mine: bool  # posted by the participant looking
    pending: bool  # waiting for an organiser (only ever one's own)
    pinned: bool
    answered: bool
    author: str | None  # the display name or nickname; None when anonymous
    created_at: datetime


@dataclass(frozen=True)
class HostPostView:
    """A post as the session's organisers see it: everything, the real author always."""

    id: int
    text: str  # plain text: escape it
    status: str  # a PostStatus
    votes: int
    pinned: bool
    answered: bool
    anonymous: bool  # hidden from peers (not from organisers)
    author: str  # the user's display name, or the guest's nickname
    participant_id: int
    user_id: int | None  # None for a guest
    created_at: datetime
    moderated_at: datetime | None

    @property
    def guest(self) -> bool:
        return self.user_id is None


def board_for_participant(session: LiveSession, participant: LiveParticipant) -> list[PostView]:
    """The board on the participant's phone (see the module docstring)."""
    counts = _vote_counts(session)
    votes = _votes(counts)
    own = aliased(BoardVote)
    query = (
        select(
            BoardPost.id,
            BoardPost.text,
            votes,
            own.id.is_not(None),
            BoardPost.participant_id == participant.id,
            BoardPost.status == PostStatus.PENDING,
            BoardPost.pinned,
            BoardPost.answered,
            case((BoardPost.anonymous, null()), else_=_author()),
            BoardPost.created_at,
        )
        .where(
            or_(
                BoardPost.status == PostStatus.APPROVED,
                and_(
                    BoardPost.status == PostStatus.PENDING,
                    BoardPost.participant_id == participant.id,
                ),
            )
        )
        .order_by(BoardPost.answered, *_ranked(votes))
    )
    query = _with_authors(query, session, counts).outerjoin(
        own, and_(own.post_id == BoardPost.id, own.participant_id == participant.id)
    )
    return [_post_view(row) for row in db.session.execute(query)]


def top_questions(session: LiveSession, limit: int = 5) -> list[PostView]:
    """The approved questions not answered yet, for the projector: pinned first, then the
    most voted, then the oldest."""
    counts = _vote_counts(session)
    votes = _votes(counts)
    author = null() if session.anonymous else case((BoardPost.anonymous, null()), else_=_author())
    query = (
        select(
            BoardPost.id,
            BoardPost.text,
            votes,
            false(),
            false(),
            false(),
            BoardPost.pinned,
            BoardPost.answered,
            author,
            BoardPost.created_at,
        )
        .where(BoardPost.status == PostStatus.APPROVED, BoardPost.answered.is_(False))
        .order_by(*_ranked(votes))
        .limit(limit)
    )
    return [_post_view(row) for row in db.session.execute(_with_authors(query, session, counts))]


def board_for_host(session: LiveSession) -> list[HostPostView]:
    """Every post of the session for its organisers (see the module docstring)."""
    counts = _vote_counts(session)
    votes = _votes(counts)
    group = case(
        (BoardPost.status == PostStatus.PENDING, 0),
        (BoardPost.status == PostStatus.HIDDEN, 3),
        (BoardPost.answered, 2),
        else_=1,
    )
    query = select(
        BoardPost.id,
        BoardPost.text,
        BoardPost.status,
        votes,
        BoardPost.pinned,
        BoardPost.answered,
        BoardPost.anonymous,
        _author(),
        BoardPost.participant_id,
        LiveParticipant.user_id,
        BoardPost.created_at,
        BoardPost.moderated_at,
    ).order_by(group, *_ranked(votes))
    return [
        HostPostView(
            id=row[0],
            text=row[1],
            status=row[2],
            votes=int(row[3]),
            pinned=bool(row[4]),
            answered=bool(row[5]),
            anonymous=bool(row[6]),
            author=row[7] or "",
            participant_id=row[8],
            user_id=row[9],
            created_at=row[10],
            moderated_at=row[11],
        )
        for row in db.session.execute(_with_authors(query, session, counts))
    ]


# -- the parts the three share ---------------------------------------------------------------


def _vote_counts(session: LiveSession) -> Any:
    """Each post's vote count: a GROUP BY over the session's votes, joined by `_with_authors`
    (and `_votes` reads it as a column, 0 for none)."""
    return (
        select(BoardVote.post_id, func.count(BoardVote.id).label("votes"))
        .join(BoardPost, BoardPost.id == BoardVote.post_id)
        .where(BoardPost.session_id == session.id)
        .group_by(BoardVote.post_id)
        .subquery("vote_counts")
    )


def _votes(counts: Any) -> Any:
    return func.coalesce(counts.c.votes, 0)


def _with_authors(query: Select[Any], session: LiveSession, counts: Any) -> Select[Any]:
    """The session's posts, with their authors and vote counts joined."""
    return (
        query.select_from(BoardPost)
        .join(LiveParticipant, LiveParticipant.id == BoardPost.participant_id)
        .outerjoin(User, User.id == LiveParticipant.user_id)
        .outerjoin(counts, counts.c.post_id == BoardPost.id)
        .where(BoardPost.session_id == session.id)
    )


def _author() -> Any:
    return func.coalesce(User.display_name, LiveParticipant.nickname)


def _ranked(votes: Any) -> tuple[Any, ...]:
    return (BoardPost.pinned.desc(), votes.desc(), BoardPost.created_at, BoardPost.id)


def _post_view(row: Any) -> PostView:
    return PostView(
        id=row[0],
        text=row[1],
        votes=int(row[2]),
        voted=bool(row[3]),
        mine=bool(row[4]),
        pending=bool(row[5]),
        pinned=bool(row[6]),
        answered=bool(row[7]),
        author=row[8],
        created_at=row[9],
    )
