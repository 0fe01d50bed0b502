"""The forms of the cohort's certificates page: the rule, and a reason to issue or revoke."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from camp.certificates.models import REASON_MAX, TITLE_MAX
from camp.forms import CheckboxList


class RuleForm(FlaskForm):
    quizzes = CheckboxList(
        _l("Module quizzes to pass"),
        coerce=int,
        description=_l("None ticked: every module quiz must be passed."),
    )
    require_post_test = BooleanField(_l("The post-test must have been taken"))
    require_live_session = BooleanField(
        _l("The student must have taken part in a live session of the cohort")
    )
    camp_title = StringField(
        _l("The camp's title on the certificate"),
        validators=[Optional(), Length(max=TITLE_MAX)],
        description=_l("Left empty, the certificate names the cohort."),
    )
    starts_on = DateField(_l("First day of the camp"), validators=[Optional()])
    ends_on = DateField(_l("Last day of the camp"), validators=[Optional()])


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[InputRequired(), Length(max=REASON_MAX)],
        description=_l("Kept in the audit log; never shown on the public page."),
    )
