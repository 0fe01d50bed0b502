"""The organiser's pre/post page for a cohort (`/organiser/cohorts/<id>/gain`): the pair of
tests, the learning gain (camp.gain.report; `?format=csv` for its CSV, camp.gain.export),
and the forms that pair two quizzes or make a pair from modules. Only the cohort's
organisers and admins see or change it."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _  # type: ignore[import-untyped]
from flask_babel import ngettext
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse
from wtforms.fields.choices import SelectChoice

from camp.accounts.current import current_user
from camp.accounts.models import Cohort
from camp.accounts.permissions import managed_cohort_or_403, organiser_required
from camp.authoring.quiz_queries import quiz_choices
from camp.extensions import db
from camp.gain.export import gain_csv
from camp.gain.forms import BuildPairForm, PairForm
from camp.gain.pairs import PairRefused, pair_of, pair_quizzes
from camp.gain.parallel import build_pair
from camp.gain.report import cohort_gain
from camp.gain.wording import REASONS, UNDEFINED
from camp.i18n import current_locale
from camp.lessons.models import Module
from camp.quizzes.models import Quiz
from camp.reports.download import csv_response
from camp.reports.gain import LOW_GAIN, RESAMPLES
from camp.reports.gain_chart import gain_chart
from camp.reports.overdue import touch_overdue
from camp.transactions import atomic

bp = Blueprint("gain", __name__, url_prefix="/organiser/cohorts/<int:cohort_id>/gain")


def _forms(
    pair_form: PairForm | None = None, build_form: BuildPairForm | None = None
) -> tuple[PairForm, BuildPairForm]:
    pair_form = pair_form or PairForm(formdata=None)
    choices = [SelectChoice(quiz_id, title) for quiz_id, title in quiz_choices()]
    pair_form.pre.choices = pair_form.post.choices = choices
    build_form = build_form or BuildPairForm(formdata=None)
    modules = db.session.scalars(select(Module).order_by(Module.position))
    build_form.modules.choices = [SelectChoice(m.id, m.title) for m in modules]
    return pair_form, build_form


def _render(
    cohort: Cohort,
    pair_form: PairForm | None = None,
    build_form: BuildPairForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    pair = pair_of(cohort)
    tests, gain = None, None
    if pair is not None:
        tests = (db.session.get(Quiz, pair.pre_quiz_id), db.session.get(Quiz, pair.post_quiz_id))
        gain = cohort_gain(cohort, current_locale())
    pair_form, build_form = _forms(pair_form, build_form)
    page = render_template(
        "gain/gain.html",
        cohort=cohort,
        pair=pair,
        tests=tests,
        gain=gain,
        chart=gain_chart(gain.report) if gain else None,
        reasons=REASONS,
        undefined=UNDEFINED,
        low_gain=LOW_GAIN,
        resamples=RESAMPLES,
        pair_form=pair_form,
        build_form=build_form,
    )
    return page, status


@bp.get("")
@organiser_required
def gain(cohort_id: int) -> tuple[str, int] | Response:
    cohort = managed_cohort_or_403(cohort_id)
    touch_overdue()
    if request.args.get("format") == "csv":
        found = cohort_gain(cohort, current_locale())
        if found is None:
            abort(404)
        return csv_response(gain_csv(found), f"cohort-{cohort.id}-gain.csv")
    return _render(cohort)


@bp.post("/pair")
@organiser_required
def pair(cohort_id: int) -> BaseResponse | tuple[str, int]:
    cohort = managed_cohort_or_403(cohort_id)
    form, _build = _forms(PairForm())
    if not form.validate():
        return _render(cohort, pair_form=form, status=400)
    pre, post = db.session.get(Quiz, form.pre.data), db.session.get(Quiz, form.post.data)
    if pre is None or post is None:
        abort(400)
    try:
        with atomic():
            pair_quizzes(
                cohort, pre, post, current_user, same_questions=bool(form.same_questions.data)
            )
    except PairRefused as error:
        form.form_errors.append(str(error))
        return _render(cohort, pair_form=form, status=400)
    flash(_("The pre-test and post-test are paired."), "success")
    return redirect(url_for(".gain", cohort_id=cohort.id))


@bp.post("/build")
@organiser_required
def build(cohort_id: int) -> BaseResponse | tuple[str, int]:
    cohort = managed_cohort_or_403(cohort_id)
    _pair, form = _forms(build_form=BuildPairForm())
    if not form.validate():
        return _render(cohort, build_form=form, status=400)
    modules = list(db.session.scalars(select(Module).where(Module.id.in_(form.modules.data or []))))
    try:
        with atomic():
            _made, forms = build_pair(
                cohort, modules, current_user, per_objective=form.per_objective.data or 3
            )
    except PairRefused as error:
        form.form_errors.append(str(error))
        return _render(cohort, build_form=form, status=400)
    flash(
        ngettext(
            "Two tests made and paired, %(num)d question each. Set their windows: the "
            "pre-test at the start of the camp, the post-test at the end.",
            "Two tests made and paired, %(num)d questions each. Set their windows: the "
            "pre-test at the start of the camp, the post-test at the end.",
            len(forms.pre),
        ),
        "success",
    )
    if forms.too_few:
        flash(
            _(
                "Too few questions to measure these objectives twice: %(tags)s.",
                tags=", ".join(forms.too_few),
            ),
            "info",
        )
    return redirect(url_for(".gain", cohort_id=cohort.id))
