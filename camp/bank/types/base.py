"""The contract every question type fulfils, its errors, and helpers the types share (the
spec checks with their messages are in `camp.bank.types.checks`).

A type is a stateless class that owns everything Camp does with its questions: checking a
spec and grading a response, reading the submitted form, what its template partial shows,
how a response reads in reports, its item-statistics breakdown, its GIFT block, and the
fields of its authoring form. `validate` accepts anything and never raises; every other
method assumes a spec that `validate` accepted. Grading and feedback accept any response:
one that `normalise_response` rejects counts as no answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from flask_babel import gettext as _  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from camp.formats.gift_blocks import GiftBlock, GiftWriteError
from camp.formats.gift_lexer import Src

TEXT_LIMIT = 1000
ESSAY_LIMIT = 20000
MAX_TEXT = 50_000  # a question's text and general feedback
UNREADABLE = _l("This answer could not be read. Please answer again.")
# A posted value that is not one of the page's opaque values (a stale or tampered form).
NOT_AN_OPTION = _l("That answer is not one of the options. Reload the page and try again.")
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_SPACES = re.compile(r"\s+")


class UnknownQuestionType(ValueError):
    """No question type has this name."""


class InvalidResponse(ValueError):
    """A response that cannot be stored; the message can be shown to the student."""


class AuthoringError(ValueError):
    """What an author wrote cannot be read (`QuestionType.authored`); `problems` says why,
    in words for the question form."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = list(problems)


def number(value: object) -> float | None:
    """`value` as a finite float if it is a JSON number (booleans are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        result = float(value)
    except OverflowError:
        return None
    return result if math.isfinite(result) else None


def parse_number(text: str) -> float | None:
    """A number typed by a person: `3.5`, `-2`, `1e3`, or `3,5` with a decimal comma."""
    text = text.strip()
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")
    if not NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def show_number(value: float) -> str:
    """A number as a person writes it: `3`, not `3.0`."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def squash(text: str) -> str:
    """Trimmed, with every run of whitespace made one space."""
    return _SPACES.sub(" ", text).strip()


def check_order(order: Sequence[int] | None, count: int) -> list[int]:
    """The display order to use: `order` must be a permutation of `range(count)`."""
    if order is None:
        return list(range(count))
    items = list(order)
    if any(isinstance(i, bool) or not isinstance(i, int) for i in items) or sorted(items) != list(
        range(count)
    ):
        raise ValueError(f"order must be a permutation of 0..{count - 1}")
    return items


def response_field(raw: object, key: str) -> object:
    """The one field of a canonical response; `None` (no answer) when `raw` is None or lacks it."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise InvalidResponse(UNREADABLE)
    return raw.get(key)


def response_map(raw: object, key: str) -> dict[Any, Any]:
    """The object field of a canonical response, such as a matching question's `matches`:
    {} when unanswered, `InvalidResponse` when it is not an object."""
    given = response_field(raw, key)
    if given is None:
        return {}
    if not isinstance(given, dict):
        raise InvalidResponse(UNREADABLE)
    return given


def response_text(raw: object, limit: int = TEXT_LIMIT) -> str:
    """The `text` of a text response, length-checked; '' means no answer."""
    text = response_field(raw, "text")
    if text is None:
        return ""
    if not isinstance(text, str):
        raise InvalidResponse(UNREADABLE)
    if len(text) > limit:
        raise InvalidResponse(_("Your answer is too long (at most %(n)s characters).", n=limit))
    return text


class FormFields(Protocol):
    """Submitted form fields (a werkzeug MultiDict fits)."""

    def get(self, key: str) -> Any: ...

    def getlist(self, key: str) -> list[Any]: ...


@dataclass(frozen=True)
class Posted:
    """One question's submitted fields, as its type's `read_form` reads them."""

    fields: FormFields
    name: str  # the question's field name; a type with several inputs adds a suffix
    index_of: Callable[[str], int]  # a posted opaque value back to its item's index

    def get(self, suffix: str = "") -> str:
        value = self.fields.get(self.name + suffix)
        return value if isinstance(value, str) else ""

    def getlist(self) -> list[str]:
        return [value for value in self.fields.getlist(self.name) if value]


@dataclass(frozen=True)
class Rendering:
    """What a type's `view` needs: the attempt's display `order` and saved `response`, element
    ids and field names and values, and how to show the question's texts (sanitised by the
    caller's renderer)."""

    order: Sequence[int] | None  # the display order of the items `shufflable_count` counts
    response: dict | None  # the saved canonical response, if any
    prefix: str  # "q<number>": every element id inside the question starts with it
    field_name: str  # the name the question's inputs post under
    value_for: Callable[[int], str]  # the opaque value posted for a shuffled item's index
    inline: Callable[[str], Markup]  # a text in the question's format, fit inside a label
    plain: Callable[[str], str]  # a text in the question's format as plain text
    text_html: Markup = field(default_factory=Markup)  # the text, rendered and sanitised

    def saved(self, key: str) -> Any:
        """One field of the saved response (None when unanswered)."""
        return self.response.get(key) if isinstance(self.response, dict) else None


@dataclass(frozen=True)
class BreakdownItem:
    """One row of a question's item-statistics breakdown (an option, a gap's answer)."""

    text: str
    weight: float  # percent
    correct: bool


class QuestionType:
    """One kind of question. Subclasses set the class attributes and override the hooks."""

    name: ClassVar[str]
    label: ClassVar[str]
    auto_graded: ClassVar[bool] = True
    gradable: ClassVar[bool] = True
    needs_text: ClassVar[bool] = True  # a question of this type must have a text
    has_breakdown: ClassVar[bool] = False  # item statistics count answers by `breakdown` rows
    # The partial shows the question's text itself (its inputs sit inside it), so the question
    # macro leaves it out of the legend.
    shows_text_itself: ClassVar[bool] = False
    # The partial under templates/questions/ that shows the answer part (None: text only).
    template: ClassVar[str | None] = None
    # The authoring form's fields for this type (a class of WTForms fields with `spec()`
    # and `load_spec()`; see camp.bank.types.fields). Every registered type sets one.
    fields: ClassVar[type]

    def validate(self, spec: Any) -> list[str]:
        """Messages a teacher understands; an empty list means the spec is valid."""
        if not isinstance(spec, dict):
            return [_("The question settings are missing or malformed (expected an object).")]
        try:
            return self.check(spec)
        except Exception:  # validate must never raise; tests exercise check() directly
            return [_("The question settings could not be read.")]

    def check(self, spec: dict[str, Any]) -> list[str]:
        raise NotImplementedError

    def student_view(self, spec: dict[str, Any], order: Sequence[int] | None = None) -> dict:
        """What a student may see before submitting: never weights, feedback or the key."""
        raise NotImplementedError

    def shufflable_count(self, spec: dict[str, Any]) -> int:
        """How many items `order` permutes in `student_view` (0 when nothing shuffles)."""
        return 0

    def normalise_response(self, spec: dict[str, Any], raw: Any) -> dict:
        """The cleaned canonical response, or `InvalidResponse` saying what is wrong."""
        raise NotImplementedError

    def grade(self, spec: dict[str, Any], response: Any) -> float | None:
        """The fraction earned in [0, 1]; None when a person grades it (or nobody does)."""
        if not self.gradable or not self.auto_graded:
            return None
        try:
            clean = self.normalise_response(spec, response)
        except InvalidResponse:
            return 0.0
        return min(1.0, max(0.0, float(self.score(spec, clean))))

    def score(self, spec: dict[str, Any], response: dict) -> float:
        raise NotImplementedError

    def feedback(self, spec: dict[str, Any], response: Any) -> list[str]:
        """The per-answer feedback the response triggers, for the review page."""
        try:
            clean = self.normalise_response(spec, response)
        except InvalidResponse:
            return []
        return [text for text in self.triggered(spec, clean) if text.strip()]

    def triggered(self, spec: dict[str, Any], response: dict) -> list[str]:
        return []

    def correct_answer_text(self, spec: dict[str, Any]) -> str:
        """A human summary of the right answer(s); '' when there is none."""
        return ""

    def answers_summary(self, spec: dict[str, Any]) -> list[dict]:
        """Each answer as {"text", "weight" (percent), "feedback"}, for JSON listings."""
        return []

    def settings_lines(self, spec: dict[str, Any]) -> list[str]:
        """The spec's settings other than its answers, one line each, for version diffs."""
        return []

    def answer_html(self, text: str, rendering: Rendering) -> Markup:
        """An `answers_summary` text as the answer key shows it."""
        return escape(text)

    # -- in the authoring form ----------------------------------------------------------------

    def authored(self, text: str, spec: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """(text, spec) to store from the question text and the type's fields as the author
        wrote them: a type whose answers are written inside the text takes them out here.
        Raises `AuthoringError` when the text cannot be read."""
        return text, spec

    def authoring_text(self, text: str, spec: dict[str, Any]) -> str:
        """The question text as the author edits it again (the inverse of `authored`)."""
        return text

    def plain_text(self, text: str) -> str:
        """The stored question text as words to read in a title (an untitled question is
        listed by the start of its text): a type whose stored text holds markers of its own
        puts words or blanks in their place."""
        return text

    # -- on the page -------------------------------------------------------------------------

    def view(self, spec: dict[str, Any], rendering: Rendering) -> dict[str, Any]:
        """What this type's template partial needs, with the saved response filled in."""
        self.student_view(spec, rendering.order)
        return {}

    def unshuffled_order(self, spec: dict[str, Any]) -> list[int]:
        """The display order of `student_view`'s items when the quiz does not shuffle."""
        return list(range(self.shufflable_count(spec)))

    def read_form(self, spec: dict[str, Any], posted: Posted) -> dict:
        """The canonical response from the submitted fields. Raises `InvalidResponse` with
        words for the student."""
        return {}

    # -- in reports and statistics -----------------------------------------------------------

    def describe(self, spec: dict[str, Any], response: dict) -> str:
        """A stored response in words for reports ('' when unanswered). May raise
        KeyError/IndexError/TypeError/ValueError on a response that no longer fits."""
        return str(response.get("text") or "")

    def breakdown(self, spec: dict[str, Any]) -> list[BreakdownItem]:
        """The rows item statistics count answers against (empty: no breakdown)."""
        return []

    def picked(self, spec: dict[str, Any], response: dict) -> list[int]:
        """Indices into `breakdown(spec)` that a stored response chose (empty: unanswered)."""
        return []

    # -- in GIFT files -----------------------------------------------------------------------

    def read_gift(self, block: Src, fmt: str) -> tuple[str, dict]:
        """(type name, spec) from a GIFT answer block; raises `gift_blocks.GiftFail` at the
        offending line."""
        return self.name, {}

    def write_gift(self, spec: dict[str, Any], fmt: str) -> GiftBlock | None:
        """This question's GIFT answer block (None: the text alone, no braces);
        `GiftWriteError` when GIFT cannot say it."""
        raise GiftWriteError(_("GIFT cannot write %(type)s questions", type=self.label.lower()))


def summary(text: str, weight: float, feedback: object) -> dict:
    return {
        "text": text,
        "weight": float(weight),
        "feedback": feedback if isinstance(feedback, str) else "",
    }


def listing(one: str, many: str, texts: Sequence[str]) -> str:
    """`one` or `many` (translated sentences with `%(answers)s`) with the texts filled in."""
    if not texts:
        return ""
    return (one if len(texts) == 1 else many) % {"answers": "; ".join(texts)}


class TypedAnswer(QuestionType):
    """A type whose answer is typed into one box: the response is {"text": str}."""

    def view(self, spec: dict[str, Any], rendering: Rendering) -> dict[str, Any]:
        check_order(rendering.order, 0)
        text = rendering.saved("text")
        return {"current_text": text if isinstance(text, str) else ""}

    def read_form(self, spec: dict[str, Any], posted: Posted) -> dict:
        return {"text": posted.get()}
