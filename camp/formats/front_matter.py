"""The `lesson.md` front matter schema (a contract with content authors) and its validation.

Every problem is collected with its real file line; nothing stops at the first one.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import yaml

from camp.formats.markdown import heading_anchor

TAG = re.compile(r"^[a-z0-9-]+$")
TAG_MAX = 40
TITLE_MAX = 200
OBJECTIVES_MIN, OBJECTIVES_MAX = 3, 5

_TOP_KEYS = ("title", "summary", "objectives", "minutes", "sources", "quiz")
_OPTIONAL_TOP_KEYS = ("glossary",)
_GLOSSARY_KEYS = ("en", "zh")
_QUIZ_KEYS = ("title", "questions", "time_limit", "attempts", "pass_mark", "shuffle")
_OBJECTIVE_KEYS = ("tag", "text")
FENCE = "---"


@dataclass(frozen=True)
class ContentProblem:
    """One problem in a content file; line 0 means the file or folder as a whole."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """Content that cannot be loaded; `problems` lists everything that is wrong."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class Objective:
    """A learning objective; `tag` links GIFT questions (`[tag:...]`) to it."""

    tag: str
    text: str


@dataclass(frozen=True)
class QuizSettings:
    """The module's quiz: `time_limit` in minutes and `attempts` are None for no limit."""

    title: str
    questions: int
    time_limit: int | None
    attempts: int | None
    pass_mark: int
    shuffle: bool


@dataclass(frozen=True)
class GlossaryEntry:
    """One term of a lesson's bilingual glossary, shown in both languages."""

    en: str
    zh: str


@dataclass(frozen=True)
class FrontMatter:
    """The validated YAML front matter of a `lesson.md`."""

    title: str
    summary: str
    objectives: list[Objective]
    minutes: int
    sources: list[str]
    quiz: QuizSettings
    glossary: list[GlossaryEntry] = field(default_factory=list)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_http_url(value: object) -> bool:
    if not isinstance(value, str) or any(char.isspace() for char in value):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _unknown_key(key: str, known: tuple[str, ...], where: str) -> str:
    place = f" in {where}" if where else ""
    close = difflib.get_close_matches(key, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown key {key!r}{place}{hint}"


class _FrontMatterReader:
    """Walks composed YAML nodes so every problem carries the line of its key or item."""

    def __init__(self, path: str, loader: yaml.SafeLoader, first_line: int) -> None:
        self.path = path
        self.loader = loader
        self.first_line = first_line  # file line of YAML line 0
        self.problems: list[ContentProblem] = []
        # A block list or mapping starts on the line below its key; authors look for the key.
        self.key_lines: dict[int, int] = {}

    def line(self, node: yaml.Node) -> int:
        return self.key_lines.get(id(node), self.first_line + node.start_mark.line)

    def problem(self, line: int, message: str) -> None:
        self.problems.append(ContentProblem(self.path, line, message))

    def value(self, node: yaml.Node) -> Any:
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as error:
            self.problem(self.line(node), f"invalid YAML value: {error}")
            return None

    def mapping(
        self,
        node: yaml.Node,
        keys: tuple[str, ...],
        where: str,
        missing_line: int,
        optional: tuple[str, ...] = (),
    ) -> dict[str, yaml.Node] | None:
        """Return key -> value node, reporting unknown, duplicate and missing keys (every
        key of `keys` is required; those of `optional` may be left out)."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(self.line(node), f"{where or 'front matter'} must be a mapping of keys")
            return None
        found: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            if key not in keys and key not in optional:
                self.problem(self.line(key_node), _unknown_key(key, keys + optional, where))
            elif key in found:
                self.problem(self.line(key_node), f"duplicate key {key!r}")
            else:
                found[key] = value_node
                self.key_lines[id(value_node)] = self.line(key_node)
        place = f" in {where}" if where else ""
        for key in keys:
            if key not in found:
                self.problem(missing_line, f"missing required key {key!r}{place}")
        return found

    def text(self, node: yaml.Node, label: str, max_length: int | None = None) -> str | None:
        value = self.value(node)
        if not isinstance(value, str) or not value.strip():
            self.problem(self.line(node), f"{label} must be non-empty text")
            return None
        if max_length is not None and len(value) > max_length:
            self.problem(
                self.line(node), f"{label} is {len(value)} characters long (at most {max_length})"
            )
            return None
        return value.strip()

    def integer(
        self, node: yaml.Node, label: str, low: int, high: int | None = None, null: str = ""
    ) -> int | None:
        value = self.value(node)
        if value is None and null:
            return None
        if not _is_int(value) or value < low or (high is not None and value > high):
            bound = f"from {low} to {high}" if high is not None else f"at least {low}"
            nothing = f", or null for {null}" if null else ""
            self.problem(
                self.line(node), f"{label} must be a whole number {bound}{nothing} (got {value!r})"
            )
            return None
        return value

    def objective(self, node: yaml.Node, number: int) -> Objective | None:
        label = f"objective {number}"
        if isinstance(node, yaml.ScalarNode):
            text = self.text(node, label)
            if text is None:
                return None
            tag = heading_anchor(text)[:TAG_MAX].rstrip("-")
            if not TAG.match(tag):
                self.problem(
                    self.line(node),
                    f"{label}: cannot make a tag from {text!r}; give it as 'tag:' and 'text:'",
                )
                return None
            return Objective(tag=tag, text=text)
        nodes = self.mapping(node, _OBJECTIVE_KEYS, label, self.line(node))
        if nodes is None or len(nodes) < len(_OBJECTIVE_KEYS):
            return None
        text = self.text(nodes["text"], f"{label} text")
        tag = self.value(nodes["tag"])
        if not isinstance(tag, str) or not TAG.match(tag) or len(tag) > TAG_MAX:
            self.problem(
                self.line(nodes["tag"]),
                f"{label} tag must be lowercase letters, digits and hyphens, "
                f"at most {TAG_MAX} characters (got {tag!r})",
            )
            return None
        return None if text is None else Objective(tag=tag, text=text)

    def objectives(self, node: yaml.Node) -> list[Objective] | None:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(self.line(node), "objectives must be a list")
            return None
        count = len(node.value)
        if not OBJECTIVES_MIN <= count <= OBJECTIVES_MAX:
            self.problem(
                self.line(node),
                f"objectives must list {OBJECTIVES_MIN} to {OBJECTIVES_MAX} items (got {count})",
            )
        result: list[Objective] = []
        seen: set[str] = set()
        for number, item in enumerate(node.value, start=1):
            objective = self.objective(item, number)
            if objective is None:
                continue
            if objective.tag in seen:
                self.problem(
                    self.line(item), f"objective {number}: duplicate tag {objective.tag!r}"
                )
            seen.add(objective.tag)
            result.append(objective)
        return result if len(result) == count else None

    def sources(self, node: yaml.Node) -> list[str] | None:
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.problem(self.line(node), "sources must be a non-empty list of http(s) URLs")
            return None
        result: list[str] = []
        for number, item in enumerate(node.value, start=1):
            url = self.value(item)
            if _is_http_url(url):
                result.append(url)
            else:
                self.problem(self.line(item), f"source {number} is not an http(s) URL: {url!r}")
        return result if len(result) == len(node.value) else None

    def glossary(self, node: yaml.Node) -> list[GlossaryEntry] | None:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(self.line(node), "glossary must be a list of 'en:' and 'zh:' terms")
            return None
        result: list[GlossaryEntry] = []
        for number, item in enumerate(node.value, start=1):
            label = f"glossary entry {number}"
            nodes = self.mapping(item, _GLOSSARY_KEYS, label, self.line(item))
            if nodes is None or len(nodes) < len(_GLOSSARY_KEYS):
                continue
            en, zh = (self.text(nodes[key], f"{label} {key}") for key in _GLOSSARY_KEYS)
            if en is not None and zh is not None:
                result.append(GlossaryEntry(en=en, zh=zh))
        return result if len(result) == len(node.value) else None

    def quiz(self, node: yaml.Node) -> QuizSettings | None:
        nodes = self.mapping(node, _QUIZ_KEYS, "quiz", self.line(node))
        if nodes is None:
            return None
        values: dict[str, Any] = {}
        for key, value_node in nodes.items():
            label = f"quiz {key}"
            if key == "title":
                values[key] = self.text(value_node, label)
            elif key == "questions":
                values[key] = self.integer(value_node, label, 1)
            elif key == "time_limit":
                values[key] = self.integer(value_node, label, 1, null="no time limit")
            elif key == "attempts":
                values[key] = self.integer(value_node, label, 1, null="unlimited attempts")
            elif key == "pass_mark":
                values[key] = self.integer(value_node, label, 0, 100)
            else:
                values[key] = self.value(value_node)
                if not isinstance(values[key], bool):
                    self.problem(
                        self.line(value_node),
                        f"{label} must be true or false (got {values[key]!r})",
                    )
        if len(values) < len(_QUIZ_KEYS) or self.problems:
            return None
        return QuizSettings(**values)

    def front_matter(self, root: yaml.Node, fence_line: int) -> FrontMatter | None:
        nodes = self.mapping(root, _TOP_KEYS, "", fence_line, optional=_OPTIONAL_TOP_KEYS)
        if nodes is None:
            return None
        readers = {
            "title": lambda n: self.text(n, "title", TITLE_MAX),
            "summary": lambda n: self.text(n, "summary"),
            "objectives": self.objectives,
            "minutes": lambda n: self.integer(n, "minutes", 1),
            "sources": self.sources,
            "quiz": self.quiz,
            "glossary": self.glossary,
        }
        values: dict[str, Any] = {key: readers[key](node) for key, node in nodes.items()}
        if self.problems:
            return None
        return FrontMatter(**values)


def split_front_matter(text: str, path: str) -> tuple[str, int, str, int] | ContentProblem:
    """Return (yaml text, its first file line, body, body first line) or the problem."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != FENCE:
        return ContentProblem(path, 1, "missing front matter: the file must start with '---'")
    for index in range(1, len(lines)):
        if lines[index].rstrip() == FENCE:
            return "".join(lines[1:index]), 2, "".join(lines[index + 1 :]), index + 2
    return ContentProblem(path, 1, "unclosed front matter: no closing '---' line")


def read_front_matter(yaml_text: str, first_line: int, path: str) -> FrontMatter | ContentError:
    loader = yaml.SafeLoader(yaml_text)
    try:
        root = loader.get_single_node()
        if root is None:
            return ContentError([ContentProblem(path, 1, "front matter is empty")])
        reader = _FrontMatterReader(path, loader, first_line)
        front = reader.front_matter(root, first_line - 1)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + mark.line if mark else first_line - 1
        return ContentError([ContentProblem(path, line, f"invalid YAML: {error.problem}")])
    except yaml.YAMLError as error:
        return ContentError([ContentProblem(path, first_line - 1, f"invalid YAML: {error}")])
    finally:
        loader.dispose()
    return ContentError(reader.problems) if front is None else front
