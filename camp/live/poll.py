"""A phone's poll of an unchanged session answered from one read, outside the ORM session.

Why: every phone in the room polls `/live/<code>/state` about once a second, and most polls
end in a 304. Through the ORM that was four queries (the user, the session, the
participant, whether they answered), a transaction around them and the ORM's machinery
for each: the largest share of the server's time in a live quiz (benchmarks/live.py). The
ETag needs only a few columns, so one prebuilt statement reads them for the visitor (a
member by their user id, a guest by their token) and, on SQLite, runs on its own
(`camp.snapshot_reads`); the view loads the ORM objects only when the tag has changed. The
tag is built by the same function as `state.phone_tag`, so the two cannot disagree.
"""

from __future__ import annotations

from sqlalchemy import bindparam, exists, or_, select

from camp.live.codes import token_hash
from camp.live.models import LiveAnswer, LiveItem, LiveParticipant, LiveSession
from camp.live.state import SHOWN_PHASES, tag_of
from camp.snapshot_reads import SnapshotRead

_sessions = LiveSession.__table__
_participants = LiveParticipant.__table__
_items = LiveItem.__table__
_answers = LiveAnswer.__table__

# Whether the participant answered the session's current item.
_ANSWERED = (
    exists()
    .where(
        _answers.c.participant_id == _participants.c.id,
        _answers.c.live_item_id == _items.c.id,
        _items.c.session_id == _sessions.c.id,
        _items.c.position == _sessions.c.current_position,
    )
    .label("answered")
)
# The session with this exact code and this visitor's participant in it: the user's own
# first, else the guest whose token they hold (as `services.participant_for` finds them).
_TAG_PARTS = SnapshotRead(
    select(_sessions.c.state_version, _sessions.c.board_version, _sessions.c.phase, _ANSWERED)
    .join_from(_sessions, _participants, _participants.c.session_id == _sessions.c.id)
    .where(
        _sessions.c.code == bindparam("code"),
        or_(
            _participants.c.user_id == bindparam("user_id"),
            _participants.c.token_hash == bindparam("token_hash"),
        ),
    )
    .order_by(_participants.c.user_id.is_(None))
    .limit(1)
)


def current_tag(code: str, user_id: int | None, token: str | None) -> str | None:
    """The phone's ETag now (`state.phone_tag`), or None when the code is not a session's
    exact code or the visitor has not joined it (the view then finds out which)."""
    if user_id is None and not token:
        return None
    rows = _TAG_PARTS.rows(
        {"code": code, "user_id": user_id, "token_hash": token_hash(token) if token else None}
    )
    if not rows:
        return None
    state_version, board_version, phase, answered = rows[0]
    return tag_of(state_version, bool(answered) and phase in SHOWN_PHASES, board_version)
