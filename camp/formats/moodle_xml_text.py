"""Reading one `<question>` element's pieces: texts with their formats and embedded files,
numbers, flags and settings, each problem noted at its element's line with the question's
name; and bringing every text of a question into one format.

A formatted piece (`<questiontext format="html"><text>...</text><file .../></questiontext>`)
is read as a `Rich` text that remembers its format. Camp stores one format per question, so
once a question is read `resolve` puts every piece in the question text's format when they
all share it (what Moodle's own exports do), and otherwise turns each piece into sanitised
HTML (camp.formats.markdown.render_text), the question becoming an HTML one: what students
see is what Moodle showed. Texts are trimmed as Moodle trims them. `<file>` elements are
base64-decoded into `EmbeddedFile`s, one name space per question (Camp keeps a question's
files together): the same name twice with the same bytes is one file, with other bytes an
error. `@@PLUGINFILE@@/...` references in the texts are left as they are.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]

from camp.bank.types.base import NUMBER
from camp.formats.markdown import render_text
from camp.formats.moodle_xml_question import CAMP_FORMAT, EmbeddedFile, MoodleXmlIssue
from camp.formats.moodle_xml_tree import Element
from camp.security import CONTROL_CHARACTER

WS = " \t\n\r\0\x0b"  # what PHP's trim() removes, as Moodle trims
_TAG = re.compile(r"<[A-Za-z/!?][^>]*>")
_BAD_NAME = re.compile(r"[\\/\x00-\x1f\x7f]")
MAX_NAME = 255


@dataclass(frozen=True)
class Rich:
    """A text as written, in its (Camp) format, before `resolve` sets the question's one."""

    text: str
    format: str


def camp_format(moodle_name: str | None, default: str) -> str:
    """Camp's name of a text format named in a file (`default` when none is given)."""
    if moodle_name is None:
        return default
    return CAMP_FORMAT.get(moodle_name.strip(WS), "html")


def clean_name(name: str) -> str:
    """A question or category name as Moodle cleans one: tags dropped, trimmed, at most 255
    characters (shortened with "...")."""
    name = " ".join(_TAG.sub("", name).split())
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 3].rstrip() + "..."


class Reading:
    """One question element being read: its problems and its embedded files."""

    def __init__(self, element: Element, name: str) -> None:
        self.element = element
        self.name = name
        self.problems: list[MoodleXmlIssue] = []
        self.files: dict[str, EmbeddedFile] = {}

    def fail(self, line: int, message: str) -> None:
        if self.element.attrs.get("type") == "category":
            named = _l("category %(name)s: %(problem)s", name=repr(self.name), problem=message)
        else:
            which = repr(self.name) if self.name else self.element.attrs.get("type", "")
            named = _l("question %(name)s: %(problem)s", name=which, problem=message)
        self.problems.append(MoodleXmlIssue(line, named))

    # -- texts -------------------------------------------------------------------------------

    def text_of(self, element: Element | None) -> str:
        """The trimmed text inside `element`; '' when there is none. Markup written as
        elements (not escaped, not in CDATA) is refused."""
        if element is None:
            return ""
        if element.children:
            self.fail(
                element.children[0].line,
                _l(
                    "<%(tag)s> inside <%(parent)s>: write HTML inside <![CDATA[ ... ]]> or "
                    "escape it (&lt;p&gt;)",
                    tag=element.children[0].tag,
                    parent=element.tag,
                ),
            )
        text = element.text.strip(WS)
        found = CONTROL_CHARACTER.search(text)
        if found:
            code = f"U+{ord(found.group()):04X}"
            message = _l("a control character (%(code)s) cannot be imported", code=code)
            self.fail(element.line, message)
        return text

    def plain(self, element: Element | None) -> str:
        """The `<text>` of a plain piece (a short answer, a matching answer, a name)."""
        if element is None:
            return ""
        inner = element.first("text")
        return self.text_of(inner) if inner is not None else self.text_of(element)

    def rich(self, element: Element | None, default_format: str) -> Rich:
        """A formatted piece: its `<text>` in its `format`, its `<file>`s collected."""
        if element is None:
            return Rich("", default_format)
        for file in element.every("file"):
            self._file(file)
        fmt = camp_format(element.attrs.get("format"), default_format)
        return Rich(self.text_of(element.first("text")), fmt)

    def _file(self, element: Element) -> None:
        name = element.attrs.get("name", "").strip(WS)
        path = element.attrs.get("path", "/").strip(WS) or "/"
        parts = [*path.strip("/").split("/"), name] if path != "/" else [name]
        if not name or any(not p or p in (".", "..") or _BAD_NAME.search(p) for p in parts):
            message = _l("the file name %(name)s cannot be used", name=repr(path + name))
            self.fail(element.line, message)
            return
        encoding = element.attrs.get("encoding", "base64").strip(WS).lower()
        if encoding != "base64":
            message = _l("the file %(name)s is not base64-encoded", name=repr(name))
            self.fail(element.line, message)
            return
        try:
            data = base64.b64decode("".join(element.text.split()), validate=True)
        except (binascii.Error, ValueError):
            message = _l("the file %(name)s is not valid base64", name=repr(name))
            self.fail(element.line, message)
            return
        key = "/".join(parts)
        seen = self.files.get(key)
        if seen is not None and seen.data != data:
            message = _l(
                "two different files are called %(name)s (the other is on line %(line)s): "
                "rename one",
                name=repr(key),
                line=seen.line,
            )
            self.fail(element.line, message)
        elif seen is None:
            self.files[key] = EmbeddedFile(key, data, element.line)

    # -- numbers, flags, settings --------------------------------------------------------------

    def number(self, text: str | None, line: int, what: str, default: float) -> float:
        if text is None or not text.strip(WS):
            return default
        text = text.strip(WS)
        if not NUMBER.fullmatch(text):
            self.fail(line, _l("%(what)s %(value)s is not a number", what=what, value=repr(text)))
            return default
        return float(text)

    def child_number(self, tag: str, what: str, default: float) -> float:
        child = self.element.first(tag)
        if child is None:
            return default
        return self.number(self.text_of(child), child.line, what, default)

    def setting(self, tag: str) -> str | None:
        """The trimmed text of a setting element, None when the question has none."""
        child = self.element.first(tag)
        return None if child is None else self.text_of(child)


def flag(value: str | None, default: bool) -> bool:
    """A yes/no setting as Moodle reads one: "false", "0" and "" are no, anything else yes."""
    if value is None:
        return default
    return value.strip(WS) not in ("false", "0", "")


def _walk(value: Any) -> list[Rich]:
    if isinstance(value, Rich):
        return [value]
    if isinstance(value, dict):
        return [rich for item in value.values() for rich in _walk(item)]
    if isinstance(value, list):
        return [rich for item in value for rich in _walk(item)]
    return []


def _put(value: Any, target: str) -> Any:
    if isinstance(value, Rich):
        if value.format == target or not value.text.strip():
            return value.text
        return render_text(value.text, value.format).strip()  # to "html": sanitised HTML
    if isinstance(value, dict):
        return {key: _put(item, target) for key, item in value.items()}
    if isinstance(value, list):
        return [_put(item, target) for item in value]
    return value


def resolve(text: Rich, pieces: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """(text, format, pieces) with every `Rich` in `pieces` a string in the one format."""
    formats = {rich.format for rich in _walk(pieces) if rich.text.strip()} | {text.format}
    target = text.format if len(formats) == 1 else "html"
    return _put(text, target), target, _put(pieces, target)
