"""The organiser's review settings form: review on or off, new questions a day, target
retention (a percentage here, a fraction in `camp.review.settings`), questions a session."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField
from wtforms.validators import InputRequired, NumberRange

from camp.review.settings import Settings

WHOLE = _l("Enter a whole number.")


class SettingsForm(FlaskForm):
    enabled = BooleanField(
        _l("Review on"),
        description=_l("Students of this cohort get a daily review of their questions."),
    )
    new_per_day = IntegerField(
        _l("New questions per day"),
        [InputRequired(WHOLE), NumberRange(0, 100, _l("Use a whole number from 0 to 100."))],
        description=_l("How many questions a student meets for the first time each day."),
    )
    target_retention = IntegerField(
        _l("Target retention (%)"),
        [InputRequired(WHOLE), NumberRange(70, 99, _l("Use a whole number from 70 to 99."))],
        description=_l(
            "The share of due questions a student should still answer right: higher means "
            "more frequent reviews."
        ),
    )
    session_length = IntegerField(
        _l("Questions per session"),
        [InputRequired(WHOLE), NumberRange(1, 200, _l("Use a whole number from 1 to 200."))],
        description=_l("A review session ends after this many questions, or when none is due."),
    )

    @classmethod
    def of(cls, settings: Settings) -> SettingsForm:
        """A form showing `settings` (nothing posted)."""
        form = cls(formdata=None)
        form.enabled.data = settings.enabled
        form.new_per_day.data = settings.new_per_day
        form.target_retention.data = round(settings.target_retention * 100)
        form.session_length.data = settings.session_length
        return form

    def settings(self) -> Settings:
        """The settings posted (call after `validate()`)."""
        return Settings(
            enabled=bool(self.enabled.data),
            new_per_day=int(self.new_per_day.data or 0),
            target_retention=round(int(self.target_retention.data or 0) / 100, 2),
            session_length=int(self.session_length.data or 0),
        )
