"""What a phone (or the projector) is shown: the session's state as a small JSON-able dict,
and the scores.

`state` is what phones poll, so it is cheap: a few small queries (counts, the current
item, this participant's answer) and item views kept in process (camp.live.item_views).
Nothing of the key is in it before the reveal. Phones poll with `version` as an ETag;
answers and joins do not bump it (300 answers would make 300 phones fetch 300 times), so
a phone's ETag should also say whether it has answered. `board_version` is the question
board's own counter (camp.live.board): a phone refetches the board when it moves, and its
ETag should hold it too.

`scores` is one GROUP BY query: every participant's points over the items not skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from camp.accounts.models import User
from camp.bank.version_cache import VersionData, get_versions, versions_in
from camp.extensions import db
from camp.live.control import current_item, ms
from camp.live.item_views import describe_answer, item_view, right_answer
from camp.live.models import LiveAnswer, LiveItem, LiveParticipant, LiveSession, Phase
from camp.locales import DEFAULT_LOCALE

# A fraction this close to 1 is a right answer (fractions are sums of float weights).
RIGHT = 1 - 1e-9


@dataclass(frozen=True)
class ParticipantScore:
    participant_id: int
    user_id: int | None  # None for a guest
    name: str  # the user's display name, or the guest's nickname
    points: int
    answers: int  # answers to items not skipped
    rank: int  # 1 for the most points; equal points share a rank


def state(
    session: LiveSession,
    participant: LiveParticipant | None = None,
    *,
    now: datetime,
    locale: str = DEFAULT_LOCALE,
) -> dict[str, Any]:
    """The session as a phone sees it; `participant` adds what concerns them."""
    count, joined = db.session.execute(
        select(
            select(func.count(LiveItem.id))
            .where(LiveItem.session_id == session.id)
            .scalar_subquery(),
            select(func.count(LiveParticipant.id))
            .where(LiveParticipant.session_id == session.id)
            .scalar_subquery(),
        )
    ).one()
    shown = session.phase in (Phase.QUESTION, Phase.REVEALED)
    item = current_item(session) if shown else None
    version = _version(item, locale)
    revealed = item is not None and session.phase == Phase.REVEALED
    data: dict[str, Any] = {
        "version": session.state_version,
        "board_version": session.board_version,
        "phase": session.phase,
        "paused": session.paused,
        "position": session.current_position if shown else None,
        "count": count,
        "joined": joined,
        "item": None,
        "right_answer": right_answer(item, version) if revealed and item else None,
    }
    if item is not None:
        data["item"] = {
            "id": item.id,
            "kind": item.kind,
            "time_limit_s": item.time_limit_s,
            "seconds_left": _seconds_left(session, item, now),
            "open": _open(session, item, now),
            "view": item_view(item, version, locale),
        }
    if participant is not None:
        data.update(_mine(session, participant, item, version, revealed))
    return data


# The phases that show an item (and so whether the participant answered it).
SHOWN_PHASES = frozenset({Phase.QUESTION, Phase.REVEALED})


def tag_of(state_version: int, answered: bool, board_version: int) -> str:
    """A phone's ETag from its parts (also built by camp.live.poll's single read)."""
    return f"{state_version}.{int(answered)}.{board_version}"


def phone_tag(session: LiveSession, participant: LiveParticipant) -> str:
    """A phone's ETag: changes exactly when its stage would (the session's state, whether
    it has answered the current item, the board). One query."""
    answered = False
    if session.phase in SHOWN_PHASES:
        answered = (
            db.session.scalar(
                select(LiveAnswer.id)
                .join(LiveItem, LiveItem.id == LiveAnswer.live_item_id)
                .where(
                    LiveItem.session_id == session.id,
                    LiveItem.position == session.current_position,
                    LiveAnswer.participant_id == participant.id,
                )
            )
            is not None
        )
    return tag_of(session.state_version, answered, session.board_version)


def _mine(
    session: LiveSession,
    participant: LiveParticipant,
    item: LiveItem | None,
    version: VersionData | None,
    revealed: bool,
) -> dict[str, Any]:
    """What the participant sees of their own: their answer, after a reveal their result,
    between questions their total (and rank, if the leaderboard is on)."""
    mine: dict[str, Any] = {"answered": False, "your_answer": None, "result": None}
    if item is not None:
        stored = db.session.scalar(
            select(LiveAnswer).where(
                LiveAnswer.live_item_id == item.id, LiveAnswer.participant_id == participant.id
            )
        )
        if stored is not None:
            mine["answered"] = True
            mine["your_answer"] = describe_answer(item, version, stored.response)
        if revealed:
            fraction = stored.fraction if stored is not None else None
            mine["result"] = {
                "answered": stored is not None,
                "fraction": fraction,
                "correct": None if fraction is None else fraction >= RIGHT,
                "points": stored.points if stored is not None else 0,
            }
    if revealed or session.phase == Phase.ENDED:
        if session.show_leaderboard:
            board = {score.participant_id: score for score in scores(session)}
            own = board.get(participant.id)
            mine["total"] = own.points if own else 0
            mine["rank"] = own.rank if own else None
        else:
            mine["total"] = total_points(participant)
            mine["rank"] = None
    return mine


def _version(item: LiveItem | None, locale: str) -> VersionData | None:
    if item is None or item.question_version_id is None:
        return None
    found = versions_in(get_versions([item.question_version_id]), locale)
    return found[item.question_version_id]


def _open(session: LiveSession, item: LiveItem, now: datetime) -> bool:
    return (
        session.phase == Phase.QUESTION
        and not session.paused
        and item.closes_at is not None
        and now < item.closes_at
    )


def _seconds_left(session: LiveSession, item: LiveItem, now: datetime) -> float:
    """Computed on the server; the phone only counts down from it."""
    if session.paused_remaining_ms is not None:
        return round(session.paused_remaining_ms / 1000, 1)
    if not _open(session, item, now):
        return 0.0
    assert item.closes_at is not None
    return round(ms(item.closes_at - now) / 1000, 1)


def _counted() -> Any:
    """Answers to the items that count (not skipped), by participant."""
    return (
        select(
            LiveAnswer.participant_id,
            func.sum(LiveAnswer.points).label("points"),
            func.count(LiveAnswer.id).label("answers"),
        )
        .join(LiveItem, LiveItem.id == LiveAnswer.live_item_id)
        .where(LiveItem.skipped.is_(False))
        .group_by(LiveAnswer.participant_id)
    )


def total_points(participant: LiveParticipant) -> int:
    query = _counted().where(LiveAnswer.participant_id == participant.id)
    row = db.session.execute(query).first()
    return int(row.points) if row is not None else 0


def scores(session: LiveSession) -> list[ParticipantScore]:
    """Every participant's points, most first (then in the order they joined)."""
    counted = _counted().where(LiveItem.session_id == session.id).subquery()
    points = func.coalesce(counted.c.points, 0)
    rows = db.session.execute(
        select(
            LiveParticipant.id,
            LiveParticipant.user_id,
            func.coalesce(User.display_name, LiveParticipant.nickname),
            points,
            func.coalesce(counted.c.answers, 0),
        )
        .outerjoin(User, User.id == LiveParticipant.user_id)
        .outerjoin(counted, counted.c.participant_id == LiveParticipant.id)
        .where(LiveParticipant.session_id == session.id)
        .order_by(points.desc(), LiveParticipant.joined_at, LiveParticipant.id)
    ).all()
    result: list[ParticipantScore] = []
    for place, (pid, user_id, name, total, answers) in enumerate(rows, 1):
        rank = result[-1].rank if result and result[-1].points == total else place
        result.append(ParticipantScore(pid, user_id, name or "", int(total), int(answers), rank))
    return result
