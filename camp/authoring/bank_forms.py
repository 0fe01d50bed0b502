"""Question bank forms: the fields every question shares, one form per question type (answer
rows in `bank_rows`), the bank filters, and the GIFT import forms.

Forms check what a single field can tell (a number is a number, a row with feedback has text);
the rules about a whole question stay in `QuestionDraft.problems()`, shared with GIFT import.
"""

from __future__ import annotations

from typing import Any, ClassVar

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional, StopValidation

from camp.authoring.bank_rows import (
    MAX_ROWS,
    ROWS,
    SPARE_ROWS,
    TEXT,
    AnswerRow,
    NumberRow,
    OptionRow,
    PairRow,
    RadioGroup,
    Row,
    number_data,
    number_spec,
    rows,
    weighted_data,
    weighted_spec,
)
from camp.bank.models import QuestionVersion
from camp.bank.question_types import REGISTRY
from camp.bank.services import DEFAULT_CATEGORY, MAX_TEXT, MAX_UID, QuestionDraft

TEXT_FORMAT_CHOICES = [
    SelectChoice("markdown", "Markdown"),
    SelectChoice("html", "HTML"),
    SelectChoice("plain", "Plain text"),
    SelectChoice("moodle", "Moodle auto-format"),
]


def _answered(_form: FlaskForm, field: Field) -> None:
    # Not InputRequired: its `required` flag would land on the list around the radios.
    if field.data not in ("true", "false"):
        raise StopValidation("Choose whether the statement is true or false.")


def parse_tags(text: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.strip() for t in (text or "").split(",") if t.strip()))


class QuestionForm(FlaskForm):
    """The fields every question has. Subclasses add the answer fields of one type."""

    type_name: ClassVar[str]
    rows_name: ClassVar[str | None] = None  # the FieldList of answer rows, if any
    row_legend: ClassVar[str] = ""
    extra_fields: ClassVar[tuple[str, ...]] = ()  # single answer fields, in display order
    rows_help: ClassVar[str] = ""

    category = StringField(
        "Category",
        [Length(max=1000)],
        filters=TEXT,
        default=DEFAULT_CATEGORY,
        description="A path such as IP basics/Trademarks; missing categories are created.",
    )
    uid = StringField(
        "Id",
        [Optional(), Length(max=MAX_UID)],
        filters=TEXT,
        description="A stable id such as ip-value-03. Leave empty to get one made up.",
    )
    title = StringField("Title", [Length(max=255)], filters=TEXT)
    text = TextAreaField("Question text", [Length(max=MAX_TEXT)], filters=TEXT)
    text_format = SelectField(
        "Text format",
        choices=TEXT_FORMAT_CHOICES,
        default="markdown",
        description="How the question, answers and feedback are written.",
    )
    general_feedback = TextAreaField(
        "General feedback",
        [Length(max=MAX_TEXT)],
        filters=TEXT,
        description="Shown to every student after they answer, whatever the answer.",
    )
    tags = StringField(
        "Tags",
        [Length(max=2000)],
        filters=TEXT,
        description="Separated by commas, for example: ip-types, logos",
    )

    def validate_text(self, field: Field) -> None:
        if not field.data and self.type_name != "description":
            raise StopValidation("Write the question text.")

    def spec(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def load_spec(spec: dict[str, Any]) -> dict[str, Any]:
        """Form data for the type's own fields, from a stored spec."""
        return {}

    def draft(self) -> QuestionDraft:
        return QuestionDraft(
            type=self.type_name,
            text=self.text.data or "",
            spec=self.spec(),
            title=self.title.data or "",
            text_format=self.text_format.data or "markdown",
            general_feedback=self.general_feedback.data or "",
            tags=parse_tags(self.tags.data),
        )

    def filled_rows(self) -> list[Row]:
        if self.rows_name is None:
            return []
        return [entry.form for entry in self[self.rows_name] if entry.form.filled()]

    def pad_rows(self) -> None:
        """At least ROWS rows, and SPARE_ROWS blank ones after what is filled in."""
        if self.rows_name is None:
            return
        entries = self[self.rows_name]
        wanted = min(MAX_ROWS, max(ROWS, len(self.filled_rows()) + SPARE_ROWS))
        while len(entries) < wanted:
            entries.append_entry()


class _ChoiceForm(QuestionForm):
    rows_name = "options"
    row_legend = "Option"
    options = rows(OptionRow)

    def spec(self) -> dict[str, Any]:
        return {"options": weighted_spec(self.filled_rows())}

    @staticmethod
    def load_spec(spec: dict[str, Any]) -> dict[str, Any]:
        return {"options": weighted_data(spec["options"])}


class SingleChoiceForm(_ChoiceForm):
    type_name = "single_choice"
    rows_help = (
        "Students pick one option. Weight is the share of the mark in percent: 100 for the "
        "right answer, 0 for a wrong one, anything between for a partly right one. "
        "Blank rows are ignored."
    )


class MultipleChoiceForm(_ChoiceForm):
    type_name = "multiple_choice"
    rows_help = (
        "Students tick every option they think is right. The weights of the right options add "
        "up to 100; give wrong options 0 or a negative weight. Blank rows are ignored."
    )


class TrueFalseForm(QuestionForm):
    type_name = "true_false"
    extra_fields = ("answer", "feedback_true", "feedback_false")
    answer = RadioField(
        "Correct answer",
        choices=[SelectChoice("true", "True"), SelectChoice("false", "False")],
        validators=[_answered],
        widget=RadioGroup(),
    )
    feedback_true = TextAreaField(
        "Feedback for a student who answers True", [Length(max=MAX_TEXT)], filters=TEXT
    )
    feedback_false = TextAreaField(
        "Feedback for a student who answers False", [Length(max=MAX_TEXT)], filters=TEXT
    )

    def spec(self) -> dict[str, Any]:
        return {
            "answer": self.answer.data == "true",
            "feedback_true": self.feedback_true.data or "",
            "feedback_false": self.feedback_false.data or "",
        }

    @staticmethod
    def load_spec(spec: dict[str, Any]) -> dict[str, Any]:
        return {
            "answer": "true" if spec["answer"] else "false",
            "feedback_true": spec.get("feedback_true") or "",
            "feedback_false": spec.get("feedback_false") or "",
        }


class ShortAnswerForm(QuestionForm):
    type_name = "short_answer"
    rows_name = "answers"
    row_legend = "Answer"
    rows_help = (
        "Every answer you accept, with its weight in percent (at least one at 100). "
        "Blank rows are ignored."
    )
    answers = rows(AnswerRow)

    def spec(self) -> dict[str, Any]:
        return {"answers": weighted_spec(self.filled_rows())}

    @staticmethod
    def load_spec(spec: dict[str, Any]) -> dict[str, Any]:
        return {"answers": weighted_data(spec["answers"])}


class NumericalForm(QuestionForm):
    type_name = "numerical"
    rows_name = "answers"
    row_legend = "Answer"
    rows_help = (
        "Each answer is an exact value, a value with a tolerance, or a range; the best "
        "matching weight counts (at least one at 100). Blank rows are ignored."
    )
    answers = rows(NumberRow)

    def spec(self) -> dict[str, Any]:
        return {"answers": number_spec(self.filled_rows())}

    @staticmethod
    def load_spec(spec: dict[str, Any]) -> dict[str, Any]:
        return {"answers": number_data(spec["answers"])}


class MatchingForm(QuestionForm):
    type_name = "matching"
    rows_name = "pairs"
    row_legend = "Pair"
    rows_help = (
        "Students match each question on the left with an answer on the right. At least two "
        "pairs need a left side. Blank rows are ignored."
    )
    pairs = rows(PairRow)

    def spec(self) -> dict[str, Any]:
        pairs = [
            {"left": r["left"].data or "", "right": r["right"].data} for r in self.filled_rows()
        ]
        return {"pairs": pairs}

    @staticmethod
    def load_spec(spec: dict[str, Any]) -> dict[str, Any]:
        return {
            "pairs": [{"left": p.get("left") or "", "right": p["right"]} for p in spec["pairs"]]
        }


class EssayForm(QuestionForm):
    type_name = "essay"
    extra_fields = ("response_lines",)
    response_lines = IntegerField(
        "Answer box height (lines)",
        [Optional(), NumberRange(1, 100, "Use a whole number from 1 to 100.")],
        description="Leave empty for the usual height.",
    )

    def spec(self) -> dict[str, Any]:
        lines = self.response_lines.data
        return {} if lines is None else {"response_lines": lines}

    @staticmethod
    def load_spec(spec: dict[str, Any]) -> dict[str, Any]:
        return {"response_lines": spec.get("response_lines")}


class DescriptionForm(QuestionForm):
    type_name = "description"


FORMS: dict[str, type[QuestionForm]] = {
    form.type_name: form
    for form in (
        SingleChoiceForm,
        MultipleChoiceForm,
        TrueFalseForm,
        ShortAnswerForm,
        NumericalForm,
        MatchingForm,
        EssayForm,
        DescriptionForm,
    )
}
assert set(FORMS) == set(REGISTRY), "every question type needs a form"


def question_form(type_name: str, *, creating: bool, data: dict | None = None) -> QuestionForm:
    """The form for `type_name`, from the posted data, or from `data` on a GET."""
    form = FORMS[type_name](data=data)
    if not creating:
        del form.uid  # a question's id never changes
    form.pad_rows()
    return form


def form_data(version: QuestionVersion, *, category: str, tags: list[str]) -> dict[str, Any]:
    """Initial form data for editing `version`."""
    return {
        "category": category,
        "title": version.title,
        "text": version.text,
        "text_format": version.text_format,
        "general_feedback": version.general_feedback,
        "tags": ", ".join(tags),
        **FORMS[version.type].load_spec(version.spec),
    }


class BrowseForm(FlaskForm):
    """The filters of the bank list: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    q = SearchField("Search", [Length(max=200)], description="Words in the title, text or id.")
    tag = SelectField("Tag", choices=[SelectChoice("", "Any tag")], default="")
    category = SelectField("Category", choices=[SelectChoice("", "All categories")], default="")
    retired = BooleanField("Show retired questions")


class ImportForm(FlaskForm):
    file = FileField(
        "GIFT file",
        validators=[FileRequired("Choose a GIFT file to upload.")],
        render_kw={"accept": ".gift,.txt,text/plain"},
        description="A text file in Moodle's GIFT format, saved as UTF-8.",
    )
    category = StringField(
        "Category for questions without one",
        [Length(max=1000)],
        filters=TEXT,
        default=DEFAULT_CATEGORY,
        description="Used until the file's first $CATEGORY: line.",
    )


class CompareForm(FlaskForm):
    """Which two versions to compare: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    a = SelectField("Compare version", coerce=int)
    b = SelectField("with version", coerce=int)


class ConfirmImportForm(FlaskForm):
    """The signed upload from the preview step (see `bank_transfer.sign_upload`)."""

    payload = HiddenField()
