"""What a question keeps beyond its type's spec (`QuestionVersion.extras`): Moodle's
feedback by outcome, hints, default mark and penalty, and the Moodle settings Camp does not
use but writes back when it exports the question as Moodle XML. Owns their shape, their
checks (in words for a teacher, never raising) and which outcome feedback a result shows.

Every key is optional; a missing one means Moodle's default, so a question written in Camp
has no extras at all:

    correct_feedback, partially_correct_feedback, incorrect_feedback   str (question's format)
    show_num_correct   bool   Moodle says how many parts are right (kept, not shown)
    hints   [{"text": str, "show_num_correct": bool, "clear_wrong": bool, "options": str}]
    default_grade   number >= 0   Moodle's default mark (1 when missing)
    penalty   number 0..1   Moodle's penalty for each wrong try (0.3333333 when missing)
    moodle   {setting: str | [{key: str}]}   Moodle's own settings (e.g. "answernumbering")

Camp's quizzes weigh every question the same and give one try, so the default mark, the
penalty and the hints are kept and exported, not used in grading; the outcome feedback is
shown where the answer's feedback is (`outcome_feedback`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _  # type: ignore[import-untyped]

from camp.bank.types.base import MAX_TEXT, number, show_number

DEFAULT_GRADE = 1.0
DEFAULT_PENALTY = 0.3333333
OUTCOME_KEYS = ("correct_feedback", "partially_correct_feedback", "incorrect_feedback")
_HINT_KEYS = ("text", "show_num_correct", "clear_wrong", "options")
_KEYS = (*OUTCOME_KEYS, "show_num_correct", "hints", "default_grade", "penalty", "moodle")
MAX_HINTS = 20
MAX_MOODLE_SETTINGS = 50
MAX_MOODLE_JSON = MAX_TEXT  # the Moodle settings, written as JSON
# A review's status (camp.quizzes.taking) -> the outcome feedback it shows. As in Moodle, a
# question left unanswered shows the feedback for an incorrect answer.
_BY_STATUS = {
    "correct": "correct_feedback",
    "partial": "partially_correct_feedback",
    "incorrect": "incorrect_feedback",
    "unanswered": "incorrect_feedback",
}


def _text_problem(value: object, what: str, problems: list[str]) -> None:
    if not isinstance(value, str):
        problems.append(_("%(what)s must be text.", what=what))
    elif len(value) > MAX_TEXT:
        problems.append(_("Texts are limited to %(n)s characters.", n=MAX_TEXT))


def _flag_problem(value: object, what: str, problems: list[str]) -> None:
    if not isinstance(value, bool):
        problems.append(_("%(what)s must be true or false.", what=what))


def _hint_problems(hints: object, problems: list[str]) -> None:
    if not isinstance(hints, list) or len(hints) > MAX_HINTS:
        problems.append(_("Give at most %(n)s hints, as a list.", n=MAX_HINTS))
        return
    for position, hint in enumerate(hints, 1):
        what = _("Hint %(number)s", number=position)
        if not isinstance(hint, dict) or any(key not in _HINT_KEYS for key in hint):
            problems.append(_("%(what)s must be an object with a text.", what=what))
            continue
        _text_problem(hint.get("text"), what, problems)
        _text_problem(hint.get("options", ""), what, problems)
        for flag in ("show_num_correct", "clear_wrong"):
            _flag_problem(hint.get(flag, False), what, problems)


def _setting_ok(value: object) -> bool:
    if isinstance(value, str):
        return True
    return isinstance(value, list) and all(
        isinstance(item, dict) and all(isinstance(v, str) for v in item.values()) for item in value
    )


def _moodle_problems(settings: object, problems: list[str]) -> None:
    if not isinstance(settings, dict) or len(settings) > MAX_MOODLE_SETTINGS:
        problems.append(_("The Moodle settings must be an object of at most 50 settings."))
        return
    if not all(isinstance(key, str) and _setting_ok(v) for key, v in settings.items()):
        problems.append(_("Each Moodle setting must be text, or a list of objects of text."))
    elif len(json.dumps(settings)) > MAX_MOODLE_JSON:
        problems.append(_("Texts are limited to %(n)s characters.", n=MAX_MOODLE_JSON))


def check_extras(extras: object) -> list[str]:
    """Messages a teacher understands; an empty list means the extras are valid."""
    if not isinstance(extras, dict):
        return [_("The question's extras are malformed (expected an object).")]
    problems: list[str] = []
    for key in extras:
        if key not in _KEYS:
            problems.append(_("Unknown setting %(key)s.", key=repr(key)))
    for key, what in zip(OUTCOME_KEYS, outcome_labels(), strict=True):
        if key in extras:
            _text_problem(extras[key], what, problems)
    if "show_num_correct" in extras:
        _flag_problem(extras["show_num_correct"], _("Show the number correct"), problems)
    if "hints" in extras:
        _hint_problems(extras["hints"], problems)
    grade = number(extras.get("default_grade", DEFAULT_GRADE))
    if grade is None or not 0 <= grade <= 1000:
        problems.append(_("The default mark must be a number from 0 to 1000."))
    penalty = number(extras.get("penalty", DEFAULT_PENALTY))
    if penalty is None or not 0 <= penalty <= 1:
        problems.append(_("The penalty must be a number from 0 to 1."))
    if "moodle" in extras:
        _moodle_problems(extras["moodle"], problems)
    return problems


def outcome_labels() -> tuple[str, str, str]:
    """The three outcome feedbacks' names, in `OUTCOME_KEYS` order (translated)."""
    return (
        _("Feedback for a correct answer"),
        _("Feedback for a partially correct answer"),
        _("Feedback for an incorrect answer"),
    )


def outcome_feedback(extras: Mapping[str, Any] | None, status: str | None) -> str:
    """The feedback a result shows by its outcome ('' when none): `status` as the review
    names it ("correct", "partial", "incorrect", "unanswered"; others show none)."""
    key = _BY_STATUS.get(status or "")
    if not extras or key is None:
        return ""
    text = extras.get(key)
    return text if isinstance(text, str) and text.strip() else ""


def hint_texts(extras: Mapping[str, Any] | None) -> list[str]:
    hints = (extras or {}).get("hints") or []
    return [hint["text"] for hint in hints if str(hint.get("text") or "").strip()]


def extras_lines(extras: Mapping[str, Any] | None) -> list[str]:
    """The extras one item per line, for version diffs (nothing for none)."""
    extras = extras or {}
    lines: list[str] = []
    for key, label in zip(OUTCOME_KEYS, outcome_labels(), strict=True):
        if extras.get(key):
            lines += [label + ":", *("    " + line for line in str(extras[key]).split("\n"))]
    for position, text in enumerate(hint_texts(extras), 1):
        lines.append(_("Hint %(number)s: %(text)s", number=position, text=text))
    if "default_grade" in extras:
        lines.append(_("Default mark: %(mark)s", mark=show_number(extras["default_grade"])))
    if "penalty" in extras:
        lines.append(_("Penalty: %(penalty)s", penalty=show_number(extras["penalty"])))
    for key, value in sorted((extras.get("moodle") or {}).items()):
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        lines.append(_("Moodle setting %(key)s: %(value)s", key=key, value=shown))
    return lines
