"""A live session's results, for its organisers: per item how the room answered, per
participant their points and rank, and that table as CSV. Computed from the stored answers
whenever asked (also while the session runs); nothing is stored.

A fixed handful of queries whatever the number of participants, as in camp.reports: the
items, their versions (kept in process), one GROUP BY item, one GROUP BY (item, response),
the open answers, the scores (camp.live.state.scores) and every counted answer's points.
The grouped responses are tallied by camp.live.tallies; an item's `shows` says how:
"options" (choice, true/false, polls: a count per option in the order shown), "answers"
(numerical, short answer, ordering: the most common answers) or "open" (every answer,
newest first, and their most used words).

A skipped item is shown with its answers, but they count for no one's points: it gets no
column in the participants' table and no mean points.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _  # type: ignore[import-untyped]
from sqlalchemy import String, case, cast, func, select

from camp.accounts.models import User
from camp.bank.question_types import get_type
from camp.bank.version_cache import VersionData, get_versions, versions_in
from camp.extensions import db
from camp.formats.markdown import strip_to_text
from camp.live.editing import shortened
from camp.live.models import ItemKind, LiveAnswer, LiveItem, LiveParticipant, LiveSession
from camp.live.state import RIGHT, scores
from camp.live.tallies import (
    AnswerCount,
    Group,
    OptionCount,
    WordCount,
    bank_options,
    poll_options,
    top_answers,
    word_counts,
)
from camp.reports.export import Cell, to_csv


@dataclass(frozen=True)
class OpenAnswer:
    text: str
    name: str  # organisers always see who answered, even in an anonymous session
    guest: bool
    received_at: datetime


@dataclass(frozen=True)
class ItemResult:
    item_id: int
    position: int
    kind: str  # ItemKind
    type: str  # the question type's name, or "poll" / "open"
    title: str  # short: the question's title, or the start of its text
    text: str  # the whole text, plain, in the language asked for (where translated)
    right_answer: str  # in words; "" for polls and open questions
    shows: str  # "options", "answers" or "open" (see the module docstring)
    asked: bool
    skipped: bool
    scored: bool  # its points count (a bank question with points on, not skipped)
    participants: int  # who had joined by the time it closed
    answers: int
    right: int | None  # full marks (None: polls and open questions)
    partly: int | None  # some marks, not full
    mean_points: float | None  # None when it scores nothing
    mean_seconds: float | None
    options: tuple[OptionCount, ...] = ()
    top_answers: tuple[AnswerCount, ...] = ()
    other_answers: int = 0  # answers outside `top_answers`
    open_answers: tuple[OpenAnswer, ...] = ()
    words: tuple[WordCount, ...] = ()

    @property
    def wrong(self) -> int | None:
        return None if self.right is None else self.answers - self.right - (self.partly or 0)

    @property
    def share_right(self) -> float | None:
        return self.right / self.answers if self.right is not None and self.answers else None

    @property
    def share_answered(self) -> float | None:
        return self.answers / self.participants if self.participants else None


@dataclass(frozen=True)
class ParticipantResult:
    participant_id: int
    user_id: int | None
    name: str  # the user's display name, or the guest's nickname
    guest: bool
    points: int
    answers: int  # to items not skipped
    right: int  # full marks on bank questions not skipped
    rank: int  # equal points share a rank
    item_points: tuple[int | None, ...]  # per `SessionResults.columns`; None: no answer


@dataclass(frozen=True)
class SessionResults:
    session_id: int
    title: str
    code: str
    phase: str
    created_at: datetime
    ended_at: datetime | None
    anonymous: bool
    items: tuple[ItemResult, ...]
    columns: tuple[ItemResult, ...]  # the scored items asked, in order: the table's columns
    participants: tuple[ParticipantResult, ...]  # by rank

    @property
    def joined(self) -> int:
        return len(self.participants)

    @property
    def guests(self) -> int:
        return sum(1 for p in self.participants if p.guest)


def session_results(session: LiveSession, locale: str) -> SessionResults:
    """The results of `session`, bank questions in `locale` where translated."""
    joined_by = (
        select(func.count(LiveParticipant.id))
        .where(
            LiveParticipant.session_id == LiveItem.session_id,
            LiveParticipant.joined_at <= LiveItem.closes_at,
        )
        .correlate(LiveItem)
        .scalar_subquery()
    )
    items = db.session.execute(
        select(LiveItem, joined_by)
        .where(LiveItem.session_id == session.id)
        .order_by(LiveItem.position)
    ).all()
    ids = {item.question_version_id for item, _n in items if item.question_version_id}
    versions = versions_in(get_versions(ids), locale)
    totals = _totals(session)
    groups = _response_groups(session)
    opened = _open_answers(session) if any(i.kind == ItemKind.OPEN for i, _n in items) else {}
    results = []
    for item, participants in items:
        version = versions.get(item.question_version_id) if item.question_version_id else None
        results.append(
            _item_result(
                item,
                version,
                int(participants or 0),
                totals.get(item.id),
                groups.get(item.id, []),
                opened.get(item.id, []),
            )
        )
    columns = tuple(r for r in results if r.scored and r.asked)
    return SessionResults(
        session_id=session.id,
        title=session.title,
        code=session.code,
        phase=session.phase,
        created_at=session.created_at,
        ended_at=session.ended_at,
        anonymous=session.anonymous,
        items=tuple(results),
        columns=columns,
        participants=_participants(session, [c.item_id for c in columns]),
    )


def results_csv(results: SessionResults) -> bytes:
    """The participants' table, by rank: one column per scored item with the participant's
    points, blank where they did not answer. Headings in the request's language."""
    header = [_("Rank"), _("Name"), _("Guest"), _("Points"), _("Answered"), _("Correct")]
    header += [
        _("Q%(number)s: %(question)s", number=c.position, question=c.title) for c in results.columns
    ]
    yes, no = _("yes"), _("no")
    rows: list[list[Cell]] = [
        [p.rank, p.name, yes if p.guest else no, p.points, p.answers, p.right, *p.item_points]
        for p in results.participants
    ]
    return to_csv(header, rows)


# -- the queries -------------------------------------------------------------------------------


def _right() -> Any:
    return func.sum(case((LiveAnswer.fraction >= RIGHT, 1), else_=0))


def _totals(session: LiveSession) -> dict[int, tuple[Any, ...]]:
    """Per item: answers, right, partly right, mean points, mean response time (ms)."""
    partly = (LiveAnswer.fraction > 0) & (LiveAnswer.fraction < RIGHT)
    rows = db.session.execute(
        select(
            LiveAnswer.live_item_id,
            func.count(LiveAnswer.id),
            _right(),
            func.sum(case((partly, 1), else_=0)),
            func.avg(LiveAnswer.points),
            func.avg(LiveAnswer.elapsed_ms),
        )
        .join(LiveItem, LiveItem.id == LiveAnswer.live_item_id)
        .where(LiveItem.session_id == session.id)
        .group_by(LiveAnswer.live_item_id)
    )
    return {row[0]: tuple(row[1:]) for row in rows}


def _response_groups(session: LiveSession) -> dict[int, list[Group]]:
    """Per item (open questions aside), each different response: (response, how many gave
    it, how many of them were right), the earliest given first."""
    response = cast(LiveAnswer.response, String)
    first = func.min(LiveAnswer.id)
    rows = db.session.execute(
        select(LiveAnswer.live_item_id, response, func.count(LiveAnswer.id), _right())
        .join(LiveItem, LiveItem.id == LiveAnswer.live_item_id)
        .where(LiveItem.session_id == session.id, LiveItem.kind != ItemKind.OPEN)
        .group_by(LiveAnswer.live_item_id, response)
        .order_by(LiveAnswer.live_item_id, first)
    )
    groups: dict[int, list[Group]] = {}
    for item_id, raw, n, right in rows:
        try:
            parsed = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError:
            continue
        if isinstance(parsed, dict):
            groups.setdefault(item_id, []).append((parsed, int(n), int(right or 0)))
    return groups


def _open_answers(session: LiveSession) -> dict[int, list[OpenAnswer]]:
    rows = db.session.execute(
        select(
            LiveAnswer.live_item_id,
            LiveAnswer.response,
            LiveAnswer.received_at,
            func.coalesce(User.display_name, LiveParticipant.nickname),
            LiveParticipant.user_id.is_(None),
        )
        .join(LiveItem, LiveItem.id == LiveAnswer.live_item_id)
        .join(LiveParticipant, LiveParticipant.id == LiveAnswer.participant_id)
        .outerjoin(User, User.id == LiveParticipant.user_id)
        .where(LiveItem.session_id == session.id, LiveItem.kind == ItemKind.OPEN)
        .order_by(LiveAnswer.received_at.desc(), LiveAnswer.id.desc())
    )
    answers: dict[int, list[OpenAnswer]] = {}
    for item_id, response, at, name, guest in rows:
        text = response.get("text") if isinstance(response, dict) else None
        answers.setdefault(item_id, []).append(
            OpenAnswer(str(text or ""), name or "", bool(guest), at)
        )
    return answers


def _participants(session: LiveSession, column_ids: list[int]) -> tuple[ParticipantResult, ...]:
    """Everyone by rank, with their right answers and points per column: one query for
    every counted answer on top of the scores."""
    rows = db.session.execute(
        select(
            LiveAnswer.participant_id,
            LiveAnswer.live_item_id,
            LiveAnswer.points,
            LiveAnswer.fraction,
        )
        .join(LiveItem, LiveItem.id == LiveAnswer.live_item_id)
        .where(
            LiveItem.session_id == session.id,
            LiveItem.kind == ItemKind.QUESTION,
            LiveItem.skipped.is_(False),
        )
    )
    points: dict[tuple[int, int], int] = {}
    right: Counter[int] = Counter()
    for pid, item_id, earned, fraction in rows:
        points[(pid, item_id)] = int(earned)
        if fraction is not None and fraction >= RIGHT:
            right[pid] += 1
    return tuple(
        ParticipantResult(
            participant_id=s.participant_id,
            user_id=s.user_id,
            name=s.name,
            guest=s.user_id is None,
            points=s.points,
            answers=s.answers,
            right=right[s.participant_id],
            rank=s.rank,
            item_points=tuple(points.get((s.participant_id, i)) for i in column_ids),
        )
        for s in scores(session)
    )


# -- one item ----------------------------------------------------------------------------------


def _item_result(
    item: LiveItem,
    version: VersionData | None,
    participants: int,
    totals: tuple[Any, ...] | None,
    groups: list[Group],
    opened: list[OpenAnswer],
) -> ItemResult:
    answers, right, partly, mean_points, mean_ms = totals or (0, 0, 0, None, None)
    graded = item.kind == ItemKind.QUESTION
    scored = item.scored and not item.skipped
    found: dict[str, Any] = {}
    if item.kind == ItemKind.OPEN:
        found = {"shows": "open", "open_answers": tuple(opened)}
        found["words"] = word_counts(a.text for a in opened)
    elif item.kind == ItemKind.POLL:
        found = {"shows": "options", "options": poll_options(item, groups)}
    else:
        assert version is not None
        if get_type(version.type).breakdown(version.spec):
            found = {"shows": "options", "options": bank_options(item, version, groups)}
        else:
            top, others = top_answers(item, version, groups)
            found = {"shows": "answers", "top_answers": top, "other_answers": others}
    if version is not None:
        text = strip_to_text(version.text, version.text_format)
        title = version.title.strip() or shortened(text)
        kind = get_type(version.type)
        key = strip_to_text(kind.correct_answer_text(version.spec), version.text_format)
    else:
        text = item.text or ""
        title, key = shortened(text), ""
    return ItemResult(
        item_id=item.id,
        position=item.position,
        kind=item.kind,
        type=version.type if version is not None else item.kind,
        title=title,
        text=text,
        right_answer=key,
        asked=item.opened_at is not None,
        skipped=item.skipped,
        scored=scored,
        participants=participants,
        answers=int(answers),
        right=int(right or 0) if graded else None,
        partly=int(partly or 0) if graded else None,
        mean_points=float(mean_points) if scored and mean_points is not None else None,
        mean_seconds=float(mean_ms) / 1000 if mean_ms is not None else None,
        **found,
    )
