"""The question board's rows: the questions participants post in a live session, and their
votes.

A post is plain text as typed (templates escape it; it is never HTML). The database holds
the invariants: a known status, a text of 1 to POST_MAX characters, a pin only on a post
others can see and never on one already answered, who moderated last together with when,
and one vote per participant and post. The session's board settings and the counter phones
poll are columns of LiveSession (camp.live.models).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from camp.db import UTCDateTime, utcnow
from camp.extensions import Model

POST_MAX = 280


class PostStatus(StrEnum):
    PENDING = "pending"  # waiting for an organiser; seen by its author and the organisers
    APPROVED = "approved"  # on the board for everyone
    HIDDEN = "hidden"  # seen by the organisers only


class BoardPost(Model):
    """A question posted on a session's board. `anonymous` hides the author from the other
    participants and the projector, never from the session's organisers."""

    __tablename__ = "live_board_posts"
    __table_args__ = (
        CheckConstraint(
            "status IN ({})".format(", ".join(f"'{s.value}'" for s in PostStatus)),
            name="status_known",
        ),
        CheckConstraint(f"length(text) >= 1 AND length(text) <= {POST_MAX}", name="text_length"),
        CheckConstraint("NOT pinned OR (status = 'approved' AND NOT answered)", name="pinned"),
        CheckConstraint(
            "(moderated_at IS NULL AND moderated_by IS NULL) OR "
            "(moderated_at IS NOT NULL AND moderated_by IS NOT NULL)",
            name="moderated",
        ),
        # The rate limits count a participant's posts by time (camp.live.board).
        Index("ix_live_board_posts_participant_id_created_at", "participant_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("live_participants.id", ondelete="CASCADE")
    )
    text: Mapped[str] = mapped_column(String(POST_MAX))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default=PostStatus.PENDING)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    answered: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The last organiser's action on it (approve, hide, pin, answered): when, and who.
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    moderated_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )

    def __repr__(self) -> str:
        return f"<BoardPost {self.id} {self.status}>"


class BoardVote(Model):
    """A participant's vote for a post: one each (a second one is the same vote)."""

    __tablename__ = "live_board_votes"
    __table_args__ = (UniqueConstraint("post_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("live_board_posts.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("live_participants.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
