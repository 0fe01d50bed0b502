"""How a question version looks on a page: the student's view (never the key), the organiser's
answer key, and a plain-text rendering of a version for diffs. No request objects, no queries.

`student_question_view` returns everything `templates/_macros/question.html` needs to show a
question before submission, and nothing of the key (no weight, feedback or right answer):

    number        int     position on the page (1-based), shown before the text
    id            str     "q<number>": prefix of every element id inside the question
    title         str     the version's title (organiser-facing; the macro does not show it)
    text_html     Markup  the question text, rendered and sanitised in its text format
    widget        str     radio | checkbox | true_false | text | number | matching | textarea | none
    field_name    str     the name the question's inputs post under
    options       list    radio, checkbox, true_false: {"id", "value", "html", "checked"} in display
                          order; value is value_for(option index), or "true"/"false" for true_false
    stems         list    matching: {"id", "field_name", "html", "selected"} per stem, in spec
                          order; field_name is "<field_name>-<stem index>", selected is the value
                          of the chosen choice or ""
    choices       list    matching: {"value": value_for(choice index), "text": plain text} in
                          display order (the same list for every stem)
    current_text  str     text, number, textarea: the saved answer ("" when none)
    lines         int     textarea: the height of the answer box in lines

`response` is a canonical response as the type's `normalise_response` returns it: {"selected":
int}, {"selected": [int]}, {"value": bool}, {"text": str} or {"matches": {"<stem>": int}}.
Text rendering is cached: a version is immutable, so the same text always renders the same.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, Protocol

from markupsafe import Markup, escape

from camp import caches
from camp.bank.question_types import get_type
from camp.bank.types.base import show_number
from camp.bank.types.text import DEFAULT_RESPONSE_LINES
from camp.formats.markdown import render_text, strip_to_text

_ONE_PARAGRAPH = re.compile(r"\A<p>((?:(?!</?p[\s>]).)*)</p>\Z", re.DOTALL)


class VersionLike(Protocol):
    """What presentation needs of a question version (a `QuestionVersion` row fits)."""

    type: str
    title: str
    text: str
    text_format: str
    spec: dict[str, Any]
    general_feedback: str


@lru_cache(maxsize=8192)
def rendered(text: str, text_format: str) -> Markup:
    """`text` as sanitised HTML (block level: paragraphs, lists, tables)."""
    return Markup(render_text(text, text_format))  # noqa: S704 (render_text sanitises)


@lru_cache(maxsize=8192)
def rendered_inline(text: str, text_format: str) -> Markup:
    """`text` as sanitised HTML, a lone paragraph unwrapped so it fits inside a label."""
    html = render_text(text, text_format).strip()
    match = _ONE_PARAGRAPH.match(html)
    return Markup(match.group(1) if match else html)  # noqa: S704 (render_text sanitises)


def _selected(response: dict | None, key: str) -> Any:
    return response.get(key) if isinstance(response, dict) else None


def student_question_view(
    version: VersionLike,
    *,
    number: int,
    order: list[int] | None = None,
    value_for: Callable[[int], str] = str,
    response: dict | None = None,
    field_name: str = "answer",
) -> dict:
    """The student's view-model of `version` before submission (see the module docstring)."""
    kind = get_type(version.type)
    shown = kind.student_view(version.spec, order)
    fmt = version.text_format
    prefix = f"q{number}"
    view: dict[str, Any] = {
        "number": number,
        "id": prefix,
        "title": version.title,
        "text_html": rendered(version.text, fmt),
        "widget": shown["widget"],
        "field_name": field_name,
        "options": [],
        "stems": [],
        "choices": [],
        "current_text": "",
        "lines": DEFAULT_RESPONSE_LINES,
    }
    widget = shown["widget"]
    if widget in ("radio", "checkbox"):
        chosen = _selected(response, "selected")
        picked = set(chosen) if isinstance(chosen, list) else {chosen}
        view["options"] = [
            {
                "id": f"{prefix}-option-{position}",
                "value": value_for(option["index"]),
                "html": rendered_inline(option["text"], fmt),
                "checked": option["index"] in picked,
            }
            for position, option in enumerate(shown["options"], 1)
        ]
    elif widget == "true_false":
        value = _selected(response, "value")
        view["options"] = [
            {
                "id": f"{prefix}-true",
                "value": "true",
                "html": Markup("True"),
                "checked": value is True,
            },
            {
                "id": f"{prefix}-false",
                "value": "false",
                "html": Markup("False"),
                "checked": value is False,
            },
        ]
    elif widget == "matching":
        matches = _selected(response, "matches")
        matches = matches if isinstance(matches, dict) else {}
        view["choices"] = [
            {"value": value_for(choice["index"]), "text": strip_to_text(choice["text"], "plain")}
            for choice in shown["choices"]
        ]
        for position, stem in enumerate(shown["stems"], 1):
            choice = matches.get(str(stem["index"]))
            view["stems"].append(
                {
                    "id": f"{prefix}-stem-{position}",
                    "field_name": f"{field_name}-{stem['index']}",
                    "html": rendered_inline(stem["text"], fmt),
                    "selected": value_for(choice) if isinstance(choice, int) else "",
                }
            )
    elif widget in ("text", "number", "textarea"):
        text = _selected(response, "text")
        view["current_text"] = text if isinstance(text, str) else ""
        view["lines"] = shown.get("lines", DEFAULT_RESPONSE_LINES)
    return view


def key_view(version: VersionLike) -> dict:
    """The organiser's answer key: every answer with weight and feedback, the right answer.

    Returns {"type", "type_label", "grading" (words), "correct_answer_text",
    "general_feedback_html", "answers": [{"html", "weight", "feedback_html"}]}.
    """
    kind = get_type(version.type)
    fmt = version.text_format
    answers = []
    for item in kind.answers_summary(version.spec):
        if version.type in ("single_choice", "multiple_choice"):
            html = rendered_inline(item["text"], fmt)
        elif version.type == "true_false":
            html = escape(item["text"].capitalize())
        else:
            html = escape(item["text"])
        answers.append(
            {
                "html": html,
                "weight": f"{show_number(round(item['weight'], 4))}%",
                "feedback_html": rendered(item["feedback"], fmt) if item["feedback"] else "",
            }
        )
    if not kind.gradable:
        grading = "Not graded: this is information for the student."
    elif not kind.auto_graded:
        grading = "Graded by an organiser."
    else:
        grading = "Graded automatically."
    return {
        "type": version.type,
        "type_label": kind.label,
        "grading": grading,
        "correct_answer_text": kind.correct_answer_text(version.spec),
        "general_feedback_html": (
            rendered(version.general_feedback, fmt) if version.general_feedback else ""
        ),
        "answers": answers,
    }


def _indented(text: str) -> list[str]:
    return ["    " + line for line in text.replace("\r\n", "\n").split("\n")]


def version_lines(version: VersionLike) -> list[str]:
    """A plain-text rendering of every versioned field of `version`, one item per line."""
    kind = get_type(version.type)
    lines = [
        f"Type: {kind.label}",
        f"Title: {version.title}",
        f"Text format: {version.text_format}",
        "Text:",
        *_indented(version.text),
    ]
    answers = kind.answers_summary(version.spec)
    if answers:
        lines.append("Answers:")
    for position, item in enumerate(answers, 1):
        weight = show_number(round(item["weight"], 4))
        lines.append(f"  {position}. [{weight}%] {item['text']}")
        if item["feedback"]:
            lines.append("     Feedback:")
            lines.extend("  " + line for line in _indented(item["feedback"]))
    if "response_lines" in version.spec:
        lines.append(f"Answer box: {version.spec['response_lines']} lines")
    if version.general_feedback:
        lines.append("General feedback:")
        lines.extend(_indented(version.general_feedback))
    return lines


@dataclass(frozen=True)
class DiffLine:
    kind: Literal["same", "added", "removed"]
    text: str


def diff_lines(before: list[str], after: list[str]) -> list[DiffLine]:
    """Line diff of two renderings: unchanged, removed (from `before`) and added lines."""
    result: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            result.extend(DiffLine("same", line) for line in before[a1:a2])
            continue
        result.extend(DiffLine("removed", line) for line in before[a1:a2])
        result.extend(DiffLine("added", line) for line in after[b1:b2])
    return result


caches.register_function("rendered question text", rendered)
caches.register_function("rendered inline text", rendered_inline)
