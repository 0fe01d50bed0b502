"""Live session rows: the session and its state, the cohorts it is for, its items in order,
who joined, and every answer.

Invariants live in the database: one code per session, one item per position, one
participant per student (and per guest nickname) in a session, and one answer per
participant and item (the first counts). A session's `state_version` is its optimistic lock:
every state change bumps it, the ORM checks it on UPDATE (`version_id_col`), and phones poll
with it as an ETag.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from camp.db import UTCDateTime, utcnow
from camp.extensions import Model

CODE_LENGTH = 6
MIN_TIME_LIMIT_S, MAX_TIME_LIMIT_S, DEFAULT_TIME_LIMIT_S = 5, 600, 20
NICKNAME_MAX = 24
IDEMPOTENCY_KEY_MAX = 64


class Phase(StrEnum):
    LOBBY = "lobby"  # waiting for the host to start
    QUESTION = "question"  # the current item is shown (open, paused, or its time is up)
    REVEALED = "revealed"  # the current item's answer is shown
    ENDED = "ended"


class ItemKind(StrEnum):
    QUESTION = "question"  # a bank question version, graded by its type
    POLL = "poll"  # options typed in for the session, no right answer
    OPEN = "open"  # free text, collected, not graded


def _enum_check(column: str, enum: type[StrEnum], name: str) -> CheckConstraint:
    values = ", ".join(f"'{e.value}'" for e in enum)
    return CheckConstraint(f"{column} IN ({values})", name=name)


class LiveSession(Model):
    __tablename__ = "live_sessions"
    __table_args__ = (
        _enum_check("phase", Phase, "phase_known"),
        CheckConstraint(f"length(code) = {CODE_LENGTH}", name="code_length"),
        CheckConstraint("state_version >= 0", name="state_version"),
        # The lobby has no current item; a question or a reveal always has one.
        CheckConstraint(
            "(phase = 'lobby' AND current_position IS NULL) OR (phase IN ('question', 'revealed')"
            " AND current_position IS NOT NULL) OR phase = 'ended'",
            name="current_item",
        ),
        # Only an asked question can be paused; the time left is what resume gives back.
        CheckConstraint(
            "paused_remaining_ms IS NULL OR (phase = 'question' AND paused_remaining_ms > 0)",
            name="paused",
        ),
        CheckConstraint(
            "(phase = 'ended' AND ended_at IS NOT NULL) OR (phase <> 'ended' AND ended_at IS NULL)",
            name="ended",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(CODE_LENGTH), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    host_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    allow_guests: Mapped[bool] = mapped_column(Boolean, default=False)
    show_leaderboard: Mapped[bool] = mapped_column(Boolean, default=False)
    # Names are hidden on the projector (organisers still see who answered what).
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    phase: Mapped[str] = mapped_column(String(16), default=Phase.LOBBY)
    current_position: Mapped[int | None] = mapped_column(Integer)
    state_version: Mapped[int] = mapped_column(Integer, default=0)
    paused_remaining_ms: Mapped[int | None] = mapped_column(Integer)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The question board (camp.live.board): whether posts wait for an organiser's approval
    # before others see them, whether new posts are taken, and a counter every change of
    # the board bumps (phones poll it). The board writes these with plain UPDATEs, never
    # through the version check above: a vote must not make the host's "next" stale.
    board_moderated: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    board_open: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    board_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    # Why a version column the ORM checks: two hosts (or a double click reaching two
    # workers) pressing "next" at once must not skip a question. The services set the new
    # version themselves (generator off); the ORM adds "AND state_version = <old>" to the
    # UPDATE and raises StaleDataError when another transaction got there first.
    __mapper_args__ = {"version_id_col": state_version, "version_id_generator": False}

    @property
    def paused(self) -> bool:
        return self.paused_remaining_ms is not None

    def __repr__(self) -> str:
        return f"<LiveSession {self.id} {self.code} {self.phase}>"


class LiveSessionCohort(Model):
    """A cohort whose members may join the session (and whose organisers may host it)."""

    __tablename__ = "live_session_cohorts"
    __table_args__ = (UniqueConstraint("session_id", "cohort_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True
    )
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)


class LiveItem(Model):
    """One item of a session, in order: a bank question version, or a poll or open question
    typed in for the session. Its timing is server time; `paused_ms` is how long it was
    paused, which does not count towards anyone's response time."""

    __tablename__ = "live_items"
    __table_args__ = (
        UniqueConstraint("session_id", "position"),
        _enum_check("kind", ItemKind, "kind_known"),
        CheckConstraint("position >= 1", name="position"),
        CheckConstraint(
            f"time_limit_s >= {MIN_TIME_LIMIT_S} AND time_limit_s <= {MAX_TIME_LIMIT_S}",
            name="time_limit",
        ),
        CheckConstraint(
            "(kind = 'question' AND question_version_id IS NOT NULL AND text IS NULL) OR "
            "(kind <> 'question' AND question_version_id IS NULL AND text IS NOT NULL)",
            name="source",
        ),
        CheckConstraint("kind <> 'poll' OR options IS NOT NULL", name="poll_options"),
        CheckConstraint("kind = 'question' OR NOT points", name="only_questions_score"),
        CheckConstraint("paused_ms >= 0", name="paused_ms"),
        CheckConstraint(
            "closes_at IS NULL OR (opened_at IS NOT NULL AND closes_at >= opened_at)",
            name="timing",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    question_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_versions.id", ondelete="RESTRICT"), index=True
    )
    # A poll's or open question's text and a poll's options (plain text, typed in here).
    text: Mapped[str | None] = mapped_column(Text)
    options: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))
    # A poll where several options may be chosen.
    multiple: Mapped[bool] = mapped_column(Boolean, default=False)
    # The order options (or ordering items) are shown in, the same on every phone and the
    # projector: indices into the version's options. A bank question's are shuffled once
    # here, since banks often list the right answer first.
    option_order: Mapped[list[int] | None] = mapped_column(JSON(none_as_null=True))
    time_limit_s: Mapped[int] = mapped_column(Integer, default=DEFAULT_TIME_LIMIT_S)
    points: Mapped[bool] = mapped_column(Boolean, default=True)
    speed_bonus: Mapped[bool] = mapped_column(Boolean, default=True)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When answers stop being accepted: the time limit, moved by pauses, added time and an
    # early reveal; while paused, the moment of the pause.
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paused_ms: Mapped[int] = mapped_column(Integer, default=0)
    # Dropped by the host: not asked (again), and its answers count for no one's score.
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def scored(self) -> bool:
        return self.kind == ItemKind.QUESTION and self.points


class LiveParticipant(Model):
    """Someone who joined: a logged-in user, or a guest with a nickname who rejoins with a
    random token kept in a cookie (only its hash is stored)."""

    __tablename__ = "live_participants"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id"),
        # The nickname as compared: NFKC, case-folded, spaces squashed (camp.live.nicknames).
        UniqueConstraint("session_id", "nickname_key"),
        UniqueConstraint("session_id", "token_hash"),
        CheckConstraint(
            "(user_id IS NOT NULL AND nickname IS NULL AND nickname_key IS NULL"
            " AND token_hash IS NULL) OR "
            "(user_id IS NULL AND nickname IS NOT NULL AND nickname_key IS NOT NULL"
            " AND token_hash IS NOT NULL)",
            name="user_or_guest",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    nickname: Mapped[str | None] = mapped_column(String(NICKNAME_MAX))
    nickname_key: Mapped[str | None] = mapped_column(String(100))
    token_hash: Mapped[str | None] = mapped_column(String(64))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_guest(self) -> bool:
        return self.user_id is None


class LiveAnswer(Model):
    """A participant's answer to an item: the first one counts, so there is at most one.

    `received_at` and `elapsed_ms` are the server's clock (time since the item opened, its
    pauses left out); nothing the phone says about time is stored. `fraction` is None for
    polls and open questions."""

    __tablename__ = "live_answers"
    __table_args__ = (
        UniqueConstraint("live_item_id", "participant_id"),
        CheckConstraint("elapsed_ms >= 0", name="elapsed_ms"),
        CheckConstraint("points >= 0", name="points"),
        CheckConstraint(
            "fraction IS NULL OR (fraction >= 0 AND fraction <= 1)", name="fraction_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    live_item_id: Mapped[int] = mapped_column(ForeignKey("live_items.id", ondelete="RESTRICT"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("live_participants.id", ondelete="RESTRICT"), index=True
    )
    # Chosen by the phone for this item; a retry carries the same one (camp.live.answers).
    idempotency_key: Mapped[str] = mapped_column(String(IDEMPOTENCY_KEY_MAX))
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    elapsed_ms: Mapped[int] = mapped_column(Integer)
    fraction: Mapped[float | None] = mapped_column(Float)
    points: Mapped[int] = mapped_column(Integer, default=0)
