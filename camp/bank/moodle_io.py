"""Moving banks in and out as Moodle XML, and reading a bank file of either format for an
import (`camp bank import`, the upload screen): the format is the one asked for, or told by
the content (`looks_like_moodle_xml`: an XML declaration or a `<quiz>` root), else GIFT.

Embedded files: an import's questions carry theirs (`MoodleQuestion.files`, then
`QuestionDraft.files`, stored with the version by `camp.bank.question_files`); an export
writes each version's files (those it sees: its own and its question's earlier versions').
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _  # type: ignore[import-untyped]
from sqlalchemy import select

from camp.bank import services
from camp.bank.gift_io import export_query, read_gift
from camp.bank.importing import BankImportError, ImportedQuestion, ImportProblem
from camp.bank.models import Category, Question, QuestionVersion
from camp.bank.question_files import files_of
from camp.extensions import db
from camp.formats.moodle_xml import looks_like_moodle_xml, parse_moodle_xml
from camp.formats.moodle_xml_question import (
    MoodleCategory,
    MoodleQuestion,
    MoodleXmlError,
    SkippedQuestion,
)
from camp.formats.moodle_xml_write_types import BODIES
from camp.formats.moodle_xml_writer import write_moodle_xml

GIFT, MOODLE_XML = "gift", "moodle-xml"
FORMATS = (GIFT, MOODLE_XML)


@dataclass(frozen=True)
class BankFile:
    """A bank file read for an import: its format, questions, Moodle category records and
    the questions left out for their unknown types."""

    format: str
    questions: Sequence[ImportedQuestion]
    categories: Sequence[MoodleCategory] = ()
    skipped: Sequence[SkippedQuestion] = ()


def detect_format(source: str | bytes) -> str:
    return MOODLE_XML if looks_like_moodle_xml(source) else GIFT


def read_bank_file(
    source: str | bytes,
    *,
    fmt: str | None = None,
    category: str | None = None,
    skip_unknown: bool = False,
) -> BankFile:
    """A GIFT or Moodle XML file (`fmt`, or detected), read for an import; every problem
    becomes a `BankImportError`."""
    fmt = fmt or detect_format(source)
    if fmt == GIFT:
        return BankFile(GIFT, read_gift(source, category=category))
    try:
        read = parse_moodle_xml(source, category=category, skip_unknown=skip_unknown)
    except MoodleXmlError as error:
        # str(): the reader's messages are lazy; shown now, in this request's language.
        problems = [ImportProblem(issue.line, str(issue.message)) for issue in error.errors]
        raise BankImportError(problems) from None
    if not read.questions:
        raise BankImportError([ImportProblem(1, _("the file holds no questions"))])
    return BankFile(MOODLE_XML, read.questions, read.categories, read.skipped)


def skipped_message(skipped: SkippedQuestion) -> str:
    return _(
        "skipped question %(name)s of the type %(type)s, which Camp cannot read",
        name=repr(skipped.name),
        type=repr(skipped.moodle_type),
    )


def moodle_question(
    question: Question, version: QuestionVersion, category: str | None
) -> MoodleQuestion:
    return MoodleQuestion(
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
        extras=version.extras or {},
        moodle_type=BODIES[version.type][0] if version.type in BODIES else "",
    )


def _categories(category: str | None) -> list[MoodleCategory]:
    query = select(Category).order_by(Category.path)
    if category is not None:
        query = query.where(Category.id.in_(services.category_subtree_ids(category)))
    return [
        MoodleCategory(0, c.path, c.info, c.info_format, c.idnumber)
        for c in db.session.scalars(query)
    ]


def export_moodle_xml(category: str | None = None, *, include_retired: bool = False) -> str:
    """The current version of every question in a category subtree (all when None) as
    Moodle XML, under the subtree's category records; `MoodleWriteError` if one cannot be
    written."""
    rows = db.session.execute(export_query(category, include_retired=include_retired)).all()
    questions = [moodle_question(q, v, path) for q, v, path in rows]
    stored = files_of(v.id for _q, v, _path in rows)  # one query for every version's files
    by_uid = {q.uid: stored[v.id] for q, v, _path in rows}

    def files(question: MoodleQuestion) -> list[tuple[str, bytes]]:
        return by_uid.get(question.id or "", [])

    return write_moodle_xml(questions, _categories(category), files=files)
