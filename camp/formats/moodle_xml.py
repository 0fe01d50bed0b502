"""Reading Moodle XML question files into `MoodleQuestion`s (writing: `moodle_xml_writer`).

Owns the file's record layout as Moodle's importer reads it (question/format/xml/format.php):
a `<quiz>` of `<question type="...">` records in order, the parts every question has (name,
question text, general feedback, default mark, penalty, id number, tags, hints, feedback by
outcome) and category records. The safe parsing is `moodle_xml_tree`'s, each type's own
elements `moodle_xml_types`'.

Where Moodle is silent or lax:
- A category path drops its context (`$course$/`, `$system$/`, `$module$/`, `$cat1$/`...)
  and then a leading `top`, as Moodle does: `$course$/top/A/B` and `$course$/A/B` are both
  "A/B", and `$course$/top` is the import's own category (`category`). `//` is a `/` inside
  a name in Moodle; Camp's names cannot hold one, so such a path is an error.
- `<idnumber>` is the question's Camp id (GIFT's `[id:...]`); the same one twice is an error.
- A name equal to the start of the text (what Camp lists for a question without a title,
  and what its export writes as the name) reads as no title.
- A type Camp cannot read (a plugin's, or `calculated`) stops the import at its line, or is
  left out and listed (`skip_unknown`). Elements other than `<question>` are ignored.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]

from camp.bank.extras import DEFAULT_GRADE, DEFAULT_PENALTY, OUTCOME_KEYS
from camp.bank.question_types import get_type
from camp.formats.gift import question_to_json as gift_question_to_json
from camp.formats.markdown import strip_to_text
from camp.formats.moodle_xml_question import (
    SETTING_DEFAULTS,
    MoodleCategory,
    MoodleQuestion,
    MoodleXmlError,
    MoodleXmlFile,
    MoodleXmlIssue,
    SkippedQuestion,
)
from camp.formats.moodle_xml_text import WS, Reading, clean_name, resolve
from camp.formats.moodle_xml_tree import Element, looks_like_moodle_xml, parse_tree
from camp.formats.moodle_xml_types import CANONICAL, READERS, Parsed, formatted_settings

__all__ = [
    "MoodleQuestion",
    "MoodleXmlError",
    "looks_like_moodle_xml",
    "parse_moodle_xml",
    "question_to_json",
    "untitled_name",
]

_CONTEXT = re.compile(r"\$[a-z0-9]+\$")
_SEPARATOR = re.compile(r"(?<!/)/(?!/)")
_COMBINED_TAGS = ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback")
MAX_ID = 100


def untitled_name(type_name: str, text: str, text_format: str, uid: str | None) -> str:
    """The name Camp writes for a question without a title: the start of its text as the
    bank lists it (or its id when the text has no words). The reader reads it as no title."""
    words = get_type(type_name).plain_text(strip_to_text(text, text_format))
    words = words if len(words) <= 80 else words[:79] + "…"
    return words or uid or "-"


def _category_path(r: Reading, element: Element) -> str:
    names = [name.strip(WS) for name in _SEPARATOR.split(r.plain(element).strip(WS))]
    if names and _CONTEXT.fullmatch(names[0]):
        names = names[1:]
    if names and names[0] == "top":
        names = names[1:]
    if any("//" in name for name in names):
        message = _l("Camp's category names cannot contain '/' (written '//' in Moodle)")
        r.fail(element.line, message)
    return "/".join(clean_name(name) for name in names if name)


def _category(element: Element, issues: list[MoodleXmlIssue]) -> MoodleCategory:
    record = element.first("category")
    r = Reading(element, Reading(element, "").plain(record))
    path = _category_path(r, record) if record is not None else ""
    if record is None:
        r.fail(element.line, _l("a category record needs its <category> path"))
    info = r.rich(element.first("info"), "html")
    idnumber = r.text_of(element.first("idnumber")) or None
    if idnumber is not None and len(idnumber) > MAX_ID:
        r.fail(element.line, _l("id numbers are limited to %(n)s characters", n=MAX_ID))
    issues.extend(r.problems)
    return MoodleCategory(element.line, path, info.text, info.format, idnumber)


def _extras(r: Reading, parsed: Parsed, moodle_type: str, fmt: str) -> dict[str, Any]:
    element, extras = r.element, dict[str, Any]()
    if parsed.combined_feedback:
        for key, tag in zip(OUTCOME_KEYS, _COMBINED_TAGS, strict=True):
            piece = r.rich(element.first(tag), fmt)
            if piece.text:
                extras[key] = piece
        if element.first("shownumcorrect") is not None:
            extras["show_num_correct"] = True
    hints = []
    for hint in element.every("hint") if parsed.hints else []:
        read: dict[str, Any] = {"text": r.rich(hint, fmt)}
        for flag, tag in (("show_num_correct", "shownumcorrect"), ("clear_wrong", "clearwrong")):
            if hint.first(tag) is not None:
                read[flag] = True
        if options := r.plain(hint.first("options")):
            read["options"] = options
        hints.append(read)
    if hints:
        extras["hints"] = hints
    if parsed.grade:
        grade = r.child_number("defaultgrade", _l("the default mark"), DEFAULT_GRADE)
        if grade != DEFAULT_GRADE:
            extras["default_grade"] = grade
    penalty = r.child_number("penalty", _l("the penalty"), DEFAULT_PENALTY)
    penalty = DEFAULT_PENALTY if abs(penalty - DEFAULT_PENALTY) < 0.005 else penalty
    if penalty != DEFAULT_PENALTY:
        extras["penalty"] = penalty
    defaults = SETTING_DEFAULTS.get(moodle_type, {})
    settings = {k: v for k, v in parsed.settings.items() if defaults.get(k) != v}
    settings.update(formatted_settings(r, moodle_type, fmt))
    if settings:
        extras["moodle"] = settings
    return extras


def _tags(r: Reading) -> list[str]:
    tags: list[str] = []
    for holder in ("tags", "coursetags"):
        for tag in (r.element.first(holder) or Element("", {}, 0)).every("tag"):
            text = r.plain(tag)
            if text and text not in tags:
                tags.append(text)
    return tags


def _question(element: Element, moodle_type: str) -> tuple[MoodleQuestion, list[MoodleXmlIssue]]:
    r = Reading(element, "")
    title = r.name = clean_name(r.plain(element.first("name")))
    text = r.rich(element.first("questiontext"), "html")
    general = r.rich(element.first("generalfeedback"), text.format)
    parsed = READERS[moodle_type](r, text)
    canonical = CANONICAL.get(moodle_type, moodle_type)
    extras = _extras(r, parsed, canonical, text.format)
    stored, fmt, pieces = resolve(
        parsed.text or text, {"spec": parsed.spec, "general": general, "extras": extras}
    )
    ident = r.text_of(element.first("idnumber")) or None
    if ident is not None and len(ident) > MAX_ID:
        r.fail(element.line, _l("id numbers are limited to %(n)s characters", n=MAX_ID))
    if title == untitled_name(parsed.type, stored, fmt, ident):
        title = ""
    question = MoodleQuestion(
        line=element.line,
        type=parsed.type,
        text=stored,
        text_format=fmt,
        title=title,
        id=ident,
        tags=_tags(r),
        spec=pieces["spec"],
        general_feedback=pieces["general"],
        extras=pieces["extras"],
        files=tuple(r.files.values()),
        moodle_type=canonical,
    )
    return question, r.problems


def _unknown(element: Element, moodle_type: str) -> MoodleXmlIssue:
    name = clean_name(Reading(element, "").plain(element.first("name")))
    message = _l(
        "question %(name)s: Camp cannot read questions of the type %(type)s (a Moodle "
        "plugin's or one Camp lacks); nothing was imported: remove it, or skip the questions "
        "of unknown types to import the rest",
        name=repr(name),
        type=repr(moodle_type),
    )
    return MoodleXmlIssue(element.line, message)


def parse_moodle_xml(
    source: str | bytes, *, category: str | None = None, skip_unknown: bool = False
) -> MoodleXmlFile:
    """Every question and category record of a Moodle XML file, or `MoodleXmlError` listing
    all the file's problems. `category` is where questions go before any category record
    (and after one naming the top category); with `skip_unknown`, questions of types Camp
    cannot read are left out and listed in `skipped` instead of stopping the import."""
    root = parse_tree(source)
    if root.tag != "quiz":
        message = _l("the file's root element is <%(tag)s>; a Moodle XML file holds <quiz>")
        raise MoodleXmlError([MoodleXmlIssue(root.line, message % {"tag": root.tag})])
    result, issues = MoodleXmlFile(), list[MoodleXmlIssue]()
    seen: dict[str, int] = {}
    current = category
    for element in root.every("question"):
        moodle_type = element.attrs.get("type", "").strip(WS)
        if moodle_type == "category":
            record = _category(element, issues)
            result.categories.append(record)
            current = record.path or category
            continue
        if moodle_type not in READERS:
            if skip_unknown:
                name = clean_name(Reading(element, "").plain(element.first("name")))
                result.skipped.append(SkippedQuestion(element.line, moodle_type, name))
            else:
                issues.append(_unknown(element, moodle_type))
            continue
        question, problems = _question(element, moodle_type)
        question.category = current
        issues.extend(problems)
        which = repr(question.title or question.id or moodle_type)
        if question.id is not None and question.id in seen:
            message = _l(
                "question %(name)s: the id number %(id)s is already used on line %(line)s",
                name=which,
                id=repr(question.id),
                line=seen[question.id],
            )
            issues.append(MoodleXmlIssue(question.line, message))
        elif question.id is not None:
            seen[question.id] = question.line
        if not problems:
            for problem in get_type(question.type).validate(question.spec):
                message = _l("question %(name)s: %(problem)s", name=which, problem=problem)
                issues.append(MoodleXmlIssue(question.line, message))
        result.questions.append(question)
    if issues:
        raise MoodleXmlError(issues)
    return result


def question_to_json(q: MoodleQuestion) -> dict:
    """The JSON shape `camp bank import --json` prints for one question: GIFT's fields, and
    the text format, Moodle's type name, the extras and the embedded files (without data)."""
    return {
        **gift_question_to_json(q),
        "text_format": q.text_format,
        "moodle_type": q.moodle_type,
        "extras": q.extras,
        "files": [{"name": f.name, "bytes": len(f.data), "line": f.line} for f in q.files],
    }
