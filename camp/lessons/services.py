"""Lesson queries and progress: the module list with a student's state, marking as read,
and a lesson in the reader's language (its translation, or the English with a notice)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from camp import caches
from camp.accounts.identity import CampUser
from camp.extensions import db
from camp.lessons.models import LessonRead, Module
from camp.lessons.translation_models import ModuleTranslation
from camp.locales import DEFAULT_LOCALE
from camp.quizzes.models import Quiz


@dataclass(frozen=True)
class ModuleRow:
    module: Module
    read: bool
    title: str  # in the reader's language when the module is translated
    summary: str
    language: str  # the locale the title and summary are in


@dataclass(frozen=True)
class LessonView:
    """A lesson as one reader sees it: translated where it can be, else the English."""

    module: Module
    title: str
    summary: str
    body_html: str
    toc: list[dict[str, Any]]
    objectives: list[dict[str, str]]
    sources: list[str]
    glossary: list[dict[str, str]]
    language: str  # the locale of the text shown
    wanted: str  # the reader's locale

    @property
    def fallback(self) -> bool:
        """The reader asked for a language this lesson is not written in yet."""
        return self.language != self.wanted


def visible_modules() -> list[Module]:
    return list(
        db.session.scalars(
            select(Module).where(Module.retired.is_(False)).order_by(Module.position)
        )
    )


def modules_for(user: CampUser, locale: str = DEFAULT_LOCALE) -> list[ModuleRow]:
    """Every module in order, with whether this user has read it and its title and summary
    in `locale` where it is translated (one query)."""
    rows = db.session.execute(
        select(Module, LessonRead.id, ModuleTranslation.title, ModuleTranslation.summary)
        .outerjoin(
            LessonRead, (LessonRead.module_id == Module.id) & (LessonRead.user_id == user.id)
        )
        .outerjoin(
            ModuleTranslation,
            (ModuleTranslation.module_id == Module.id) & (ModuleTranslation.locale == locale),
        )
        .where(Module.retired.is_(False))
        .order_by(Module.position)
    ).all()
    return [
        ModuleRow(
            module=module,
            read=read_id is not None,
            title=title or module.title,
            summary=summary if title else module.summary,
            language=locale if title else DEFAULT_LOCALE,
        )
        for module, read_id, title, summary in rows
    ]


def lesson_in(module: Module, locale: str) -> LessonView:
    """The lesson in `locale` if it is translated, else in English (`fallback` says so)."""
    translation = None
    if locale != DEFAULT_LOCALE:
        translation = db.session.scalar(
            select(ModuleTranslation).where(
                ModuleTranslation.module_id == module.id, ModuleTranslation.locale == locale
            )
        )
    source: Module | ModuleTranslation = translation or module
    return LessonView(
        module=module,
        title=source.title,
        summary=source.summary,
        body_html=source.body_html,
        toc=source.toc,
        objectives=source.objectives,
        sources=source.sources,
        glossary=module.glossary,
        language=locale if translation is not None else DEFAULT_LOCALE,
        wanted=locale,
    )


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


@dataclass(frozen=True)
class TranslatedTitles:
    """Module titles by module id and module quiz titles by quiz id, in one language."""

    modules: dict[int, str]
    quizzes: dict[int, str]


_NO_TITLES = TranslatedTitles({}, {})


def translated_titles(locale: str) -> TranslatedTitles:
    """The translated titles of the modules and their quizzes: read once per process and
    language (they come with the content, which `camp up` loads as it starts)."""
    if locale == DEFAULT_LOCALE:
        return _NO_TITLES
    return _translated_titles(locale)


@functools.lru_cache(maxsize=8)
def _translated_titles(locale: str) -> TranslatedTitles:
    rows = db.session.execute(
        select(
            ModuleTranslation.module_id,
            ModuleTranslation.title,
            Quiz.id,
            ModuleTranslation.quiz_title,
        )
        .outerjoin(Quiz, Quiz.module_id == ModuleTranslation.module_id)
        .where(ModuleTranslation.locale == locale)
    ).all()
    return TranslatedTitles(
        modules={module_id: title for module_id, title, _quiz, _quiz_title in rows if title},
        quizzes={quiz: quiz_title for _m, _t, quiz, quiz_title in rows if quiz and quiz_title},
    )


caches.register_function("translated titles", _translated_titles)
