"""Lesson queries and progress: the module list with a student's state, marking as read."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from camp.accounts.identity import CampUser
from camp.extensions import db
from camp.lessons.models import LessonRead, Module
from camp.quizzes.models import Quiz


@dataclass(frozen=True)
class ModuleRow:
    module: Module
    read: bool


def visible_modules() -> list[Module]:
    return list(
        db.session.scalars(
            select(Module).where(Module.retired.is_(False)).order_by(Module.position)
        )
    )


def modules_for(user: CampUser) -> list[ModuleRow]:
    """Every module in order, with whether this user has read it (one query)."""
    rows = db.session.execute(
        select(Module, LessonRead.id)
        .outerjoin(
            LessonRead, (LessonRead.module_id == Module.id) & (LessonRead.user_id == user.id)
        )
        .where(Module.retired.is_(False))
        .order_by(Module.position)
    ).all()
    return [ModuleRow(module=module, read=read_id is not None) for module, read_id in rows]


def get_module(slug: str) -> Module | None:
    return db.session.scalar(select(Module).where(Module.slug == slug, Module.retired.is_(False)))


def has_read(user: CampUser, module: Module) -> bool:
    return (
        db.session.scalar(
            select(LessonRead.id).where(
                LessonRead.user_id == user.id, LessonRead.module_id == module.id
            )
        )
        is not None
    )


def mark_read(user: CampUser, module: Module) -> bool:
    """Record that the user read the lesson; True if newly recorded (a repeat is harmless)."""
    if has_read(user, module):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(LessonRead(user_id=user.id, module_id=module.id))
    except IntegrityError:  # a double click raced us; the row is there, which is all we want
        return False
    return True


def quiz_of(module: Module) -> Quiz | None:
    return db.session.scalar(select(Quiz).where(Quiz.module_id == module.id))
