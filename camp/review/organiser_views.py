"""The organiser's review settings of a cohort (`/organiser/cohorts/<id>/review`): review on
or off, new questions a day, target retention and questions a session, saved through
`camp.review.settings` (audited). Only the cohort's organisers and admins see or change it."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _  # type: ignore[import-untyped]
from werkzeug.wrappers import Response as BaseResponse

from camp.accounts.current import current_user
from camp.accounts.models import Cohort
from camp.accounts.permissions import managed_cohort_or_403, organiser_required
from camp.review.forms import SettingsForm
from camp.review.settings import SettingsRefused, set_settings, settings_of
from camp.transactions import atomic

bp = Blueprint("organiser", __name__, url_prefix="/organiser/cohorts/<int:cohort_id>/review")


def _render(cohort: Cohort, form: SettingsForm, status: int = 200) -> tuple[str, int]:
    return render_template("review/settings.html", cohort=cohort, form=form), status


@bp.route("", methods=["GET", "POST"])
@organiser_required
def settings(cohort_id: int) -> BaseResponse | tuple[str, int]:
    """GET shows the cohort's settings; POST saves them. One endpoint for both: two rules
    on one path answered 405 instead of 404 to an id past MAX_ID (werkzeug matches the
    path, then finds the other rule's method)."""
    cohort = managed_cohort_or_403(cohort_id)
    if request.method == "GET":
        return _render(cohort, SettingsForm.of(settings_of(cohort)))
    form = SettingsForm()
    if not form.validate():
        return _render(cohort, form, status=400)
    try:
        with atomic():
            set_settings(cohort, current_user, form.settings())
    except SettingsRefused as error:
        form.form_errors.append(str(error))
        return _render(cohort, form, status=400)
    flash(_("The review settings are saved."), "success")
    return redirect(url_for(".settings", cohort_id=cohort.id))
