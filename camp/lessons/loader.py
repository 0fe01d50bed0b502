"""Loading checked content into the database: an idempotent upsert keyed on module slugs
and question ids. Loading twice changes nothing; a changed question gets a new version; a
question or module that disappeared is retired, never deleted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from camp.bank import services as bank
from camp.bank import translation_io
from camp.bank.gift_io import apply_import
from camp.bank.models import Question
from camp.db import utcnow
from camp.extensions import db
from camp.formats.lesson_file import LessonFile
from camp.formats.markdown import RenderedMarkdown
from camp.lessons.content import ModuleContent, check_content
from camp.lessons.models import Module
from camp.lessons.translation_models import ModuleTranslation
from camp.paths import CONTENT_DIR
from camp.quizzes.models import Quiz, QuizSlot


@dataclass
class LoadReport:
    modules: Counter[str] = field(default_factory=Counter)
    questions: Counter[str] = field(default_factory=Counter)
    quizzes: Counter[str] = field(default_factory=Counter)
    translations: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        def fmt(counter: Counter[str]) -> str:
            return ", ".join(f"{n} {k}" for k, n in sorted(counter.items()) if n) or "none"

        return (
            f"modules: {fmt(self.modules)}; questions: {fmt(self.questions)}; "
            f"quizzes: {fmt(self.quizzes)}; translations: {fmt(self.translations)}"
        )


def _assign(obj: Any, values: dict[str, Any]) -> bool:
    """Set only what differs, so an unchanged row is not written; True when anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _lesson_texts(lesson: LessonFile, rendered: RenderedMarkdown) -> dict[str, Any]:
    """What a lesson file, in any language, gives its module row or its translation."""
    front = lesson.front
    return {
        "title": front.title,
        "summary": front.summary,
        "body": lesson.body,
        "body_html": rendered.html,
        "toc": [{"level": e.level, "text": e.text, "anchor": e.anchor} for e in rendered.toc],
        "objectives": [{"tag": o.tag, "text": o.text} for o in front.objectives],
        "sources": list(front.sources),
    }


def _upsert_module(content: ModuleContent, report: LoadReport) -> Module:
    lesson = content.lesson
    front = lesson.front
    category = bank.ensure_category(content.category_path)
    values = {
        "position": lesson.position,
        "minutes": front.minutes,
        **_lesson_texts(lesson, content.rendered),
        "glossary": [{"en": g.en, "zh": g.zh} for g in front.glossary],
        "category_id": category.id,
        "retired": False,
    }
    module = db.session.scalar(select(Module).where(Module.slug == lesson.slug))
    if module is None:
        module = Module(slug=lesson.slug, updated_at=utcnow(), **values)
        db.session.add(module)
        db.session.flush()
        report.modules["created"] += 1
    elif _assign(module, values):
        module.updated_at = utcnow()
        report.modules["updated"] += 1
    else:
        report.modules["unchanged"] += 1
    return module


# What each import action did, worded like the modules' and quizzes' counts.
_DONE = {"create": "created", "update": "updated", "unchanged": "unchanged", "restore": "restored"}


def _load_questions(content: ModuleContent, report: LoadReport) -> None:
    plan = apply_import(content.questions, category=content.category_path)
    report.questions.update(_DONE[item.action] for item in plan)
    present = {q.id for q in content.questions}
    category_id = bank.ensure_category(content.category_path).id
    for question in db.session.scalars(
        select(Question).where(Question.category_id == category_id, Question.retired.is_(False))
    ):
        if question.uid not in present:
            bank.set_retired(question, True)
            report.questions["retired"] += 1


def _upsert_quiz(content: ModuleContent, module: Module, report: LoadReport) -> None:
    settings = content.lesson.front.quiz
    values = {
        "title": settings.title,
        "time_limit_minutes": settings.time_limit,
        "attempts_allowed": settings.attempts,
        "pass_mark": settings.pass_mark,
        "shuffle_questions": settings.shuffle,
        "shuffle_options": settings.shuffle,
    }
    quiz = db.session.scalar(select(Quiz).where(Quiz.module_id == module.id))
    created = quiz is None
    if quiz is None:
        quiz = Quiz(module_id=module.id, **values)
        db.session.add(quiz)
        db.session.flush()
    changed = _assign(quiz, values)
    slot_values = {
        "kind": "random",
        "question_id": None,
        "category_id": module.category_id,
        "include_subcategories": True,
        "tag": None,
        "count": settings.questions,
    }
    # The loader owns a module quiz's paper: one random slot over the module's bank.
    slots = list(quiz.slots)
    if len(slots) == 1:
        changed = _assign(slots[0], slot_values) or changed
    else:
        for slot in slots:
            quiz.slots.remove(slot)
        db.session.flush()
        quiz.slots.append(QuizSlot(position=1, **slot_values))
        changed = True
    report.quizzes["created" if created else "updated" if changed else "unchanged"] += 1
    db.session.flush()


def _upsert_translations(content: ModuleContent, module: Module, report: LoadReport) -> None:
    """Each translation of the module's lesson and of its questions' current versions
    (stored by camp.bank.translation_io). Two queries a language for the questions,
    whatever their number (`camp up` loads content as it starts)."""
    for locale, translation in content.translations.items():
        if translation.lesson is not None and translation.rendered is not None:
            key = {"module_id": module.id, "locale": locale}
            values = {
                **_lesson_texts(translation.lesson, translation.rendered),
                "quiz_title": translation.lesson.front.quiz.title,
            }
            lesson_row = db.session.scalar(select(ModuleTranslation).filter_by(**key))
            _upsert_lesson_translation(lesson_row, key, values, report)
        by_uid = {q.id: q for q in translation.questions or [] if q.id}
        current = translation_io.current_version_ids(by_uid)
        by_version = {current[uid]: q for uid, q in by_uid.items() if uid in current}
        report.translations.update(translation_io.store_translations(locale, by_version))


def _upsert_lesson_translation(
    row: ModuleTranslation | None,
    key: dict[str, Any],
    values: dict[str, Any],
    report: LoadReport,
) -> None:
    """Add the translation, or change what differs in the stored `row`, and count it."""
    if row is None:
        db.session.add(ModuleTranslation(**key, **values))
        report.translations["created"] += 1
    elif _assign(row, values):
        report.translations["updated"] += 1
    else:
        report.translations["unchanged"] += 1


def load_content(root: Path) -> LoadReport:
    """Check everything first (ContentError: nothing written), then upsert it all."""
    modules = check_content(root)
    report = LoadReport()
    slugs = set()
    for content in modules:
        module = _upsert_module(content, report)
        _load_questions(content, report)
        _upsert_quiz(content, module, report)
        _upsert_translations(content, module, report)
        slugs.add(module.slug)
    for module in db.session.scalars(select(Module).where(Module.retired.is_(False))):
        if module.slug not in slugs:
            module.retired = True
            report.modules["retired"] += 1
    db.session.flush()
    return report


def content_root(app: Flask) -> Path:
    return Path(app.config.get("CONTENT_DIR") or CONTENT_DIR)
