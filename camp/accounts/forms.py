"""Account and cohort forms: field names are a contract (`email`, `password`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from camp.accounts.models import Role
from camp.locales import LANGUAGE_NAMES, LOCALES


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


class JoinForm(FlaskForm):
    join_code = StringField(
        _l("Join code"),
        validators=[DataRequired(), Length(max=20)],
        description=_l("The six-character code your organiser gave you, for example KMP-4RT."),
    )
    display_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=256)],
        description=_l("At least 8 characters."),
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=256)],
        description=_l("At least 8 characters."),
    )
    confirm_password = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two do not match."))],
    )


class CohortForm(FlaskForm):
    name = StringField(_l("Cohort name"), validators=[DataRequired(), Length(max=120)])


class RosterForm(FlaskForm):
    roster = TextAreaField(
        _l("Students to add"),
        validators=[DataRequired(), Length(max=200_000)],
        description=_l(
            "One student per line: name, comma, email. For example: Ada Lovelace, ada@example.org"
        ),
    )


class CreateUserForm(FlaskForm):
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice(Role.ORGANISER.value, _l("Organiser")),
            SelectChoice(Role.ADMIN.value, _l("Admin")),
        ],
        default=Role.ORGANISER.value,
    )


class LanguageForm(FlaskForm):
    """The language switcher: the header's buttons and the account page's list post it."""

    locale = SelectField(
        _l("Language"),
        choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in LOCALES],
        validators=[DataRequired()],
    )
