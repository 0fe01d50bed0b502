"""Question bank forms: the fields every question shares, one form per question type (the
shared fields with the type's own `fields` from `camp.bank.types`), the bank filters, and
the GIFT import forms.

Forms check what a single field can tell (a number is a number, a row with feedback has text);
the rules about a whole question stay in `QuestionDraft.problems()`, shared with GIFT import.
"""

from __future__ import annotations

from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, StopValidation

from camp.bank.models import QuestionVersion
from camp.bank.question_types import REGISTRY, get_type
from camp.bank.services import DEFAULT_CATEGORY, MAX_UID, QuestionDraft
from camp.bank.types.base import MAX_TEXT, AuthoringError
from camp.bank.types.fields import TEXT, TypeFields

TEXT_FORMAT_CHOICES = [
    SelectChoice("markdown", "Markdown"),
    SelectChoice("html", "HTML"),
    SelectChoice("plain", _l("Plain text")),
    SelectChoice("moodle", _l("Moodle auto-format")),
]


def parse_tags(text: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.strip() for t in (text or "").split(",") if t.strip()))


class QuestionForm(FlaskForm, TypeFields):
    """The fields every question has; `FORMS` mixes in each type's own fields (its `fields`
    class in `camp.bank.types`), whose `spec()` and `load_spec()` come first in the MRO."""

    type_name: ClassVar[str]

    category = StringField(
        _l("Category"),
        [Length(max=1000)],
        filters=TEXT,
        default=DEFAULT_CATEGORY,
        description=_l("A path such as IP basics/Trademarks; missing categories are created."),
    )
    uid = StringField(
        _l("Id"),
        [Optional(), Length(max=MAX_UID)],
        filters=TEXT,
        description=_l("A stable id such as ip-value-03. Leave empty to get one made up."),
    )
    title = StringField(_l("Title"), [Length(max=255)], filters=TEXT)
    text = TextAreaField(_l("Question text"), [Length(max=MAX_TEXT)], filters=TEXT)
    text_format = SelectField(
        _l("Text format"),
        choices=TEXT_FORMAT_CHOICES,
        default="markdown",
        description=_l("How the question, answers and feedback are written."),
    )
    general_feedback = TextAreaField(
        _l("General feedback"),
        [Length(max=MAX_TEXT)],
        filters=TEXT,
        description=_l("Shown to every student after they answer, whatever the answer."),
    )
    tags = StringField(
        _l("Tags"),
        [Length(max=2000)],
        filters=TEXT,
        description=_l("Separated by commas, for example: ip-types, logos"),
    )

    def validate_text(self, field: Field) -> None:
        if not field.data and get_type(self.type_name).needs_text:
            raise StopValidation(_l("Write the question text."))

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields' checks, then whether the type can read the text (problems beside it)."""
        if not super().validate(extra_validators):
            return False
        try:
            self.authored()
        except AuthoringError as error:
            self.text.errors = [*self.text.errors, *error.problems]
            return False
        return True

    def authored(self) -> tuple[str, dict[str, Any]]:
        """(text, spec) to store: the type takes out any answers written in the text."""
        return get_type(self.type_name).authored(self.text.data or "", self.spec())

    def draft(self, extras: dict[str, Any] | None = None) -> QuestionDraft:
        """The draft the form describes; `extras` (what the form does not show: a Moodle
        question's feedback by outcome, hints...) are kept as given."""
        text, spec = self.authored()
        return QuestionDraft(
            type=self.type_name,
            text=text,
            spec=spec,
            title=self.title.data or "",
            text_format=self.text_format.data or "markdown",
            general_feedback=self.general_feedback.data or "",
            tags=parse_tags(self.tags.data),
            extras=dict(extras or {}),
        )


def _form_for(name: str) -> type[QuestionForm]:
    kind = REGISTRY[name]
    class_name = "".join(part.capitalize() for part in name.split("_")) + "Form"
    own = (kind.fields,) if kind.fields is not TypeFields else ()  # a type with no fields
    return type(class_name, (*own, QuestionForm), {"type_name": name})


FORMS: dict[str, type[QuestionForm]] = {name: _form_for(name) for name in REGISTRY}


def question_form(type_name: str, *, creating: bool, data: dict | None = None) -> QuestionForm:
    """The form for `type_name`, from the posted data, or from `data` on a GET (a new
    question's GET starts from the type's `new_data()`)."""
    if creating and data is not None:
        data = {**FORMS[type_name].new_data(), **data}
    form = FORMS[type_name](data=data)
    if form.text_help:
        form.text.description = form.text_help
    if not creating:
        del form.uid  # a question's id never changes
    form.pad_rows()
    return form


def form_data(version: QuestionVersion, *, category: str, tags: list[str]) -> dict[str, Any]:
    """Initial form data for editing `version`."""
    return {
        "category": category,
        "title": version.title,
        "text": get_type(version.type).authoring_text(version.text, version.spec),
        "text_format": version.text_format,
        "general_feedback": version.general_feedback,
        "tags": ", ".join(tags),
        **FORMS[version.type].load_spec(version.spec),
    }


class BrowseForm(FlaskForm):
    """The filters of the bank list: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Search"), [Length(max=200)], description=_l("Words in the title, text or id.")
    )
    tag = SelectField(_l("Tag"), choices=[SelectChoice("", _l("Any tag"))], default="")
    category = SelectField(
        _l("Category"), choices=[SelectChoice("", _l("All categories"))], default=""
    )
    retired = BooleanField(_l("Show retired questions"))


class ImportForm(FlaskForm):
    file = FileField(
        _l("Question file (GIFT or Moodle XML)"),
        validators=[FileRequired(_l("Choose a GIFT or Moodle XML file to upload."))],
        render_kw={"accept": ".gift,.txt,.xml,text/plain,text/xml,application/xml"},
        description=_l(
            "A text file in Moodle's GIFT format, or a Moodle XML export (up to 2 MB), saved "
            "as UTF-8. The format is told by the content."
        ),
    )
    category = StringField(
        _l("Category for questions without one"),
        [Length(max=1000)],
        filters=TEXT,
        default=DEFAULT_CATEGORY,
        description=_l("Used until the file's first $CATEGORY: line or category record."),
    )
    skip_unknown = BooleanField(
        _l("Skip questions of types Camp cannot read"),
        description=_l(
            "Moodle XML: leave out questions of other types (a plugin's, or calculated) and "
            "list them, instead of importing nothing."
        ),
    )


class CompareForm(FlaskForm):
    """Which two versions to compare: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    a = SelectField(_l("Compare version"), coerce=int)
    b = SelectField(_l("with version"), coerce=int)


class ConfirmImportForm(FlaskForm):
    """The signed upload from the preview step (see `bank_transfer.sign_upload`)."""

    payload = HiddenField()
