"""Reading each Moodle question type's own elements into a Camp type and spec, following
Moodle's importer (question/format/xml/format.php, and qtype_ordering's import_from_xml):

- `multichoice`: `<single>` picks single or multiple choice; fractions are percentages.
- `truefalse`: the `true` and `false` answers (in that order when their text is neither).
- `shortanswer`: `<usecase>` makes the answers case-sensitive (`case_sensitive` in the spec).
- `numerical`: `*` is any number, a tolerance of 0 an exact value. Units, their multipliers
  and grading are kept (extras' Moodle settings) and written back, but Camp grades the number
  alone: a response is read as a number, as in Moodle with units not used.
- `matching` (or `match`): a subquestion without text is a distractor; empty ones are dropped.
- `essay`: `<responsefieldlines>` is the answer box's height; the rest is kept.
- `cloze` (or `multianswer`): the embedded answers are read by Camp's cloze type.
- `ordering`: the answers in file order; grading ALL_OR_NOTHING or ABSOLUTE_POSITION (Camp's
  two), and every item shown. Moodle's relative gradings and subsets are refused, not bent.

Each reader returns a `Parsed`: texts as `Rich` pieces, settings as written (the caller drops
the ones equal to `SETTING_DEFAULTS`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]

from camp.bank.question_types import get_type
from camp.bank.types.base import AuthoringError
from camp.formats.moodle_xml_question import (
    FORMATTED_SETTINGS,
    MOODLE_FORMAT,
    OPTIONAL_SETTINGS,
)
from camp.formats.moodle_xml_text import Reading, Rich, flag
from camp.formats.moodle_xml_tree import Element

_ORDERING_GRADING = {
    "ALL_OR_NOTHING": "all_or_nothing",
    "ABS": "partial",
    "ABSOLUTE": "partial",
    "ABSOLUTE_POSITION": "partial",
}


@dataclass
class Parsed:
    """A question type's reading: Camp's type and spec, Moodle's settings, the question
    text when the type changes it, and which common parts Moodle reads for the type."""

    type: str
    spec: dict[str, Any]
    settings: dict[str, Any] = field(default_factory=dict)
    text: Rich | None = None
    combined_feedback: bool = False
    hints: bool = True
    grade: bool = True


Reader = Callable[[Reading, Rich], Parsed]


def _fraction(r: Reading, answer: Element) -> float:
    """An answer's fraction in percent (the deprecated `<fraction>` child is 0..1)."""
    child = answer.first("fraction")
    if child is not None:
        return 100 * r.number(r.text_of(child), child.line, _l("the fraction"), 0.0)
    return r.number(answer.attrs.get("fraction"), answer.line, _l("the fraction"), 0.0)


def _answers(r: Reading) -> list[Element]:
    return r.element.every("answer")


def multichoice(r: Reading, text: Rich) -> Parsed:
    fmt = text.format
    options = [
        {
            "text": r.rich(answer, fmt),
            "weight": _fraction(r, answer),
            "feedback": r.rich(answer.first("feedback"), fmt),
        }
        for answer in _answers(r)
    ]
    single = flag(r.setting("single"), True)
    settings = {
        "shuffleanswers": "true" if flag(r.setting("shuffleanswers"), False) else "false",
        "answernumbering": r.setting("answernumbering") or "abc",
        "showstandardinstruction": r.setting("showstandardinstruction") or "1",
    }
    kind = "single_choice" if single else "multiple_choice"
    return Parsed(kind, {"options": options}, settings, combined_feedback=True)


def truefalse(r: Reading, text: Rich) -> Parsed:
    answer, feedback = False, {"true": Rich("", text.format), "false": Rich("", text.format)}
    answers = _answers(r)
    if not answers:
        r.fail(r.element.line, _l("a true/false question needs its true and false answers"))
    for position, element in enumerate(answers):
        word = r.plain(element)
        if word not in ("true", "false"):  # an old file: true first, then false
            word = "true" if position == 0 else "false"
        right = _fraction(r, element) == 100
        answer = right if word == "true" else not right
        feedback[word] = r.rich(element.first("feedback"), text.format)
    spec = {
        "answer": answer,
        "feedback_true": feedback["true"],
        "feedback_false": feedback["false"],
    }
    return Parsed("true_false", spec)


def shortanswer(r: Reading, text: Rich) -> Parsed:
    answers = [
        {
            "text": r.plain(answer),
            "weight": _fraction(r, answer),
            "feedback": r.rich(answer.first("feedback"), text.format),
        }
        for answer in _answers(r)
    ]
    spec: dict[str, Any] = {"answers": answers}
    if flag(r.setting("usecase"), False):
        spec["case_sensitive"] = True
    return Parsed("short_answer", spec)


def _number_answer(r: Reading, answer: Element, fmt: str) -> dict[str, Any]:
    value = r.plain(answer) or "*"
    tolerance_element = answer.first("tolerance")
    tolerance = abs(
        r.number(r.text_of(tolerance_element), answer.line, _l("the tolerance"), 0.0)
        if tolerance_element is not None
        else 0.0
    )
    if value == "*":
        kind: dict[str, Any] = {"kind": "any"}
    else:
        number = r.number(value, answer.line, _l("the answer"), 0.0)
        kind = {"kind": "exact", "value": number}
        if tolerance:
            kind = {"kind": "tolerance", "value": number, "tolerance": tolerance}
    feedback = r.rich(answer.first("feedback"), fmt)
    return {**kind, "weight": _fraction(r, answer), "feedback": feedback}


def numerical(r: Reading, text: Rich) -> Parsed:
    answers = [_number_answer(r, answer, text.format) for answer in _answers(r)]
    settings: dict[str, Any] = {}
    units = r.element.first("units")
    if units is not None:
        settings["units"] = [
            {
                "multiplier": r.plain(unit.first("multiplier")) or "1",
                "unit_name": r.plain(unit.first("unit_name")),
            }
            for unit in units.every("unit")
        ]
    for tag in ("unitgradingtype", "unitpenalty", "showunits", "unitsleft"):
        value = r.setting(tag)
        if value is not None:
            settings[tag] = value
    return Parsed("numerical", {"answers": answers}, settings)


def matching(r: Reading, text: Rich) -> Parsed:
    pairs = []
    for sub in r.element.every("subquestion"):
        left, right = r.rich(sub, text.format), r.plain(sub.first("answer"))
        if left.text or right:
            pairs.append({"left": left, "right": right})
    shuffle = flag(r.setting("shuffleanswers"), True)
    settings = {"shuffleanswers": "true" if shuffle else "false"}
    return Parsed("matching", {"pairs": pairs}, settings, combined_feedback=True)


def essay(r: Reading, text: Rich) -> Parsed:
    spec: dict[str, Any] = {}
    lines = r.setting("responsefieldlines")
    if lines:
        if lines.isascii() and lines.isdigit():
            spec["response_lines"] = int(lines)
        else:
            message = _l("the answer box height %(value)s is not a whole number", value=lines)
            r.fail(r.element.line, message)
    settings: dict[str, Any] = {}
    for tag in ("responseformat", "responserequired", "attachments", "attachmentsrequired"):
        value = r.setting(tag)
        if value is not None:
            settings[tag] = value
    for tag in OPTIONAL_SETTINGS["essay"]:
        if value := r.setting(tag):
            settings[tag] = value
    return Parsed("essay", spec, settings, hints=False)


def description(r: Reading, text: Rich) -> Parsed:
    return Parsed("description", {}, hints=False, grade=False)


def cloze(r: Reading, text: Rich) -> Parsed:
    line = (r.element.first("questiontext") or r.element).line
    try:
        stored, spec = get_type("cloze").authored(text.text, {})
    except AuthoringError as error:
        for problem in error.problems:
            r.fail(line, problem)
        return Parsed("cloze", {"gaps": []}, text=text, grade=False)
    return Parsed("cloze", spec, text=Rich(stored, text.format), grade=False)


def ordering(r: Reading, text: Rich) -> Parsed:
    items = [r.rich(answer, text.format) for answer in _answers(r)]
    grading_word = (r.setting("gradingtype") or "RELATIVE_NEXT_EXCLUDE_LAST").upper()
    grading = _ORDERING_GRADING.get(grading_word)
    if grading is None:
        message = _l(
            "Camp grades an ordering question all or nothing or by each item's absolute "
            "position, not by %(grading)s: set <gradingtype> to ALL_OR_NOTHING or "
            "ABSOLUTE_POSITION",
            grading=grading_word,
        )
        r.fail(r.element.line, message)
    select = (r.setting("selecttype") or r.setting("logical") or "RANDOM").upper()
    count_text = r.setting("selectcount") or r.setting("studentsee") or "6"
    count = int(count_text) if count_text.isascii() and count_text.isdigit() else 0
    if select not in ("ALL", "EXACT") and 0 < count < len(items):
        message = _l(
            "the question shows %(count)s of its %(n)s items; Camp shows every item: set "
            "<selecttype> to ALL",
            count=count,
            n=len(items),
        )
        r.fail(r.element.line, message)
    layout = (r.setting("layouttype") or "VERTICAL").upper()
    show = r.setting("showgrading") or "SHOW"
    settings = {
        "layouttype": "HORIZONTAL" if layout in ("HORIZONTAL", "HORI", "H", "1") else "VERTICAL",
        "showgrading": "HIDE" if show.upper() in ("HIDE", "FALSE", "NO", "0") else "SHOW",
        "numberingstyle": r.setting("numberingstyle") or "none",
    }
    spec = {"items": items, "grading": grading or "partial"}
    return Parsed("ordering", spec, settings, combined_feedback=True)


def formatted_settings(r: Reading, moodle_type: str, fmt: str) -> dict[str, Any]:
    """A type's formatted settings (an essay's information for graders...), as written."""
    settings: dict[str, Any] = {}
    for tag in FORMATTED_SETTINGS.get(moodle_type, ()):
        element = r.element.first(tag)
        piece = r.rich(element, fmt)
        if piece.text and element is not None:
            settings[tag] = piece.text
            settings[tag + "_format"] = element.attrs.get("format", MOODLE_FORMAT[fmt])
    return settings


# Moodle's type names (with the older and newer spellings it reads) -> reader.
READERS: dict[str, Reader] = {
    "multichoice": multichoice,
    "truefalse": truefalse,
    "shortanswer": shortanswer,
    "numerical": numerical,
    "matching": matching,
    "match": matching,
    "essay": essay,
    "description": description,
    "cloze": cloze,
    "multianswer": cloze,
    "ordering": ordering,
}
# The name Camp writes for each (the one Moodle's exporter writes).
CANONICAL = {"match": "matching", "multianswer": "cloze"}
