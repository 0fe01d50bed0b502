"""Moving banks in and out as GIFT: read a GIFT file for an import (planned and applied by
`camp.bank.importing`, whose names are re-exported here), and export a category subtree.
"""

from __future__ import annotations

from flask_babel import gettext as _  # type: ignore[import-untyped]
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from camp.bank import services
from camp.bank.importing import (
    BankImportError,
    ImportProblem,
    PlannedQuestion,
    apply_import,
    draft_of,
    plan_import,
)
from camp.bank.models import Category, Question, QuestionVersion
from camp.bank.services import QuestionDraft
from camp.extensions import db
from camp.formats.gift import GiftQuestion, GiftSyntaxError, parse_gift, write_gift
from camp.security import CONTROL_CHARACTER

__all__ = [
    "BankImportError",
    "GiftImportError",
    "ImportProblem",
    "PlannedQuestion",
    "apply_import",
    "control_character_problems",
    "draft_from_gift",
    "export_gift",
    "export_query",
    "gift_question",
    "plan_import",
    "read_gift",
]

# camp.security.CONTROL_CHARACTER: what it strips from form fields. PostgreSQL cannot
# store NUL and none of them belongs in a question. A file holding one is refused rather
# than cleaned, so that what the preview showed is what gets imported.
# A file saved as UTF-16 has one on every line: name a few, not hundreds.
MAX_CONTROL_LINES = 10
# The error of an import that writes nothing, by its older name (the same class).
GiftImportError = BankImportError


def read_gift(source: str | bytes, *, category: str | None = None) -> list[GiftQuestion]:
    """Parse a GIFT file; a control character, every syntax or validation problem
    becomes a GiftImportError."""
    problems = control_character_problems(source)
    if problems:
        raise GiftImportError(problems)
    try:
        questions = parse_gift(source, category=category)
    except GiftSyntaxError as error:
        # str(): the parser's messages are lazy; shown now, in this request's language.
        problems = [ImportProblem(e.line, str(e.message)) for e in error.errors]
        raise GiftImportError(problems) from None
    if not questions:
        raise GiftImportError([ImportProblem(1, _("the file holds no questions"))])
    return questions


def control_character_problems(source: str | bytes) -> list[ImportProblem]:
    """One problem per line holding a control character (see `CONTROL_CHARACTER`), numbered as
    the GIFT parser numbers lines; none for a file that is not UTF-8 (the parser says so)."""
    if isinstance(source, bytes | bytearray):
        try:
            source = bytes(source).decode("utf-8-sig")
        except UnicodeDecodeError:
            return []
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found = [
        (n, m.group()) for n, line in enumerate(lines, 1) if (m := CONTROL_CHARACTER.search(line))
    ]
    problems = [ImportProblem(n, _control_message(char)) for n, char in found]
    if len(problems) > MAX_CONTROL_LINES:
        more = len(problems) - MAX_CONTROL_LINES
        problems = problems[:MAX_CONTROL_LINES]
        rest = _("%(n)s more lines from here on hold control characters too", n=more)
        problems.append(ImportProblem(found[MAX_CONTROL_LINES][0], rest))
    return problems


def _control_message(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if char == "\x00":  # UTF-16 text of Latin letters reads as UTF-8 with NULs between
        return _(
            "a control character (%(code)s) cannot be imported; remove it and save the file "
            "again (if the file was saved as UTF-16, save it as UTF-8)",
            code=code,
        )
    return _(
        "a control character (%(code)s) cannot be imported; remove it and save the file again",
        code=code,
    )


def draft_from_gift(question: GiftQuestion) -> QuestionDraft:
    return draft_of(question)


def gift_question(question: Question, version: QuestionVersion, category: str) -> GiftQuestion:
    return GiftQuestion(
        line=0,
        type=version.type,
        text=version.text,
        text_format=version.text_format,
        title=version.title,
        id=question.uid,
        tags=question.tag_names,
        category=category,
        spec=version.spec,
        general_feedback=version.general_feedback,
    )


def export_query(
    category: str | None, *, include_retired: bool
) -> Select[Question, QuestionVersion, str]:
    """Every question of a category subtree (all when None) with its current version and
    its category's path, in the order an export writes them."""
    query = (
        select(Question, QuestionVersion, Category.path)
        .join(QuestionVersion, services.is_current_version())
        .join(Category, Category.id == Question.category_id)
        .options(selectinload(Question.tags))
        .order_by(Category.path, Question.id)
    )
    if category is not None:
        query = query.where(Question.category_id.in_(services.category_subtree_ids(category)))
    if not include_retired:
        query = query.where(Question.retired.is_(False))
    return query


def export_gift(category: str | None = None, *, include_retired: bool = False) -> str:
    """The current version of every question in a category subtree (all when None) as GIFT."""
    rows = db.session.execute(export_query(category, include_retired=include_retired)).all()
    return write_gift(gift_question(q, v, path) for q, v, path in rows)
