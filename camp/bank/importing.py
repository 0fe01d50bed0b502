"""Importing read questions into the bank, whatever file they came from (GIFT, Moodle XML):
plan what importing would do (create, update, leave alone, restore), and apply the plan all
or nothing. Problems carry the file's line numbers. A question's id (GIFT's `[id:...]`,
Moodle's `<idnumber>`) finds the question it updates.

Moodle XML's category records come too: `apply_import` gives each category its description
and id number before the questions land (`services.describe_category`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from sqlalchemy import select

from camp.accounts.identity import CampUser
from camp.bank import services
from camp.bank.models import Question, QuestionVersion
from camp.bank.question_files import check_files, files_of
from camp.bank.services import BankError, QuestionContent, QuestionDraft
from camp.extensions import db
from camp.formats.moodle_xml_question import EmbeddedFile, MoodleCategory, MoodleQuestion

Action = Literal["create", "update", "unchanged", "restore"]


@dataclass(frozen=True)
class ImportProblem:
    line: int
    message: str


class BankImportError(BankError):
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


class ImportedQuestion(QuestionContent, Protocol):
    """A question read from a file (`GiftQuestion`, `MoodleQuestion`): a question's content
    (`services.QuestionContent`), where it was read, its id, tags and category."""

    @property
    def line(self) -> int: ...
    @property
    def id(self) -> str | None: ...
    @property
    def tags(self) -> list[str]: ...
    @property
    def category(self) -> str | None: ...


def draft_of(question: ImportedQuestion) -> QuestionDraft:
    """The draft a read question saves as; a Moodle XML question's embedded files go with
    it (see `QuestionDraft.files`)."""
    files: tuple[EmbeddedFile, ...] = ()
    if isinstance(question, MoodleQuestion):
        files = question.files
    return services.draft_from(question, question.tags, files)


def _category_of(question: ImportedQuestion, default: str | None) -> str:
    return services.normalise_category_path(
        question.category or default or services.DEFAULT_CATEGORY
    )


def _category_problems(categories: Sequence[MoodleCategory]) -> list[ImportProblem]:
    """Category id numbers given to two categories, in the file or with the bank's."""
    problems: list[ImportProblem] = []
    claimed: dict[str, str] = {}
    for record in categories:
        if record.idnumber is None or not record.path:
            continue
        path = services.normalise_category_path(record.path)
        holder = services.category_by_idnumber(record.idnumber)
        other = claimed.setdefault(record.idnumber, path)
        if other != path:
            problems.append(
                ImportProblem(record.line, services.idnumber_taken(record.idnumber, other))
            )
        elif holder is not None and holder.path != path:
            message = services.idnumber_taken(record.idnumber, holder.path)
            problems.append(ImportProblem(record.line, message))
    return problems


def plan_import(
    questions: Sequence[ImportedQuestion],
    *,
    category: str | None = None,
    categories: Sequence[MoodleCategory] = (),
) -> list[PlannedQuestion]:
    """What importing would do, question by question; writes nothing."""
    problems = [
        ImportProblem(q.line, problem) for q in questions for problem in draft_of(q).problems()
    ]
    problems += [  # the embedded files' own lines (camp.bank.question_files)
        ImportProblem(line, message)
        for q in questions
        for line, message in check_files(draft_of(q).incoming_files())
    ]
    problems += _category_problems(categories)
    if problems:
        raise BankImportError(sorted(problems, key=lambda problem: problem.line))
    uids = [q.id for q in questions if q.id]
    existing: dict[str, tuple[Question, QuestionVersion]] = {}
    if uids:
        rows = db.session.execute(
            select(Question, QuestionVersion)
            .join(QuestionVersion, services.is_current_version())
            .where(Question.uid.in_(uids))
        ).all()
        existing = {question.uid: (question, version) for question, version in rows}
    drafts = [draft_of(q) for q in questions]
    stored = files_of(  # what the versions that files come for see, in one query
        existing[q.id][1].id
        for q, draft in zip(questions, drafts, strict=True)
        if q.id in existing and draft.files
    )
    plan: list[PlannedQuestion] = []
    for q, draft in zip(questions, drafts, strict=True):
        action: Action = "create"
        if q.id and q.id in existing:
            question, version = existing[q.id]
            seen = stored[version.id] if draft.files else None
            changed = services.version_content_key(version, seen) != draft.content_key()
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


def _describe(categories: Sequence[MoodleCategory]) -> None:
    for record in categories:
        if not record.path:
            continue
        try:
            target = services.ensure_category(record.path)
            services.describe_category(
                target, info=record.info, info_format=record.info_format, idnumber=record.idnumber
            )
        except BankError as error:
            raise BankImportError([ImportProblem(record.line, str(error))]) from None


def apply_import(
    questions: Sequence[ImportedQuestion],
    *,
    category: str | None = None,
    author: CampUser | None = None,
    categories: Sequence[MoodleCategory] = (),
) -> list[PlannedQuestion]:
    """Import every question (and category record) or none: the caller commits on success,
    rolls back on error."""
    plan = plan_import(questions, category=category, categories=categories)
    _describe(categories)
    for q, planned in zip(questions, plan, strict=True):
        target = services.ensure_category(planned.category)
        draft = draft_of(q)
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
            raise BankImportError([ImportProblem(q.line, str(error))]) from None
    return plan
