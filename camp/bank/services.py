"""Question bank operations: categories, creating and revising questions, retiring them.

Shared by the authoring views, `camp bank import`, and the lesson content loader. Functions
flush but never commit; a caller that gets an error rolls back.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from flask_babel import gettext as _  # type: ignore[import-untyped]
from sqlalchemy import ColumnElement, select

from camp.accounts.identity import CampUser
from camp.bank.errors import BankError
from camp.bank.extras import check_extras
from camp.bank.models import Category, Question, QuestionTag, QuestionVersion
from camp.bank.question_files import IncomingFile, attach_files, file_digests, files_of
from camp.bank.question_types import REGISTRY, get_type
from camp.bank.types.base import MAX_TEXT
from camp.extensions import db
from camp.formats.moodle_xml_question import EmbeddedFile

DEFAULT_CATEGORY = "Default"
TEXT_FORMATS = ("moodle", "html", "markdown", "plain")
MAX_TAG = 100
MAX_UID = 100


@dataclass(frozen=True)
class QuestionDraft:
    """The editable content of a question: what one version holds, plus tags.

    `files` are the files a Moodle XML import found embedded in the question's texts
    (referred to as `@@PLUGINFILE@@/name`): `create_question` and `revise_question` store
    them with the new version (camp.bank.question_files), and they are part of the content
    key, so that a changed file makes a version. A draft without files (an edit in the
    form) keeps the files its question's earlier versions had."""

    type: str
    text: str
    spec: dict[str, Any]
    title: str = ""
    text_format: str = "moodle"
    general_feedback: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)
    extras: dict[str, Any] = field(default_factory=dict)
    files: tuple[EmbeddedFile, ...] = ()

    def problems(self) -> list[str]:
        """Everything wrong with this draft, checked by the same rules as every entry path."""
        if self.type not in REGISTRY:
            return [_("Unknown question type %(name)s.", name=repr(self.type))]
        problems: list[str] = []
        if not self.text.strip() and get_type(self.type).needs_text:
            problems.append(_("Write the question text."))
        if len(self.text) > MAX_TEXT or len(self.general_feedback) > MAX_TEXT:
            problems.append(_("Texts are limited to %(n)s characters.", n=MAX_TEXT))
        if len(self.title) > 255:
            problems.append(_("Use at most 255 characters for the title."))
        if self.text_format not in TEXT_FORMATS:
            problems.append(_("Unknown text format %(name)s.", name=repr(self.text_format)))
        for tag in self.tags:
            if not tag.strip() or len(tag) > MAX_TAG:
                problems.append(_("Tags must be 1 to %(n)s characters.", n=MAX_TAG))
                break
        problems.extend(get_type(self.type).validate(self.spec))
        problems.extend(check_extras(self.extras))
        return problems

    def content_key(self) -> str:
        """A canonical form of the versioned content (tags are not versioned)."""
        return _content_key(self, file_digests((f.name, f.data) for f in self.files))

    def incoming_files(self) -> list[IncomingFile]:
        return [IncomingFile(f.name, f.data, f.line) for f in self.files]


def _content_key(content: QuestionContent, files: list[tuple[str, str]] | None = None) -> str:
    fields: list[Any] = [content.type, content.title, content.text, content.text_format]
    fields.append(content.spec)
    fields.append(content.general_feedback)
    if content.extras:  # (no extras: the key questions had before there were any)
        fields.append(content.extras)
    if files:  # (and none: the key questions had before there were files)
        fields.append(files)
    return json.dumps(fields, sort_keys=True, default=str)


def version_content_key(
    version: QuestionVersion, files: Iterable[tuple[str, bytes]] | None = None
) -> str:
    """The version's content key; with `files` (those it sees, `files_of`) to compare with
    a draft that brings files."""
    return _content_key(version, file_digests(files) if files is not None else None)


def normalise_category_path(path: str) -> str:
    parts = [" ".join(part.split()) for part in path.split("/")]
    parts = [part for part in parts if part]
    return "/".join(parts) or DEFAULT_CATEGORY


def ensure_category(path: str) -> Category:
    """The category at `path`, creating it and its parents as needed."""
    path = normalise_category_path(path)
    wanted = ["/".join(path.split("/")[: i + 1]) for i in range(path.count("/") + 1)]
    existing = {
        c.path: c for c in db.session.scalars(select(Category).where(Category.path.in_(wanted)))
    }
    parent: Category | None = None
    for prefix in wanted:
        category = existing.get(prefix)
        if category is None:
            if len(prefix) > 1000:
                raise BankError(_("Category paths are limited to 1000 characters."))
            category = Category(
                path=prefix, name=prefix.rsplit("/", 1)[-1], parent_id=parent.id if parent else None
            )
            db.session.add(category)
            db.session.flush()
        parent = category
    assert parent is not None
    return parent


def describe_category(
    category: Category, *, info: str, info_format: str, idnumber: str | None
) -> None:
    """Set a category's Moodle description and id number: an empty `info` or a None
    `idnumber` leaves the one it has (as Moodle's import does)."""
    if info.strip():
        category.info, category.info_format = info, info_format
    if idnumber is not None and idnumber != category.idnumber:
        holder = category_by_idnumber(idnumber)
        if holder is not None:
            raise BankError(idnumber_taken(idnumber, holder.path))
        category.idnumber = idnumber
    db.session.flush()


def idnumber_taken(idnumber: str, path: str) -> str:
    return _(
        "The category id number %(idnumber)s is already used by the category %(path)s.",
        idnumber=repr(idnumber),
        path=path,
    )


def category_by_idnumber(idnumber: str) -> Category | None:
    return db.session.scalar(select(Category).where(Category.idnumber == idnumber))


def category_subtree_ids(path: str) -> list[int]:
    path = normalise_category_path(path)
    return list(
        db.session.scalars(
            select(Category.id).where(
                (Category.path == path) | Category.path.startswith(path + "/")
            )
        )
    )


def new_uid() -> str:
    return "q-" + secrets.token_hex(5)


def find_question(uid: str) -> Question | None:
    return db.session.scalar(select(Question).where(Question.uid == uid))


def is_current_version() -> ColumnElement[bool]:
    """The join condition of a question and its current version (the latest)."""
    return (QuestionVersion.question_id == Question.id) & (
        QuestionVersion.number == Question.version_count
    )


def current_version(question: Question) -> QuestionVersion:
    version = db.session.scalar(
        select(QuestionVersion).where(
            QuestionVersion.question_id == question.id,
            QuestionVersion.number == question.version_count,
        )
    )
    assert version is not None, f"question {question.uid} has no current version"
    return version


def _check(draft: QuestionDraft) -> None:
    problems = draft.problems()
    if problems:
        raise BankError(" ".join(problems))


def _set_tags(question: Question, tags: Iterable[str]) -> None:
    wanted = list(dict.fromkeys(t.strip() for t in tags if t.strip()))
    current = {t.tag: t for t in question.tags}
    for tag in list(current):
        if tag not in wanted:
            question.tags.remove(current[tag])
    for tag in wanted:
        if tag not in current:
            question.tags.append(QuestionTag(tag=tag))


def _add_version(
    question: Question, draft: QuestionDraft, number: int, author: CampUser | None
) -> QuestionVersion:
    version = QuestionVersion(
        question_id=question.id,
        number=number,
        type=draft.type,
        title=draft.title,
        text=draft.text,
        text_format=draft.text_format,
        spec=draft.spec,
        general_feedback=draft.general_feedback,
        extras=draft.extras,
        created_by_id=author.id if author else None,
    )
    db.session.add(version)
    return version


def create_question(
    draft: QuestionDraft,
    *,
    category: Category,
    uid: str | None = None,
    author: CampUser | None = None,
) -> Question:
    _check(draft)
    uid = (uid or "").strip() or new_uid()
    if len(uid) > MAX_UID:
        raise BankError(_("Question ids are limited to %(n)s characters.", n=MAX_UID))
    if find_question(uid) is not None:
        raise BankError(_("A question with the id %(uid)s already exists.", uid=repr(uid)))
    question = Question(uid=uid, category_id=category.id, version_count=1, retired=False)
    db.session.add(question)
    db.session.flush()
    _set_tags(question, draft.tags)
    version = _add_version(question, draft, 1, author)
    db.session.flush()
    attach_files(version, draft.incoming_files())
    return question


def revise_question(
    question: Question, draft: QuestionDraft, *, author: CampUser | None = None
) -> QuestionVersion | None:
    """Save an edit: a new version when the content changed (None when only tags changed)."""
    _check(draft)
    _set_tags(question, draft.tags)
    current = current_version(question)
    seen = files_of([current.id])[current.id] if draft.files else None
    if version_content_key(current, seen) == draft.content_key():
        db.session.flush()
        return None
    question.version_count += 1
    version = _add_version(question, draft, question.version_count, author)
    db.session.flush()
    attach_files(version, draft.incoming_files())
    return version


def set_retired(question: Question, retired: bool) -> None:
    """Retired questions are left out of new quizzes and kept for past attempts."""
    question.retired = retired
    db.session.flush()


def move_question(question: Question, category: Category) -> None:
    question.category_id = category.id
    db.session.flush()


class QuestionContent(Protocol):
    """Anything with a question's versioned fields: a version row, a draft, a parsed GIFT
    or Moodle XML question (read-only)."""

    @property
    def type(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def spec(self) -> dict[str, Any]: ...
    @property
    def title(self) -> str: ...
    @property
    def text_format(self) -> str: ...
    @property
    def general_feedback(self) -> str: ...
    @property
    def extras(self) -> dict[str, Any]: ...


def draft_from(
    content: QuestionContent, tags: Iterable[str], files: tuple[EmbeddedFile, ...] = ()
) -> QuestionDraft:
    return QuestionDraft(
        type=content.type,
        text=content.text,
        spec=content.spec,
        title=content.title,
        text_format=content.text_format,
        general_feedback=content.general_feedback,
        tags=tuple(tags),
        extras=content.extras,
        files=files,
    )


def draft_from_version(version: QuestionVersion, tags: Iterable[str]) -> QuestionDraft:
    return draft_from(version, tags)
