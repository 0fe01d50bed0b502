"""A participant's answer to the current item: checked against server time, graded, stored
once.

Phones on shaky Wi-Fi retry. Each answer carries an idempotency key the phone chose for the
item, and the first answer stored counts (as in Kahoot), so:

- a retry with the same key gets the same acknowledgement as the first try, even after the
  question closed, and never a second row;
- an answer with another key, once one is stored, gets the stored one back as a duplicate;
- two copies racing each other meet the unique (item, participant) constraint: the loser's
  insert is rolled back to a savepoint and it answers like a retry.

Only then is time looked at: an answer to an item that is not the current open one, or
that arrives at or after `closes_at`, or while paused, is refused. The response time is the
server's: from the item's opening to the answer's arrival, its pauses left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from camp.bank.version_cache import VersionData, get_versions
from camp.extensions import db
from camp.live import scoring
from camp.live.control import ms
from camp.live.errors import AnswerTooLate, BadAnswer, NotOpen, Paused, SessionEnded
from camp.live.item_views import describe_answer
from camp.live.models import (
    IDEMPOTENCY_KEY_MAX,
    LiveAnswer,
    LiveItem,
    LiveParticipant,
    LiveSession,
    Phase,
)
from camp.live.responses import read_answer


@dataclass(frozen=True)
class Ack:
    """What the phone is told once the server holds an answer from it for the item.

    `accepted`: the answer sent is the one stored (new, or a retry of it); `duplicate`: an
    earlier answer with another key is stored and counts instead. `your_answer` is the
    stored answer in words (never its option indices, which could hint at the key), and
    `points` stays None until the item is revealed: before, it would tell the room the key.
    """

    item_id: int
    accepted: bool
    duplicate: bool
    your_answer: str
    received_at: datetime
    points: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "item_id": self.item_id,
            "accepted": self.accepted,
            "duplicate": self.duplicate,
            "your_answer": self.your_answer,
            "received_at": self.received_at.isoformat(),
            "points": self.points,
        }


def answer(
    participant: LiveParticipant,
    item_id: int,
    raw_response: object,
    idempotency_key: str,
    now: datetime,
) -> Ack:
    """Store `participant`'s answer to the item (see the module docstring). Raises NotOpen,
    Paused, AnswerTooLate, SessionEnded or BadAnswer; flushes, never commits."""
    key = _checked_key(idempotency_key)
    item = db.session.get(LiveItem, item_id)
    if item is None or item.session_id != participant.session_id:
        raise NotOpen()
    version = _version(item)
    stored = _stored(item.id, participant.id)
    if stored is not None:
        return _ack(item, version, stored, key)
    session = db.session.get(LiveSession, participant.session_id)
    assert session is not None
    _check_open(session, item, now)
    graded = read_answer(item, version, raw_response)
    assert item.opened_at is not None
    # Another worker's clock may run a little behind the one that opened the item.
    elapsed = max(ms(now - item.opened_at) - item.paused_ms, 0)
    row = LiveAnswer(
        live_item_id=item.id,
        participant_id=participant.id,
        idempotency_key=key,
        response=graded.response,
        received_at=now,
        elapsed_ms=elapsed,
        fraction=graded.fraction,
        points=scoring.points(
            graded.fraction,
            elapsed,
            item.time_limit_s * 1000,
            scored=item.scored,
            speed_bonus=item.speed_bonus,
        ),
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        stored = _stored(item.id, participant.id)
        if stored is None:
            raise
        return _ack(item, version, stored, key)
    return _ack(item, version, row, key)


def _checked_key(key: object) -> str:
    if (
        not isinstance(key, str)
        or not 1 <= len(key) <= IDEMPOTENCY_KEY_MAX
        or not (key.isascii() and key.isprintable())
    ):
        raise BadAnswer(_l("This answer could not be read. Please answer again."))
    return key


def _stored(item_id: int, participant_id: int) -> LiveAnswer | None:
    return db.session.scalar(
        select(LiveAnswer).where(
            LiveAnswer.live_item_id == item_id, LiveAnswer.participant_id == participant_id
        )
    )


def _check_open(session: LiveSession, item: LiveItem, now: datetime) -> None:
    current = session.phase == Phase.QUESTION and session.current_position == item.position
    if not current:
        if item.opened_at is not None:  # it was asked, and is over
            raise AnswerTooLate()
        if session.phase == Phase.ENDED:
            raise SessionEnded()
        raise NotOpen()
    if session.paused:
        raise Paused()
    assert item.closes_at is not None
    if now >= item.closes_at:
        raise AnswerTooLate()


def _version(item: LiveItem) -> VersionData | None:
    if item.question_version_id is None:
        return None
    return get_versions([item.question_version_id])[item.question_version_id]


def _ack(item: LiveItem, version: VersionData | None, stored: LiveAnswer, key: str) -> Ack:
    same = stored.idempotency_key == key
    return Ack(
        item_id=item.id,
        accepted=same,
        duplicate=not same,
        your_answer=describe_answer(item, version, stored.response),
        received_at=stored.received_at,
        points=stored.points if item.revealed_at is not None else None,
    )
