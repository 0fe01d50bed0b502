"""Questions in another language, in and out of the bank. Owns storing a translation:
every `QuestionTranslation` row is written here, whether it comes from a module's
`questions.<locale>.gift` (`camp content load`, camp.lessons.loader) or from a file given
to `camp bank import --lang`; also checks such a file against the bank's English (the rule
of camp.bank.translation_check) and exports the translations as GIFT
(`camp bank export --lang`).

A translation belongs to the question version it translates, always the current one when
stored; a corrected translation replaces the old one in place (the English, and so every
answer key, is unchanged). Functions flush but never commit: the caller commits, or rolls
back on an error.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from camp.bank import services
from camp.bank.gift_io import (
    GiftImportError,
    ImportProblem,
    draft_from_gift,
    export_query,
    gift_question,
)
from camp.bank.models import Question, QuestionVersion
from camp.bank.services import QuestionContent
from camp.bank.translation_check import disagreements
from camp.bank.translation_models import QuestionTranslation
from camp.extensions import db
from camp.formats.gift import GiftQuestion, write_gift

TranslationAction = Literal["created", "updated", "unchanged"]
# What a translation holds of a question version: its text fields and its spec.
FIELDS = ("title", "text", "text_format", "spec", "general_feedback")


def translation_fields(content: QuestionContent | QuestionTranslation) -> dict[str, Any]:
    """What a translation holds, from a translated question or a stored translation."""
    return {name: getattr(content, name) for name in FIELDS}


def current_version_ids(uids: Iterable[str]) -> dict[str, int]:
    """The id of the current version of each question with one of these ids: one query."""
    rows = db.session.execute(
        select(Question.uid, QuestionVersion.id)
        .join(QuestionVersion, services.is_current_version())
        .where(Question.uid.in_(list(uids)))
    ).all()
    return {uid: version_id for uid, version_id in rows}


@dataclasses.dataclass(frozen=True)
class _Planned:
    version_id: int
    fields: dict[str, Any]
    row: QuestionTranslation | None
    action: TranslationAction


def _plan(locale: str, translations: Mapping[int, QuestionContent]) -> list[_Planned]:
    stored = {
        row.question_version_id: row
        for row in db.session.scalars(
            select(QuestionTranslation).where(
                QuestionTranslation.question_version_id.in_(list(translations)),
                QuestionTranslation.locale == locale,
            )
        )
    }
    plan = []
    for version_id, content in translations.items():
        fields = translation_fields(content)
        row = stored.get(version_id)
        action: TranslationAction = "created"
        if row is not None:
            same = all(getattr(row, name) == value for name, value in fields.items())
            action = "unchanged" if same else "updated"
        plan.append(_Planned(version_id, fields, row, action))
    return plan


def plan_translations(
    locale: str, translations: Mapping[int, QuestionContent]
) -> list[TranslationAction]:
    """What `store_translations` would do, version by version; writes nothing."""
    return [planned.action for planned in _plan(locale, translations)]


def store_translations(
    locale: str, translations: Mapping[int, QuestionContent]
) -> list[TranslationAction]:
    """Add or correct the translation into `locale` of each question version (keyed by its
    id), changing only what differs; one query for the translations already stored."""
    plan = _plan(locale, translations)
    for planned in plan:
        if planned.row is None:
            key = {"question_version_id": planned.version_id, "locale": locale}
            db.session.add(QuestionTranslation(**key, **planned.fields))
        elif planned.action == "updated":
            for name, value in planned.fields.items():
                if getattr(planned.row, name) != value:
                    setattr(planned.row, name, value)
    db.session.flush()
    return [planned.action for planned in plan]


def check_translation(questions: Sequence[GiftQuestion]) -> dict[int, GiftQuestion]:
    """The translated questions of a file, keyed by the id of the current version each
    translates, once every one names a question of the bank (retired or not) by its
    `[id:...]` and agrees with its English; otherwise `GiftImportError` with every problem
    at its line. One query for the English (and one for their tags)."""
    uids = [q.id for q in questions if q.id]
    english = {
        question.uid: (question, version)
        for question, version in db.session.execute(
            select(Question, QuestionVersion)
            .join(QuestionVersion, services.is_current_version())
            .where(Question.uid.in_(uids))
            .options(selectinload(Question.tags))
        ).all()
    }
    problems: list[ImportProblem] = []
    found: dict[int, GiftQuestion] = {}
    for translated in questions:
        if not translated.id:
            message = "a translation needs the [id:...] of the question it translates"
            problems.append(ImportProblem(translated.line, message))
            continue
        if translated.id not in english:
            message = f"no question in the bank has the id {translated.id!r}"
            problems.append(ImportProblem(translated.line, message))
            continue
        question, version = english[translated.id]
        messages = draft_from_gift(translated).problems()
        messages += disagreements(version, question.tag_names, translated)
        problems.extend(ImportProblem(translated.line, message) for message in messages)
        found[version.id] = translated
    if problems:
        raise GiftImportError(problems)
    return found


def export_translations(
    locale: str, category: str | None = None, *, include_retired: bool = False
) -> tuple[str, int]:
    """The translations into `locale` of the current versions in a category subtree (all
    when None) as GIFT, with the English question's id, tags and category; and how many
    questions were left out for want of one (`GiftWriteError` if one cannot be written)."""
    english = export_query(category, include_retired=include_retired)
    query = english.add_columns(QuestionTranslation).outerjoin(
        QuestionTranslation,
        (QuestionTranslation.question_version_id == QuestionVersion.id)
        & (QuestionTranslation.locale == locale),
    )
    rows = db.session.execute(query).all()
    translated = [
        dataclasses.replace(gift_question(question, version, path), **translation_fields(row))
        for question, version, path, row in rows
        if row is not None
    ]
    return write_gift(translated), len(rows) - len(translated)
