"""The live sessions' forms: joining from a phone, and creating a session."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from camp.forms import CheckboxList
from camp.live.board_models import POST_MAX
from camp.live.models import MAX_TIME_LIMIT_S, MIN_TIME_LIMIT_S, NICKNAME_MAX
from camp.live.plan import TITLE_MAX


class JoinLiveForm(FlaskForm):
    code = StringField(
        _l("Session code"),
        validators=[DataRequired(), Length(max=20)],
        description=_l("The six characters on the screen, for example KMP-4RT."),
    )
    nickname = StringField(
        _l("Nickname"),
        validators=[Optional(), Length(max=NICKNAME_MAX * 2)],
        description=_l("How the room sees you. Guests only: members join under their name."),
    )


class NewLiveSessionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    cohorts = CheckboxList(
        _l("Cohorts that may join"), coerce=int, validators=[Optional()], validate_choice=True
    )
    source = RadioField(
        _l("Questions"),
        choices=[
            SelectChoice("quiz", _l("The questions of a quiz")),
            SelectChoice("category", _l("The questions of a bank category (and a tag)")),
            SelectChoice("ids", _l("Questions picked by their ids")),
            SelectChoice("none", _l("Only the polls and open questions below")),
        ],
        default="quiz",
        validators=[InputRequired()],
    )
    quiz = SelectField(_l("Quiz"), coerce=int, validators=[Optional()], validate_choice=False)
    category = StringField(
        _l("Category"),
        validators=[Optional(), Length(max=255)],
        description=_l("A category path such as Modules/WIPO; its subcategories count too."),
    )
    tag = StringField(_l("Only questions with the tag"), validators=[Optional(), Length(max=80)])
    question_ids = StringField(
        _l("Question ids"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Separated by commas or spaces, in the order to ask them."),
    )
    extra = TextAreaField(
        _l("Polls and open questions"),
        validators=[Optional(), Length(max=20000)],
        description=_l(
            "One per line, asked after the questions. A poll: “poll: Coffee or tea? | Coffee "
            "| Tea”. An open question: “open: What surprised you today?”."
        ),
    )
    time_limit = IntegerField(
        _l("Seconds per question"),
        default=20,
        validators=[InputRequired(), NumberRange(MIN_TIME_LIMIT_S, MAX_TIME_LIMIT_S)],
    )
    points = BooleanField(_l("Questions score points"), default=True)
    speed_bonus = BooleanField(_l("Faster right answers score more"), default=True)
    allow_guests = BooleanField(_l("Guests may join with a nickname"), default=False)
    show_leaderboard = BooleanField(_l("Show a leaderboard"), default=False)
    anonymous = BooleanField(_l("Hide names on the projector"), default=False)


class ItemTimingForm(FlaskForm):
    """One item's timing on the session page, before it is asked."""

    time_limit = IntegerField(
        _l("Seconds"),
        validators=[InputRequired(), NumberRange(MIN_TIME_LIMIT_S, MAX_TIME_LIMIT_S)],
    )
    points = BooleanField(_l("Points"))
    speed_bonus = BooleanField(_l("Speed bonus"))


class BoardPostForm(FlaskForm):
    """A question for the board, from a phone."""

    text = TextAreaField(_l("Your question"), validators=[DataRequired(), Length(max=POST_MAX)])
    anonymous = BooleanField(
        _l("Post without my name"),
        description=_l("The other participants will not see who asked. The organisers will."),
    )
