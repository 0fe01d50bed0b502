"""Writing each Camp question type's own elements as Moodle XML, as Moodle's exporter writes
them (question/format/xml/format.php, qtype_ordering's export_to_xml), so that Moodle imports
them and `moodle_xml` reads them back to the same spec.

Settings a question kept from Moodle (extras' "moodle") are written back; a question without
them gets `SETTING_DEFAULTS`. Where Camp says more than Moodle can:
- a numerical range (Camp's own kind of answer) is written as its midpoint ± half its width,
  which accepts the same numbers and reads back as a tolerance answer;
- an ordering question is written with every item shown (`selecttype` ALL).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from camp.bank.extras import OUTCOME_KEYS
from camp.bank.types import cloze_syntax
from camp.bank.types.base import show_number
from camp.formats.moodle_xml_question import (
    FORMATTED_SETTINGS,
    MOODLE_FORMAT,
    OPTIONAL_SETTINGS,
    SETTING_DEFAULTS,
    MoodleQuestion,
)

# (Moodle type, `Body`), by Camp type.
Text = Callable[[str], str]  # a text as the file holds it (CDATA or escaped)
Body = Callable[[MoodleQuestion, "Writing"], list[str]]
_COMBINED_TAGS = ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback")


class Writing:
    """What a type's body needs from the writer: texts written out, with their files."""

    def __init__(self, text: Text, escape: Text, files: Callable[[str, str], list[str]]) -> None:
        self.text, self.escape, self.files = text, escape, files

    def formatted(self, tag: str, text: str, fmt: str, indent: str = "    ") -> list[str]:
        """`<tag format="...">` holding a text (and the files it refers to)."""
        return [
            f'{indent}<{tag} format="{MOODLE_FORMAT.get(fmt, "html")}">',
            f"{indent}  <text>{self.text(text)}</text>",
            *(indent + "  " + line for line in self.files(tag, text)),
            f"{indent}</{tag}>",
        ]

    def setting(self, tag: str, value: str) -> str:
        return f"    <{tag}>{self.escape(value)}</{tag}>"


def _settings(q: MoodleQuestion) -> dict[str, Any]:
    return {**SETTING_DEFAULTS.get(q.moodle_type, {}), **(q.extras.get("moodle") or {})}


def number(value: float) -> str:
    return show_number(value)


def combined_feedback(q: MoodleQuestion, w: Writing) -> list[str]:
    lines = []
    for key, tag in zip(OUTCOME_KEYS, _COMBINED_TAGS, strict=True):
        lines += w.formatted(tag, str(q.extras.get(key) or ""), q.text_format)
    if q.extras.get("show_num_correct"):
        lines.append("    <shownumcorrect/>")
    return lines


def _answer(
    w: Writing,
    fraction: float,
    text: str,
    text_fmt: str,
    feedback: str,
    fmt: str,
    extra: Sequence[str] = (),
) -> list[str]:
    return [
        f'    <answer fraction="{number(fraction)}" format="{MOODLE_FORMAT[text_fmt]}">',
        f"      <text>{w.text(text)}</text>",
        *("      " + line for line in w.files("answer", text)),
        *w.formatted("feedback", feedback, fmt, "      "),
        *extra,
        "    </answer>",
    ]


def choice(q: MoodleQuestion, w: Writing) -> list[str]:
    settings, fmt = _settings(q), q.text_format
    lines = [w.setting("single", "true" if q.type == "single_choice" else "false")]
    lines += [w.setting(tag, settings[tag]) for tag in SETTING_DEFAULTS["multichoice"]]
    lines += combined_feedback(q, w)
    for option in q.spec["options"]:
        feedback = option.get("feedback") or ""
        lines += _answer(w, option["weight"], option["text"], fmt, feedback, fmt)
    return lines


def true_false(q: MoodleQuestion, w: Writing) -> list[str]:
    right, lines = bool(q.spec["answer"]), []
    for word, value in (("true", True), ("false", False)):
        feedback = q.spec.get(f"feedback_{word}") or ""
        fraction = 100.0 if right is value else 0.0
        lines += _answer(w, fraction, word, "moodle", feedback, q.text_format)
    return lines


def short_answer(q: MoodleQuestion, w: Writing) -> list[str]:
    lines = [w.setting("usecase", "1" if q.spec.get("case_sensitive") else "0")]
    for answer in q.spec["answers"]:
        feedback = answer.get("feedback") or ""
        lines += _answer(w, answer["weight"], answer["text"], "moodle", feedback, q.text_format)
    return lines


def _value_and_tolerance(answer: dict[str, Any]) -> tuple[str, float]:
    kind = answer["kind"]
    if kind == "any":
        return "*", 0.0
    if kind == "range":
        low, high = float(answer["min"]), float(answer["max"])
        return number((low + high) / 2), (high - low) / 2
    return number(answer["value"]), float(answer.get("tolerance", 0.0))


def numerical(q: MoodleQuestion, w: Writing) -> list[str]:
    lines: list[str] = []
    for answer in q.spec["answers"]:
        value, tolerance = _value_and_tolerance(answer)
        extra = [f"      <tolerance>{number(tolerance)}</tolerance>"]
        feedback = answer.get("feedback") or ""
        lines += _answer(w, answer["weight"], value, "moodle", feedback, q.text_format, extra)
    settings = _settings(q)
    if settings.get("units"):
        lines.append("    <units>")
        for unit in settings["units"]:
            lines += [
                "      <unit>",
                f"        <multiplier>{w.escape(unit.get('multiplier') or '1')}</multiplier>",
                f"        <unit_name>{w.escape(unit.get('unit_name') or '')}</unit_name>",
                "      </unit>",
            ]
        lines.append("    </units>")
    lines += [w.setting(tag, settings[tag]) for tag in SETTING_DEFAULTS["numerical"]]
    return lines + formatted_settings(q, w)


def matching(q: MoodleQuestion, w: Writing) -> list[str]:
    lines = [w.setting("shuffleanswers", _settings(q)["shuffleanswers"])]
    lines += combined_feedback(q, w)
    for pair in q.spec["pairs"]:
        lines += w.formatted("subquestion", pair.get("left") or "", q.text_format)[:-1]
        lines += [
            "      <answer>",
            f"        <text>{w.text(pair['right'])}</text>",
            "      </answer>",
            "    </subquestion>",
        ]
    return lines


def essay(q: MoodleQuestion, w: Writing) -> list[str]:
    settings = _settings(q)
    lines = [w.setting(tag, settings[tag]) for tag in ("responseformat", "responserequired")]
    if "response_lines" in q.spec:
        lines.append(w.setting("responsefieldlines", str(q.spec["response_lines"])))
    lines += [w.setting(tag, settings[tag]) for tag in ("attachments", "attachmentsrequired")]
    lines += [
        w.setting(tag, settings[tag]) for tag in OPTIONAL_SETTINGS["essay"] if tag in settings
    ]
    return lines + formatted_settings(q, w)


def formatted_settings(q: MoodleQuestion, w: Writing) -> list[str]:
    settings, lines = q.extras.get("moodle") or {}, []
    for tag in FORMATTED_SETTINGS.get(q.moodle_type, ()):
        if tag in settings:
            moodle_format = settings.get(tag + "_format") or "html"
            lines += [
                f'    <{tag} format="{w.escape(moodle_format)}">',
                f"      <text>{w.text(settings[tag])}</text>",
                *("      " + line for line in w.files(tag, settings[tag])),
                f"    </{tag}>",
            ]
    return lines


def description(q: MoodleQuestion, w: Writing) -> list[str]:
    return []


def cloze_text(q: MoodleQuestion) -> str:
    """The question text with each gap written back in Moodle's syntax (a range as a
    tolerance: Moodle's gaps have no ranges)."""
    gaps = []
    for gap in q.spec["gaps"]:
        answers = []
        for answer in gap["answers"]:
            if gap["kind"] == "numerical" and answer["kind"] == "range":
                value, tolerance = _value_and_tolerance(answer)
                answer = {**answer, "kind": "tolerance", "value": float(value)}
                answer = {k: v for k, v in answer.items() if k not in ("min", "max")}
                answer["tolerance"] = tolerance
            answers.append(answer)
        gaps.append({**gap, "answers": answers})
    return cloze_syntax.write(q.text, gaps)


def ordering(q: MoodleQuestion, w: Writing) -> list[str]:
    settings = _settings(q)
    grading = "ALL_OR_NOTHING" if q.spec["grading"] == "all_or_nothing" else "ABSOLUTE_POSITION"
    lines = [
        w.setting("layouttype", settings["layouttype"]),
        w.setting("selecttype", "ALL"),
        w.setting("selectcount", "0"),
        w.setting("gradingtype", grading),
        w.setting("showgrading", settings["showgrading"]),
        w.setting("numberingstyle", settings["numberingstyle"]),
    ]
    lines += combined_feedback(q, w)
    for place, item in enumerate(q.spec["items"], 1):
        lines += _answer(w, place, item, q.text_format, "", q.text_format)
    return lines


BODIES: dict[str, tuple[str, Body]] = {
    "single_choice": ("multichoice", choice),
    "multiple_choice": ("multichoice", choice),
    "true_false": ("truefalse", true_false),
    "short_answer": ("shortanswer", short_answer),
    "numerical": ("numerical", numerical),
    "matching": ("matching", matching),
    "essay": ("essay", essay),
    "description": ("description", description),
    "cloze": ("cloze", description),
    "ordering": ("ordering", ordering),
}
# Types whose hints Moodle reads (an essay's and a description's it does not).
WITH_HINTS = {name for name in BODIES if name not in ("essay", "description")}
