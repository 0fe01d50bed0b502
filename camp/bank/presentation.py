"""How a question version looks on a page: the student's view (never the key), the organiser's
answer key, and a plain-text rendering of a version for diffs. No request objects, no queries.

`student_question_view` returns everything `templates/_macros/question.html` needs to show a
question before submission, and nothing of the key (no weight, feedback or right answer):

    number        int     position on the page (1-based), shown before the text
    id            str     "q<number>": prefix of every element id inside the question
    title         str     the version's title (organiser-facing; the macro does not show it)
    text_html     Markup  the question text, rendered and sanitised in its text format
    type          str     the question type's name (a CSS class on the question)
    template      str     the type's partial under templates/ for the answer part (None: none)
    shows_text_itself bool  the partial shows the text (its inputs sit in it), not the legend
    field_name    str     the name the question's inputs post under

and the keys the type's own `view` adds for its partial (see each class in camp.bank.types).
`response` is a canonical response as the type's `normalise_response` returns it.
Text rendering is cached: a version is immutable, so the same text always renders the same.
A saved version's texts point their `@@PLUGINFILE@@/<name>` references at its embedded
files (camp.bank.question_files); a draft, which has no id and no files, drops them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, Protocol

from flask_babel import gettext as _  # type: ignore[import-untyped]
from markupsafe import Markup

from camp import caches
from camp.bank.extras import (
    OUTCOME_KEYS,
    extras_lines,
    hint_texts,
    outcome_feedback,
    outcome_labels,
)
from camp.bank.question_files import files_base
from camp.bank.question_types import get_type
from camp.bank.types.base import Rendering, show_number
from camp.formats.markdown import render_text, strip_to_text

_ONE_PARAGRAPH = re.compile(r"\A<p>((?:(?!</?p[\s>]).)*)</p>\Z", re.DOTALL)


class VersionLike(Protocol):
    """What presentation needs of a question version, read-only (a `QuestionVersion` row
    fits, and so does the cached `VersionData`)."""

    @property
    def type(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def text_format(self) -> str: ...
    @property
    def spec(self) -> dict[str, Any]: ...
    @property
    def general_feedback(self) -> str: ...
    @property
    def extras(self) -> dict[str, Any]: ...


@lru_cache(maxsize=8192)
def rendered(text: str, text_format: str, files: str | None = None) -> Markup:
    """`text` as sanitised HTML (block level: paragraphs, lists, tables); `files` is the URL
    of its version's embedded files (`version_files`; None: references are dropped)."""
    return Markup(render_text(text, text_format, files))  # noqa: S704 (render_text sanitises)


@lru_cache(maxsize=8192)
def rendered_inline(text: str, text_format: str, files: str | None = None) -> Markup:
    """`text` as sanitised HTML, a lone paragraph unwrapped so it fits inside a label."""
    html = render_text(text, text_format, files).strip()
    match = _ONE_PARAGRAPH.match(html)
    return Markup(match.group(1) if match else html)  # noqa: S704 (render_text sanitises)


def version_files(version: object) -> str | None:
    """The URL of a saved version's embedded files (None for a draft, which has no id)."""
    version_id = getattr(version, "id", None)
    return files_base(version_id) if isinstance(version_id, int) else None


def rendered_for(version: VersionLike, text: str, text_format: str | None = None) -> Markup:
    """One of `version`'s texts (feedback, say) as `rendered`, its files found."""
    return rendered(text, text_format or version.text_format, version_files(version))


def _rendering(
    version: VersionLike,
    prefix: str,
    field_name: str,
    value_for: Callable[[int], str],
    order: list[int] | None = None,
    response: dict | None = None,
) -> Rendering:
    fmt, files = version.text_format, version_files(version)
    return Rendering(
        order=order,
        response=response if isinstance(response, dict) else None,
        prefix=prefix,
        field_name=field_name,
        value_for=value_for,
        inline=lambda text: rendered_inline(text, fmt, files),
        plain=lambda text: strip_to_text(text, "plain"),
        text_html=rendered(version.text, fmt, files),
    )


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
    prefix = f"q{number}"
    rendering = _rendering(version, prefix, field_name, value_for, order, response)
    return {
        "number": number,
        "id": prefix,
        "title": version.title,
        "text_html": rendering.text_html,
        "type": version.type,
        "template": kind.template,
        "shows_text_itself": kind.shows_text_itself,
        "field_name": field_name,
        **kind.view(version.spec, rendering),
    }


def key_view(version: VersionLike) -> dict:
    """The organiser's answer key: every answer with weight and feedback, the right answer.

    Returns {"type", "type_label", "grading" (words), "correct_answer_text",
    "general_feedback_html", "answers": [{"html", "weight", "feedback_html"}],
    "outcome_feedback": [(label, html)], "hints_html": [html], "marks": [words]}: the last
    three from the version's extras (camp.bank.extras), empty when it has none.
    """
    kind = get_type(version.type)
    rendering = _rendering(version, "key", "answer", str)
    answers = [
        {
            "html": kind.answer_html(item["text"], rendering),
            "weight": f"{show_number(round(item['weight'], 4))}%",
            "feedback_html": rendered_for(version, item["feedback"]) if item["feedback"] else "",
        }
        for item in kind.answers_summary(version.spec)
    ]
    if not kind.gradable:
        grading = _("Not graded: this is information for the student.")
    elif not kind.auto_graded:
        grading = _("Graded by an organiser.")
    else:
        grading = _("Graded automatically.")
    return {
        "type": version.type,
        "type_label": kind.label,
        "grading": grading,
        "correct_answer_text": kind.correct_answer_text(version.spec),
        "general_feedback_html": (
            rendered_for(version, version.general_feedback) if version.general_feedback else ""
        ),
        "answers": answers,
        **_extras_view(version, version.extras or {}),
    }


def _extras_view(version: VersionLike, extras: dict[str, Any]) -> dict[str, Any]:
    labels = outcome_labels()
    outcome = [
        (label, rendered_for(version, extras[key]))
        for key, label in zip(OUTCOME_KEYS, labels, strict=True)
        if str(extras.get(key) or "").strip()
    ]
    marks = []
    if "default_grade" in extras:
        marks.append(_("Default mark: %(mark)s", mark=show_number(extras["default_grade"])))
    if "penalty" in extras:
        marks.append(_("Penalty: %(penalty)s", penalty=show_number(extras["penalty"])))
    hints = [rendered_for(version, text) for text in hint_texts(extras)]
    return {"outcome_feedback": outcome, "hints_html": hints, "marks": marks}


def outcome_html(version: VersionLike, status: str | None) -> Markup | None:
    """The feedback by outcome a result with this review `status` shows, rendered; None
    when there is none (see `camp.bank.extras.outcome_feedback`)."""
    text = outcome_feedback(version.extras, status)
    return rendered_for(version, text) if text else None


def _indented(text: str) -> list[str]:
    return ["    " + line for line in text.replace("\r\n", "\n").split("\n")]


def version_lines(version: VersionLike) -> list[str]:
    """A plain-text rendering of every versioned field of `version`, one item per line (the
    text as its author writes it, with any answers written in it)."""
    kind = get_type(version.type)
    lines = [
        _("Type: %(type)s", type=kind.label),
        _("Title: %(title)s", title=version.title),
        _("Text format: %(format)s", format=version.text_format),
        _("Text:"),
        *_indented(kind.authoring_text(version.text, version.spec)),
    ]
    answers = kind.answers_summary(version.spec)
    if answers:
        lines.append(_("Answers:"))
    for position, item in enumerate(answers, 1):
        weight = show_number(round(item["weight"], 4))
        lines.append(f"  {position}. [{weight}%] {item['text']}")
        if item["feedback"]:
            lines.append("     " + _("Feedback:"))
            lines.extend("  " + line for line in _indented(item["feedback"]))
    lines.extend(kind.settings_lines(version.spec))
    if version.general_feedback:
        lines.append(_("General feedback:"))
        lines.extend(_indented(version.general_feedback))
    return lines + extras_lines(version.extras)


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
