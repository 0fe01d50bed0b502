"""The forms of the pre/post page: pairing two quizzes, and making a pair from modules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange

from camp.forms import CheckboxList
from camp.gain.parallel import DEFAULT_PER_OBJECTIVE


class PairForm(FlaskForm):
    pre = SelectField(_l("Pre-test (at the start of the camp)"), coerce=int)
    post = SelectField(_l("Post-test (at the end)"), coerce=int)
    same_questions = BooleanField(
        _l("Same questions"),
        description=_l(
            "Only if you mean to ask the same questions twice: then the gain partly "
            "measures remembering the pre-test."
        ),
    )


class BuildPairForm(FlaskForm):
    modules = CheckboxList(_l("Modules"), coerce=int, validators=[InputRequired()])
    per_objective = IntegerField(
        _l("Questions per objective in each test"),
        default=DEFAULT_PER_OBJECTIVE,
        validators=[InputRequired(), NumberRange(1, 10)],
    )
