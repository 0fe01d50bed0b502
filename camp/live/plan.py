"""What an organiser asks for when creating a live session: its settings and its items,
checked and turned into `LiveItem` rows; and the fixed order each item's options are shown
in, with the letters phones post instead of option indices.

Live sessions ask the question types that fit a phone and a countdown: single and multiple
choice, true/false, numerical, short answer and ordering, plus polls and open questions
typed in for the session. Essays, cloze, matching and descriptions are refused: they need
time, a grader, or a page, not a button.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import LazyString  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from camp.bank.models import Question, QuestionVersion
from camp.bank.question_types import Ordering, get_type
from camp.extensions import db
from camp.live.errors import BadSessionPlan, UnsuitableQuestion
from camp.live.models import (
    DEFAULT_TIME_LIMIT_S,
    MAX_TIME_LIMIT_S,
    MIN_TIME_LIMIT_S,
    ItemKind,
    LiveItem,
)

LIVE_TYPES = (
    "single_choice",
    "multiple_choice",
    "true_false",
    "numerical",
    "short_answer",
    "ordering",
)
TITLE_MAX = 200
MAX_ITEMS = 100
ITEM_TEXT_MAX = 1000
POLL_MIN_OPTIONS, POLL_MAX_OPTIONS, OPTION_MAX = 2, 10, 200


@dataclass(frozen=True)
class LiveSettings:
    allow_guests: bool = False  # guests with a nickname may join
    show_leaderboard: bool = False  # ranks on the projector and the phones
    anonymous: bool = False  # names hidden on the projector
    board_moderated: bool = True  # board posts wait for an organiser's approval


@dataclass(frozen=True)
class ItemDraft:
    """One item as the organiser asks for it; build with `question`, `poll` or `open_text`."""

    kind: str
    question_id: int | None = None
    text: str = ""
    options: tuple[str, ...] = ()
    multiple: bool = False
    time_limit_s: int = DEFAULT_TIME_LIMIT_S
    points: bool = True
    speed_bonus: bool = True

    @classmethod
    def question(cls, question_id: int, **timing: Any) -> ItemDraft:
        """A bank question, asked in its current version."""
        return cls(ItemKind.QUESTION, question_id=question_id, **timing)

    @classmethod
    def poll(
        cls, text: str, options: Sequence[str], *, multiple: bool = False, **timing: Any
    ) -> ItemDraft:
        return cls(ItemKind.POLL, text=text, options=tuple(options), multiple=multiple, **timing)

    @classmethod
    def open_text(cls, text: str, **timing: Any) -> ItemDraft:
        return cls(ItemKind.OPEN, text=text, **timing)


def clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise BadSessionPlan(_l("Give the session a title."))
    if len(title) > TITLE_MAX:
        raise BadSessionPlan(_l("Use at most %(num)d characters for the title.", num=TITLE_MAX))
    return title


def build_items(drafts: Sequence[ItemDraft]) -> list[LiveItem]:
    """The items' rows, positions from 1 (without a session yet). Raises BadSessionPlan (or
    UnsuitableQuestion) naming the first item that cannot be used."""
    if not drafts:
        raise BadSessionPlan(_l("Add at least one question."))
    if len(drafts) > MAX_ITEMS:
        raise BadSessionPlan(_l("A live session holds at most %(num)d questions.", num=MAX_ITEMS))
    versions = _current_versions([d.question_id for d in drafts if d.question_id is not None])
    return [_item(draft, number, versions) for number, draft in enumerate(drafts, 1)]


def _item(
    draft: ItemDraft, number: int, versions: dict[int, tuple[Question, QuestionVersion]]
) -> LiveItem:
    limit = draft.time_limit_s
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise BadSessionPlan(_problem(number, _l("the time limit must be a whole number.")))
    if not MIN_TIME_LIMIT_S <= limit <= MAX_TIME_LIMIT_S:
        raise BadSessionPlan(
            _problem(
                number,
                _l(
                    "the time limit must be %(low)s to %(high)s seconds.",
                    low=MIN_TIME_LIMIT_S,
                    high=MAX_TIME_LIMIT_S,
                ),
            )
        )
    item = LiveItem(
        position=number,
        kind=draft.kind,
        time_limit_s=limit,
        points=bool(draft.points),
        speed_bonus=bool(draft.speed_bonus),
        multiple=False,
        paused_ms=0,
        skipped=False,
    )
    if draft.kind == ItemKind.QUESTION:
        found = versions.get(draft.question_id) if draft.question_id is not None else None
        if found is None:
            raise BadSessionPlan(_problem(number, _l("the question is not in the bank.")))
        question, version = found
        if question.retired:
            raise BadSessionPlan(_problem(number, _l("the question is retired.")))
        if version.type not in LIVE_TYPES:
            raise UnsuitableQuestion(_unsuitable(number, version.type))
        item.question_version_id = version.id
        item.option_order = display_order(version.type, version.spec)
        return item
    if draft.kind not in (ItemKind.POLL, ItemKind.OPEN):
        raise BadSessionPlan(_problem(number, _l("unknown kind of item.")))
    text = draft.text.strip()
    if not text or len(text) > ITEM_TEXT_MAX:
        raise BadSessionPlan(
            _problem(number, _l("write the question in 1 to %(n)s characters.", n=ITEM_TEXT_MAX))
        )
    item.text, item.points = text, False  # polls and open questions never score
    if draft.kind == ItemKind.POLL:
        item.options = _poll_options(number, draft.options)
        item.multiple = bool(draft.multiple)
    return item


def _poll_options(number: int, options: Sequence[str]) -> list[str]:
    cleaned = [" ".join(str(option).split()) for option in options]
    cleaned = [option for option in cleaned if option]
    if not POLL_MIN_OPTIONS <= len(cleaned) <= POLL_MAX_OPTIONS:
        raise BadSessionPlan(
            _problem(
                number,
                _l(
                    "a poll has %(low)s to %(high)s options.",
                    low=POLL_MIN_OPTIONS,
                    high=POLL_MAX_OPTIONS,
                ),
            )
        )
    if any(len(option) > OPTION_MAX for option in cleaned):
        raise BadSessionPlan(
            _problem(number, _l("an option has at most %(n)s characters.", n=OPTION_MAX))
        )
    return cleaned


def _problem(number: int, what: LazyString) -> LazyString:
    return _l("Question %(number)s: %(problem)s", number=number, problem=what)


def _unsuitable(number: int, type_name: str) -> LazyString:
    allowed = ", ".join(str(get_type(name).label) for name in LIVE_TYPES)
    return _l(
        "Question %(number)s is of type %(type)s, which a live session cannot ask. Live "
        "sessions ask %(allowed)s questions, polls and open questions.",
        number=number,
        type=get_type(type_name).label,
        allowed=allowed,
    )


def _current_versions(ids: list[int]) -> dict[int, tuple[Question, QuestionVersion]]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(Question, QuestionVersion)
        .join(
            QuestionVersion,
            (QuestionVersion.question_id == Question.id)
            & (QuestionVersion.number == Question.version_count),
        )
        .where(Question.id.in_(set(ids)))
    ).all()
    return {question.id: (question, version) for question, version in rows}


def display_order(type_name: str, spec: dict[str, Any]) -> list[int] | None:
    """A fresh shuffle of a question's options (None when nothing shuffles), fixed for the
    session: everyone sees option B as the same option. An ordering question never shows its
    right order (or its reverse), so its type may replace the shuffle."""
    kind = get_type(type_name)
    count = kind.shufflable_count(spec)
    if count == 0:
        return None
    order = secrets.SystemRandom().sample(range(count), count)
    if isinstance(kind, Ordering):
        order = kind.display_order(spec, order)
    return order


def option_value(place: int) -> str:
    """What a phone posts for the option shown at `place` (0-based): its letter, A to Z,
    then numbers. Never the option's index, which could give the key away."""
    return chr(ord("A") + place) if place < 26 else str(place + 1)


def option_values(order: Sequence[int] | None, count: int) -> dict[int, str]:
    """Each option index's posted value, given the display order (None: as listed)."""
    shown = list(range(count)) if order is None else list(order)
    return {index: option_value(place) for place, index in enumerate(shown)}
