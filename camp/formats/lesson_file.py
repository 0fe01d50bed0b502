"""Lesson module folders on disk: `quizzes/NN-slug/` with `lesson.md` and `questions.gift`.

This module owns the folder naming rule, module discovery and reading a `lesson.md`; the
front matter schema lives in `camp.formats.front_matter`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from camp.formats.front_matter import (
    OBJECTIVES_MAX,
    OBJECTIVES_MIN,
    TAG,
    TAG_MAX,
    TITLE_MAX,
    ContentError,
    ContentProblem,
    FrontMatter,
    Objective,
    QuizSettings,
    read_front_matter,
    split_front_matter,
)
from camp.formats.markdown import strip_to_text

LESSON_FILE = "lesson.md"
QUESTIONS_FILE = "questions.gift"
FOLDER_NAME = re.compile(r"^\d{2}-[a-z0-9]+(-[a-z0-9]+)*$")

__all__ = [
    "OBJECTIVES_MAX",
    "OBJECTIVES_MIN",
    "TAG",
    "TAG_MAX",
    "TITLE_MAX",
    "ContentError",
    "ContentProblem",
    "FrontMatter",
    "LessonFile",
    "Objective",
    "QuizSettings",
    "discover_modules",
    "module_position",
    "module_slug",
    "parse_lesson",
]


@dataclass(frozen=True)
class LessonFile:
    """A parsed `lesson.md`: its module identity, front matter and Markdown body."""

    slug: str
    position: int
    front: FrontMatter
    body: str
    body_start_line: int
    path: Path

    @cached_property
    def word_count(self) -> int:
        """Words of the body as a reader sees them (Markdown syntax and URLs excluded)."""
        return len(strip_to_text(self.body, "markdown").split())


def _check_folder_name(folder_name: str) -> None:
    if not FOLDER_NAME.match(folder_name):
        raise ValueError(f"module folder name {folder_name!r} does not look like '01-some-slug'")


def module_slug(folder_name: str) -> str:
    """Return the module slug: "01-why-ip-matters" -> "why-ip-matters"."""
    _check_folder_name(folder_name)
    return folder_name[3:]


def module_position(folder_name: str) -> int:
    """Return the module position: "01-why-ip-matters" -> 1."""
    _check_folder_name(folder_name)
    return int(folder_name[:2])


def _folder_problem(folder_name: str) -> str:
    return (
        f"folder name {folder_name!r} must be two digits, a hyphen and a lowercase slug "
        "(like '01-why-ip-matters')"
    )


def parse_lesson(path: Path) -> LessonFile:
    """Parse and validate a module's `lesson.md` (or the module folder holding it).

    Raises ContentError listing every problem found.
    """
    if path.is_dir():
        path = path / LESSON_FILE
    name = str(path)
    problems: list[ContentProblem] = []
    folder = path.parent.name
    if not FOLDER_NAME.match(folder):
        problems.append(ContentProblem(name, 0, _folder_problem(folder)))
    try:
        text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
    except FileNotFoundError:
        raise ContentError([*problems, ContentProblem(name, 0, "file not found")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ContentError([*problems, ContentProblem(name, 0, f"unreadable: {error}")]) from None
    split = split_front_matter(text, name)
    if isinstance(split, ContentProblem):
        raise ContentError([*problems, split])
    yaml_text, yaml_line, body, body_line = split
    front = read_front_matter(yaml_text, yaml_line, name)
    if isinstance(front, ContentError):
        problems.extend(front.problems)
    if not body.strip():
        problems.append(ContentProblem(name, body_line - 1, "the lesson body is empty"))
    if problems or isinstance(front, ContentError):
        raise ContentError(sorted(problems, key=lambda problem: problem.line))
    return LessonFile(
        slug=module_slug(folder),
        position=module_position(folder),
        front=front,
        body=body,
        body_start_line=body_line,
        path=path,
    )


def discover_modules(root: Path) -> list[Path]:
    """Return the module folders under `root`, sorted by position.

    Hidden folders and plain files are ignored. Raises ContentError listing every badly
    named folder, missing file, and reused position or slug.
    """
    if not root.is_dir():
        raise ContentError([ContentProblem(str(root), 0, "content folder not found")])
    problems: list[ContentProblem] = []
    modules: list[Path] = []
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    for folder in folders:
        if not FOLDER_NAME.match(folder.name):
            problems.append(ContentProblem(str(folder), 0, _folder_problem(folder.name)))
            continue
        missing = [n for n in (LESSON_FILE, QUESTIONS_FILE) if not (folder / n).is_file()]
        problems.extend(ContentProblem(str(folder), 0, f"missing {n}") for n in missing)
        modules.append(folder)
    first_folder: dict[str, str] = {}
    for folder in modules:
        for key in (f"position {folder.name[:2]}", f"slug {module_slug(folder.name)!r}"):
            first = first_folder.setdefault(key, folder.name)
            if first != folder.name:
                problems.append(ContentProblem(str(folder), 0, f"{key} is also used by {first}"))
    if problems:
        raise ContentError(sorted(problems, key=lambda problem: problem.path))
    return sorted(modules, key=lambda folder: module_position(folder.name))
