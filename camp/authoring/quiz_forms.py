"""Forms of the organiser's quiz screens: settings and review policy, slots, bank search,
windows, accommodations and hand grading.

Forms check what one field can tell (a whole number, a range); the rules about a quiz as a
whole stay in `camp.quizzes.building`, which every other caller shares.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional, ValidationError

from camp.i18n import from_camp_zone, zone_label
from camp.quizzes.building import (
    MAX_ATTEMPTS,
    MAX_EXTRA_ATTEMPTS,
    MAX_EXTRA_MINUTES,
    MAX_RANDOM_COUNT,
    MAX_TIME_LIMIT,
    MAX_TITLE,
    QuizSettings,
)
from camp.quizzes.models import REVIEW_ITEMS, GradingMethod, Layout, Quiz, ReviewWhen
from camp.urls import MAX_ID


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


WHOLE = _l("Enter a whole number.")

GRADING_CHOICES = [
    SelectChoice(GradingMethod.HIGHEST.value, _l("Highest attempt")),
    SelectChoice(GradingMethod.AVERAGE.value, _l("Average of all attempts")),
    SelectChoice(GradingMethod.FIRST.value, _l("First attempt")),
    SelectChoice(GradingMethod.LAST.value, _l("Last attempt")),
]
LAYOUT_CHOICES = [
    SelectChoice(Layout.ONE_PER_PAGE.value, _l("One question per page")),
    SelectChoice(Layout.ALL_ON_ONE.value, _l("All questions on one page")),
]
REVIEW_CHOICES = [
    SelectChoice(ReviewWhen.IMMEDIATELY.value, _l("Immediately")),
    SelectChoice(ReviewWhen.AFTER_LAST_ATTEMPT.value, _l("After the last allowed attempt")),
    SelectChoice(ReviewWhen.AFTER_CLOSE.value, _l("After the quiz closes")),
    SelectChoice(ReviewWhen.NEVER.value, _l("Never")),
]
REVIEW_LABELS = {
    "score": _l("Score"),
    "responses": _l("The student's responses"),
    "marks": _l("Marks (right or wrong per question)"),
    "feedback": _l("Feedback"),
    "answers": _l("Correct answers"),
}


class QuizCreateForm(FlaskForm):
    title = StringField(
        _l("Quiz title"), [InputRequired(), Length(max=MAX_TITLE)], filters=[_strip]
    )


def _review_field(item: str) -> SelectField:
    return SelectField(
        REVIEW_LABELS[item],
        choices=REVIEW_CHOICES,
        default=QuizSettings(title="").review[item],
    )


class QuizSettingsForm(FlaskForm):
    title = StringField(_l("Title"), [InputRequired(), Length(max=MAX_TITLE)], filters=[_strip])
    description = TextAreaField(
        _l("Description"),
        [Length(max=5000)],
        description=_l("Shown to students before they start."),
    )
    time_limit_minutes = IntegerField(
        _l("Time limit in minutes"),
        [Optional(), NumberRange(1, MAX_TIME_LIMIT)],
        description=_l("Leave empty for no time limit."),
    )
    attempts_allowed = IntegerField(
        _l("Attempts allowed"),
        [Optional(), NumberRange(1, MAX_ATTEMPTS)],
        description=_l("Leave empty for unlimited attempts."),
    )
    grading_method = SelectField(_l("Grade from"), choices=GRADING_CHOICES)
    pass_mark = IntegerField(
        _l("Pass mark in percent"), [InputRequired(WHOLE), NumberRange(0, 100)], default=70
    )
    shuffle_questions = BooleanField(_l("Shuffle the order of questions"), default=True)
    shuffle_options = BooleanField(_l("Shuffle the options within questions"), default=True)
    layout = SelectField(_l("Layout"), choices=LAYOUT_CHOICES)
    review_score = _review_field("score")
    review_responses = _review_field("responses")
    review_marks = _review_field("marks")
    review_feedback = _review_field("feedback")
    review_answers = _review_field("answers")

    @classmethod
    def for_quiz(cls, quiz: Quiz) -> QuizSettingsForm:
        """The saved settings, never another form's posted data on the same page."""
        return cls(formdata=None, obj=quiz)

    def review_fields(self) -> list[SelectField]:
        return [getattr(self, f"review_{item}") for item in REVIEW_ITEMS]

    def settings(self) -> QuizSettings:
        return QuizSettings(
            title=self.title.data or "",
            description=self.description.data or "",
            time_limit_minutes=self.time_limit_minutes.data,
            attempts_allowed=self.attempts_allowed.data,
            grading_method=self.grading_method.data or "",
            pass_mark=self.pass_mark.data or 0,
            shuffle_questions=bool(self.shuffle_questions.data),
            shuffle_options=bool(self.shuffle_options.data),
            layout=self.layout.data or "",
            review={item: getattr(self, f"review_{item}").data or "" for item in REVIEW_ITEMS},
        )


class BankSearchForm(FlaskForm):
    """Search the bank from a quiz page: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    q = SearchField(_l("Words in the question"), [Length(max=200)], filters=[_strip])
    tag = SelectField(_l("Tag"), choices=[SelectChoice("", _l("Any tag"))], default="")
    category = SelectField(
        _l("Category"), choices=[SelectChoice("", _l("All categories"))], default=""
    )


class AddFixedForm(FlaskForm):
    # The checkboxes are drawn from the search results; the service checks every uid.
    uids = SelectMultipleField(_l("Questions to add"), validate_choice=False)


class AddRandomForm(FlaskForm):
    category = SelectField(
        _l("Category"),
        choices=[SelectChoice("", _l("Any category"))],
        default="",
        validate_choice=False,
    )
    include_subcategories = BooleanField(_l("Include its subcategories"), default=True)
    tag = SelectField(_l("Tag"), choices=[SelectChoice("", _l("Any tag"))], default="")
    count = IntegerField(
        _l("Number of questions to draw"),
        [InputRequired(WHOLE), NumberRange(1, MAX_RANDOM_COUNT)],
        default=1,
    )


class SlotActionForm(FlaskForm):
    slot_id = IntegerField(_l("Slot"), [InputRequired(), NumberRange(1, MAX_ID)])
    # Not a HiddenField: hidden_tag() would render it a second time, empty, before the button's.
    action = StringField(_l("Action"), [AnyOf(["remove", "up", "down"])])


class WindowForm(FlaskForm):
    """A cohort's window: times typed in the camp's zone (CAMP_TIMEZONE), named in labels."""

    opens_at = DateTimeLocalField(
        _l("Opens"),
        [Optional()],
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        description=_l("Leave empty to open at once."),
    )
    closes_at = DateTimeLocalField(
        _l("Closes"),
        [Optional()],
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        description=_l("Leave empty to never close."),
    )

    # The form's second button: remove the cohort's window instead of saving it.
    remove = SubmitField(_l("Remove the window"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = zone_label()
        self.opens_at.label.text = _("Opens (%(zone)s)", zone=zone)
        self.closes_at.label.text = _("Closes (%(zone)s)", zone=zone)

    def times(self) -> tuple[datetime | None, datetime | None]:
        """The posted times, typed in the camp's zone, as UTC moments."""
        return from_camp_zone(self.opens_at.data), from_camp_zone(self.closes_at.data)

    def validate(self, extra_validators: dict[str, Any] | None = None) -> bool:
        """Removing reads no times, so a half-typed one does not stand in its way: only the
        CSRF token is checked then."""
        if not self.remove.data:
            return super().validate(extra_validators)
        token = self._fields.get(self.meta.csrf_field_name)
        return token is None or token.validate(self)


class OverrideForm(FlaskForm):
    students = SelectMultipleField(_l("Students"), coerce=int, validate_choice=False)
    extra_minutes = IntegerField(
        _l("Extra minutes"),
        [InputRequired(WHOLE), NumberRange(0, MAX_EXTRA_MINUTES)],
        default=0,
        description=_l("Added to the time limit (no effect when the quiz has none)."),
    )
    extra_attempts = IntegerField(
        _l("Extra attempts"),
        [InputRequired(WHOLE), NumberRange(0, MAX_EXTRA_ATTEMPTS)],
        default=0,
        description=_l("Added to the attempts allowed. Zero and zero removes the accommodation."),
    )

    def validate_students(self, field: SelectMultipleField) -> None:
        if not field.data:
            raise ValidationError(_l("Choose at least one student."))
        if any(not 1 <= student_id <= MAX_ID for student_id in field.data):
            raise ValidationError(_l("Choose students from the list."))


class GradeForm(FlaskForm):
    mark = DecimalField(
        _l("Mark in percent"),
        [InputRequired(_l("Give a mark from 0 to 100.")), NumberRange(0, 100)],
        places=None,
        render_kw={"step": "any", "min": 0, "max": 100},
        description=_l("0 to %(max)s %% of the question's marks.", max=100),
    )
    comment = TextAreaField(
        _l("Comment for the student"), [Length(max=10_000)], description=_l("Optional.")
    )
