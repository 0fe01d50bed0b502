"""What a question type's authoring fields are made of: `TypeFields` (the base of each type's
`fields` class, which the bank's question form mixes in), the answer rows (options, accepted
answers, numbers, pairs) and the small parsers they share. A row whose text fields are all
blank is ignored; a row with anything in it must be complete.
"""

from __future__ import annotations

from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]
from markupsafe import Markup
from wtforms import Field, FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError
from wtforms.widgets import ListWidget, html_params

from camp.bank.types.base import MAX_TEXT, TEXT_LIMIT, parse_number, show_number

ROWS = 6  # answer rows on a new question; an edit shows at least SPARE_ROWS blank ones more
SPARE_ROWS = 2
MAX_ROWS = 100
NUMERICAL_KINDS = [
    SelectChoice("exact", _l("Exact value")),
    SelectChoice("tolerance", _l("Value ± tolerance")),
    SelectChoice("range", _l("Range from minimum to maximum")),
    SelectChoice("any", _l("Any number (for feedback on other answers)")),
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
        raise ValidationError(_l("Enter a percentage such as 100, 50 or -33.3."))


def _weight_field() -> StringField:
    return StringField(_l("Weight (%)"), [_percent], filters=TEXT, render_kw=DECIMAL)


def _feedback_field() -> TextAreaField:
    return TextAreaField(_l("Feedback"), [Length(max=MAX_TEXT)], filters=TEXT)


class RadioGroup(ListWidget):
    """Radio buttons in a list, inside a group that carries the group's name for assistive
    technology (the list keeps its own role: list items need one)."""

    def __init__(self) -> None:
        super().__init__(prefix_label=False)

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", field.id)
        kwargs.setdefault("role", "radiogroup")
        kwargs.setdefault("aria-label", field.label.text)
        items = super().__call__(field, id=f"{field.id}-options")
        return Markup(f"<div {html_params(**kwargs)}>{items}</div>")  # noqa: S704 (escaped)


class Row(Form):
    """One answer row (a sub-form: the page's form carries the CSRF token) and how it maps to
    and from one item of a spec's list."""

    def item(self) -> Any:
        """The spec item this filled-in row describes (an object, or a bare string)."""
        raise NotImplementedError

    @staticmethod
    def data(item: Any) -> dict[str, Any]:
        """Row data for a spec item."""
        raise NotImplementedError

    def filled(self) -> bool:
        return any(
            isinstance(f.data, str) and f.data.strip() for f in self if f.type != "SelectField"
        )

    def require(self, field: Field, message: str) -> None:
        if self.filled() and not (field.data or "").strip():
            raise ValidationError(message)


class WeightedRow(Row):
    """A row of text with a weight and feedback: {"text", "weight", "feedback"}."""

    def item(self) -> dict[str, Any]:
        return {
            "text": self["text"].data,
            "weight": parse_percent(self["weight"].data),
            "feedback": self["feedback"].data or "",
        }

    @staticmethod
    def data(item: dict[str, Any]) -> dict[str, Any]:
        return {
            "text": item["text"],
            "weight": show_number(item["weight"]),
            "feedback": item.get("feedback") or "",
        }


class OptionRow(WeightedRow):
    text = TextAreaField(_l("Text"), [Length(max=TEXT_LIMIT)], filters=TEXT)
    weight = _weight_field()
    feedback = _feedback_field()

    def validate_text(self, field: Field) -> None:
        self.require(field, _l("Write the option text, or clear the whole row."))


class AnswerRow(WeightedRow):
    text = StringField(
        _l("Accepted answer"),
        [Length(max=TEXT_LIMIT)],
        filters=TEXT,
        description=_l(
            "Spacing is ignored, and case unless it matters (see below); * stands for any "
            "characters."
        ),
    )
    weight = _weight_field()
    feedback = _feedback_field()

    def validate_text(self, field: Field) -> None:
        self.require(field, _l("Write the accepted answer, or clear the whole row."))


def _number_field(label: str) -> StringField:
    return StringField(label, filters=TEXT, render_kw=DECIMAL)


# What a numerical answer of a kind needs, by field name.
_NEEDS = {
    "value": _l("This kind of answer needs a value."),
    "tolerance": _l("This kind of answer needs a tolerance (±)."),
    "min": _l("This kind of answer needs a minimum."),
    "max": _l("This kind of answer needs a maximum."),
}


class NumberRow(Row):
    kind = SelectField(_l("Kind"), choices=NUMERICAL_KINDS, default="exact")
    value = _number_field(_l("Value"))
    tolerance = _number_field(_l("Tolerance (±)"))
    min = _number_field(_l("Minimum"))
    max = _number_field(_l("Maximum"))
    weight = _weight_field()
    feedback = _feedback_field()

    def _number(self, field: Field, kinds: tuple[str, ...]) -> None:
        if (field.data or "").strip() and parse_number(field.data) is None:
            raise ValidationError(_l("Enter a number such as 3.14 or -2."))
        if self.kind.data in kinds:
            self.require(field, _NEEDS[field.short_name])

    def item(self) -> dict[str, Any]:
        kind = self.kind.data
        answer: dict[str, Any] = {"kind": kind}
        for name in KIND_FIELDS.get(kind, ()):
            answer[name] = parse_number(self[name].data)
        answer["weight"] = parse_percent(self.weight.data)
        answer["feedback"] = self.feedback.data or ""
        return answer

    @staticmethod
    def data(item: dict[str, Any]) -> dict[str, Any]:
        row = {"kind": item["kind"], "weight": show_number(item["weight"])}
        row["feedback"] = item.get("feedback") or ""
        for name in KIND_FIELDS.get(item["kind"], ()):
            row[name] = show_number(item[name])
        return row

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
        _l("Question (left)"),
        [Length(max=TEXT_LIMIT)],
        filters=TEXT,
        description=_l("Leave empty to add a wrong answer that matches nothing."),
    )
    right = StringField(_l("Answer (right)"), [Length(max=TEXT_LIMIT)], filters=TEXT)

    def item(self) -> dict[str, Any]:
        return {"left": self.left.data or "", "right": self.right.data}

    @staticmethod
    def data(item: dict[str, Any]) -> dict[str, Any]:
        return {"left": item.get("left") or "", "right": item["right"]}

    def validate_right(self, field: Field) -> None:
        self.require(field, _l("Write the answer on the right, or clear the whole row."))


class TypeFields(Form):
    """A type's own fields on the question form, and how they map to and from its spec.

    `camp.authoring.bank_forms` builds each type's form from this class and the fields every
    question shares. A type whose spec is a list of items sets `rows_name` (the spec's key,
    also the name of the FieldList made for it) and `row` (the `Row` class of one item);
    single fields are declared as usual and listed in display order in `extra_fields`.
    """

    rows_name: ClassVar[str | None] = None
    row: ClassVar[type[Row] | None] = None
    rows_heading: ClassVar[str] = ""  # the heading above the rows ("Options")
    row_legend: ClassVar[str] = ""  # one row's legend, its number as %(number)s ("Option 2")
    rows_help: ClassVar[str] = ""
    most_rows: ClassVar[int] = MAX_ROWS  # pad_rows adds blank rows up to this many
    text_help: ClassVar[str] = ""  # shown under the question text (how to write answers in it)
    extra_fields: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.rows_name is not None and cls.row is not None and cls.rows_name not in vars(cls):
            # No min_entries: WTForms pads by re-reading the posted data at the next index,
            # which duplicates a row when the posted indices have a gap; pad_rows pads instead.
            setattr(cls, cls.rows_name, FieldList(FormField(cls.row), max_entries=MAX_ROWS))

    def spec(self) -> dict[str, Any]:
        """The spec the filled-in fields describe (checked afterwards by the type)."""
        if self.rows_name is None:
            return {}
        return {self.rows_name: [row.item() for row in self.filled_rows()]}

    @classmethod
    def load_spec(cls, spec: dict[str, Any]) -> dict[str, Any]:
        """Form data for these fields, from a stored spec."""
        if cls.rows_name is None or cls.row is None:
            return {}
        return {cls.rows_name: [cls.row.data(item) for item in spec[cls.rows_name]]}

    @staticmethod
    def new_data() -> dict[str, Any]:
        """Form data a new question of this type starts with."""
        return {}

    def filled_rows(self) -> list[Row]:
        if self.rows_name is None:
            return []
        return [entry.form for entry in self[self.rows_name] if entry.form.filled()]

    def pad_rows(self) -> None:
        """At least ROWS rows, and SPARE_ROWS blank ones after what is filled in."""
        if self.rows_name is None:
            return
        entries = self[self.rows_name]
        wanted = min(self.most_rows, max(ROWS, len(self.filled_rows()) + SPARE_ROWS))
        while len(entries) < wanted:
            entries.append_entry()
