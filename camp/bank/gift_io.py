"""Moving banks in and out as GIFT: plan an import (what will be created, updated, left
alone), apply it all-or-nothing, and export a category subtree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from flask_babel import gettext as _  # type: ignore[import-untyped]
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from camp.accounts.identity import CampUser
from camp.bank import services
from camp.bank.models import Category, Question, QuestionVersion
from camp.bank.services import BankError, QuestionDraft
from camp.extensions import db
from camp.formats.gift import GiftQuestion, GiftSyntaxError, parse_gift, write_gift
from camp.security import CONTROL_CHARACTER

Action = Literal["create", "update", "unchanged", "restore"]

# camp.security.CONTROL_CHARACTER: what it strips from form fields. PostgreSQL cannot
# store NUL and none of them belongs in a question. A file holding one is refused rather
# than cleaned, so that what the preview showed is what gets imported.
# A file saved as UTF-16 has one on every line: name a few, not hundreds.
MAX_CONTROL_LINES = 10


@dataclass(frozen=True)
class ImportProblem:
    line: int
    message: str


class GiftImportError(BankError):
    """The file cannot be imported; nothing was written. `problems` carry line numbers."""

    def __init__(self, problems: Sequence[ImportProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(f"line {p.line}: {p.message}" for p in self.problems))

    def lines_for(self, filename: str) -> list[str]:
        return [f"{filename}:{p.line}: {p.message}" for p in self.problems]


@dataclass(frozen=True)
class PlannedQuestion:
    line: int
    uid: str | None
    action: Action
    type: str
    title: str
    category: str


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
    return services.draft_from(question, question.tags)


def _category_of(question: GiftQuestion, default: str | None) -> str:
    return services.normalise_category_path(
        question.category or default or services.DEFAULT_CATEGORY
    )


def plan_import(
    questions: Sequence[GiftQuestion], *, category: str | None = None
) -> list[PlannedQuestion]:
    """What importing would do, question by question; writes nothing."""
    problems = [
        ImportProblem(q.line, problem)
        for q in questions
        for problem in draft_from_gift(q).problems()
    ]
    if problems:
        raise GiftImportError(problems)
    uids = [q.id for q in questions if q.id]
    existing: dict[str, tuple[Question, QuestionVersion]] = {}
    if uids:
        rows = db.session.execute(
            select(Question, QuestionVersion)
            .join(QuestionVersion, services.is_current_version())
            .where(Question.uid.in_(uids))
        ).all()
        existing = {question.uid: (question, version) for question, version in rows}
    plan: list[PlannedQuestion] = []
    for q in questions:
        action: Action = "create"
        if q.id and q.id in existing:
            question, version = existing[q.id]
            changed = services.version_content_key(version) != draft_from_gift(q).content_key()
            action = "restore" if question.retired else "update" if changed else "unchanged"
        plan.append(
            PlannedQuestion(
                line=q.line,
                uid=q.id,
                action=action,
                type=q.type,
                title=q.title or q.text[:60],
                category=_category_of(q, category),
            )
        )
    return plan


def apply_import(
    questions: Sequence[GiftQuestion],
    *,
    category: str | None = None,
    author: CampUser | None = None,
) -> list[PlannedQuestion]:
    """Import every question or none: the caller commits on success, rolls back on error."""
    plan = plan_import(questions, category=category)
    for q, planned in zip(questions, plan, strict=True):
        target = services.ensure_category(planned.category)
        draft = draft_from_gift(q)
        try:
            if planned.action == "create":
                services.create_question(draft, category=target, uid=q.id, author=author)
                continue
            question = services.find_question(q.id or "")
            assert question is not None
            services.revise_question(question, draft, author=author)
            if question.category_id != target.id:
                services.move_question(question, target)
            if question.retired:
                services.set_retired(question, False)
        except BankError as error:
            raise GiftImportError([ImportProblem(q.line, str(error))]) from None
    return plan


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
