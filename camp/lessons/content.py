"""Reading lesson content folders and checking them as a whole (no database).

`check_content` parses every module folder, its front matter and its GIFT bank, and
cross-checks them, and each translation against them (camp.lessons.translations): ids
unique across modules, every question with an id, feedback and a
tag, each question tagged with one of its module's objectives, general-feedback links to
lesson sections that exist, enough questions for the quiz to draw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from camp.formats.gift import GiftQuestion, GiftSyntaxError, parse_gift
from camp.formats.lesson_file import (
    QUESTIONS_FILE,
    ContentError,
    ContentProblem,
    LessonFile,
    discover_modules,
    parse_lesson,
)
from camp.formats.markdown import RenderedMarkdown, render_markdown
from camp.lessons.translations import TRANSLATED_LOCALES, Translation, read_translation

MODULE_CATEGORY_ROOT = "Modules"
SECTION_LINK = re.compile(r"\]\(#([^)\s]+)\)")


@dataclass(frozen=True)
class ModuleContent:
    folder: Path
    lesson: LessonFile
    rendered: RenderedMarkdown
    questions: list[GiftQuestion]
    # By locale (camp.locales): the module's lesson and bank in that language, checked
    # against the English ones (camp.lessons.translations).
    translations: dict[str, Translation] = field(default_factory=dict)

    @property
    def category_path(self) -> str:
        return f"{MODULE_CATEGORY_ROOT}/{self.lesson.slug}"


def module_category_path(slug: str) -> str:
    return f"{MODULE_CATEGORY_ROOT}/{slug}"


def _read_questions(path: Path, category: str) -> tuple[list[GiftQuestion], list[ContentProblem]]:
    try:
        return parse_gift(path.read_bytes(), category=category), []
    except GiftSyntaxError as error:
        return [], [ContentProblem(str(path), e.line, e.message) for e in error.errors]
    except OSError as error:
        return [], [ContentProblem(str(path), 0, f"cannot read the file: {error.strerror}")]


def _has_feedback(question: GiftQuestion) -> bool:
    if question.general_feedback.strip():
        return True
    spec = question.spec
    answers = spec.get("options") or spec.get("answers") or []
    return any(str(a.get("feedback", "")).strip() for a in answers if isinstance(a, dict))


def _check_module(module: ModuleContent) -> list[ContentProblem]:
    problems: list[ContentProblem] = []
    path = str(module.folder / QUESTIONS_FILE)
    objective_tags = {o.tag for o in module.lesson.front.objectives}
    anchors = {entry.anchor for entry in module.rendered.toc}
    for q in module.questions:
        where = q.id or "this question"
        if not q.id:
            problems.append(ContentProblem(path, q.line, "the question has no [id:...] comment"))
        if not q.tags:
            problems.append(ContentProblem(path, q.line, f"{where} has no [tag:...]"))
        elif not objective_tags & set(q.tags):
            problems.append(
                ContentProblem(
                    path,
                    q.line,
                    f"{where} is tagged with none of the module's objectives "
                    f"({', '.join(sorted(objective_tags))})",
                )
            )
        if not _has_feedback(q):
            problems.append(ContentProblem(path, q.line, f"{where} has no feedback"))
        for anchor in SECTION_LINK.findall(q.general_feedback):
            if anchor not in anchors:
                problems.append(
                    ContentProblem(
                        path, q.line, f"{where} links to #{anchor}, not a lesson section"
                    )
                )
    wanted = module.lesson.front.quiz.questions
    if len(module.questions) < wanted:
        problems.append(
            ContentProblem(
                str(module.lesson.path),
                0,
                f"the quiz draws {wanted} questions but the bank holds {len(module.questions)}",
            )
        )
    return problems


def check_content(root: Path) -> list[ModuleContent]:
    """Parse and check every module under `root`; ContentError lists every problem."""
    folders = discover_modules(root)
    modules: list[ModuleContent] = []
    problems: list[ContentProblem] = []
    for folder in folders:
        try:
            lesson = parse_lesson(folder)
        except ContentError as error:
            problems.extend(error.problems)
            lesson = None
        category = module_category_path(folder.name[3:])
        questions, gift_problems = _read_questions(folder / QUESTIONS_FILE, category)
        problems.extend(gift_problems)
        if lesson is None:
            continue
        module = ModuleContent(folder, lesson, render_markdown(lesson.body), questions)
        problems.extend(_check_module(module))
        anchors = {entry.anchor for entry in module.rendered.toc}
        for locale in TRANSLATED_LOCALES:
            translation, found = read_translation(
                folder, locale, lesson, questions, anchors, category
            )
            problems.extend(found)
            if translation is not None:
                module.translations[locale] = translation
        modules.append(module)
    seen: dict[str, str] = {}
    for module in modules:
        path = str(module.folder / QUESTIONS_FILE)
        for q in module.questions:
            if not q.id:
                continue
            if q.id in seen:
                problems.append(
                    ContentProblem(path, q.line, f"the id {q.id} is already used in {seen[q.id]}")
                )
            else:
                seen[q.id] = f"{path}:{q.line}"
    if problems:
        raise ContentError(problems)
    return modules
