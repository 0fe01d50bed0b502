"""Where a new live session's items come from: a quiz's questions (its random slots drawn
once, now), a bank category (and tag), questions picked by their ids, and polls and open
questions typed one per line ("poll: Coffee or tea? | Coffee | Tea", "open: What
surprised you?"). Also the list of sessions an organiser may run. Reads only."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]
from sqlalchemy import or_, select

from camp.accounts.identity import CampUser
from camp.accounts.models import Cohort, MemberRole, Membership
from camp.accounts.permissions import cohorts_run_by
from camp.bank import services as bank
from camp.bank.models import Category, Question
from camp.extensions import db
from camp.live.errors import BadSessionPlan
from camp.live.models import LiveSession, LiveSessionCohort
from camp.live.plan import ItemDraft
from camp.quizzes.models import Quiz
from camp.quizzes.paper import candidates_for

_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class _Slot:
    """A random slot over a category subtree, as `candidates_for` reads one."""

    category_id: int | None
    include_subcategories: bool
    tag: str | None


def from_quiz(quiz: Quiz) -> list[int]:
    """The quiz's questions in slot order; each random slot drawn once, now."""
    chosen: list[int] = []
    for slot in quiz.slots:
        if slot.kind == "fixed" and slot.question_id is not None:
            chosen.append(slot.question_id)
        else:
            pool = [i for i in candidates_for(slot) if i not in chosen]
            chosen.extend(random.sample(pool, min(slot.count or 1, len(pool))))
    return chosen


def from_category(path: str, tag: str | None) -> list[int]:
    category = db.session.scalar(
        select(Category).where(Category.path == bank.normalise_category_path(path))
    )
    if category is None:
        raise BadSessionPlan(_l("There is no bank category %(path)s.", path=path))
    found = candidates_for(_Slot(category.id, True, tag or None))
    if not found:
        raise BadSessionPlan(_l("That category has no questions (with that tag)."))
    return found


def from_ids(text: str) -> list[int]:
    """Question ids as typed (their uids), in the order typed."""
    uids = [uid for uid in _SEPARATORS.split(text) if uid]
    found = dict(
        db.session.execute(select(Question.uid, Question.id).where(Question.uid.in_(uids))).all()
    )
    unknown = [uid for uid in uids if uid not in found]
    if unknown:
        raise BadSessionPlan(
            _l("No question in the bank has the id %(ids)s.", ids=", ".join(unknown))
        )
    return [found[uid] for uid in uids]


def typed_items(text: str, **timing: Any) -> list[ItemDraft]:
    """Polls and open questions, one per line; a line of anything else is an error."""
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        kind, _colon, rest = line.partition(":")
        kind = kind.strip().lower()
        if kind == "poll":
            question, *options = [part.strip() for part in rest.split("|")]
            items.append(ItemDraft.poll(question, [o for o in options if o], **timing))
        elif kind == "open":
            items.append(ItemDraft.open_text(rest.strip(), **timing))
        else:
            raise BadSessionPlan(
                _l(
                    "Line %(number)s: start a poll with “poll:” and an open question with “open:”.",
                    number=number,
                )
            )
    return items


def question_items(question_ids: Sequence[int], **timing: Any) -> list[ItemDraft]:
    return [ItemDraft.question(question_id, **timing) for question_id in question_ids]


def sessions_for(user: CampUser) -> list[LiveSession]:
    """The sessions `user` may run, newest first: admins all; an organiser those they host
    and those for cohorts they organise."""
    query = select(LiveSession).order_by(LiveSession.created_at.desc(), LiveSession.id.desc())
    if not user.is_admin:
        theirs = (
            select(LiveSessionCohort.session_id)
            .join(Membership, Membership.cohort_id == LiveSessionCohort.cohort_id)
            .where(Membership.user_id == user.id, Membership.role == MemberRole.ORGANISER)
        )
        query = query.where(or_(LiveSession.host_id == user.id, LiveSession.id.in_(theirs)))
    return list(db.session.scalars(query))


def cohorts_for(user: CampUser) -> list[Cohort]:
    """The cohorts `user` may invite to a session (the ones they run)."""
    query = select(Cohort).order_by(Cohort.name)
    condition = cohorts_run_by(user)
    if condition is not None:
        query = query.where(condition)
    return list(db.session.scalars(query))
