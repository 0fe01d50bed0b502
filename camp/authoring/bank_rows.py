"""Answer rows of the question forms (options, accepted answers, numbers, pairs) and the small
parsers they share. A row whose text fields are all blank is ignored; a row with anything in
it must be complete.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from wtforms import Field, FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError
from wtforms.widgets import ListWidget

from camp.bank.services import MAX_TEXT
from camp.bank.types.base import TEXT_LIMIT, parse_number, show_number

ROWS = 6  # answer rows on a new question; an edit shows at least SPARE_ROWS blank ones more
SPARE_ROWS = 2
MAX_ROWS = 100
NUMERICAL_KINDS = [
    SelectChoice("exact", "Exact value"),
    SelectChoice("tolerance", "Value ± tolerance"),
    SelectChoice("range", "Range from minimum to maximum"),
    SelectChoice("any", "Any number (for feedback on other answers)"),
]
KIND_FIELDS = {"exact": ("value",), "tolerance": ("value", "tolerance"), "range": ("min", "max")}
DECIMAL = {"inputmode": "decimal", "autocomplete": "off"}


def clean_text(value: Any) -> Any:
    """Unix line ends and no surrounding space, so an unchanged form saves unchanged content."""
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


TEXT = [clean_text]


def parse_percent(text: str | None) -> float | None:
    """A typed weight: `100`, `33.3`, `-50`, `50%`, `33,3`; blank is 0."""
    text = (text or "").strip().removesuffix("%").strip()
    return 0.0 if not text else parse_number(text)


def _percent(_form: Form, field: Field) -> None:
    if parse_percent(field.data) is None:
        raise ValidationError("Enter a percentage such as 100, 50 or -33.3.")


def _weight_field() -> StringField:
    return StringField("Weight (%)", [_percent], filters=TEXT, render_kw=DECIMAL)


def _feedback_field() -> TextAreaField:
    return TextAreaField("Feedback", [Length(max=MAX_TEXT)], filters=TEXT)


class RadioGroup(ListWidget):
    """Radio buttons in a list that carries the group's name for assistive technology."""

    def __init__(self) -> None:
        super().__init__(prefix_label=False)

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        kwargs.setdefault("role", "radiogroup")
        kwargs.setdefault("aria-label", field.label.text)
        return super().__call__(field, **kwargs)


class Row(Form):
    """One answer row (a sub-form: the page's form carries the CSRF token)."""

    def filled(self) -> bool:
        return any(
            isinstance(f.data, str) and f.data.strip() for f in self if f.type != "SelectField"
        )

    def require(self, field: Field, message: str) -> None:
        if self.filled() and not (field.data or "").strip():
            raise ValidationError(message)


class OptionRow(Row):
    text = TextAreaField("Text", [Length(max=TEXT_LIMIT)], filters=TEXT)
    weight = _weight_field()
    feedback = _feedback_field()

    def validate_text(self, field: Field) -> None:
        self.require(field, "Write the option text, or clear the whole row.")


class AnswerRow(Row):
    text = StringField(
        "Accepted answer",
        [Length(max=TEXT_LIMIT)],
        filters=TEXT,
        description="Case and spacing are ignored; * stands for any characters.",
    )
    weight = _weight_field()
    feedback = _feedback_field()

    def validate_text(self, field: Field) -> None:
        self.require(field, "Write the accepted answer, or clear the whole row.")


def _number_field(label: str) -> StringField:
    return StringField(label, filters=TEXT, render_kw=DECIMAL)


class NumberRow(Row):
    kind = SelectField("Kind", choices=NUMERICAL_KINDS, default="exact")
    value = _number_field("Value")
    tolerance = _number_field("Tolerance (±)")
    min = _number_field("Minimum")
    max = _number_field("Maximum")
    weight = _weight_field()
    feedback = _feedback_field()

    def _number(self, field: Field, kinds: tuple[str, ...]) -> None:
        if (field.data or "").strip() and parse_number(field.data) is None:
            raise ValidationError("Enter a number such as 3.14 or -2.")
        if self.kind.data in kinds:
            self.require(field, f"This kind of answer needs a {field.label.text.lower()}.")

    def validate_value(self, field: Field) -> None:
        self._number(field, ("exact", "tolerance"))

    def validate_tolerance(self, field: Field) -> None:
        self._number(field, ("tolerance",))

    def validate_min(self, field: Field) -> None:
        self._number(field, ("range",))

    def validate_max(self, field: Field) -> None:
        self._number(field, ("range",))


class PairRow(Row):
    left = StringField(
        "Question (left)",
        [Length(max=TEXT_LIMIT)],
        filters=TEXT,
        description="Leave empty to add a wrong answer that matches nothing.",
    )
    right = StringField("Answer (right)", [Length(max=TEXT_LIMIT)], filters=TEXT)

    def validate_right(self, field: Field) -> None:
        self.require(field, "Write the answer on the right, or clear the whole row.")


def rows(row: type[Row]) -> FieldList:
    # No min_entries: WTForms pads by re-reading the posted data at the next index, which
    # duplicates a row when the posted indices have a gap. The form pads with blank rows.
    return FieldList(FormField(row), max_entries=MAX_ROWS)


def weighted_spec(filled: list[Row]) -> list[dict[str, Any]]:
    """Option or accepted-answer rows as spec items: {"text", "weight", "feedback"}."""
    return [
        {
            "text": row["text"].data,
            "weight": parse_percent(row["weight"].data),
            "feedback": row["feedback"].data or "",
        }
        for row in filled
    ]


def weighted_data(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Spec items {"text", "weight", "feedback"} as row data."""
    return [
        {
            "text": item["text"],
            "weight": show_number(item["weight"]),
            "feedback": item.get("feedback") or "",
        }
        for item in items
    ]


def number_spec(filled: list[Row]) -> list[dict[str, Any]]:
    answers = []
    for row in filled:
        kind = row["kind"].data
        answer: dict[str, Any] = {"kind": kind}
        for name in KIND_FIELDS.get(kind, ()):
            answer[name] = parse_number(row[name].data)
        answer["weight"] = parse_percent(row["weight"].data)
        answer["feedback"] = row["feedback"].data or ""
        answers.append(answer)
    return answers


def number_data(answers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    data = []
    for answer in answers:
        row = {"kind": answer["kind"], "weight": show_number(answer["weight"])}
        row["feedback"] = answer.get("feedback") or ""
        for name in KIND_FIELDS.get(answer["kind"], ()):
            row[name] = show_number(answer[name])
        data.append(row)
    return data
