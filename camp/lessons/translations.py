"""A module's translations (`lesson.<locale>.md`, `questions.<locale>.gift` beside the
English files) checked against the English, so that a student's score never depends on
the language they read the quiz in.

A translated bank must have the same questions in the same order, each with the same id,
type and tags, the same number of options, answers and pairs in the same order, the same
weights, true/false answer, numbers and tolerances: only text may differ (the rule
camp.bank.translation_check owns, which `camp bank import --lang` applies too). A
translated lesson's front matter may differ only in its text (title, summary, objective
texts, the quiz title, and sources, which may add pages in that language); its
general-feedback links must point at headings of the translated lesson. Every
disagreement is a `ContentProblem` with the translation's path and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from camp.bank.translation_check import disagreements
from camp.formats.gift import GiftSyntaxError, parse_gift
from camp.formats.gift_question import GiftQuestion
from camp.formats.lesson_file import ContentError, ContentProblem, LessonFile, parse_lesson
from camp.formats.markdown import RenderedMarkdown, render_markdown

# Translations Camp reads, by locale (camp.locales) and the suffix of their file names.
TRANSLATED_LOCALES = {"zh_Hans": "zh-Hans"}
SECTION_LINK = re.compile(r"\]\(#([^)\s]+)\)")


@dataclass(frozen=True)
class Translation:
    """One language's lesson and bank of a module (either may be missing: English then)."""

    locale: str
    lesson: LessonFile | None
    rendered: RenderedMarkdown | None
    questions: list[GiftQuestion] | None


def lesson_file_name(locale: str) -> str:
    return f"lesson.{TRANSLATED_LOCALES[locale]}.md"


def questions_file_name(locale: str) -> str:
    return f"questions.{TRANSLATED_LOCALES[locale]}.gift"


def _check_front(english: LessonFile, translated: LessonFile) -> list[ContentProblem]:
    path, problems = str(translated.path), []
    mine, theirs = english.front, translated.front
    if [o.tag for o in mine.objectives] != [o.tag for o in theirs.objectives]:
        problems.append("the objectives' tags or their order differ from the English")
    if mine.minutes != theirs.minutes:
        problems.append(f"minutes: {mine.minutes} in English, {theirs.minutes} here")
    if replace(mine.quiz, title="") != replace(theirs.quiz, title=""):
        problems.append("the quiz settings differ from the English (only its title may)")
    if mine.glossary != theirs.glossary:
        problems.append("the glossary differs from the English lesson's (keep one, the same)")
    return [ContentProblem(path, 1, message) for message in problems]


def _check_bank(
    english: list[GiftQuestion],
    translated: list[GiftQuestion],
    path: str,
    anchors: set[str],
) -> list[ContentProblem]:
    problems: list[ContentProblem] = []
    ours = [q.id for q in english]
    theirs = [q.id for q in translated]
    if ours != theirs:
        missing = [i for i in ours if i not in theirs]
        extra = [i for i in theirs if i not in ours]
        message = "the questions differ from the English bank"
        details = [f"missing {', '.join(map(str, missing))}"] if missing else []
        details += [f"not in English {', '.join(map(str, extra))}"] if extra else []
        details = details or ["the same ids in another order"]
        problems.append(ContentProblem(path, 1, f"{message}: {'; '.join(details)}"))
    by_id = {q.id: q for q in english}
    for question in translated:
        source = by_id.get(question.id)
        if source is None:
            continue
        for message in disagreements(source, source.tags, question):
            problems.append(ContentProblem(path, question.line, message))
        where = question.id or "this question"
        for anchor in SECTION_LINK.findall(question.general_feedback):
            if anchor not in anchors:
                problems.append(
                    ContentProblem(
                        path, question.line, f"{where} links to #{anchor}, not a lesson section"
                    )
                )
    return problems


def read_translation(
    folder: Path,
    locale: str,
    english: LessonFile,
    english_questions: list[GiftQuestion],
    english_anchors: set[str],
    category: str,
) -> tuple[Translation | None, list[ContentProblem]]:
    """The module's translation into `locale` if it has one, and its problems."""
    lesson_path, bank_path = folder / lesson_file_name(locale), folder / questions_file_name(locale)
    if not lesson_path.exists() and not bank_path.exists():
        return None, []
    problems: list[ContentProblem] = []
    lesson = rendered = None
    if lesson_path.exists():
        try:
            lesson = parse_lesson(lesson_path)
        except ContentError as error:
            problems.extend(error.problems)
        else:
            rendered = render_markdown(lesson.body)
            problems.extend(_check_front(english, lesson))
    questions = None
    if bank_path.exists():
        try:
            questions = parse_gift(bank_path.read_bytes(), category=category)
        except GiftSyntaxError as error:
            problems.extend(ContentProblem(str(bank_path), e.line, e.message) for e in error.errors)
        else:
            anchors = {e.anchor for e in rendered.toc} if rendered else english_anchors
            problems.extend(_check_bank(english_questions, questions, str(bank_path), anchors))
    return Translation(locale, lesson, rendered, questions), problems
