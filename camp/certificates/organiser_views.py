"""The organiser's certificates page of a cohort (`/organiser/cohorts/<id>/certificates`):
the rule, each student's certificate or what stands in the way, issuing to everyone who
meets the rule, issuing and revoking by hand with a reason, one student's PDF and the
cohort's ZIP. Only the cohort's organisers and admins see or change it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _  # type: ignore[import-untyped]
from flask_babel import ngettext
from werkzeug.wrappers import Response as BaseResponse
from wtforms.fields.choices import SelectChoice

from camp.accounts.current import current_user
from camp.accounts.models import Cohort
from camp.accounts.permissions import managed_cohort_or_403, organiser_required
from camp.certificates.documents import ZIP_TYPE, certificate_file, cohort_zip, file_name
from camp.certificates.forms import ReasonForm, RuleForm
from camp.certificates.issuing import (
    CertificateRefused,
    certificate_of,
    issue_by_hand,
    issue_earned,
    revoke,
)
from camp.certificates.public_views import pdf_response
from camp.certificates.roster import roster
from camp.certificates.rules import Rule, RuleRefused, rule_of, set_rule
from camp.i18n import current_locale
from camp.reports.queries import course_modules
from camp.transactions import atomic

bp = Blueprint("organiser", __name__, url_prefix="/organiser/cohorts/<int:cohort_id>/certificates")


def _rule_form(rule: Rule) -> RuleForm:
    """The rule form filled in with the cohort's rule."""
    form = RuleForm(formdata=None)
    form.quizzes.data = list(rule.quiz_ids or [])
    form.require_post_test.data = rule.require_post_test
    form.require_live_session.data = rule.require_live_session
    form.camp_title.data = rule.camp_title
    form.starts_on.data, form.ends_on.data = rule.starts_on, rule.ends_on
    return form


def _with_choices(form: RuleForm) -> RuleForm:
    modules = course_modules(current_locale())
    form.quizzes.choices = [SelectChoice(m.quiz.id, m.title) for m in modules if m.quiz]
    return form


def _render(
    cohort: Cohort,
    rule_form: RuleForm | None = None,
    failed: tuple[int, str] | None = None,
    reason_form: ReasonForm | None = None,
    refusal: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    rule = rule_of(cohort)
    page = render_template(
        "certificates/cohort.html",
        cohort=cohort,
        roster=roster(cohort, rule),
        rule_form=_with_choices(rule_form or _rule_form(rule)),
        reason_form=ReasonForm(formdata=None),
        failed=failed,  # (student id, "issue" or "revoke") whose reason form failed
        failed_form=reason_form,
        refusal=refusal,
    )
    return page, status


@bp.get("")
@organiser_required
def page(cohort_id: int) -> tuple[str, int]:
    return _render(managed_cohort_or_403(cohort_id))


@bp.post("/rule")
@organiser_required
def set_certificate_rule(cohort_id: int) -> BaseResponse | tuple[str, int]:
    cohort = managed_cohort_or_403(cohort_id)
    form = _with_choices(RuleForm())
    if not form.validate():
        return _render(cohort, rule_form=form, status=400)
    rule = Rule(
        quiz_ids=tuple(form.quizzes.data) if form.quizzes.data else None,
        require_post_test=bool(form.require_post_test.data),
        require_live_session=bool(form.require_live_session.data),
        camp_title=form.camp_title.data or "",
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
    )
    try:
        with atomic():
            set_rule(cohort, current_user, rule)
    except RuleRefused as error:
        form.form_errors.append(str(error))
        return _render(cohort, rule_form=form, status=400)
    flash(_("The certificate rule is saved."), "success")
    return redirect(url_for(".page", cohort_id=cohort.id))


@bp.post("/issue")
@organiser_required
def issue_to_all(cohort_id: int) -> BaseResponse:
    cohort = managed_cohort_or_403(cohort_id)
    with atomic():
        made = issue_earned(cohort, current_user)
    flash(
        ngettext("%(num)d certificate issued.", "%(num)d certificates issued.", len(made)),
        "success",
    )
    return redirect(url_for(".page", cohort_id=cohort.id))


@bp.post("/<int:user_id>/issue")
@organiser_required
def issue_one(cohort_id: int, user_id: int) -> BaseResponse | tuple[str, int]:
    return _with_reason(cohort_id, user_id, "issue")


@bp.post("/<int:user_id>/revoke")
@organiser_required
def revoke_one(cohort_id: int, user_id: int) -> BaseResponse | tuple[str, int]:
    return _with_reason(cohort_id, user_id, "revoke")


def _with_reason(cohort_id: int, user_id: int, action: str) -> BaseResponse | tuple[str, int]:
    cohort = managed_cohort_or_403(cohort_id)
    form = ReasonForm()
    if not form.validate():
        return _render(cohort, failed=(user_id, action), reason_form=form, status=400)
    try:
        with atomic():
            if action == "issue":
                certificate = issue_by_hand(cohort, user_id, current_user, form.reason.data or "")
                message = _("Certificate issued to %(name)s.", name=certificate.name)
            else:
                certificate = revoke(cohort, user_id, current_user, form.reason.data or "")
                message = _("The certificate of %(name)s is revoked.", name=certificate.name)
    except CertificateRefused as error:
        return _render(cohort, refusal=str(error), status=400)
    flash(message, "success")
    return redirect(url_for(".page", cohort_id=cohort.id))


@bp.get("/<int:user_id>.pdf")
@organiser_required
def download_one(cohort_id: int, user_id: int) -> BaseResponse:
    cohort = managed_cohort_or_403(cohort_id)
    certificate = certificate_of(cohort.id, user_id)
    if certificate is None or not certificate.valid:
        abort(404)
    return pdf_response(certificate_file(certificate), file_name(certificate))


@bp.get("/all.zip")
@organiser_required
def download_all(cohort_id: int) -> BaseResponse:
    cohort = managed_cohort_or_403(cohort_id)
    return pdf_response(cohort_zip(cohort), f"certificates-cohort-{cohort.id}.zip", ZIP_TYPE)
