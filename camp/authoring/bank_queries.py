"""Read-only queries behind the bank screens: the filtered, paginated question list, the
category tree, tags, and a question's versions. Each returns plain rows or dataclasses; the
list costs two queries plus one for tags, whatever the page size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import selectinload

from camp.accounts.models import User
from camp.bank.models import Category, Question, QuestionTag, QuestionVersion
from camp.bank.question_types import REGISTRY, get_type
from camp.extensions import db
from camp.formats.markdown import strip_to_text

PER_PAGE = 50
_CURRENT = (QuestionVersion.question_id == Question.id) & (
    QuestionVersion.number == Question.version_count
)


@dataclass(frozen=True)
class BankFilters:
    q: str = ""
    tag: str = ""
    category: str = ""
    include_retired: bool = False


@dataclass(frozen=True)
class BankRow:
    uid: str
    title: str
    type_label: str
    tags: list[str]
    version: int
    retired: bool
    category: str


@dataclass(frozen=True)
class BankPage:
    rows: list[BankRow]
    total: int
    page: int
    pages: int


@dataclass
class CategoryNode:
    path: str
    name: str
    children: list[CategoryNode] = field(default_factory=list)


def _filtered(query: Select[*tuple[Any, ...]], filters: BankFilters) -> Select[*tuple[Any, ...]]:
    query = query.join(QuestionVersion, _CURRENT).join(
        Category, Category.id == Question.category_id
    )
    conditions: list[ColumnElement[bool]] = []
    if not filters.include_retired:
        conditions.append(Question.retired.is_(False))
    if filters.tag:
        tagged = select(QuestionTag.question_id).where(QuestionTag.tag == filters.tag)
        conditions.append(Question.id.in_(tagged))
    if filters.category:
        conditions.append(
            or_(
                Category.path == filters.category,
                Category.path.startswith(filters.category + "/", autoescape=True),
            )
        )
    if filters.q:
        conditions.append(
            or_(
                QuestionVersion.title.icontains(filters.q, autoescape=True),
                QuestionVersion.text.icontains(filters.q, autoescape=True),
                Question.uid.icontains(filters.q, autoescape=True),
            )
        )
    return query.where(*conditions)


def summary_title(version: QuestionVersion) -> str:
    """The title, or the start of the text when there is none."""
    if version.title:
        return version.title
    text = get_type(version.type).plain_text(strip_to_text(version.text, version.text_format))
    return text if len(text) <= 80 else text[:79] + "…"


def browse(filters: BankFilters, page: int = 1, per_page: int = PER_PAGE) -> BankPage:
    total = db.session.scalar(_filtered(select(func.count(Question.id)), filters)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    query = (
        _filtered(select(Question, QuestionVersion, Category.path), filters)
        .options(selectinload(Question.tags))
        .order_by(Category.path, Question.uid)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    rows = [
        BankRow(
            uid=question.uid,
            title=summary_title(version),
            type_label=REGISTRY[version.type].label,
            tags=question.tag_names,
            version=version.number,
            retired=question.retired,
            category=path,
        )
        for question, version, path in db.session.execute(query).all()
    ]
    return BankPage(rows=rows, total=total, page=page, pages=pages)


@dataclass(frozen=True)
class CategoryAbout:
    """A category's Moodle description (in its format) and id number."""

    info: str
    info_format: str
    idnumber: str | None


def category_about(path: str) -> CategoryAbout | None:
    """The description and id number of the category at `path`; None when it has neither."""
    row = db.session.execute(
        select(Category.info, Category.info_format, Category.idnumber).where(Category.path == path)
    ).one_or_none()
    if row is None or not (row.info.strip() or row.idnumber):
        return None
    return CategoryAbout(row.info, row.info_format, row.idnumber)


def category_paths() -> list[str]:
    return list(db.session.scalars(select(Category.path).order_by(Category.path)))


def category_tree(paths: list[str]) -> list[CategoryNode]:
    """Nest sorted category paths: "A", "A/B", "C" -> A (B), C."""
    roots: list[CategoryNode] = []
    nodes: dict[str, CategoryNode] = {}
    for path in sorted(paths):
        parent_path, _, name = path.rpartition("/")
        node = CategoryNode(path=path, name=name)
        nodes[path] = node
        parent = nodes.get(parent_path)
        (parent.children if parent else roots).append(node)
    return roots


def all_tags() -> list[str]:
    return list(db.session.scalars(select(QuestionTag.tag).distinct().order_by(QuestionTag.tag)))


def question_by_uid(uid: str) -> Question | None:
    return db.session.scalar(
        select(Question).where(Question.uid == uid).options(selectinload(Question.tags))
    )


def version_history(question: Question) -> list[tuple[QuestionVersion, str | None]]:
    """Every version, oldest first, with its author's name (None when unknown)."""
    return [
        (version, author)
        for version, author in db.session.execute(
            select(QuestionVersion, User.display_name)
            .outerjoin(User, User.id == QuestionVersion.created_by_id)
            .where(QuestionVersion.question_id == question.id)
            .order_by(QuestionVersion.number)
        ).all()
    ]
