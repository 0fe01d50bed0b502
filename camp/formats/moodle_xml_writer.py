"""Writing `MoodleQuestion`s and category records as a Moodle XML file that Moodle imports and
`parse_moodle_xml` reads back to the same questions.

Owns the file's layout, as Moodle's exporter writes it: the XML declaration, `<quiz>`, and for
each category (in path order, parents first) its record, `$course$/top/<path>` with its info
and idnumber, then its questions. Every question has its name (the title, or the start of
its text when it has none: see `moodle_xml.untitled_name`), question text, general feedback,
default mark, penalty, `hidden` and `<idnumber>` (its Camp id), then its type's elements
(`moodle_xml_write_types`), hints and tags. A text holding `& < > "` is written in CDATA (a
`]]>` inside split across two sections), others as they are; a text holding a character XML
cannot carry raises `MoodleWriteError` naming the question.

Embedded files come from `files`, called with each question: (name, bytes) pairs written as
base64 `<file>` elements inside each text that refers to them as `@@PLUGINFILE@@/name`, and
inside the question text when none does.
"""

from __future__ import annotations

import base64
import dataclasses
import re
from collections.abc import Callable, Iterable
from xml.sax.saxutils import escape, quoteattr

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]

from camp.bank.extras import DEFAULT_GRADE, DEFAULT_PENALTY
from camp.bank.question_types import UnknownQuestionType, get_type
from camp.formats.moodle_xml import untitled_name
from camp.formats.moodle_xml_question import (
    MOODLE_FORMAT,
    MoodleCategory,
    MoodleQuestion,
    MoodleWriteError,
)
from camp.formats.moodle_xml_write_types import BODIES, WITH_HINTS, Writing, cloze_text, number

__all__ = ["MoodleWriteError", "write_moodle_xml"]

Files = Callable[[MoodleQuestion], Iterable[tuple[str, bytes]]]
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def no_files(question: MoodleQuestion) -> Iterable[tuple[str, bytes]]:
    return ()


class _Refused(Exception):
    """A text XML cannot carry."""


def _checked(text: str) -> str:
    if _NOT_XML.search(text):
        raise _Refused(text)
    return text


def _text(text: str) -> str:
    """A text as Moodle writes it: in CDATA when escaping would change it."""
    text = _checked(text)
    if text and escape(text, {'"': "&quot;"}) != text:
        return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"
    return text


def _escaped(text: str) -> str:
    return escape(_checked(text), {'"': "&quot;"})


def _file_lines(
    question: MoodleQuestion, files: list[tuple[str, bytes]]
) -> Callable[[str, str], list[str]]:
    def lines(tag: str, text: str) -> list[str]:
        out = []
        for name, data in files:
            referred = f"@@PLUGINFILE@@/{name}" in text
            unreferred = tag == "questiontext" and not any(
                f"@@PLUGINFILE@@/{name}" in piece for piece in _texts(question)
            )
            if referred or unreferred:
                encoded = base64.b64encode(data).decode("ascii")
                out.append(
                    f'<file name={quoteattr(_checked(name))} path="/" encoding="base64">'
                    f"{encoded}</file>"
                )
        return out

    return lines


def _texts(question: MoodleQuestion) -> list[str]:
    """Every text of a question, as the writer writes it."""
    found: list[str] = [question.text, question.general_feedback]

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(question.spec)
    walk(question.extras)
    return found


def _category(record: MoodleCategory) -> list[str]:
    path = "$course$/top" + (f"/{record.path}" if record.path else "")
    return [
        '  <question type="category">',
        "    <category>",
        f"      <text>{_text(path)}</text>",
        "    </category>",
        f'    <info format="{MOODLE_FORMAT.get(record.info_format, "html")}">',
        f"      <text>{_text(record.info)}</text>",
        "    </info>",
        f"    <idnumber>{_escaped(record.idnumber or '')}</idnumber>",
        "  </question>",
        "",
    ]


def _question(q: MoodleQuestion, files: Files) -> list[str]:
    moodle_type, body = BODIES[q.type]
    q = dataclasses.replace(q, moodle_type=moodle_type)
    fmt = q.text_format if q.text_format in MOODLE_FORMAT else "html"
    w = Writing(_text, _escaped, _file_lines(q, list(files(q))))
    text = cloze_text(q) if q.type == "cloze" else q.text
    lines = [
        f'  <question type="{moodle_type}">',
        "    <name>",
        f"      <text>{_text(q.title or untitled_name(q.type, q.text, fmt, q.id))}</text>",
        "    </name>",
        *w.formatted("questiontext", text, fmt),
        *w.formatted("generalfeedback", q.general_feedback, fmt),
    ]
    if q.type != "cloze":  # Moodle works a cloze question's mark out from its gaps
        grade = 0.0 if q.type == "description" else q.extras.get("default_grade", DEFAULT_GRADE)
        lines.append(w.setting("defaultgrade", number(grade)))
    lines.append(w.setting("penalty", number(q.extras.get("penalty", DEFAULT_PENALTY))))
    lines += [w.setting("hidden", "0"), w.setting("idnumber", q.id or "")]
    lines += body(q, w)
    hints = (q.extras.get("hints") or []) if q.type in WITH_HINTS else []
    for hint in hints:
        lines += w.formatted("hint", hint["text"], fmt)[:-1]
        lines += ["      <shownumcorrect/>"] if hint.get("show_num_correct") else []
        lines += ["      <clearwrong/>"] if hint.get("clear_wrong") else []
        if hint.get("options"):
            lines.append(f"      <options>{_text(hint['options'])}</options>")
        lines.append("    </hint>")
    if q.tags:
        lines.append("    <tags>")
        lines += [f"      <tag><text>{_text(tag)}</text></tag>" for tag in q.tags]
        lines.append("    </tags>")
    return [*lines, "  </question>", ""]


def write_moodle_xml(
    questions: Iterable[MoodleQuestion],
    categories: Iterable[MoodleCategory] = (),
    *,
    files: Files = no_files,
) -> str:
    """Moodle XML for `questions` under their categories: `categories` gives the records'
    info and idnumber, and records for categories with no question of their own; each
    category is written before its questions (questions without one come first, in the
    importer's own category). `MoodleWriteError` if a question cannot be written."""
    records = {record.path: record for record in categories}
    by_category: dict[str, list[MoodleQuestion]] = {}
    for question in questions:
        by_category.setdefault(question.category or "", []).append(question)
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    for question in by_category.get("", []):
        out += _written(question, files)
    for path in sorted({*records, *by_category} - {""}, key=lambda p: p.split("/")):
        out += _category(records.get(path) or MoodleCategory(0, path))
        for question in by_category.get(path, []):
            out += _written(question, files)
    out.append("</quiz>")
    return "\n".join(out) + "\n"


def _written(question: MoodleQuestion, files: Files) -> list[str]:
    which = repr(question.id or question.title or question.text[:40])
    try:
        get_type(question.type)
        if question.type not in BODIES:
            raise UnknownQuestionType(question.type)
        return _question(question, files)
    except UnknownQuestionType:
        message = _l("Moodle XML cannot write questions of type %(type)s", type=question.type)
    except _Refused:
        message = _l("a text holds a character XML cannot carry (a control character)")
    raise MoodleWriteError(_l("question %(which)s: %(problem)s", which=which, problem=message))
