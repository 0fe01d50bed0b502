"""What the projector shows of a live session: the stage (the phones' state, plus what only
the room sees together: how many answered, the leaderboard when it is on) and the live
counts the presenter view polls. Reads only; a fixed handful of queries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, literal, select

from camp.extensions import db
from camp.live import results
from camp.live.board_queries import top_questions
from camp.live.charts import item_chart
from camp.live.models import LiveAnswer, LiveItem, LiveParticipant, LiveSession, Phase
from camp.live.state import scores, state

LEADERBOARD_SIZE = 10


def counts(session: LiveSession) -> dict[str, int]:
    """Phones joined, and answers in to the current item (one query)."""
    current = None
    if session.phase in (Phase.QUESTION, Phase.REVEALED):
        current = session.current_position
    asked = _current_item_id(session.id, current) if current is not None else select(literal(-1))
    answers = (
        select(func.count(LiveAnswer.id))
        .join(LiveParticipant, LiveParticipant.id == LiveAnswer.participant_id)
        .where(LiveParticipant.session_id == session.id)
        .where(LiveAnswer.live_item_id.in_(asked))
        .scalar_subquery()
    )
    joined = (
        select(func.count(LiveParticipant.id))
        .where(LiveParticipant.session_id == session.id)
        .scalar_subquery()
    )
    found_joined, found_answers = db.session.execute(select(joined, answers)).one()
    return {"joined": int(found_joined), "answers": int(found_answers)}


def _current_item_id(session_id: int, position: int) -> Any:
    return select(LiveItem.id).where(
        LiveItem.session_id == session_id, LiveItem.position == position
    )


def stage(
    session: LiveSession, *, now: datetime, locale: str, with_board: bool = False
) -> dict[str, Any]:
    """The session as the room sees it on the projector: after a reveal the answers'
    distribution (its `result` and `chart`), and with `with_board` the board's top
    questions."""
    data = state(session, now=now, locale=locale)
    data.update(counts(session))
    board = None
    if session.show_leaderboard and session.phase in (Phase.REVEALED, Phase.ENDED):
        board = scores(session)[:LEADERBOARD_SIZE]
    data["leaderboard"] = board
    data["result"] = data["chart"] = None
    if session.phase == Phase.REVEALED:
        found = results.session_results(session, locale)
        data["result"] = next(r for r in found.items if r.position == session.current_position)
        data["chart"] = item_chart(data["result"])
    data["top_questions"] = top_questions(session) if with_board else []
    return data
