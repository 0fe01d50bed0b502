"""An attempt's paper: drawing it (slots become concrete question versions in a fixed
order) and reading it back.

Everything random is decided from the attempt's seed, once, at start; the result is stored,
so a reload always shows the same paper. Hot pages read it as rows, with the immutable
versions from the in-process cache.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, func, select

from camp import caches
from camp.bank.models import Category, Question, QuestionTag, QuestionVersion
from camp.bank.question_types import get_type
from camp.bank.version_cache import VersionData, get_versions, versions_in
from camp.extensions import db
from camp.locales import DEFAULT_LOCALE
from camp.quizzes.models import Attempt, AttemptQuestion, Quiz, QuizSlot


@dataclass(frozen=True)
class DrawnQuestion:
    version: VersionData
    option_order: list[int] | None


# Built once (constant statements keep their cache keys): a whole room starts at once.
_CURRENT_VERSION_IDS = (
    select(Question.id, QuestionVersion.id)
    .join(
        QuestionVersion,
        (QuestionVersion.question_id == Question.id)
        & (QuestionVersion.number == Question.version_count),
    )
    .where(Question.id.in_(bindparam("question_ids", expanding=True)))
)
_USABLE = select(Question.id).where(
    Question.id.in_(bindparam("question_ids", expanding=True)), Question.retired.is_(False)
)


def _current_versions(question_ids: list[int]) -> dict[int, VersionData]:
    """Each question's current version, by question id: the ids in one query, the
    (immutable) versions from the in-process cache."""
    if not question_ids:
        return {}
    rows = db.session.execute(_CURRENT_VERSION_IDS, {"question_ids": question_ids}).all()
    versions = get_versions(version_id for _, version_id in rows)
    return {question_id: versions[version_id] for question_id, version_id in rows}


_questions = Question.__table__
_categories = Category.__table__
_question_tags = QuestionTag.__table__
_CATEGORY_PATH = select(_categories.c.path).where(_categories.c.id == bindparam("category_id"))


@functools.cache
def _candidates_statement(category: str | None, tagged: bool) -> Select[tuple[int]]:
    """The statement for one shape of random slot, built once (a constant statement keeps
    its cache key): `category` is None, "exact" or "subtree"."""
    query = select(_questions.c.id).where(_questions.c.retired.is_(False)).order_by(_questions.c.id)
    if category == "exact":
        query = query.where(_questions.c.category_id == bindparam("category_id"))
    elif category == "subtree":
        subtree = select(_categories.c.id).where(
            (_categories.c.id == bindparam("category_id"))
            | _categories.c.path.startswith(bindparam("path_prefix"))
        )
        query = query.where(_questions.c.category_id.in_(subtree))
    if tagged:
        with_tag = select(_question_tags.c.question_id).where(
            _question_tags.c.tag == bindparam("tag")
        )
        query = query.where(_questions.c.id.in_(with_tag))
    return query


def candidates_for(slot: QuizSlot | Any) -> list[int]:
    """Question ids a random slot may draw from (not retired), in a stable order."""
    params: dict[str, Any] = {"tag": slot.tag}
    category = None
    if slot.category_id is not None:
        params["category_id"] = slot.category_id
        category = "exact"
        if slot.include_subcategories:
            path = db.session.scalar(_CATEGORY_PATH, {"category_id": slot.category_id})
            assert path is not None
            category, params["path_prefix"] = "subtree", path + "/"
    statement = _candidates_statement(category, bool(slot.tag))
    return list(db.session.scalars(statement, params))


_quiz_slots = QuizSlot.__table__
# Built once (constant statements keep their cache keys): a whole room starts at once.
_SLOTS = (
    select(
        _quiz_slots.c.kind,
        _quiz_slots.c.question_id,
        _quiz_slots.c.category_id,
        _quiz_slots.c.include_subcategories,
        _quiz_slots.c.tag,
        _quiz_slots.c.count,
    )
    .where(_quiz_slots.c.quiz_id == bindparam("quiz_id"))
    .order_by(_quiz_slots.c.position)
)


def draw_paper(quiz: Quiz, seed: str) -> list[DrawnQuestion]:
    rng = random.Random(seed)  # fairness, not secrecy: the key never depends on it
    slots = db.session.execute(_SLOTS, {"quiz_id": quiz.id}).all()
    fixed = [slot.question_id for slot in slots if slot.kind == "fixed"]
    usable = set(db.session.scalars(_USABLE, {"question_ids": fixed}) if fixed else ())
    chosen: list[int] = []
    for slot in slots:
        if slot.kind == "fixed":
            if slot.question_id in usable and slot.question_id not in chosen:
                chosen.append(slot.question_id)
            continue
        pool = [qid for qid in candidates_for(slot) if qid not in chosen]
        count = slot._mapping["count"]  # (to a type checker, `slot.count` is Row's method)
        chosen.extend(rng.sample(pool, min(count, len(pool))))
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    versions = _current_versions(chosen)
    paper = []
    for qid in chosen:
        version = versions[qid]
        kind = get_type(version.type)
        order = kind.unshuffled_order(version.spec) or None
        if order and quiz.shuffle_options:
            rng.shuffle(order)
        paper.append(DrawnQuestion(version=version, option_order=order))
    return paper


def option_token(seed: str, position: int, index: int) -> str:
    """An opaque per-attempt value for option `index` of the question at `position`."""
    digest = hmac.new(seed.encode(), f"{position}:{index}".encode(), hashlib.sha256)
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class PaperQuestion:
    """One question of an attempt with the version it shows (one query for the paper)."""

    slot: AttemptQuestion
    version: QuestionVersion


def paper_of(attempt: Attempt) -> list[PaperQuestion]:
    rows = db.session.execute(
        select(AttemptQuestion, QuestionVersion)
        .join(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
        .where(AttemptQuestion.attempt_id == attempt.id)
        .order_by(AttemptQuestion.position)
    ).all()
    return [PaperQuestion(slot=aq, version=v) for aq, v in rows]


class SlotRow(NamedTuple):
    """An attempt question as plain data (what the hot pages need, no ORM object). A named
    tuple: a page builds one per question of the paper, a third of the time of a frozen
    dataclass."""

    id: int
    position: int
    question_version_id: int
    option_order: list[int] | None
    response: dict[str, Any] | None
    answered: bool
    fraction: float | None
    manual_comment: str | None


class PaperRow(NamedTuple):
    slot: SlotRow
    version: VersionData


_slots = AttemptQuestion.__table__
# The columns of a SlotRow, named by its fields and in their order: a row is read into it
# by position (attempt_rows reads them too).
SLOT_COLUMNS = tuple(_slots.c[name] for name in SlotRow._fields)
# Built once: a constant statement keeps its cache key, so a request only binds values.
_PAPER = (
    select(*SLOT_COLUMNS)
    .where(_slots.c.attempt_id == bindparam("attempt_id"))
    .order_by(_slots.c.position)
)
_PAPER_AT = _PAPER.where(_slots.c.position.in_(bindparam("positions", expanding=True)))


def paper_rows(
    attempt_id: int, positions: Iterable[int] | None = None, locale: str = DEFAULT_LOCALE
) -> list[PaperRow]:
    """The attempt's paper as rows: one small query, versions from the in-process cache."""
    if positions is None:
        result = db.session.execute(_PAPER, {"attempt_id": attempt_id})
    else:
        result = db.session.execute(
            _PAPER_AT, {"attempt_id": attempt_id, "positions": list(positions)}
        )
    return paper_from_slots([SlotRow(*row) for row in result], locale)


def paper_from_slots(slots: list[SlotRow], locale: str = DEFAULT_LOCALE) -> list[PaperRow]:
    """The slots with their versions in `locale` (the attempt's language), from the
    in-process cache (one query for misses)."""
    versions = versions_in(get_versions(s.question_version_id for s in slots), locale)
    return [PaperRow(slot=s, version=versions[s.question_version_id]) for s in slots]


def question_count(attempt_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count(AttemptQuestion.id)).where(AttemptQuestion.attempt_id == attempt_id)
        )
        or 0
    )


caches.register_function("random-slot statements", _candidates_statement)
