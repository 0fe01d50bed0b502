"""Files embedded in question texts (a Moodle XML file's images): checking what an import
brings, attaching it to a question version, and reading it back for an export, for the
organiser's question page and for the route that serves it (camp.bank.views; who may fetch
a file is camp.bank.file_access).

- **What is accepted.** PNG, JPEG, GIF and WebP images, known by their first bytes, never
  by their names: a page shows them with `<img>` and the route serves them as the type
  their bytes are. SVG is refused outright: it is a document that can hold scripts and
  links, and no sanitiser small and well kept enough was found for it; save it as PNG.
  At most 1 MB a file, 5 MB and 50 files a question; names as camp.formats.embedded_files
  says (no `..`, no control characters, at most 255 characters).
- **All or nothing.** `check_files` writes nothing and returns every problem with its
  line, so that an import can refuse the whole file before it writes; `attach_files` is
  called inside the import's transaction, flushes and never commits.
- **Stored once.** The bytes are keyed by their sha256 (camp.bank.file_models): the same
  image in many versions or questions is one row.
- **A version's files** are those attached to it and to its question's earlier versions,
  the latest of a name winning (an edit in the bank keeps the text's images).

An importer builds `IncomingFile(name, data, line)` for each `<file>` of a question: `name`
as Moodle's path and file name give it (`/sub/chart.png`), `data` decoded from base64,
`line` where the file starts, for the problems.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import has_request_context, request
from flask_babel import gettext as _  # type: ignore[import-untyped]
from sqlalchemy import Select, exists, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from camp.bank.errors import BankError
from camp.bank.file_models import QuestionFile, StoredFile
from camp.bank.models import QuestionVersion
from camp.extensions import db
from camp.formats.embedded_files import name_problem, stored_name, url_path

MAX_FILE_BYTES = 1024 * 1024
MAX_QUESTION_BYTES = 5 * MAX_FILE_BYTES
MAX_FILES = 50
_SVG_STARTS = (b"<?xml", b"<svg", b"<!doctype svg", b"<!--")
TYPE_LABELS = {
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WebP",
}


@dataclass(frozen=True)
class IncomingFile:
    """A file an importer read for one question: its name as the source gives it, its
    bytes, and the line of the source it starts on."""

    name: str
    data: bytes
    line: int


@dataclass(frozen=True)
class FileFacts:
    """A file of a version as the organiser's question page lists it."""

    name: str
    content_type: str
    size: int
    sha256: str

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.content_type, self.content_type)

    @property
    def size_text(self) -> str:
        return human_size(self.size)


class QuestionFileError(BankError):
    """Files that cannot be attached; nothing was written. `problems` are (line, message)."""

    def __init__(self, problems: Sequence[tuple[int, str]]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(f"line {line}: {message}" for line, message in self.problems))


def human_size(size: int) -> str:
    if size < 1024:
        return _("%(n)s bytes", n=size)
    if size < 1024 * 1024:
        return _("%(n)s KB", n=f"{size / 1024:.1f}")
    return _("%(n)s MB", n=f"{size / (1024 * 1024):.1f}")


def content_type(data: bytes) -> str | None:
    """The image type of `data` by its first bytes (None: not one Camp accepts)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if len(data) >= 12 and data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(_SVG_STARTS) and b"<svg" in head


def _file_problem(file: IncomingFile, name: str) -> str | None:
    if len(file.data) > MAX_FILE_BYTES:
        return _(
            "The file %(name)s is %(size)s: a file may be at most %(limit)s.",
            name=name,
            size=human_size(len(file.data)),
            limit=human_size(MAX_FILE_BYTES),
        )
    if content_type(file.data) is not None:
        return None
    if _looks_like_svg(file.data):
        return _(
            "The file %(name)s is an SVG image: Camp does not take SVG (it can hold scripts). "
            "Save it as PNG and import again.",
            name=name,
        )
    return _(
        "The file %(name)s is not a PNG, JPEG, GIF or WebP image (Camp goes by what the "
        "file holds, not by its name).",
        name=name,
    )


def check_files(files: Iterable[IncomingFile]) -> list[tuple[int, str]]:
    """Every problem with one question's files, as (line, message); writes nothing. An
    empty list means `attach_files` will take them."""
    problems: list[tuple[int, str]] = []
    seen: set[str] = set()
    total = count = 0
    for file in files:
        count += 1
        if count == MAX_FILES + 1:
            problems.append((file.line, _("A question may have at most %(n)s files.", n=MAX_FILES)))
        name = stored_name(file.name)
        problem = name_problem(name)
        if problem is None and name in seen:
            problem = _("The file name %(name)s is given twice for this question.", name=name)
        seen.add(name)
        if problem is None:
            problem = _file_problem(file, name)
        if problem is not None:
            problems.append((file.line, problem))
            continue
        before, total = total, total + len(file.data)
        if before <= MAX_QUESTION_BYTES < total:
            problems.append(
                (
                    file.line,
                    _(
                        "This question's files add up to more than %(limit)s.",
                        limit=human_size(MAX_QUESTION_BYTES),
                    ),
                )
            )
    return problems


def _insert_ignoring_duplicates(rows: Sequence[dict[str, Any]]) -> None:
    """Store new file bytes; a row another transaction stored meanwhile is left as it is
    (the same sha256 is the same bytes)."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    db.session.execute(dialect.insert(StoredFile).on_conflict_do_nothing(), rows)


def attach_files(version: QuestionVersion, files: Iterable[IncomingFile]) -> None:
    """Link `files` to `version` under their names, storing bytes not stored yet. Inside the
    caller's transaction: flushes, never commits. Raises `QuestionFileError` (having written
    nothing) when `check_files` finds a problem or a name is already this version's."""
    files = list(files)
    problems = check_files(files)
    if problems:
        raise QuestionFileError(problems)
    if not files:
        return
    if version.id is None:
        db.session.flush()
    taken = set(
        db.session.scalars(
            select(QuestionFile.name).where(QuestionFile.question_version_id == version.id)
        )
    )
    clashes = [
        (file.line, _("The file %(name)s is already attached to this version.", name=name))
        for file in files
        if (name := stored_name(file.name)) in taken
    ]
    if clashes:
        raise QuestionFileError(clashes)
    hashed = {hashlib.sha256(file.data).hexdigest(): file.data for file in files}
    stored = set(db.session.scalars(select(StoredFile.sha256).where(StoredFile.sha256.in_(hashed))))
    new = [
        {"sha256": sha, "content_type": content_type(data), "size": len(data), "data": data}
        for sha, data in hashed.items()
        if sha not in stored
    ]
    if new:
        _insert_ignoring_duplicates(new)
    db.session.add_all(
        QuestionFile(
            question_version_id=version.id,
            name=stored_name(file.name),
            sha256=hashlib.sha256(file.data).hexdigest(),
        )
        for file in files
    )
    db.session.flush()


def seen_files(target: Any, *columns: Any) -> Select[Any]:
    """`select(*columns)` over the files the `target` versions see (an alias of
    `QuestionVersion`, for the caller's WHERE; the columns may name `target`, `QuestionFile`
    and `StoredFile`): their own and their question's earlier versions', the latest of a
    name winning."""
    source = aliased(QuestionVersion, name="source")
    later = aliased(QuestionVersion, name="later")
    later_file = aliased(QuestionFile, name="later_file")
    overridden = exists().where(
        later_file.question_version_id == later.id,
        later_file.name == QuestionFile.name,
        later.question_id == target.question_id,
        later.number > source.number,
        later.number <= target.number,
    )
    return (
        select(*columns)
        .select_from(target)
        .join(source, (source.question_id == target.question_id) & (source.number <= target.number))
        .join(QuestionFile, QuestionFile.question_version_id == source.id)
        .join(StoredFile, StoredFile.sha256 == QuestionFile.sha256)
        .where(~overridden)
    )


def file_digests(files: Iterable[tuple[str, bytes]]) -> list[tuple[str, str]]:
    """(name as stored, sha256) of each file, by name: what a content key compares."""
    return sorted((stored_name(name), hashlib.sha256(data).hexdigest()) for name, data in files)


def files_of(version_ids: Iterable[int]) -> dict[int, list[tuple[str, bytes]]]:
    """Each version's files as (name, bytes), by name (every id asked for is a key, with []
    when it has none): for an exporter, in one query."""
    wanted = set(version_ids)
    found: dict[int, list[tuple[str, bytes]]] = {version_id: [] for version_id in wanted}
    if not wanted:
        return found
    target = aliased(QuestionVersion, name="target")
    query = seen_files(target, target.id, QuestionFile.name, StoredFile.data)
    query = query.where(target.id.in_(wanted)).order_by(target.id, QuestionFile.name)
    for version_id, name, data in db.session.execute(query):
        found[version_id].append((name, bytes(data)))
    return found


def facts_of(version_id: int) -> list[FileFacts]:
    """A version's files without their bytes, by name (the organiser's question page)."""
    target = aliased(QuestionVersion, name="target")
    query = seen_files(
        target, QuestionFile.name, StoredFile.content_type, StoredFile.size, StoredFile.sha256
    )
    rows = db.session.execute(query.where(target.id == version_id).order_by(QuestionFile.name))
    return [FileFacts(*row) for row in rows]


def files_base(version_id: int) -> str:
    """The URL of a version's files, to which a stored name's `url_path` is added (the
    route is camp.bank.views.question_file; tests check that the two agree)."""
    root = request.script_root if has_request_context() else ""
    return f"{root}/bank/versions/{version_id}/files/"


def file_url(version_id: int, name: str) -> str:
    return files_base(version_id) + url_path(name)
