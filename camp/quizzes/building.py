"""Building quizzes: settings, the paper's slots (fixed questions and random draws), per-cohort
windows and per-student accommodations, and who may change which of them.

Any organiser or admin may build any quiz (there is one shared bank), but windows and
accommodations belong to cohorts: an organiser sets them only for cohorts they run and the
students in those cohorts. Functions flush but never commit; the organiser screens and the
tests share them. Problems are `QuizError`s whose text an organiser can act on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime

from flask_babel import gettext as _  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnDefault, delete, func, select

from camp.accounts.models import Cohort, User
from camp.bank.models import Category, Question
from camp.bank.services import normalise_category_path
from camp.extensions import db
from camp.quizzes.errors import QuizError
from camp.quizzes.models import (
    REVIEW_ITEMS,
    GradingMethod,
    Layout,
    Quiz,
    QuizOverride,
    QuizSlot,
    QuizWindow,
    ReviewWhen,
)
from camp.quizzes.paper import candidates_for

MAX_TITLE = 200
MAX_TIME_LIMIT = 7 * 24 * 60  # a week, in minutes
MAX_ATTEMPTS = 100
MAX_EXTRA_MINUTES = 7 * 24 * 60
MAX_EXTRA_ATTEMPTS = 100
MAX_RANDOM_COUNT = 500
MAX_TAG = 100


# --- who may ----------------------------------------------------------------------------------


# --- settings ---------------------------------------------------------------------------------


def _default_review() -> dict[str, str]:
    review = {}
    for item in REVIEW_ITEMS:
        default = Quiz.__table__.c[f"review_{item}"].default
        assert isinstance(default, ColumnDefault)  # each review column has a fixed default
        review[item] = str(default.arg)
    return review


@dataclass(frozen=True)
class QuizSettings:
    """Everything an organiser sets about a quiz besides its slots."""

    title: str
    description: str = ""
    time_limit_minutes: int | None = None
    attempts_allowed: int | None = None
    grading_method: str = GradingMethod.HIGHEST
    pass_mark: int = 70
    shuffle_questions: bool = True
    shuffle_options: bool = True
    layout: str = Layout.ONE_PER_PAGE
    review: dict[str, str] = field(default_factory=_default_review)

    @classmethod
    def of(cls, quiz: Quiz) -> QuizSettings:
        values = {f.name: getattr(quiz, f.name) for f in fields(cls) if f.name != "review"}
        return cls(**values, review={i: getattr(quiz, f"review_{i}") for i in REVIEW_ITEMS})

    def problems(self) -> list[str]:
        problems: list[str] = []
        if not self.title.strip():
            problems.append(_("Give the quiz a title."))
        elif len(self.title.strip()) > MAX_TITLE:
            problems.append(_("Use at most %(max)s characters for the title.", max=MAX_TITLE))
        if self.time_limit_minutes is not None and not (
            1 <= self.time_limit_minutes <= MAX_TIME_LIMIT
        ):
            problems.append(
                _(
                    "The time limit must be 1 to %(max)s minutes, or empty for none.",
                    max=MAX_TIME_LIMIT,
                )
            )
        if self.attempts_allowed is not None and not 1 <= self.attempts_allowed <= MAX_ATTEMPTS:
            problems.append(
                _(
                    "Attempts allowed must be 1 to %(max)s, or empty for unlimited.",
                    max=MAX_ATTEMPTS,
                )
            )
        if self.grading_method not in set(GradingMethod):
            problems.append(
                _("Unknown grading method %(method)s.", method=repr(self.grading_method))
            )
        if not 0 <= self.pass_mark <= 100:
            problems.append(_("The pass mark is a percentage from 0 to 100."))
        if self.layout not in set(Layout):
            problems.append(_("Unknown layout %(layout)s.", layout=repr(self.layout)))
        if set(self.review) != set(REVIEW_ITEMS):
            problems.append(_("Say when students see each part of their review."))
        elif any(when not in set(ReviewWhen) for when in self.review.values()):
            problems.append(_("Unknown review timing."))
        return problems


def _apply(quiz: Quiz, settings: QuizSettings) -> None:
    problems = settings.problems()
    if problems:
        raise QuizError(" ".join(problems))
    for f in fields(settings):
        if f.name != "review":
            setattr(quiz, f.name, getattr(settings, f.name))
    quiz.title = settings.title.strip()
    for item in REVIEW_ITEMS:
        setattr(quiz, f"review_{item}", settings.review[item])


def create_quiz(settings: QuizSettings) -> Quiz:
    """A new quiz with no slots yet (not a module's quiz: those come from content files)."""
    quiz = Quiz()
    _apply(quiz, settings)
    db.session.add(quiz)
    db.session.flush()
    return quiz


def update_settings(quiz: Quiz, settings: QuizSettings) -> None:
    _apply(quiz, settings)
    db.session.flush()


# --- slots ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FixedAdded:
    """What `add_fixed_questions` did with each uid it was given."""

    added: list[str]
    retired: list[str]
    duplicates: list[str]


@dataclass(frozen=True)
class RandomAdded:
    slot: QuizSlot
    available: int  # questions the slot can draw from right now


def _renumber(quiz: Quiz, ordered: Sequence[QuizSlot]) -> None:
    # Positions are unique per quiz and checked row by row, so move everything out of the
    # way first; a single pass could collide with a neighbour not yet moved.
    for index, slot in enumerate(ordered, start=1):
        slot.position = -index
    db.session.flush()
    for index, slot in enumerate(ordered, start=1):
        slot.position = index
    db.session.flush()
    db.session.expire(quiz, ["slots"])


def _next_position(quiz: Quiz) -> int:
    return (
        db.session.scalar(select(func.max(QuizSlot.position)).where(QuizSlot.quiz_id == quiz.id))
        or 0
    ) + 1


def add_fixed_questions(quiz: Quiz, question_uids: Iterable[str]) -> FixedAdded:
    """Append one fixed slot per question, in the order given. Retired questions are skipped
    and questions already fixed in this quiz refused; an unknown uid is an error."""
    uids = list(dict.fromkeys(u.strip() for u in question_uids if u.strip()))
    if not uids:
        raise QuizError(_l("Choose at least one question to add."))
    questions = {
        q.uid: q for q in db.session.scalars(select(Question).where(Question.uid.in_(uids)))
    }
    unknown = [uid for uid in uids if uid not in questions]
    if unknown:
        raise QuizError(_l("There is no question with the id %(ids)s.", ids=", ".join(unknown)))
    present = set(
        db.session.scalars(
            select(QuizSlot.question_id).where(
                QuizSlot.quiz_id == quiz.id, QuizSlot.kind == "fixed"
            )
        )
    )
    added, retired, duplicates = [], [], []
    position = _next_position(quiz)
    for uid in uids:
        question = questions[uid]
        if question.retired:
            retired.append(uid)
        elif question.id in present:
            duplicates.append(uid)
        else:
            db.session.add(
                QuizSlot(quiz_id=quiz.id, position=position, kind="fixed", question_id=question.id)
            )
            position += 1
            added.append(uid)
    db.session.flush()
    db.session.expire(quiz, ["slots"])
    return FixedAdded(added=added, retired=retired, duplicates=duplicates)


def add_random_slot(
    quiz: Quiz,
    *,
    category_path: str | None,
    tag: str | None,
    count: int,
    include_subcategories: bool = True,
) -> RandomAdded:
    """Append a slot drawing `count` questions from a category (and its subcategories)
    and/or with a tag, and say how many questions it can draw from now."""
    tag = (tag or "").strip() or None
    category_id = None
    if category_path and category_path.strip():
        path = normalise_category_path(category_path)
        category_id = db.session.scalar(select(Category.id).where(Category.path == path))
        if category_id is None:
            raise QuizError(_l("There is no category %(path)s in the bank.", path=repr(path)))
    if category_id is None and tag is None:
        raise QuizError(_l("Choose a category, a tag, or both, to draw random questions from."))
    if tag is not None and len(tag) > MAX_TAG:
        raise QuizError(_l("Tags are at most %(max)s characters.", max=MAX_TAG))
    if not 1 <= count <= MAX_RANDOM_COUNT:
        raise QuizError(_l("Draw 1 to %(max)s questions.", max=MAX_RANDOM_COUNT))
    slot = QuizSlot(
        quiz_id=quiz.id,
        position=_next_position(quiz),
        kind="random",
        category_id=category_id,
        include_subcategories=include_subcategories,
        tag=tag,
        count=count,
    )
    db.session.add(slot)
    db.session.flush()
    db.session.expire(quiz, ["slots"])
    return RandomAdded(slot=slot, available=len(candidates_for(slot)))


def _slot_of(quiz: Quiz, slot_id: int) -> QuizSlot:
    slot = db.session.get(QuizSlot, slot_id)
    if slot is None or slot.quiz_id != quiz.id:
        raise QuizError(_l("That slot is not part of this quiz (it may have been removed)."))
    return slot


def remove_slot(quiz: Quiz, slot_id: int) -> None:
    """Remove a slot and close the gap. Attempts already drawn keep their questions."""
    slot = _slot_of(quiz, slot_id)
    remaining = [s for s in quiz.slots if s.id != slot.id]
    db.session.delete(slot)
    db.session.flush()
    _renumber(quiz, remaining)


def move_slot(quiz: Quiz, slot_id: int, direction: str) -> bool:
    """Move a slot one place "up" or "down"; False when it is already at that end."""
    if direction not in ("up", "down"):
        raise QuizError(_l("Move a slot up or down."))
    slot = _slot_of(quiz, slot_id)
    ordered = list(quiz.slots)
    index = ordered.index(slot)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(ordered):
        return False
    ordered[index], ordered[target] = ordered[target], ordered[index]
    _renumber(quiz, ordered)
    return True


# --- windows and accommodations ---------------------------------------------------------------


def _window_of(quiz: Quiz, cohort: Cohort) -> QuizWindow | None:
    return db.session.scalar(
        select(QuizWindow).where(QuizWindow.quiz_id == quiz.id, QuizWindow.cohort_id == cohort.id)
    )


def set_window(
    quiz: Quiz, cohort: Cohort, opens_at: datetime | None, closes_at: datetime | None
) -> QuizWindow:
    """When `cohort` may take `quiz` (times in UTC), creating or replacing its window. None
    leaves that side open: None and None keeps a window meaning "this cohort may take the
    quiz at any time".

    A window is also who may take the quiz (policy.may_take): a quiz without any window is
    for every logged-in user, but once it has one, only cohorts with a window may take it.
    So the first window of a quiz shuts out every other cohort, other organisers' too.
    `remove_window` takes a cohort's window away."""
    for moment in (opens_at, closes_at):
        if moment is not None and moment.tzinfo is None:
            raise QuizError(_l("Give window times with a time zone (UTC)."))
    if opens_at is not None and closes_at is not None and opens_at >= closes_at:
        raise QuizError(_l("The quiz must open before it closes."))
    window = _window_of(quiz, cohort)
    if window is None:
        window = QuizWindow(quiz_id=quiz.id, cohort_id=cohort.id)
        db.session.add(window)
    window.opens_at = opens_at
    window.closes_at = closes_at
    db.session.flush()
    return window


def remove_window(quiz: Quiz, cohort: Cohort) -> bool:
    """Remove `cohort`'s window on `quiz`; False when it had none.

    What that means depends on the other windows (policy.may_take): while other cohorts
    have one, this cohort may no longer take the quiz; with none left, every logged-in
    user may."""
    window = _window_of(quiz, cohort)
    if window is None:
        return False
    db.session.delete(window)
    db.session.flush()
    return True


def set_overrides(
    quiz: Quiz, users: Sequence[User], extra_minutes: int, extra_attempts: int
) -> int:
    """Give each of `users` the same accommodation (replacing what they had); zero extra
    minutes and zero extra attempts removes it. Returns how many students it applied to."""
    if not users:
        raise QuizError(_l("Choose at least one student."))
    if not 0 <= extra_minutes <= MAX_EXTRA_MINUTES:
        raise QuizError(_l("Extra minutes must be 0 to %(max)s.", max=MAX_EXTRA_MINUTES))
    if not 0 <= extra_attempts <= MAX_EXTRA_ATTEMPTS:
        raise QuizError(_l("Extra attempts must be 0 to %(max)s.", max=MAX_EXTRA_ATTEMPTS))
    ids = list(dict.fromkeys(u.id for u in users))
    if extra_minutes == 0 and extra_attempts == 0:
        db.session.execute(
            delete(QuizOverride).where(
                QuizOverride.quiz_id == quiz.id, QuizOverride.user_id.in_(ids)
            ),
            execution_options={"synchronize_session": "fetch"},
        )
        db.session.flush()
        return len(ids)
    existing = {
        o.user_id: o
        for o in db.session.scalars(
            select(QuizOverride).where(
                QuizOverride.quiz_id == quiz.id, QuizOverride.user_id.in_(ids)
            )
        )
    }
    for user_id in ids:
        override = existing.get(user_id)
        if override is None:
            override = QuizOverride(quiz_id=quiz.id, user_id=user_id)
            db.session.add(override)
        override.extra_minutes = extra_minutes
        override.extra_attempts = extra_attempts
    db.session.flush()
    return len(ids)


def remove_override(quiz: Quiz, user: User) -> bool:
    """Remove one student's accommodation; False when they had none."""
    override = db.session.scalar(
        select(QuizOverride).where(QuizOverride.quiz_id == quiz.id, QuizOverride.user_id == user.id)
    )
    if override is None:
        return False
    db.session.delete(override)
    db.session.flush()
    return True
